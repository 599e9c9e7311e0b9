/**
 * What every translation test checks besides its own expectations: the policy as YAML (golden file
 * `fixtures/translations/<name>.policy.yaml`), that Sockguard starts with it (no startup-probe
 * problem), that lint finds no error, and parity with the old proxy's emulator over the shared
 * corpus with every difference explained by a warning.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';

import type { Emulator } from '../../src/emulators/types.js';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { loadPolicy, resolvePolicy } from '../../src/policy/load.js';
import { stringifyPolicy } from '../../src/policy/stringify.js';
import type { Translation } from '../../src/translators/types.js';
import { buildCorpus, type CorpusRequest } from '../../src/verify/corpus.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../../src/verify/explanations.js';
import { compareDecisions, newPolicyDecider, unexplained, type ParityResult } from '../../src/verify/parity.js';
import { assertGolden } from '../helpers/golden.js';

const GOLDEN_DIR = join(import.meta.dirname, '../../fixtures/translations');

let corpus: readonly CorpusRequest[] | undefined;

const QUIRK_CODES = [
  'migrate/prefix-match-quirk',
  'migrate/case-insensitive-quirk',
  'migrate/haproxy/non-endpoint-paths-dropped',
  'migrate/elevennotes/substring-match-quirk',
];

export function writePolicy(translation: Translation): string {
  return stringifyPolicy(translation.policy, { ruleComments: translation.ruleOrigins });
}

/** `allow GET,HEAD /containers/**` per rule, for compact expectations. */
export function listRules(translation: Translation): string[] {
  return (translation.policy.rules ?? []).map((r) => `${r.action} ${r.match?.method} ${r.match?.path}`);
}

/** `[code, origin]` per warning. */
export function listWarnings(translation: Translation): [string, string | undefined][] {
  return translation.warnings.map((w) => [w.code, w.origin]);
}

export function assertPolicyGolden(name: string, translation: Translation): void {
  assertGolden(join(GOLDEN_DIR, `${name}.policy.yaml`), writePolicy(translation));
}

export function assertStartsAndLints(translation: Translation): void {
  assert.equal(translation.ruleOrigins.length, translation.policy.rules?.length);
  const loaded = loadPolicy(writePolicy(translation));
  assert.deepEqual(loaded.document, translation.policy, 'the YAML reads back as the same policy');
  const problems = compilePolicy(resolvePolicy(translation.policy)).startupProblems;
  assert.deepEqual(
    problems.map((p) => p.message),
    [],
  );
  const errors = lintPolicyText(writePolicy(translation)).filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => `${d.code}: ${d.message}`),
    [],
  );
}

/** Parity over the shared corpus; fails listing the first unexplained rows. */
export function assertParity(emulator: Emulator, translation: Translation): ParityResult {
  corpus ??= buildCorpus();
  const result = compareDecisions(
    corpus,
    emulator,
    newPolicyDecider(compilePolicy(resolvePolicy(translation.policy))),
    [NON_CANONICAL_TARGET_REJECTED, ...translation.warnings],
  );
  const rows = unexplained(result.rows)
    .slice(0, 10)
    .map((r) => `${r.change} ${r.request.method} ${r.request.target} (old: ${r.old.reason}; new: ${r.new.reason})`);
  assert.deepEqual(rows, []);
  // Matching quirks only ever excuse requests for paths no endpoint has, never a catalog request.
  const excused = result.rows
    .filter((r) => r.request.family === 'catalog' && r.explainedBy.some((code) => QUIRK_CODES.includes(code)))
    .slice(0, 10)
    .map((r) => `${r.change} ${r.request.method} ${r.request.target}: ${r.explainedBy.join(', ')}`);
  assert.deepEqual(excused, []);
  return result;
}

/** Codes that explained at least one row. */
export function listExplainingCodes(result: ParityResult): string[] {
  return [...new Set(result.rows.flatMap((r) => r.explainedBy))].sort();
}
