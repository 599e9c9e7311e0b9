/** The five default rules of the Go project (`Defaults().Rules`, sockguard-config.md §3.3). */
import type { RuleDocument } from './schema.js';

export const NO_MATCHING_ALLOW_RULE = 'no matching allow rule';

export interface Rule {
  match: { method: string; path: string };
  action: 'allow' | 'deny';
  reason?: string;
}

export const DEFAULT_RULES: readonly Rule[] = Object.freeze([
  { match: { method: 'GET', path: '/_ping' }, action: 'allow' },
  { match: { method: 'HEAD', path: '/_ping' }, action: 'allow' },
  { match: { method: 'GET', path: '/version' }, action: 'allow' },
  { match: { method: 'GET', path: '/events' }, action: 'allow' },
  { match: { method: '*', path: '/**' }, action: 'deny', reason: NO_MATCHING_ALLOW_RULE },
]);

/** True when the rules are exactly the defaults (same strings, same order): the compat trigger. */
export function isDefaultRuleList(rules: readonly RuleDocument[]): boolean {
  return (
    rules.length === DEFAULT_RULES.length &&
    rules.every((rule, i) => {
      const d = DEFAULT_RULES[i]!;
      return (
        rule.match?.method === d.match.method &&
        rule.match?.path === d.match.path &&
        rule.action === d.action &&
        (rule.reason ?? '') === (d.reason ?? '')
      );
    })
  );
}
