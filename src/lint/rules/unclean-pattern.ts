/**
 * A rule path that path.Clean would change (trailing `/`, `//`, `.` or `..` segments) never
 * matches: request paths are cleaned before matching (sockguard-config.md §3.4).
 */
import { cleanPath } from '../../policy/canonical-path.js';
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';

export function detectUncleanPattern(pattern: string): PatternProblem | undefined {
  if (!pattern.startsWith('/') || pattern === '/') return undefined;
  const reasons = [
    pattern.endsWith('/') ? 'ends with "/"' : '',
    pattern.includes('//') ? 'contains "//"' : '',
    /\/\.\.?(?:\/|$)/.test(pattern) ? 'contains a "." or ".." segment' : '',
  ].filter((r) => r !== '');
  if (reasons.length === 0) return undefined;
  const fixed = cleanPath(pattern);
  return {
    message: `path "${pattern}" ${reasons.join(' and ')}; request paths are cleaned before matching, so they never do and this rule never matches; write "${fixed}"`,
    suggestion: fixed,
  };
}

export default defineRule({
  id: 'unclean-pattern',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path has a trailing "/", "//" or "."/".." segments and never matches',
  help: 'Sockguard cleans every request path before matching (like Go path.Clean): a trailing "/" is dropped, "//" collapses, "." and ".." segments are resolved. A pattern containing any of these can never match. Write the clean form, e.g. /containers/json instead of /containers/json/.',
  check: (context) => findPatternProblems(context, detectUncleanPattern),
});
