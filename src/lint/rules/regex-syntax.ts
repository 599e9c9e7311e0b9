/**
 * A rule path written as a regular expression (`^/containers/[^/]+/json$`): rule paths are globs
 * in which every character but `*` is literal, so the rule never matches a real request. The
 * suggestion comes from parsing the pattern as a regex (regex-to-glob.ts).
 */
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';
import { regexToGlobs } from '../regex-to-glob.js';
import { TEMPLATE_PLACEHOLDER } from './path-template.js';
import { queryStart } from './query-string.js';
import { withoutVersionPrefix } from './version-prefix.js';

/**
 * Regex tokens that never appear in a Docker API path. A lone `.` is an ordinary path character,
 * and `app.*` is a fine glob (a dot, then anything); `.*` opening a segment is a regex (no Docker
 * name starts with a dot).
 */
const REGEX_TOKEN = /(?<=^|\/)\.\*|[\^$()|[\]\\+?]|\{\d+(?:,\d*)?\}/g;

export function detectRegexSyntax(pattern: string): PatternProblem | undefined {
  // Placeholders and a query string have their own rules; judge what is left.
  const query = queryStart(pattern);
  const text = (query < 0 ? pattern : pattern.slice(0, query)).replace(TEMPLATE_PLACEHOLDER, '*');
  const tokens = [...new Set(text.match(REGEX_TOKEN) ?? [])];
  if (tokens.length === 0) return undefined;
  const problem = `path "${pattern}" uses regular-expression syntax (${tokens.join(' ')}); rule paths are globs in which these characters are literal, so this rule never matches a real request`;
  const globs = regexToGlobs(text)?.map((g) => withoutVersionPrefix(g) ?? g);
  if (!globs) return { message: `${problem}; rewrite it as a glob: * matches within one segment, ** across segments` };
  if (globs.length > 1) {
    return {
      message: `${problem}; a glob has no alternation: write one rule per path: ${globs.map((g) => `"${g}"`).join(', ')}`,
    };
  }
  const glob = globs[0]!;
  return {
    message: `${problem}; write "${glob}" (* matches within one segment, ** across segments)`,
    suggestion: glob,
  };
}

export default defineRule({
  id: 'regex-syntax',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path uses regular-expression syntax and never matches',
  help: 'Rule paths are globs, not regular expressions: ^ $ ( ) | [ ] \\ + ? and .* are matched literally, and no Docker API path contains them. Use * for "anything within one segment" and ** (or a trailing /**) for "anything, across segments"; write one rule per alternative instead of (a|b).',
  check: (context) => findPatternProblems(context, detectRegexSyntax),
});
