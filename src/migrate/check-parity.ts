/**
 * Parity of one migration: the old proxy's emulator and the new policy (through serve's own
 * canonicalisation and evaluator) over the request corpus, every difference explained by the
 * translation's warnings or by serve's strict canonicalisation. The corpus does not depend on the
 * migration: it is built once per process (sharedCorpus) and shared with the translators.
 */
import { EmulationUnavailableError, type Emulator } from '../emulators/types.js';
import type { CompiledPolicy } from '../policy/compile.js';
import { sharedCorpus } from '../verify/corpus.js';
import { NON_CANONICAL_TARGET_REJECTED } from '../verify/explanations.js';
import { compareDecisions, newPolicyDecider, type ExplainingWarning, type ParityResult } from '../verify/parity.js';

export type ParityOutcome = { kind: 'compared'; result: ParityResult } | { kind: 'unavailable'; reason: string };

/** The source-independent explanation every parity run uses besides the translation's warnings. */
export const SHARED_EXPLANATIONS: readonly ExplainingWarning[] = [NON_CANONICAL_TARGET_REJECTED];

export function checkParity(
  compileEmulator: () => Emulator,
  compiled: CompiledPolicy,
  warnings: readonly ExplainingWarning[],
): ParityOutcome {
  let emulator: Emulator;
  try {
    emulator = compileEmulator();
  } catch (error) {
    if (error instanceof EmulationUnavailableError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
  const result = compareDecisions(sharedCorpus(), emulator, newPolicyDecider(compiled), [
    ...warnings,
    ...SHARED_EXPLANATIONS,
  ]);
  return { kind: 'compared', result };
}
