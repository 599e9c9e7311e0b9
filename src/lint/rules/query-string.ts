/**
 * A rule path with a query string (`/containers/json?all=1`) never matches: only the path takes
 * part in matching, the query never does (sockguard-config.md §3.4, security-notes.md §3).
 */
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';

/** `?name`, `?name=value`, `?a=1&b=2`: a `?` followed by a parameter, not a regex quantifier. */
const QUERY = /\?[A-Za-z_][\w.-]*(?:=[^&]*)?(?:&|$)/;

/** Index of the `?` that starts a query string, or -1. */
export function queryStart(pattern: string): number {
  const match = QUERY.exec(pattern);
  return match ? match.index : -1;
}

export function detectQueryString(pattern: string): PatternProblem | undefined {
  const start = queryStart(pattern);
  if (start < 0) return undefined;
  const path = pattern.slice(0, start);
  return {
    message: `path "${pattern}" contains a query string; only the path takes part in matching, so this rule never matches; write "${path}" (rules cannot restrict query parameters)`,
    suggestion: path,
  };
}

export default defineRule({
  id: 'query-string',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path contains a query string and never matches',
  help: 'Sockguard matches rules against the normalized path only; the query string never takes part, so a pattern containing "?name=value" can never match. Write the path alone. Query parameters cannot be filtered by rules; request_body settings cover the dangerous ones where sockguard inspects them.',
  check: (context) => findPatternProblems(context, detectQueryString),
});
