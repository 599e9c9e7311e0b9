import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate } from '../../src/compose/interpolate.js';

const ENV: Record<string, string> = { FOO: 'first', EMPTY: '', lower: 'low', DOLLAR: '$X' };
const lookup = (name: string): string | undefined => (Object.hasOwn(ENV, name) ? ENV[name] : undefined);

// template -> expected value (no problems expected).
const VALUES: [string, string][] = [
  ['plain', 'plain'],
  ['$FOO', 'first'],
  ['${FOO}', 'first'],
  ['$FOO-bar', 'first-bar'],
  ['x${FOO}y', 'xfirsty'],
  ['$lower', 'low'],
  ['$$FOO', '$FOO'],
  ['$${FOO}', '${FOO}'],
  ['$$$FOO', '$first'],
  ['a $ b', 'a $ b'],
  ['^REGEX$', '^REGEX$'],
  ['$}', '$}'],
  ['$', '$'],
  ['$1', '$1'],
  ['$2a$12$$x', '$2a$12$x'],
  ['${DOLLAR}', '$X'],
  ['${MISSING:-def}', 'def'],
  ['${MISSING-def}', 'def'],
  ['${EMPTY:-def}', 'def'],
  ['${EMPTY-def}', ''],
  ['${FOO:-def}', 'first'],
  ['${FOO-def}', 'first'],
  ['${MISSING:+alt}', ''],
  ['${MISSING+alt}', ''],
  ['${EMPTY:+alt}', ''],
  ['${EMPTY+alt}', 'alt'],
  ['${FOO:+alt}', 'alt'],
  ['${FOO+alt}', 'alt'],
  ['${FOO:?err}', 'first'],
  ['${FOO?err}', 'first'],
  ['${EMPTY?err}', ''],
  ['${MISSING:-/non:-alphanumeric}', '/non:-alphanumeric'],
  ['${MISSING-myerror?msg}', 'myerror?msg'],
  ['${MISSING:-${FOO}}', 'first'],
  ['${MISSING:-$FOO}', 'first'],
  ['${MISSING-${FOO} ${FOO}}', 'first first'],
  ['${MISSING:-${ALSO_MISSING:-deep}}', 'deep'],
  ['${EMPTY+$FOO ${FOO:+second}}', 'first second'],
  ['${MISSING:-$$}', '$'],
  ['${FOO}}', 'first}'],
  ['${MISSING:-{x}}', '{x}'],
  ['-ok ${EMPTY:-d} ${FOO} :?x', '-ok d first :?x'],
];

test('interpolate: values', () => {
  for (const [template, expected] of VALUES) {
    const result = interpolate(template, lookup);
    assert.equal(result.value, expected, template);
    assert.deepEqual(result.problems, [], template);
  }
});

test('interpolate: unset variables become empty and are reported with offset and length', () => {
  const result = interpolate('a ${NOPE} b $ALSO c', lookup);
  assert.equal(result.value, 'a  b  c');
  assert.deepEqual(
    result.problems.map((p) => [p.kind, p.name, p.offset, p.length]),
    [
      ['unset', 'NOPE', 2, 7],
      ['unset', 'ALSO', 12, 5],
    ],
  );
  assert.match(result.problems[1]?.message ?? '', /write \$\$/);
});

test('interpolate: the word after an operator is substituted first, so problems inside it are reported', () => {
  const result = interpolate('${FOO:-${NOPE}}', lookup);
  assert.equal(result.value, 'first');
  assert.deepEqual(
    result.problems.map((p) => [p.kind, p.name, p.offset]),
    [['unset', 'NOPE', 7]],
  );
});

test('interpolate: required variables', () => {
  const cases: [string, string][] = [
    [
      'not ok ${MISSING:?Mandatory Variable Unset}',
      'required variable MISSING is missing a value: Mandatory Variable Unset',
    ],
    ['${EMPTY:?must not be empty}', 'required variable EMPTY is missing a value: must not be empty'],
    ['${MISSING:?}', 'required variable MISSING is missing a value'],
    ['${MISSING?unset}', 'required variable MISSING is missing a value: unset'],
    ['${MISSING?bar-baz}', 'required variable MISSING is missing a value: bar-baz'],
    ['${MISSING:?needs ${FOO}}', 'required variable MISSING is missing a value: needs first'],
  ];
  for (const [template, message] of cases) {
    const result = interpolate(template, lookup);
    assert.deepEqual(
      result.problems.map((p) => [p.kind, p.message]),
      [['required', message]],
      template,
    );
  }
  assert.equal(interpolate('x${MISSING?e}y', lookup).value, 'xy');
});

test('interpolate: malformed expressions are errors and stay as written', () => {
  for (const template of [
    '${',
    '${}',
    '${ }',
    '${ foo}',
    '${foo }',
    '${foo!}',
    '${FOO${FOO}}',
    '${1}/dashboard',
    'a ${FOO:-x',
  ]) {
    const result = interpolate(template, lookup);
    assert.deepEqual(
      result.problems.map((p) => p.kind),
      ['invalid'],
      template,
    );
    assert.equal(result.value.includes('${'), true, template);
  }
});
