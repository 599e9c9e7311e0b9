import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasPatternDefect } from '../../src/lint/pattern-defects.js';
import { detectMissingLeadingSlash } from '../../src/lint/rules/missing-leading-slash.js';
import { detectPathTemplate } from '../../src/lint/rules/path-template.js';
import { detectQueryString } from '../../src/lint/rules/query-string.js';
import { detectRegexSyntax } from '../../src/lint/rules/regex-syntax.js';
import { detectUncleanPattern } from '../../src/lint/rules/unclean-pattern.js';
import { detectVersionPrefix } from '../../src/lint/rules/version-prefix.js';

const DETECTORS = {
  'missing-leading-slash': detectMissingLeadingSlash,
  'version-prefix': detectVersionPrefix,
  'regex-syntax': detectRegexSyntax,
  'path-template': detectPathTemplate,
  'query-string': detectQueryString,
  'unclean-pattern': detectUncleanPattern,
};
type Defect = keyof typeof DETECTORS;

test('pattern defects: which detector fires, and the suggested rewrite', () => {
  const cases: [pattern: string, defects: Partial<Record<Defect, string | null>>][] = [
    // Well-formed globs, including ones that look a bit like the defects.
    ['/containers/json', {}],
    ['/volumes/create', {}],
    ['/version', {}],
    ['/v1.45', {}],
    ['/containers/app.*/json', {}],
    ['/images/sha256:*', {}],
    ['/moby.buildkit.v1.Control/Solve', {}],
    ['/', {}],
    ['/**', {}],
    // One defect each.
    ['containers/json', { 'missing-leading-slash': '/containers/json' }],
    ['**', { 'missing-leading-slash': '/**' }],
    ['/v1.45/containers/json', { 'version-prefix': '/containers/json' }],
    ['/v1/containers/json', { 'version-prefix': '/containers/json' }],
    ['/v5.0.0/libpod/info', { 'version-prefix': '/libpod/info' }],
    ['/v1.*/info', { 'version-prefix': '/info' }],
    ['/v*/containers/json', { 'version-prefix': '/containers/json' }],
    ['^/containers/json$', { 'regex-syntax': '/containers/json' }],
    ['/containers/.*', { 'regex-syntax': '/containers/**' }],
    ['/containers/json/?', { 'regex-syntax': '/containers/json' }],
    ['/(containers|images)/json', { 'regex-syntax': null }],
    ['/containers/{id}/json', { 'path-template': '/containers/*/json' }],
    ['/v{version}/info', { 'path-template': '/info' }],
    ['/containers/json?all=1', { 'query-string': '/containers/json' }],
    ['/containers/json?all', { 'query-string': '/containers/json' }],
    ['/containers/json/', { 'unclean-pattern': '/containers/json' }],
    ['/containers//json', { 'unclean-pattern': '/containers/json' }],
    ['/containers/./json', { 'unclean-pattern': '/containers/json' }],
    ['/containers/../images/json', { 'unclean-pattern': '/images/json' }],
    // Several at once: each detector speaks for itself.
    [
      '/v1.45/containers/{id}/json',
      { 'version-prefix': '/containers/{id}/json', 'path-template': '/containers/*/json' },
    ],
    [
      '/containers/{id:.*}/json?x=1',
      { 'path-template': '/containers/*/json?x=1', 'query-string': '/containers/{id:.*}/json' },
    ],
  ];
  for (const [pattern, expected] of cases) {
    for (const [name, detect] of Object.entries(DETECTORS) as [
      Defect,
      (p: string) => { suggestion?: string } | undefined,
    ][]) {
      const found = detect(pattern);
      const want = expected[name];
      if (want === undefined) assert.equal(found, undefined, `${name} must not fire on ${pattern}`);
      else {
        assert.ok(found, `${name} must fire on ${pattern}`);
        assert.equal(found.suggestion ?? null, want, `${name} suggestion for ${pattern}`);
      }
    }
    assert.equal(hasPatternDefect(pattern), Object.keys(expected).length > 0, `hasPatternDefect(${pattern})`);
  }
});
