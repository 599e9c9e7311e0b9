/**
 * A rule path that starts with an API version (`/v1.45/containers/json`) never matches: the proxy
 * strips one version prefix from the request path before matching (sockguard-config.md §3.1, §3.4;
 * the Go proxy only logs a warning). Version wildcards such as `/v1.*` are treated alike.
 */
import { defineRule } from '../lint-rule.js';
import { findPatternProblems, type PatternProblem } from '../pattern-findings.js';

const VERSION_SEGMENT = /^\/v(?:\d+(?:\.\d+){0,2}|[\d.]*\*[\d.*]*)(?=\/)/;

/** The pattern without its version segment, or undefined when it has none. */
export function withoutVersionPrefix(pattern: string): string | undefined {
  const match = VERSION_SEGMENT.exec(pattern);
  return match ? pattern.slice(match[0].length) : undefined;
}

export function detectVersionPrefix(pattern: string): PatternProblem | undefined {
  const stripped = withoutVersionPrefix(pattern);
  if (stripped === undefined) return undefined;
  const prefix = pattern.slice(0, pattern.length - stripped.length);
  return {
    message: `path "${pattern}" starts with the API version "${prefix}"; sockguard strips the version from the request path before matching (/v1.45/containers/json is matched as /containers/json), so this rule never matches; write "${stripped}"`,
    suggestion: stripped,
  };
}

export default defineRule({
  id: 'version-prefix',
  family: 'rule',
  severity: 'error',
  summary: 'Rule path starts with an API version prefix and never matches',
  help: 'Sockguard removes one /vX.Y prefix from every request path before the rules see it, so a pattern such as /v1.45/containers/json can never match. Write the path without the version: /containers/json matches every API version.',
  check: (context) => findPatternProblems(context, detectVersionPrefix),
});
