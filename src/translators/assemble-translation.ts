/**
 * The last step every translator shares: withhold (or keep, as chosen) the sensitive endpoints the
 * translated rules expose, add the exposure warnings, and put the policy together with one origin
 * comment per rule.
 *
 *   return assembleTranslation('tecnativa', { rules, settings: { listen, upstream }, warnings, choices, applied }, options);
 */
import type { PolicyDocument } from '../policy/schema.js';
import { warnAboutExposures } from './exposure-warnings.js';
import type { TranslatedRule } from './translated-rule.js';
import type { MigrationWarning, SourceKind, TranslateOptions, Translation, TranslationChoice } from './types.js';
import { withholdSensitiveEndpoints } from './withhold-sensitive.js';

export interface TranslationParts {
  /** The translated rules, ending with the final deny. */
  rules: readonly TranslatedRule[];
  /** Every other policy setting (listen, upstream, log, clients, request_body, ...). */
  settings: Omit<PolicyDocument, 'rules'>;
  warnings: readonly MigrationWarning[];
  choices: readonly TranslationChoice[];
  applied: Readonly<Record<string, string>>;
}

export function assembleTranslation(
  source: SourceKind,
  parts: TranslationParts,
  options: TranslateOptions,
): Translation {
  const sensitive = withholdSensitiveEndpoints(parts.rules, options);
  return {
    source,
    policy: { ...parts.settings, ...sensitive.acknowledgements, rules: sensitive.rules.map((r) => r.rule) },
    ruleOrigins: sensitive.rules.map((r) => r.comment),
    warnings: [...parts.warnings, ...sensitive.warnings, ...warnAboutExposures(sensitive.rules)],
    choices: [...parts.choices, ...sensitive.choices],
    applied: { ...parts.applied, ...sensitive.applied },
  };
}
