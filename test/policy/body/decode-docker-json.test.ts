import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDockerJson,
  MAX_JSON_DEPTH,
  MAX_JSON_NUMBER_LENGTH,
} from '../../../src/policy/body/decode-docker-json.js';
import { containerCreateShape } from '../../../src/policy/body/body-shapes.js';
import { any, bool, int64, list, map, string, strslice, struct, uint64 } from '../../../src/policy/body/json-shape.js';
import { TYPICAL_CREATE } from './body-request.js';

const create = (text: string | Uint8Array) => decodeDockerJson(text, containerCreateShape);

function decoded(text: string) {
  const result = create(text);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

function refused(text: string | Uint8Array, path: string, message: string) {
  const result = create(text);
  assert.equal(result.ok, false, `should refuse ${String(text)}`);
  if (result.ok) return;
  assert.equal(result.error.path, path);
  assert.ok(result.error.message.includes(message), `"${result.error.message}" should mention "${message}"`);
}

test('a real docker run body decodes into the create shape', () => {
  const body = decoded(TYPICAL_CREATE);
  assert.equal(body.Image, 'nginx');
  assert.deepEqual(body.HostConfig?.Binds, ['data:/data']);
  assert.equal(body.HostConfig?.Privileged, false);
  assert.equal(body.HostConfig?.PidsLimit, 0);
  assert.deepEqual(Object.keys(body.NetworkingConfig?.EndpointsConfig ?? {}), ['default']);
});

// security-notes.md D11, §9: struct fields match case-insensitively with Go's simple folding.
const FOLDED: [string, string][] = [
  ['{"hostconfig":{"privileged":true}}', 'lower case'],
  ['{"HOSTCONFIG":{"PRIVILEGED":true}}', 'upper case'],
  ['{"HostConfig":{"PrivIleged":true}}', 'mixed case'],
  ['{"Ho\u017ftConfig":{"Privileged":true}}', 'long s U+017F for s'],
  ['{"HostConfig":{"Privileged":true}}', 'canonical'],
  ['{"\\u0048ostConfig":{"\\u0050rivileged":true}}', 'escaped letters'],
];
for (const [text, name] of FOLDED) {
  test(`struct keys fold like Go: ${name}`, () => assert.equal(decoded(text).HostConfig?.Privileged, true));
}

test('the Kelvin sign folds to k and long s to s inside field names', () => {
  const shape = struct({ NetworkMode: string, Binds: list(string) });
  const result = decodeDockerJson('{"Networ\u212aMode":"host","Bind\u017f":["/:/h"]}', shape);
  assert.ok(result.ok);
  assert.deepEqual(result.value, { NetworkMode: 'host', Binds: ['/:/h'] });
});

test('other non-ASCII letters do not fold onto field names', () => {
  // U+0130 (dotted capital I) lower-cases to i but is not in i's simple-fold orbit.
  const result = decodeDockerJson('{"Pr\u0130vileged":true}', struct({ Privileged: bool }));
  assert.ok(result.ok);
  assert.deepEqual(result.value, {});
});

// §9: duplicates merge or overwrite in Go; any duplicate struct key is refused.
const DUPLICATES: [string, string, string][] = [
  ['{"HostConfig":{"Privileged":false,"Privileged":true}}', 'HostConfig.Privileged', 'duplicate key'],
  ['{"HostConfig":{"Privileged":true},"HostConfig":{"Binds":["/:/h"]}}', 'HostConfig', 'duplicate key'],
  ['{"HostConfig":{},"hostconfig":{"Privileged":true}}', 'HostConfig', 'same field to dockerd'],
  ['{"Labels":{"a":"1"},"labels":{"a":"2"}}', 'Labels', 'same field to dockerd'],
  ['{"Image":"a","image":"b"}', 'Image', 'same field to dockerd'],
  ['{"HostConfig":{"Binds":[],"Bind\u017f":["/:/h"]}}', 'HostConfig.Binds', 'same field to dockerd'],
  ['{"Unknown":1,"unknown":2}', 'unknown', 'same field to dockerd'],
  ['{"Config":{"a":1,"a":2}}', 'Config["a"]', 'duplicate key'],
  ['{"Labels":{"k":"1","k":"2"}}', 'Labels["k"]', 'duplicate key'],
  [
    '{"NetworkingConfig":{"EndpointsConfig":{"n":{"MacAddress":"x","macaddress":"y"}}}}',
    'NetworkingConfig.EndpointsConfig["n"].MacAddress',
    'same field',
  ],
];
for (const [text, path, message] of DUPLICATES) {
  test(`duplicate keys are refused: ${text}`, () => refused(text, path, message));
}

test('map keys stay case-sensitive: case variants are distinct entries', () => {
  const body = decoded('{"Labels":{"owner":"a","OWNER":"b"},"HostConfig":{"Sysctls":{"net.a":"1","NET.A":"2"}}}');
  assert.deepEqual({ ...body.Labels }, { owner: 'a', OWNER: 'b' });
  assert.equal(Object.keys(body.HostConfig?.Sysctls ?? {}).length, 2);
});

test('a decoy top-level "Config" object is ignored like dockerd ignores it (D12)', () => {
  const body = decoded('{"Config":{"User":"nobody","HostConfig":{"Privileged":false}},"User":"root"}');
  assert.equal(body.User, 'root');
  assert.equal(body.HostConfig, undefined);
});

test('map keys named __proto__ do not touch prototypes', () => {
  const body = decoded('{"Labels":{"__proto__":"x","constructor":"y"}}');
  assert.equal(body.Labels?.['__proto__'], 'x');
  assert.equal(Object.getPrototypeOf(body.Labels), null);
});

test('null is the same as absent, also inside lists (zero values)', () => {
  const body = decoded('{"User":null,"HostConfig":{"Privileged":null,"Binds":null,"CapAdd":null,"Mounts":[null]}}');
  assert.equal('User' in body, false);
  assert.deepEqual(body.HostConfig, { Mounts: [{}] });
  const top = decodeDockerJson('null', containerCreateShape);
  assert.ok(top.ok);
  assert.deepEqual(top.value, {});
});

test('an empty list stays distinct from an absent one (MaskedPaths: [] unmasks)', () => {
  assert.deepEqual(decoded('{"HostConfig":{"MaskedPaths":[]}}').HostConfig?.MaskedPaths, []);
  assert.equal(decoded('{"HostConfig":{}}').HostConfig?.MaskedPaths, undefined);
});

test('strslice fields take a string or a list', () => {
  assert.deepEqual(decoded('{"HostConfig":{"CapAdd":"SYS_ADMIN"}}').HostConfig?.CapAdd, ['SYS_ADMIN']);
  assert.deepEqual(decoded('{"HostConfig":{"CapAdd":["A","B"]}}').HostConfig?.CapAdd, ['A', 'B']);
  const shape = struct({ S: strslice });
  assert.equal(decodeDockerJson('{"S":1}', shape).ok, false);
});

// Wrong JSON types make dockerd answer 400; the decoder refuses them too.
const TYPES: [string, string, string][] = [
  ['{"HostConfig":{"Privileged":"true"}}', 'HostConfig.Privileged', 'expected a boolean, got a string'],
  ['{"HostConfig":{"Privileged":1}}', 'HostConfig.Privileged', 'expected a boolean, got a number'],
  ['{"HostConfig":{"Binds":"/:/h"}}', 'HostConfig.Binds', 'expected an array'],
  ['{"HostConfig":{"Binds":[1]}}', 'HostConfig.Binds[0]', 'expected a string'],
  ['{"HostConfig":{"Memory":"1g"}}', 'HostConfig.Memory', 'expected an integer'],
  ['{"HostConfig":{"Memory":1.5}}', 'HostConfig.Memory', 'expected an integer, got 1.5'],
  ['{"HostConfig":{"Memory":1e3}}', 'HostConfig.Memory', 'expected an integer, got 1e3'],
  ['{"HostConfig":{"Memory":9223372036854775808}}', 'HostConfig.Memory', 'out of range'],
  ['{"HostConfig":[]}', 'HostConfig', 'expected an object'],
  ['{"Labels":{"a":1}}', 'Labels["a"]', 'expected a string'],
  ['[]', '', 'expected an object'],
];
for (const [text, path, message] of TYPES) {
  test(`wrong types are refused: ${text}`, () => refused(text, path, message));
}

test('int64 bounds are exact and unsigned fields refuse negatives', () => {
  // Values beyond 2^53 lose precision as numbers; only their sign and size matter to the inspectors.
  assert.equal(decoded('{"HostConfig":{"Memory":9223372036854775807}}').HostConfig?.Memory, 2 ** 63);
  assert.equal(decoded('{"HostConfig":{"Memory":-9223372036854775808}}').HostConfig?.Memory, -(2 ** 63));
  assert.equal(decodeDockerJson('{"N":-1}', struct({ N: uint64 })).ok, false);
  assert.equal(decodeDockerJson('{"N":18446744073709551615}', struct({ N: uint64 })).ok, true);
  assert.equal(decodeDockerJson('{"N":18446744073709551616}', struct({ N: uint64 })).ok, false);
  assert.equal(decodeDockerJson('{"N":-0}', struct({ N: int64 })).ok, true);
});

// Syntax and encoding: everything a lenient parser would guess at is refused.
const SYNTAX: [string | Uint8Array, string][] = [
  ['{"Image":"a"} {"Image":"b"}', 'unexpected data after the first JSON value'],
  ['{"Image":"a"} x', 'unexpected data after the first JSON value'],
  ['{"Image":"a"}}', 'unexpected data after the first JSON value'],
  ['{"Image":"a",}', 'expected a string object key'],
  ['{"Image":"a"', 'unexpected end of JSON input'],
  ["{'Image':'a'}", 'expected a string object key'],
  ['{"Image":"a\u0001"}', 'control character in string'],
  ['{"Image":"\\x41"}', 'invalid escape'],
  ['{"Image":"\\ud800"}', 'lone surrogate'],
  ['{"Image":"\\udc00\\ud800"}', 'lone surrogate'],
  ['{"Image":"\\ud800\\u0041"}', 'lone surrogate'],
  ['{"Image":"\\u00G1"}', 'invalid \\u escape'],
  ['{"X":01}', 'expected "," or "}"'],
  ['{"X":1.}', 'invalid number'],
  ['{"X":+1}', 'invalid character'],
  ['{"X":NaN}', 'invalid character'],
  ['{"X":tru}', 'invalid literal'],
  ['\uFEFF{}', 'expected an object'],
  ['', 'unexpected end of JSON input'],
  [`{"X":${'1'.repeat(MAX_JSON_NUMBER_LENGTH + 1)}}`, 'number longer than'],
  [Uint8Array.from([0x7b, 0x22, 0x58, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'not valid UTF-8'],
  [Uint8Array.from([0x7b, 0x22, 0x58, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), 'not valid UTF-8'],
  ['{"Image":"\ud800"}', 'lone surrogate'],
];
for (const [text, message] of SYNTAX) {
  test(`malformed input is refused: ${JSON.stringify(typeof text === 'string' ? text.slice(0, 40) : [...text])}`, () => {
    const result = create(text);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.ok(result.error.message.includes(message), `"${result.error.message}" should mention "${message}"`);
  });
}

test('nesting is bounded, in declared and in unknown subtrees', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.equal(decodeDockerJson(`{"X":${deep(MAX_JSON_DEPTH - 1)}}`, struct({})).ok, true);
  const tooDeep = decodeDockerJson(`{"X":${deep(MAX_JSON_DEPTH)}}`, struct({}));
  assert.equal(tooDeep.ok, false);
  if (!tooDeep.ok) assert.match(tooDeep.error.message, /nesting deeper/);
  assert.equal(decodeDockerJson(deep(100_000), any).ok, false);
});

test('escapes decode exactly (a keyword filter would miss \\u002f)', () => {
  const body = decoded('{"HostConfig":{"Binds":["\\u002f:\\/host"]},"Image":"\\ud83d\\ude00\\n\\t\\"\\\\"}');
  assert.deepEqual(body.HostConfig?.Binds, ['/:/host']);
  assert.equal(body.Image, '\u{1F600}\n\t"\\');
});

test('generic values decode for any-shaped fields', () => {
  const result = decodeDockerJson('{"A":[1,-2.5e3,true,false,null,"s",{"k":[]}]}', struct({ A: any }));
  assert.ok(result.ok);
  assert.deepEqual(JSON.parse(JSON.stringify(result.value)), { A: [1, -2500, true, false, null, 's', { k: [] }] });
  const maps = decodeDockerJson('{"m":{"a":{"b":"c"}}}', struct({ m: map(map(string)) }));
  assert.ok(maps.ok);
  assert.equal(maps.value.m?.['a']?.['b'], 'c');
});
