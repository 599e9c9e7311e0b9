import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCaseInput } from '../../src/cases/case-input.js';
import type { FullRequestInput } from '../../src/cases/explain-full-request.js';
import { loadSuite, type PolicyCase } from '../../src/cases/load-suite.js';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { runSuite } from '../../src/cases/run-suite.js';
import { loadPolicy } from '../../src/policy/load.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

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

/** Runs a suite against the issue-5 fixture policy with each case's input resolved. */
function runInspection(cases: string) {
  const loaded = loadPolicy(readFileSync(join(REPO_ROOT, 'fixtures/cases/inspection/policy.yaml'), 'utf8'));
  const inspected = preparePolicy(loaded.policy!);
  const { suite, diagnostics } = loadSuite(cases);
  assert.ok(suite, JSON.stringify(diagnostics));
  const read = (path: string) => readFileSync(join(REPO_ROOT, 'fixtures/cases/inspection', path));
  const inputs = new Map<PolicyCase, FullRequestInput>();
  for (const c of suite.cases) {
    if (!c.input) continue;
    const resolved = resolveCaseInput(c.input, read, c.profile);
    assert.ok(resolved.ok);
    inputs.set(c, resolved.value);
  }
  return runSuite(inspected, suite, { inputs });
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

test('cases with bodies and clients: the body inspector and the resolved profile decide', () => {
  const result = runInspection(
    [
      '- {name: privileged, request: POST /containers/create, expect: deny, body_file: privileged-create.json}',
      '- {name: allowed bind, request: POST /containers/create, expect: allow, body_file: bind-allowed-create.json}',
      '- name: root exec',
      '  request: POST /containers/web/exec',
      '  expect: deny',
      '  body: { Cmd: [/app/healthcheck], User: root }',
      '- {name: deployer, request: POST /containers/create, expect: allow, unix_peer: "1000:1000"}',
      '- {name: viewer, request: POST /containers/create, expect: deny, unix_peer: "1001:1001", rule: 2}',
      '- {name: wrong, request: POST /containers/create, expect: allow, body_file: bind-root-create.json}',
    ].join('\n'),
  );
  assert.deepEqual(
    result.results.map((r) => [r.case.name, r.failures]),
    [
      ['privileged', []],
      ['allowed bind', []],
      ['root exec', []],
      ['deployer', []],
      ['viewer', []],
      [
        'wrong',
        [
          'expected allow, got deny by the container-create body inspector: HostConfig.Binds[0] mounts host path "/"; it is not under request_body.container_create.allowed_bind_mounts',
        ],
      ],
    ],
  );
  assert.equal(result.results[3]?.report?.profileSelectedBy, 'unix_peer');
});

test('a case without input that reaches an inspector is inspected like sockguard test -r', () => {
  const result = runInspection(
    '- {name: pull, request: "POST /images/create?fromImage=evil.example/x&tag=1", expect: allow}',
  );
  assert.match(result.results[0]!.failures[0]!, /got deny by the image-pull body inspector: .*evil\.example/);
});

test('a client gate refusal is named in the failure', () => {
  const result = runInspection(
    '- {name: outsider, request: GET /_ping, expect: allow, client_ip: 192.0.2.1, listener: public}',
  );
  assert.deepEqual(result.results[0]?.failures, [
    'expected allow, got deny by listener_profile_not_allowed (client profile not allowed on this listener)',
  ]);
});
