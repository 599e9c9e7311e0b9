import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoFloat, typePlainScalar } from '../../src/compose/scalar-string.js';

// Unquoted scalar -> [yaml.v3 kind, docker compose v2 string (fmt.Sprint of the decoded value)].
const TYPED: [string, string, string | null][] = [
  ['1', 'int', '1'],
  ['0', 'int', '0'],
  ['-0', 'int', '0'],
  ['+1', 'int', '1'],
  ['010', 'int', '8'],
  ['0o17', 'int', '15'],
  ['0x1F', 'int', '31'],
  ['0b101', 'int', '5'],
  ['1_000', 'int', '1000'],
  ['09', 'float', '9'],
  ['9223372036854775807', 'int', '9223372036854775807'],
  ['18446744073709551615', 'int', '18446744073709551615'],
  ['-9223372036854775809', 'float', '-9.223372036854776e+18'],
  ['1.0', 'float', '1'],
  ['1.5', 'float', '1.5'],
  ['1.', 'float', '1'],
  ['.5', 'float', '0.5'],
  ['-.5', 'float', '-0.5'],
  ['1e3', 'float', '1000'],
  ['1e6', 'float', '1e+06'],
  ['123456.0', 'float', '123456'],
  ['1234567.0', 'float', '1.234567e+06'],
  ['0.0001', 'float', '0.0001'],
  ['0.00001', 'float', '1e-05'],
  ['-0.0', 'float', '-0'],
  ['1e999', 'string', '1e999'],
  ['.inf', 'float', '+Inf'],
  ['-.Inf', 'float', '-Inf'],
  ['.NaN', 'float', 'NaN'],
  ['true', 'bool', 'true'],
  ['True', 'bool', 'true'],
  ['FALSE', 'bool', 'false'],
  ['tRue', 'string', 'tRue'],
  ['yes', 'string', 'yes'],
  ['on', 'string', 'on'],
  ['~', 'null', null],
  ['null', 'null', null],
  ['', 'null', null],
  ['1abc', 'string', '1abc'],
  ['2024-01-02', 'string', '2024-01-02'],
  ['8080:80', 'string', '8080:80'],
  ['.', 'string', '.'],
  ['-', 'string', '-'],
  ['_1', 'string', '_1'],
];

test('typePlainScalar types like yaml.v3 and formats like Go fmt.Sprint', () => {
  for (const [text, kind, value] of TYPED) {
    assert.deepEqual(typePlainScalar(text), { kind, value }, text);
  }
});

test('formatGoFloat: exponent form outside [1e-4, 1e6), two-digit exponent', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [100000, '100000'],
    [1e21, '1e+21'],
    [1.5e-7, '1.5e-07'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [value, expected] of cases) assert.equal(formatGoFloat(value), expected, String(value));
});
