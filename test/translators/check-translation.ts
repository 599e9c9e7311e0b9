/**
 * What every translation must satisfy, for the wollomatic and CetusGuard translator tests: the
 * policy starts (no startup problem), its YAML passes lint without errors, and every parity
 * difference against the old proxy's emulator is announced by a warning (the migrate command adds
 * the source-independent NON_CANONICAL_TARGET_REJECTED itself, so it is added here too).
 */
import assert from 'node:assert/strict';
import type { Emulator } from '../../src/emulators/types.js';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { stringifyPolicy } from '../../src/policy/stringify.js';
import type { Translation } from '../../src/translators/types.js';
import { buildCorpus } from '../../src/verify/corpus.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../../src/verify/explanations.js';
import { compareDecisions, newPolicyDecider, unexplained, type ParityResult } from '../../src/verify/parity.js';

const corpus = buildCorpus();

export function renderPolicy(translation: Translation): string {
  return stringifyPolicy(translation.policy, { ruleComments: translation.ruleOrigins });
}

/** Runs parity with the translation's warnings (or `warnings`, to prove one is needed). */
export function compareWithOld(
  translation: Translation,
  emulator: Emulator,
  warnings: Translation['warnings'] = translation.warnings,
): ParityResult {
  const compiled = compilePolicy(resolvePolicy(translation.policy));
  return compareDecisions(corpus, emulator, newPolicyDecider(compiled), [...warnings, NON_CANONICAL_TARGET_REJECTED]);
}

/** Asserts the three invariants and returns the parity result. */
export function checkTranslation(translation: Translation, emulator: Emulator): ParityResult {
  const compiled = compilePolicy(resolvePolicy(translation.policy));
  assert.deepEqual(
    compiled.startupProblems.map((p) => p.message),
    [],
    'the translated policy must start',
  );
  const errors = lintPolicyText(renderPolicy(translation)).filter((d) => d.severity === 'error');
  assert.deepEqual(
    errors.map((d) => `${d.code}: ${d.message}`),
    [],
    'the translated policy must lint without errors',
  );
  assert.equal(translation.ruleOrigins.length, translation.policy.rules?.length, 'one origin comment per rule');
  const parity = compareWithOld(translation, emulator);
  const left = unexplained(parity.rows).map(
    (r) => `${r.change} ${r.request.method} ${r.request.target} (${r.old.reason} | ${r.new.reason})`,
  );
  assert.deepEqual(left.slice(0, 10), [], `${left.length} unexplained parity differences`);
  return parity;
}

/** `allow GET /containers/json`, one per rule, for compact assertions. */
export const describeRules = (translation: Translation): string[] =>
  (translation.policy.rules ?? []).map((r) => `${r.action} ${r.match?.method} ${r.match?.path}`);

/** The allow rules only. */
export const allowsOf = (translation: Translation): string[] =>
  describeRules(translation)
    .filter((r) => r.startsWith('allow '))
    .map((r) => r.slice('allow '.length));

export const codesOf = (translation: Translation): string[] => translation.warnings.map((w) => w.code);
