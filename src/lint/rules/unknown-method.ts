/**
 * A method that is not one of the nine standard HTTP methods (`GETT`, `LIST`): sockguard accepts
 * any token and compares it literally, but no Docker client sends it, so it never matches.
 */
import { splitMethods, STANDARD_METHODS } from '../../policy/methods.js';
import { editDistance } from '../../policy/schema-dsl.js';
import { eachRule } from '../lint-context.js';
import { defineRule } from '../lint-rule.js';

const sortedLetters = (word: string): string => [...word].sort().join('');

/** The standard method a token is a typo of: one edit away, or its letters swapped (HAED). */
function meantMethod(token: string): string | undefined {
  const upper = token.toUpperCase();
  return STANDARD_METHODS.find((m) => {
    const distance = editDistance(upper, m);
    return distance <= 1 || (distance === 2 && sortedLetters(upper) === sortedLetters(m));
  });
}

export default defineRule({
  id: 'unknown-method',
  family: 'rule',
  severity: 'error',
  summary: 'Rule method is not a standard HTTP method',
  help: 'match.method takes GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE, a comma-separated list of them, or *. Any other word is compared literally and never matches a Docker API request, so the rule silently does nothing. Fix the spelling.',
  check: (context) =>
    eachRule(context).flatMap(({ scope, rule }) => {
      const tokens = splitMethods(rule.method);
      const unknown = tokens.filter((t) => t !== '*' && !STANDARD_METHODS.includes(t.toUpperCase()));
      return unknown.map((token) => {
        const meant = meantMethod(token);
        const fixed = meant ? tokens.map((t) => (t === token ? meant : t)).join(',') : undefined;
        return {
          message: `${context.label(scope, rule.index)}: method "${token}" is not an HTTP method the Docker API uses, so it never matches a request${meant ? `; did you mean "${meant}"?` : '; use GET, HEAD, POST, PUT, DELETE, a comma-separated list, or *'}`,
          pointer: `${rule.pointer}/match/method`,
          ...(fixed !== undefined ? { suggestion: fixed } : {}),
        };
      });
    }),
});
