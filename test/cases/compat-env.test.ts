import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePolicyWarnings, parseEnvAssignment } from '../../src/cases/compat-env.js';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { defaultPolicy, loadPolicy } from '../../src/policy/load.js';

const ASSIGNMENTS: [string, { name: string; value: string } | RegExp][] = [
  ['CONTAINERS=1', { name: 'CONTAINERS', value: '1' }],
  ['POST=', { name: 'POST', value: '' }],
  ['PING= 1', { name: 'PING', value: ' 1' }],
  ['A=b=c', { name: 'A', value: 'b=c' }],
  ['CONTAINERS', /expected KEY=VALUE/],
  ['=1', /expected KEY=VALUE/],
  ['1X=1', /expected KEY=VALUE/],
  ['A B=1', /expected KEY=VALUE/],
];

for (const [text, expected] of ASSIGNMENTS) {
  test(`parseEnvAssignment(${JSON.stringify(text)})`, () => {
    const result = parseEnvAssignment(text);
    if (expected instanceof RegExp) {
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.problem, expected);
    } else assert.deepEqual(result, { ok: true, ...expected });
  });
}

test('no warnings for the default policy without env', () => {
  assert.deepEqual(describePolicyWarnings(preparePolicy(defaultPolicy())), []);
});

test('a misspelt variable gets a did-you-mean', () => {
  const warnings = describePolicyWarnings(preparePolicy(defaultPolicy(), { env: { CONTAINER: '1' } }));
  assert.deepEqual(warnings, ['CONTAINER is not a compat variable and is ignored; did you mean CONTAINERS?']);
});

test('an unparseable value is reported as counting false', () => {
  const warnings = describePolicyWarnings(preparePolicy(defaultPolicy(), { env: { INFO: 'on' } }));
  assert.deepEqual(warnings, [
    'ignoring compat env var with unparseable boolean value: INFO="on" counts as false (use 1/true/yes or 0/false/no)',
  ]);
});

test('compat variables with non-default rules have no effect and say so', () => {
  const policy = loadPolicy('rules: [{match: {method: GET, path: /_ping}, action: allow}]').policy!;
  const warnings = describePolicyWarnings(preparePolicy(policy, { env: { INFO: '1' } }));
  assert.deepEqual(warnings, ['compat variables have no effect: the policy rules are not exactly the default rules']);
});

test('startup problems become "the proxy would refuse to start" warnings', () => {
  const warnings = describePolicyWarnings(preparePolicy(defaultPolicy(), { env: { CONTAINERS: '1', POST: '1' } }));
  assert.equal(warnings.length, 2);
  assert.match(
    warnings[0]!,
    /^the proxy would refuse to start: rules allow raw archive\/export.*GET \/containers\/sockguard-test\/archive/,
  );
  assert.match(
    warnings[1]!,
    /^the proxy would refuse to start: rules allow body-sensitive write endpoints.*POST \/containers\/sockguard-test\/exec/,
  );
});

test('GRPC or SESSION on: the automatic deprecated tunnel acknowledgement is named', () => {
  const warnings = describePolicyWarnings(preparePolicy(defaultPolicy(), { env: { SESSION: '1' } }));
  assert.deepEqual(warnings, [
    'GRPC or SESSION is on: compat sets the deprecated insecure_accept_opaque_buildkit_tunnels acknowledgement',
  ]);
});
