import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

const rule = ([method, path]: readonly [string, string]) =>
  `  - match: { method: "${method}", path: "${path}" }\n    action: deny\n`;
const shadowedIndexes = (rules: readonly (readonly [string, string])[]) =>
  lintPolicyText(`rules:\n${rules.map(rule).join('')}`)
    .filter((d) => d.code === 'rule/shadowed')
    .map((d) => d.pointer);

test('shadowed needs the earlier rule to cover both the methods and the paths', () => {
  const cases: [rules: (readonly [string, string])[], shadowed: string[]][] = [
    [
      [
        ['GET', '/containers/**'],
        ['GET', '/containers/*/json'],
      ],
      ['/rules/1/match/path'],
    ],
    [
      [
        ['GET', '/containers/*/json'],
        ['GET', '/containers/**'],
      ],
      [],
    ],
    [
      [
        ['GET', '/containers/**'],
        ['GET,HEAD', '/containers/*/json'],
      ],
      [],
    ],
    [
      [
        ['*', '/containers/**'],
        ['get,head', '/containers/*/json'],
      ],
      ['/rules/1/match/path'],
    ],
    [
      [
        ['GET,HEAD', '/a/**'],
        ['HEAD', '/a/b'],
      ],
      ['/rules/1/match/path'],
    ],
    [
      [
        ['GET', '/containers**'],
        ['GET', '/containers/json'],
      ],
      ['/rules/1/match/path'],
    ],
    [
      [
        ['GET', '/*/json'],
        ['GET', '/containers/json'],
      ],
      ['/rules/1/match/path'],
    ],
    [
      [
        ['GET', '/images/*'],
        ['GET', '/images/sha256:*'],
      ],
      ['/rules/1/match/path'],
    ],
    // The earliest covering rule is named, even when a later one also covers.
    [
      [
        ['GET', '/x/**'],
        ['GET', '/x/y/**'],
        ['GET', '/x/y/z'],
      ],
      ['/rules/1/match/path', '/rules/2/match/path'],
    ],
    // A pattern that never matches (version prefix) shadows nothing and is reported elsewhere.
    [
      [
        ['GET', '/v1.45/**'],
        ['GET', '/v1.45/info'],
      ],
      [],
    ],
  ];
  for (const [rules, expected] of cases) {
    assert.deepEqual(shadowedIndexes(rules), expected, rules.map((r) => r.join(' ')).join(' | '));
  }
});

test('the finding names the earliest covering rule and its line', () => {
  const rules = [
    ['GET', '/x/**'],
    ['GET', '/x/y/**'],
    ['GET', '/x/y/z'],
  ] as const;
  const [d] = lintPolicyText(`rules:\n${rules.map(rule).join('')}`).filter(
    (f) => f.code === 'rule/shadowed' && f.pointer === '/rules/2/match/path',
  );
  assert.match(d!.message, /^rule 3 is covered by rule 1 \(line 2\): "GET \/x\/\*\*"/);
});

test('rules of different lists (top level, profiles) never shadow each other', () => {
  const text = `rules:\n${rule(['GET', '/info']).replace('deny', 'allow')}clients:\n  default_profile: ci\n  profiles:\n    - name: ci\n      rules:\n        - match: { method: GET, path: /info }\n          action: allow\n`;
  assert.deepEqual(
    lintPolicyText(text).map((d) => d.code),
    [],
  );
});
