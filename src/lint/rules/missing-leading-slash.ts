/**
 * A rule path without a leading `/` (sockguard-config.md §3.1): the Go proxy accepts it, but a
 * literal one never matches while its per-segment matcher ignores the missing `/`, so `*\/json`
 * matches /containers/json. The reference tells linters to reject such patterns.
 */
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';

export function detectMissingLeadingSlash(pattern: string): PatternProblem | undefined {
  // A leading `^` is a regular expression; regex-syntax reports those.
  if (pattern.startsWith('/') || pattern.startsWith('^')) return undefined;
  const fixed = `/${pattern}`;
  return {
    message: `path "${pattern}" does not start with "/"; request paths always do, and sockguard matches such a pattern inconsistently (a literal one never matches, while "*/json" matches /containers/json because one matcher ignores the missing "/"); write "${fixed}"`,
    suggestion: fixed,
  };
}

export default defineRule({
  id: 'missing-leading-slash',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path does not start with "/"',
  help: 'Normalized request paths always start with "/". Sockguard accepts patterns without it, but a literal one never matches and a wildcard one silently matches more than written, depending on the matcher chosen. Start every rule path with "/".',
  check: (context) => findPatternProblems(context, detectMissingLeadingSlash),
});
