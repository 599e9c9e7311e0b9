import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileTemplate,
  globCovers,
  globLanguage,
  globMatchesTemplate,
  languageContains,
  languagesIntersect,
  templateLanguage,
} from '../../src/lint/glob-language.js';
import { compileGlob } from '../../src/policy/glob.js';

test('globCovers: containment by path language', () => {
  const cases: [outer: string, inner: string, covers: boolean][] = [
    ['/containers/**', '/containers/*/json', true],
    ['/containers/**', '/containers', true],
    ['/containers/**', '/containers/**', true],
    ['/containers/**', '/containersfoo', false],
    ['/containers/*', '/containers/*/json', false],
    ['/containers/*/json', '/containers/abc/json', true],
    ['/containers/*/json', '/containers/**', false],
    ['/**', '/anything/at/all', true],
    ['/**', '/*', true],
    ['/*', '/**', false],
    ['/containers**', '/containers/**', true],
    ['/containers/**', '/containers**', false],
    ['/a/**/b', '/a/*/b', true],
    ['/a/**/b', '/a/b', true],
    ['/a/*/b', '/a/**/b', false],
    ['/images/sha256:*', '/images/sha256:abc*', true],
    ['/images/sha256:abc*', '/images/sha256:*', false],
    ['/images/*', '/images/sha256:*', true],
    ['/x/*', '/x/**', false],
    ['/x/**', '/x/*/**', true],
    ['/*/json', '/containers/json', true],
    ['/*/json', '/containers/*/json', false],
    ['/**/json', '/containers/*/json', true],
    ['/**json', '/**/json', true],
    ['/**/json', '/**json', false],
    ['/a*', '/a', true],
    ['/a*b', '/ab', true],
    ['/a*b*', '/a*b', true],
    ['/a*b', '/a*b*', false],
  ];
  for (const [outer, inner, covers] of cases) {
    assert.equal(globCovers(outer, inner), covers, `${outer} covers ${inner}`);
    // The fast path for literal inners must agree with the automata.
    if (!inner.includes('*')) assert.equal(globCovers(outer, inner, compileGlob(outer).test), covers);
  }
});

/** Every string over `alphabet` up to `max` characters that starts with `/`. */
function pathsUpTo(alphabet: string, max: number): string[] {
  const out: string[] = [];
  const grow = (prefix: string): void => {
    out.push(prefix);
    if (prefix.length < max) for (const c of alphabet) grow(prefix + c);
  };
  grow('/');
  return out;
}

function patternsUpTo(max: number): string[] {
  return pathsUpTo('a/*', max);
}

test('globCovers and languagesIntersect agree with the glob matcher on every short path', () => {
  const paths = pathsUpTo('ab/', 7);
  const patterns = patternsUpTo(5);
  const matches = new Map(
    patterns.map((p) => {
      const glob = compileGlob(p);
      return [p, new Set(paths.filter((path) => glob.test(path)))];
    }),
  );
  for (const outer of patterns) {
    for (const inner of patterns) {
      const o = matches.get(outer)!;
      const i = matches.get(inner)!;
      const counterexample = [...i].find((path) => !o.has(path));
      // Sound: never "covers" when a path proves otherwise; complete for these short patterns.
      assert.equal(globCovers(outer, inner), counterexample === undefined, `${outer} covers ${inner}`);
      const test = compileGlob(outer).test;
      assert.equal(globCovers(outer, inner, test), counterexample === undefined, `${outer} covers ${inner} (sampled)`);
      const shared = [...i].some((path) => o.has(path));
      assert.equal(languagesIntersect(globLanguage(outer), globLanguage(inner)), shared, `${outer} meets ${inner}`);
    }
  }
});

test('templates: parameters are one segment unless the route lets them span segments', () => {
  const inspect = compileTemplate('/containers/{id}/json', false);
  const image = compileTemplate('/images/{name}/json', true);
  const cases: [glob: string, template: typeof inspect, matches: boolean][] = [
    ['/containers/*/json', inspect, true],
    ['/containers/my-app/json', inspect, true],
    ['/containers/**', inspect, true],
    ['/containers/json', inspect, false],
    ['/containers//json', inspect, false],
    ['/containers/a/b/json', inspect, false],
    ['/containers/*/jsn', inspect, false],
    ['/images/library/alpine/json', image, true],
    ['/images/*/*/json', image, true],
    ['/images/json', image, false],
  ];
  for (const [glob, template, expected] of cases) {
    assert.equal(globMatchesTemplate(glob, template), expected, glob);
    // The shortcuts (literal test, literal ends, sample paths) must agree with the automata.
    assert.equal(languagesIntersect(globLanguage(glob), template.language), expected, `${glob} (automata)`);
  }
});

test('languageContains works on templates too (catalog path inside a glob)', () => {
  assert.equal(languageContains(globLanguage('/containers/**'), templateLanguage('/containers/{id}/json', true)), true);
  assert.equal(
    languageContains(globLanguage('/containers/*/json'), templateLanguage('/containers/{id}/json', true)),
    false,
  );
  assert.equal(
    languageContains(globLanguage('/containers/*/json'), templateLanguage('/containers/{id}/json', false)),
    true,
  );
});
