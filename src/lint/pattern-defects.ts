/**
 * True when a rule path has any shape problem that stops it from ever matching as intended. Rules
 * that reason about what a path matches (shadowing, the endpoint catalog) skip such paths: the
 * shape rule already reports them, and a second finding about the same typo would only be noise.
 */
import { detectMissingLeadingSlash } from './rules/missing-leading-slash.js';
import { detectPathTemplate } from './rules/path-template.js';
import { detectQueryString } from './rules/query-string.js';
import { detectRegexSyntax } from './rules/regex-syntax.js';
import { detectUncleanPattern } from './rules/unclean-pattern.js';
import { detectVersionPrefix } from './rules/version-prefix.js';

const DETECTORS = [
  detectMissingLeadingSlash,
  detectVersionPrefix,
  detectRegexSyntax,
  detectPathTemplate,
  detectQueryString,
  detectUncleanPattern,
];

export function hasPatternDefect(pattern: string): boolean {
  return !pattern.startsWith('/') || DETECTORS.some((detect) => detect(pattern) !== undefined);
}
