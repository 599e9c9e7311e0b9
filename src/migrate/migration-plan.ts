/**
 * The result of migrating one old proxy: everything the report, `--json`, `--out` and `--write`
 * need, computed without touching the file system.
 */
import type { Diagnostic } from '../policy/diagnostic.js';
import type { PolicyDocument } from '../policy/schema.js';
import type { Translation, TranslationChoice } from '../translators/types.js';
import type { ParityOutcome } from './check-parity.js';
import type { LocatedWarning } from './located-warning.js';
import type { SourceDetection } from './peer-input.js';
import type { SourceRelease } from './source-registry.js';

/**
 * One compose file before and after this plan's rewrite (only files it changes are listed). With
 * several proxies in a project, a plan's `before` is the previous plan's `after`.
 */
export interface ComposeChange {
  file: string;
  before: string;
  after: string;
}

export interface MigrationPlan {
  /** The compose service, or the source name for `--from` input. */
  name: string;
  detection: SourceDetection;
  release: SourceRelease;
  /** Where the policy is meant to live on the host (`--out`, or `sockguard.yaml` beside the compose file). */
  policyPath: string;
  /** The policy as written to `policyPath`. */
  policy: PolicyDocument;
  policyText: string;
  /** Ambiguous intent and the answer applied to each (the safe default unless answered). */
  choices: readonly { choice: TranslationChoice; applied: string }[];
  /** Translator and deployment warnings, placed where the user wrote what they are about; sorted. */
  warnings: readonly LocatedWarning[];
  /** Lint findings on the generated policy (never errors: those stop the migration). */
  lint: readonly Diagnostic[];
  parity: ParityOutcome;
  /** The compose rewrite, empty for non-compose input. */
  composeChanges: readonly ComposeChange[];
  translation: Translation;
}
