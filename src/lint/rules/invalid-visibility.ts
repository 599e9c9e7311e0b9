/**
 * `response.visible_resource_labels`, `name_patterns` and `image_patterns` entries (root and
 * `clients.profiles[].response`, sockguard-config.md §7) that serve cannot compile, or that compile to
 * something other than what they say. Errors: a selector without a key (`=prod`, ``) and an empty
 * pattern, which compileVisibility refuses. Warnings: a selector key with surrounding spaces (kept as
 * written, so it matches only a label named with those spaces), glob characters the Sockguard dialect
 * does not have (`?`, `[...]`, `{a,b}` match themselves, §3.6), a name pattern with a leading `/`
 * (names are compared without it), and an image pattern without a tag or wildcard (image RepoTags
 * always carry a tag, so `nginx` never matches an image).
 */
import { parseLabelSelector } from '../../policy/response/visibility.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { visibilityScopes, type VisibilityList } from '../response-scopes.js';

/** Characters other glob dialects give a meaning that Sockguard's matches literally. */
const FOREIGN_GLOB = /[?[\]{}]/;

function selectorProblem(text: string): Omit<LintFinding, 'pointer'> | undefined {
  const selector = parseLabelSelector(text);
  if (selector === undefined) {
    return {
      message: `is not a label selector: the key before "=" is empty; write key or key=value (e.g. com.example.team=web)`,
    };
  }
  if (selector.key !== selector.key.trim()) {
    return {
      severity: 'warning',
      message: `has spaces around the key ${JSON.stringify(selector.key)}: selectors are taken as written, so it requires a label whose key has those spaces; write ${JSON.stringify(`${selector.key.trim()}${selector.value !== undefined ? `=${selector.value}` : ''}`)}`,
    };
  }
  return undefined;
}

function patternProblem(list: VisibilityList, text: string): Omit<LintFinding, 'pointer'> | undefined {
  if (text === '') return { message: 'is an empty pattern, which serve refuses; remove it' };
  if (FOREIGN_GLOB.test(text)) {
    return {
      severity: 'warning',
      message: `uses ?, [...] or {...}, which Sockguard globs do not have: they match only themselves (only * and ** are wildcards)`,
    };
  }
  if (list === 'name_patterns' && text.startsWith('/')) {
    return {
      severity: 'warning',
      message: `starts with "/": names are compared without the leading slash docker reports (/web is the name web), so it never matches; write ${JSON.stringify(text.replace(/^\/+/, ''))}`,
    };
  }
  if (list === 'image_patterns' && !text.includes(':') && !text.endsWith('*')) {
    return {
      severity: 'warning',
      message: `has no tag or wildcard: an image's RepoTags always carry a tag (nginx:latest), so it matches only containers whose image was given exactly as ${JSON.stringify(text)}; write ${JSON.stringify(`${text}:*`)}`,
    };
  }
  return undefined;
}

export default defineRule({
  id: 'invalid-visibility',
  family: 'policy',
  severity: 'error',
  summary: 'Visibility selector or pattern that cannot work as written',
  help: 'response.visible_resource_labels takes Docker label selectors, key or key=value, ANDed; name_patterns and image_patterns take Sockguard globs (only * within a segment and ** across segments), OR within a list. A selector without a key or an empty pattern cannot be compiled, so serve cannot apply the visibility. Spaces around a selector key, glob syntax from other tools (?, [a-z], {a,b}), a name with its leading / and an image pattern without a tag silently match nothing. Containers are named without the leading slash (web), image names are the last part of a tag (app:1), image references the full tag (ghcr.io/acme/app:1).',
  check: (context) => {
    const findings: LintFinding[] = [];
    for (const scope of visibilityScopes(context)) {
      for (const [i, text] of scope.lists.visible_resource_labels) {
        const problem = selectorProblem(text);
        if (problem === undefined) continue;
        findings.push({
          ...problem,
          message: `${scope.key}.visible_resource_labels[${i}] ${JSON.stringify(text)} ${problem.message}`,
          pointer: `${scope.pointer}/visible_resource_labels/${i}`,
        });
      }
      for (const list of ['name_patterns', 'image_patterns'] as const) {
        for (const [i, text] of scope.lists[list]) {
          const problem = patternProblem(list, text);
          if (problem === undefined) continue;
          findings.push({
            ...problem,
            message: `${scope.key}.${list}[${i}] ${JSON.stringify(text)} ${problem.message}`,
            pointer: `${scope.pointer}/${list}/${i}`,
          });
        }
      }
    }
    return findings;
  },
});
