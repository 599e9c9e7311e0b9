import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/cases/load-suite.js';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { runSuite } from '../../src/cases/run-suite.js';
import { loadPolicy } from '../../src/policy/load.js';

const POLICY = [
  'clients:',
  '  profiles:',
  '    - name: ci',
  '      rules:',
  '        - match: { method: POST, path: /build }',
  '          action: allow',
  'rules:',
  '  - match: { method: GET, path: /_ping }',
  '    action: allow',
  '  - match: { method: GET, path: "/containers/*/json" }',
  '    action: allow',
  '  - match: { method: "*", path: "/**" }',
  '    action: deny',
  '    reason: no matching allow rule',
].join('\n');

const put = preparePolicy(loadPolicy(POLICY).policy!);

function run(cases: string, profile?: string) {
  const { suite, diagnostics } = loadSuite(cases);
  assert.ok(suite, JSON.stringify(diagnostics));
  return runSuite(put, suite, profile !== undefined ? { profile } : {});
}

/** [name, case yaml, expected failures]. */
const CASES: [string, string, string[]][] = [
  ['a matching decision passes', '{name: a, request: GET /_ping, expect: allow}', []],
  ['the right rule number passes', '{name: a, request: GET /containers/x/json, expect: allow, rule: 2}', []],
  [
    'the right rule path passes',
    '{name: a, request: GET /containers/x/json, expect: allow, rule: "/containers/*/json"}',
    [],
  ],
  [
    'a wrong decision fails naming the rule',
    '{name: a, request: POST /_ping, expect: allow}',
    ['expected allow, got deny by rule #3 (deny * /**)'],
  ],
  [
    'a wrong rule number fails',
    '{name: a, request: GET /_ping, expect: allow, rule: 2}',
    ['expected rule #2, decided by rule #1 (allow GET /_ping)'],
  ],
  [
    'a wrong rule path fails',
    '{name: a, request: GET /x, expect: deny, rule: /x}',
    ['expected the rule for "/x", decided by rule #3 (deny * /**)'],
  ],
  [
    'both failures are listed',
    '{name: a, request: GET /x, expect: allow, rule: 1}',
    ['expected allow, got deny by rule #3 (deny * /**)', 'expected rule #1, decided by rule #3 (deny * /**)'],
  ],
  ['a case profile selects its rules', '{name: a, request: POST /build, expect: allow, profile: ci}', []],
  [
    'no rule matched in a profile',
    '{name: a, request: GET /_ping, expect: deny, profile: ci, rule: 1}',
    ['expected rule #1, decided by no rule (default deny)'],
  ],
  [
    'an unknown profile fails the case',
    '{name: a, request: GET /, expect: deny, profile: nope}',
    ['no client profile named "nope" (known: ci)'],
  ],
];

for (const [name, yaml, failures] of CASES) {
  test(`runSuite: ${name}`, () => {
    const result = run(`- ${yaml}`);
    assert.deepEqual(result.results[0]?.failures, failures);
    assert.equal(result.passed, failures.length === 0 ? 1 : 0);
    assert.equal(result.failed, failures.length === 0 ? 0 : 1);
  });
}

test('a default profile applies to cases without their own', () => {
  const result = run(
    '- {name: a, request: POST /build, expect: allow}\n- {name: b, request: GET /_ping, expect: allow}',
    'ci',
  );
  assert.deepEqual(
    result.results.map((r) => r.failures.length),
    [0, 1],
  );
  assert.equal(result.results[0]?.report?.profile, 'ci');
});

test('an undecidable case has no report', () => {
  const result = run('- {name: a, request: GET /, expect: deny, profile: nope}');
  assert.equal(result.results[0]?.report, undefined);
});
