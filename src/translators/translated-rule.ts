/**
 * One rule of a translated policy together with where it came from: the comment `migrate` writes
 * above it (`# CONTAINERS=1`) and the origin key of the setting behind it (`env:CONTAINERS`), so
 * warnings about a rule can point at the compose line that caused it.
 */
import { NO_MATCHING_ALLOW_RULE } from '../policy/defaults.js';
import type { RuleDocument } from '../policy/schema.js';

export interface TranslatedRule {
  rule: RuleDocument & { match: { method: string; path: string }; action: 'allow' | 'deny' };
  /** Origin comment written above the rule. */
  comment: string;
  /** Origin key of the setting behind the rule (`env:CONTAINERS`, `image`); absent for the final deny. */
  origin?: string;
}

export function createAllow(method: string, path: string, comment: string, origin?: string): TranslatedRule {
  return { rule: { match: { method, path }, action: 'allow' }, comment, ...(origin === undefined ? {} : { origin }) };
}

export function createDeny(
  method: string,
  path: string,
  comment: string,
  options: { origin?: string; reason?: string } = {},
): TranslatedRule {
  return {
    rule: {
      match: { method, path },
      action: 'deny',
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    },
    comment,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  };
}

/** The closing `* /**` deny every translation ends with (Sockguard denies by default anyway; this says so). */
export function createFinalDeny(comment: string): TranslatedRule {
  return createDeny('*', '/**', comment, { reason: NO_MATCHING_ALLOW_RULE });
}
