import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, evaluateRules, literalPrefixSegments } from '../../src/policy/evaluate.js';
import { compileGlob } from '../../src/policy/glob.js';
import { methodMatches, parseMethodSet } from '../../src/policy/methods.js';
import type { Rule } from '../../src/policy/defaults.js';

/** The specification: scan every rule in order, first match wins. */
function naiveFirstMatch(rules: readonly Rule[], method: string, path: string): number {
  return rules.findIndex(
    (r) => methodMatches(parseMethodSet(r.match.method), method.toUpperCase()) && compileGlob(r.match.path).test(path),
  );
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEGMENTS = ['containers', 'images', 'json', 'abc', 'a', 'start', 'v1.41', '', 'x:y'];
const PATTERN_SEGMENTS = [...SEGMENTS, '*', '**', 'a*', '*c', 'con*'];
const METHODS = ['GET', 'HEAD', 'POST', 'DELETE', 'GET,HEAD', '*', 'post, put', 'PROPFIND'];

test('the segment-trie index decides exactly like a naive first-match scan', () => {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  for (let round = 0; round < 200; round++) {
    const rules: Rule[] = Array.from({ length: 1 + Math.floor(next() * 25) }, () => {
      const depth = Math.floor(next() * 4);
      const segments = Array.from({ length: depth }, () => pick(PATTERN_SEGMENTS));
      const path = next() < 0.05 ? segments.join('/') || '*' : '/' + segments.join('/');
      return { match: { method: pick(METHODS), path }, action: next() < 0.5 ? 'allow' : 'deny' };
    });
    const compiled = compileRules(rules);
    for (let probe = 0; probe < 60; probe++) {
      const depth = Math.floor(next() * 5);
      const path = '/' + Array.from({ length: depth }, () => pick(SEGMENTS)).join('/');
      const method = pick(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PROPFIND', 'get']);
      const expected = naiveFirstMatch(rules, method, path);
      const actual = evaluateRules(compiled, method, path).matched?.index ?? -1;
      assert.equal(actual, expected, `${method} ${path} against ${JSON.stringify(rules)}`);
    }
  }
});

test('literal prefixes stop at the first wildcard segment', () => {
  assert.deepEqual(literalPrefixSegments('/containers/*/json'), ['containers']);
  assert.deepEqual(literalPrefixSegments('/containers/app/json'), ['containers', 'app', 'json']);
  assert.deepEqual(literalPrefixSegments('/containers/**'), ['containers']);
  assert.deepEqual(literalPrefixSegments('/con*/x'), []);
  assert.deepEqual(literalPrefixSegments('*/json'), []);
  assert.deepEqual(literalPrefixSegments('/'), ['']);
});
