/**
 * What it means when an earlier rule decides every request a later rule would match: the later
 * rule never applies. When an earlier allow hides a later deny, the deny the author wrote protects
 * nothing, which is an error; otherwise the later rule is dead weight (or a missed allow).
 */
import type { Severity } from '../policy/diagnostic.js';
import type { ScopedRule } from './lint-context.js';

export interface ShadowingOutcome {
  severity: Severity;
  /** Why it matters and what to do, as the end of a sentence. */
  consequence: string;
}

export function outcomeOfShadowing(earlier: ScopedRule, later: ScopedRule, earlierLabel: string): ShadowingOutcome {
  if (earlier.action === later.action) {
    return { severity: 'warning', consequence: 'the first match wins, so this rule never applies — delete it' };
  }
  if (earlier.action === 'allow') {
    return {
      severity: 'error',
      consequence: `the first match wins, so these requests are allowed and this deny never takes effect — move it above ${earlierLabel}`,
    };
  }
  return {
    severity: 'warning',
    consequence: `the first match wins, so these requests are denied and this allow never takes effect — move it above ${earlierLabel} if they should be allowed, or delete it`,
  };
}
