/**
 * A rule path copied from the API reference with its placeholders (`/containers/{id}/json`): braces
 * are literal in a glob, so the rule never matches a real request.
 */
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';
import { withoutVersionPrefix } from './version-prefix.js';

/** `{id}`, `{name:.*}` (the daemon's route syntax). Regex quantifiers like `{2}` do not qualify. */
export const TEMPLATE_PLACEHOLDER = /\{[A-Za-z_][\w-]*(?::[^}]*)?\}/g;

export function detectPathTemplate(pattern: string): PatternProblem | undefined {
  const placeholders = pattern.match(TEMPLATE_PLACEHOLDER);
  if (!placeholders) return undefined;
  const globbed = pattern.replace(TEMPLATE_PLACEHOLDER, '*');
  const fixed = withoutVersionPrefix(globbed) ?? globbed;
  const names = [...new Set(placeholders)].map((p) => `"${p}"`).join(', ');
  return {
    message: `path "${pattern}" contains the placeholder ${names} from the API reference; braces are literal in a glob, so this rule never matches a real request; write "${fixed}" (* matches one path segment)`,
    suggestion: fixed,
  };
}

export default defineRule({
  id: 'path-template',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path contains an API reference placeholder such as {id}',
  help: 'Rule paths are globs: "{id}" is matched literally and no request contains it. Replace each placeholder with "*", which matches exactly one path segment: /containers/*/json.',
  check: (context) => findPatternProblems(context, detectPathTemplate),
});
