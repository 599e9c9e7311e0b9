/**
 * The same method set and path as an earlier rule of the same list: first match wins, so the later
 * rule never applies. A duplicate with the opposite action is an error when an earlier allow wins
 * over a later deny (the deny the author wrote protects nothing).
 */
import type { ScopedRule } from '../lint-context.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { outcomeOfShadowing } from '../shadowing.js';
import { isCatchAll } from './after-catch-all.js';

/** Rules with equal keys match exactly the same requests. */
export function duplicateKey(rule: ScopedRule): string {
  const methods = rule.methods.any ? '*' : [...new Set(rule.methods.names)].sort().join(',');
  return `${methods} ${rule.path}`;
}

export default defineRule({
  id: 'duplicate',
  family: 'rule',
  severity: 'warning',
  summary: 'Rule repeats an earlier rule (same methods and path)',
  help: 'Rules are evaluated top-down and the first match wins, so a second rule with the same methods and path never applies. Delete it; if the two disagree on the action, keep the one you mean and place it first.',
  check: (context) =>
    context.scopes.flatMap((scope) => {
      const first = new Map<string, ScopedRule>();
      const findings: LintFinding[] = [];
      for (const rule of scope.rules) {
        const key = duplicateKey(rule);
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, rule);
          // Rules after a catch-all are after-catch-all's to report.
          if (isCatchAll(rule)) break;
          continue;
        }
        const outcome = outcomeOfShadowing(earlier, rule, context.label(scope, earlier.index));
        findings.push({
          message: `${context.label(scope, rule.index)} repeats ${context.describe(scope, earlier.index)}: same methods and path ("${rule.method} ${rule.path}"); ${outcome.consequence}`,
          pointer: `${rule.pointer}/match/path`,
          severity: outcome.severity,
        });
      }
      return findings;
    }),
});
