import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, evaluateRules } from '../../src/policy/evaluate.js';
import { compilePolicy, decide, UnknownProfileError } from '../../src/policy/compile.js';
import { DEFAULT_RULES, NO_MATCHING_ALLOW_RULE, type Rule } from '../../src/policy/defaults.js';
import { defaultPolicy, loadPolicy } from '../../src/policy/load.js';

const allow = (method: string, path: string, reason?: string): Rule => ({
  match: { method, path },
  action: 'allow',
  ...(reason !== undefined ? { reason } : {}),
});
const deny = (method: string, path: string, reason?: string): Rule => ({
  match: { method, path },
  action: 'deny',
  ...(reason !== undefined ? { reason } : {}),
});

/** [rules, method, normalized path, decision, 0-based matched index or -1, reason code, reason]. */
type Row = [Rule[], string, string, 'allow' | 'deny', number, string, string];

// sockguard-config.md §3.2: top-down, first match wins, default deny.
const ORDER: [string, Row][] = [
  [
    'an earlier allow beats a later deny',
    [
      [allow('GET', '/containers/json'), deny('*', '/containers/**')],
      'GET',
      '/containers/json',
      'allow',
      0,
      'matched_allow_rule',
      '',
    ],
  ],
  [
    'an earlier deny beats a later, more specific allow',
    [
      [deny('*', '/containers/**', 'no containers'), allow('GET', '/containers/json')],
      'GET',
      '/containers/json',
      'deny',
      0,
      'matched_deny_rule',
      'no containers',
    ],
  ],
  [
    'a wildcard first segment is still ordered before a later literal rule',
    [
      [deny('*', '/*/json'), allow('GET', '/containers/json')],
      'GET',
      '/containers/json',
      'deny',
      0,
      'matched_deny_rule',
      '',
    ],
  ],
  [
    'a match-all rule first decides everything',
    [[allow('GET', '/**'), deny('GET', '/secrets/**')], 'GET', '/secrets/abc', 'allow', 0, 'matched_allow_rule', ''],
  ],
  [
    'a later rule decides when earlier ones do not match the method',
    [
      [allow('POST', '/containers/json'), allow('GET', '/containers/**', 'reads')],
      'GET',
      '/containers/json',
      'allow',
      1,
      'matched_allow_rule',
      'reads',
    ],
  ],
  [
    'no rule matches: default deny, index -1',
    [[allow('GET', '/_ping')], 'GET', '/version', 'deny', -1, 'no_matching_allow_rule', NO_MATCHING_ALLOW_RULE],
  ],
  [
    'an empty rule list denies with index -1',
    [[], 'GET', '/_ping', 'deny', -1, 'no_matching_allow_rule', NO_MATCHING_ALLOW_RULE],
  ],
  [
    'the final "no matching allow rule" deny reports its own index with the no-match code',
    [[...DEFAULT_RULES], 'POST', '/containers/create', 'deny', 4, 'no_matching_allow_rule', NO_MATCHING_ALLOW_RULE],
  ],
  [
    'a deny without reason is matched_deny_rule with an empty reason',
    [[deny('*', '/**')], 'GET', '/x', 'deny', 0, 'matched_deny_rule', ''],
  ],
  [
    'a deny whose reason only resembles the no-match text is matched_deny_rule',
    [
      [deny('*', '/**', 'No matching allow rule')],
      'GET',
      '/x',
      'deny',
      0,
      'matched_deny_rule',
      'No matching allow rule',
    ],
  ],
  [
    'an allow keeps its reason text',
    [[allow('GET', '/_ping', 'health')], 'GET', '/_ping', 'allow', 0, 'matched_allow_rule', 'health'],
  ],
  [
    'paths are case-sensitive',
    [
      [allow('GET', '/containers/json')],
      'GET',
      '/Containers/json',
      'deny',
      -1,
      'no_matching_allow_rule',
      NO_MATCHING_ALLOW_RULE,
    ],
  ],
  [
    '/x/** also matches /x itself',
    [[allow('GET', '/containers/**')], 'GET', '/containers', 'allow', 0, 'matched_allow_rule', ''],
  ],
  [
    '/x/** does not match a longer first segment',
    [
      [allow('GET', '/containers/**')],
      'GET',
      '/containersfoo',
      'deny',
      -1,
      'no_matching_allow_rule',
      NO_MATCHING_ALLOW_RULE,
    ],
  ],
  [
    '* stays inside one segment',
    [
      [allow('POST', '/containers/*/start')],
      'POST',
      '/containers/a/b/start',
      'deny',
      -1,
      'no_matching_allow_rule',
      NO_MATCHING_ALLOW_RULE,
    ],
  ],
];

// §3.5: comma lists, trimmed, case-insensitive, * anywhere wins, GET does not imply HEAD.
const METHODS: [string, string, boolean][] = [
  ['GET', 'GET', true],
  ['GET', 'get', true],
  ['GET', 'HEAD', false],
  ['HEAD', 'GET', false],
  ['GET,HEAD', 'HEAD', true],
  ['GET,HEAD', 'POST', false],
  [' get , head ', 'HEAD', true],
  ['GET,,HEAD', 'HEAD', true],
  ['post', 'POST', true],
  ['*', 'DELETE', true],
  ['*', 'PROPFIND', true],
  ['GET,*', 'PATCH', true],
  ['PROPFIND', 'propfind', true],
  ['PROPFIND', 'GET', false],
  ['GET', 'PROPFIND', false],
  ['DELETE', 'delete', true],
  ['OPTIONS,TRACE,CONNECT', 'trace', true],
  ['PUT', 'PATCH', false],
];

for (const [name, [rules, method, path, decision, index, reasonCode, reason]] of ORDER) {
  test(`evaluateRules: ${name}`, () => {
    const verdict = evaluateRules(compileRules(rules), method, path);
    assert.equal(verdict.decision, decision);
    assert.equal(verdict.matched?.index ?? -1, index);
    assert.equal(verdict.reasonCode, reasonCode);
    assert.equal(verdict.reason, reason);
    if (index >= 0) assert.equal(verdict.matched?.rule, rules[index]);
  });
}

for (const [field, method, matches] of METHODS) {
  test(`method "${field}" ${matches ? 'matches' : 'does not match'} a ${method} request`, () => {
    const verdict = evaluateRules(compileRules([allow(field, '/x')]), method, '/x');
    assert.equal(verdict.decision, matches ? 'allow' : 'deny');
  });
}

test('first match is kept across many rules spread over different first segments', () => {
  const rules: Rule[] = [];
  for (let i = 0; i < 200; i++) rules.push(allow('GET', `/seg${i}/**`));
  rules.push(deny('GET', '/seg150/secret'), allow('GET', '/**/json'), deny('*', '/**', NO_MATCHING_ALLOW_RULE));
  const set = compileRules(rules);
  assert.equal(evaluateRules(set, 'GET', '/seg150/secret').matched?.index, 150);
  assert.equal(evaluateRules(set, 'GET', '/other/json').matched?.index, 201);
  assert.equal(evaluateRules(set, 'POST', '/seg3/x').matched?.index, 202);
  assert.equal(evaluateRules(set, 'POST', '/seg3/x').reasonCode, 'no_matching_allow_rule');
});

// decide(): the target is decoded once, cleaned and version-stripped before matching (§3.4).
const DEFAULTS_TARGETS: [string, string, string, 'allow' | 'deny', number][] = [
  ['GET', '/_ping', '/_ping', 'allow', 0],
  ['HEAD', '/_ping', '/_ping', 'allow', 1],
  ['head', '/v1.45/_ping', '/_ping', 'allow', 1],
  ['GET', '/v1.45/version', '/version', 'allow', 2],
  ['HEAD', '/version', '/version', 'deny', 4],
  ['GET', '/events?since=1', '/events', 'allow', 3],
  ['GET', '/v1/version', '/version', 'allow', 2],
  ['GET', '/v5.0.0/version', '/version', 'allow', 2],
  ['GET', '/V1.45/version', '/V1.45/version', 'deny', 4],
  ['GET', '/v1.45./version', '/v1.45./version', 'deny', 4],
  ['GET', '/v1.45.0.0/version', '/v1.45.0.0/version', 'deny', 4],
  ['GET', '/v1.45/v1.44/version', '/v1.44/version', 'deny', 4],
  ['GET', '/version/', '/version', 'allow', 2],
  ['GET', '//version', '/version', 'allow', 2],
  ['GET', '/containers/../version', '/version', 'allow', 2],
  ['GET', '/../../version', '/version', 'allow', 2],
  ['GET', '/%76ersion', '/version', 'allow', 2],
  ['GET', '/%2576ersion', '/%76ersion', 'deny', 4],
  ['GET', '/_ping%2F', '/_ping', 'allow', 0],
  ['GET', '/_ping?x=/version', '/_ping', 'allow', 0],
  ['GET', '/version?', '/version', 'allow', 2],
];

for (const [method, target, normalized, decision, index] of DEFAULTS_TARGETS) {
  test(`decide (default rules): ${method} ${target} -> ${normalized} ${decision}`, () => {
    const verdict = decide(compilePolicy(defaultPolicy()), method, target);
    assert.equal(verdict.target.normalizedPath, normalized);
    assert.equal(verdict.decision, decision);
    assert.equal(verdict.matched?.index, index);
    assert.equal(verdict.method, method.toUpperCase());
  });
}

test('decide uses a profile’s rules and throws UnknownProfileError for an unknown one', () => {
  const loaded = loadPolicy(
    [
      'clients:',
      '  profiles:',
      '    - name: ci',
      '      rules:',
      '        - match: { method: POST, path: "/build" }',
      '          action: allow',
      'rules:',
      '  - match: { method: GET, path: "/_ping" }',
      '    action: allow',
    ].join('\n'),
  );
  assert.ok(loaded.policy, JSON.stringify(loaded.diagnostics));
  const compiled = compilePolicy(loaded.policy);
  assert.equal(decide(compiled, 'POST', '/build', 'ci').decision, 'allow');
  assert.equal(decide(compiled, 'POST', '/build').decision, 'deny');
  assert.equal(decide(compiled, 'GET', '/_ping', 'ci').decision, 'deny');
  assert.equal(decide(compiled, 'GET', '/_ping', 'ci').matched, undefined);
  assert.throws(() => decide(compiled, 'GET', '/_ping', 'nope'), UnknownProfileError);
});
