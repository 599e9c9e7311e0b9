/**
 * Rules after a catch-all (`* /**`): the catch-all matches every request, so nothing below it is
 * ever evaluated. Each such rule is reported once, here rather than as shadowed.
 */
import { globCovers } from '../glob-language.js';
import type { ScopedRule } from '../lint-context.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { outcomeOfShadowing } from '../shadowing.js';

/** Any method, any path (`/**`, or a pattern such as `**` or `/**\/**` that matches every path). */
export function isCatchAll(rule: ScopedRule): boolean {
  if (!rule.methods.any) return false;
  if (rule.path === '/**' || rule.path === '**') return true;
  return rule.path.startsWith('/') && globCovers(rule.path, '/**');
}

export default defineRule({
  id: 'after-catch-all',
  family: 'rule',
  severity: 'warning',
  summary: 'Rule comes after a catch-all rule (* /**) and never applies',
  help: 'A rule with method * and path /** matches every request, and the first match wins, so rules below it are never evaluated. Keep the catch-all last (normally as the final "deny * /**") and move the other rules above it.',
  check: (context) =>
    context.scopes.flatMap((scope) => {
      const catchAll = scope.rules.find(isCatchAll);
      if (!catchAll) return [];
      const name = context.describe(scope, catchAll.index);
      return scope.rules
        .filter((rule) => rule.index > catchAll.index)
        .map((rule): LintFinding => {
          const outcome = outcomeOfShadowing(catchAll, rule, context.label(scope, catchAll.index));
          return {
            message: `${context.label(scope, rule.index)} comes after ${name}, which matches every request ("${catchAll.method} ${catchAll.path}"); ${outcome.consequence}`,
            pointer: `${rule.pointer}/match/path`,
            severity: outcome.severity,
          };
        });
    }),
});
