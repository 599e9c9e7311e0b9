/**
 * Parity end to end: the Tecnativa emulator with CONTAINERS=1 against Sockguard's compat rules for
 * the same variables. The known differences (peers.md §1.4: prefix match, case-insensitive match,
 * `/v[\d.]+` prefixes, no dot-segment cleaning) must all be found, and nothing else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTecnativa } from '../../src/emulators/tecnativa.js';
import { parseTecnativaSettings } from '../../src/peers/tecnativa.js';
import { compatRulesFromEnv } from '../../src/policy/compat.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { buildCorpus } from '../../src/verify/corpus.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../../src/verify/explanations.js';
import { compareDecisions, newPolicyDecider, unexplained, type ExplainingWarning } from '../../src/verify/parity.js';

const env = { CONTAINERS: '1' };
const oldDecide = compileTecnativa(parseTecnativaSettings({ environment: env, imageTag: '0.4.1' }));
const newDecide = newPolicyDecider(compilePolicy(resolvePolicy({ rules: compatRulesFromEnv(env).rules })));
const corpus = buildCorpus();
const result = compareDecisions(corpus, oldDecide, newDecide);
const changeOf = (method: string, target: string) =>
  result.rows.find((r) => r.request.method === method && r.request.target === target)?.change;

test('every catalog request is decided identically; differences come from quirk probes only', () => {
  assert.ok(result.summary.tightened > 0);
  assert.deepEqual(
    result.rows.filter((r) => r.change !== 'identical' && r.request.family === 'catalog').map((r) => r.request),
    [],
  );
});

test('nothing is loosened', () => {
  assert.equal(result.summary.loosened, 0);
});

// [method, target, change]
const KNOWN: [string, string, string][] = [
  // Prefix match (no end anchor).
  ['GET', '/containersfoo', 'tightened'],
  ['HEAD', '/v1.41/containersfoo', 'tightened'],
  ['GET', '/versionfoo', 'tightened'],
  ['GET', '/events/x', 'tightened'],
  // HAProxy decodes once: `%252F` leaves `/containers%2Fjson`, still a prefix match.
  ['GET', '/containers%252Fjson', 'tightened'],
  // Case-insensitive match.
  ['GET', '/CONTAINERS/JSON', 'tightened'],
  ['HEAD', '/v1.45/Containers/json', 'tightened'],
  ['GET', '/V1.41/containers/json', 'tightened'],
  // `/v[\d.]+` admits prefixes Sockguard does not strip.
  ['GET', '/v1../containers/json', 'tightened'],
  ['GET', '/v1.41.0.1/containers/json', 'tightened'],
  // No dot-segment cleaning: the old proxy forwards what dockerd would resolve to /secrets.
  ['GET', '/containers/../secrets', 'tightened'],
  ['GET', '/containers/%2e%2e/secrets', 'tightened'],
  // The method gate comes first in both.
  ['POST', '/containersfoo', 'identical'],
  ['POST', '/containers/create', 'identical'],
  ['GET', '/containers/json/', 'identical'],
  ['GET', '/INFO', 'identical'],
];

for (const [method, target, change] of KNOWN) {
  test(`${method} ${target} is ${change}`, () => {
    assert.equal(changeOf(method, target), change);
  });
}

test('with the warnings a translator would attach, no difference is unexplained', () => {
  assert.equal(unexplained(result.rows).length, result.summary.tightened);
  const byQuirk = (code: string, ...kinds: string[]): ExplainingWarning => ({
    code,
    explains: (row) => row.change === 'tightened' && kinds.includes(row.request.quirk ?? ''),
  });
  const warnings = [
    NON_CANONICAL_TARGET_REJECTED,
    byQuirk('migrate/tecnativa/prefix-match', 'prefix-extension', 'encoded'),
    byQuirk('migrate/tecnativa/case-insensitive', 'case'),
    byQuirk('migrate/tecnativa/version-prefix', 'version-prefix'),
  ];
  const explained = compareDecisions(corpus, oldDecide, newDecide, warnings);
  assert.deepEqual(unexplained(explained.rows), []);
  const codes = new Set(explained.rows.flatMap((r) => r.explainedBy));
  assert.deepEqual([...codes].sort(), warnings.map((w) => w.code).sort());
});
