import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../src/policy/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { BUILDKIT_TUNNEL_PROBES, READ_EXFILTRATION_PROBES } from '../../src/policy/probes.js';
import { hitsAnyProbe, NON_CANONICAL_TARGET_REJECTED } from '../../src/verify/explanations.js';
import type { MigrationWarning } from '../../src/translators/types.js';
import { compareDecisions, newPolicyDecider, type ParityRow } from '../../src/verify/parity.js';

const open = newPolicyDecider(
  compilePolicy(loadPolicy('rules: [{match: {method: "*", path: /**}, action: allow}]').policy!),
);
const closed = newPolicyDecider(
  compilePolicy(loadPolicy('rules: [{match: {method: "*", path: /**}, action: deny}]').policy!),
);

function rowFor(method: string, target: string, oldAllow: boolean, decide = closed): ParityRow {
  const rows = compareDecisions(
    [{ method, target, family: 'quirk' }],
    () => ({ allow: oldAllow, reason: 'old' }),
    decide,
  ).rows;
  return rows[0]!;
}

// Which requests count as an exfiltration probe: method must match, the id may be anything incl. `/`.
const PROBE_HITS: [string, string, boolean][] = [
  ['GET', '/v1.41/containers/web-1/logs', true],
  ['GET', '/containers/registry:5000/org/app:1.0/archive?path=/etc', true],
  ['get', '/containers/web-1/export', true],
  ['POST', '/v1.45/images/registry:5000/org/app:1.0/push', true],
  ['GET', '/images/get?names=a', true],
  ['GET', '/containers/web-1/attach/ws', true],
  ['HEAD', '/containers/web-1/archive', false],
  ['PUT', '/containers/web-1/archive', false],
  ['GET', '/containers/logs', false],
  ['GET', '/containers/web-1/logsfoo', false],
  ['GET', '/images/json', false],
  ['GET', '/containers/web-1/../web-1/logs', false],
];

for (const [method, target, expected] of PROBE_HITS) {
  test(`hitsAnyProbe(READ_EXFILTRATION_PROBES): ${method} ${target} -> ${expected}`, () => {
    assert.equal(hitsAnyProbe(rowFor(method, target, true), READ_EXFILTRATION_PROBES), expected);
  });
}

test('hitsAnyProbe works with any probe list', () => {
  assert.equal(hitsAnyProbe(rowFor('POST', '/session', true), BUILDKIT_TUNNEL_PROBES), true);
  assert.equal(hitsAnyProbe(rowFor('POST', '/session', true), READ_EXFILTRATION_PROBES), false);
});

test('the strict-canonicalisation warning explains exactly the tightened rows serve rejected', () => {
  const explainedBy = (method: string, target: string, oldAllow: boolean, decide = closed): readonly string[] =>
    compareDecisions([{ method, target, family: 'quirk' }], () => ({ allow: oldAllow, reason: 'old' }), decide, [
      NON_CANONICAL_TARGET_REJECTED,
    ]).rows[0]!.explainedBy;
  const code = [NON_CANONICAL_TARGET_REJECTED.code];
  assert.deepEqual(explainedBy('GET', '/containers/../secrets', true, open), code);
  assert.deepEqual(explainedBy('GET', '/v1.23/containers/json', true, open), code);
  // Tightened by a rule, not by canonicalisation.
  assert.deepEqual(explainedBy('GET', '/containers/json', true, closed), []);
  // Rejected, but the old proxy denied too: identical, nothing to explain.
  assert.deepEqual(explainedBy('GET', '/containers/../secrets', false, open), []);
  assert.match(NON_CANONICAL_TARGET_REJECTED.message, /400/);
});

test("a translator's MigrationWarning is an explaining warning as it stands", () => {
  const warning: MigrationWarning = {
    code: 'migrate/read-exfiltration-withheld',
    severity: 'warning',
    message: 'withheld',
    explains: (row) => row.change === 'tightened' && row.endpoint === 'ContainerLogs',
  };
  const result = compareDecisions(
    [{ method: 'GET', target: '/containers/web-1/logs', family: 'catalog', endpoint: 'ContainerLogs' }],
    () => ({ allow: true, reason: 'old' }),
    closed,
    [warning],
  );
  assert.deepEqual(result.rows[0]!.explainedBy, ['migrate/read-exfiltration-withheld']);
});
