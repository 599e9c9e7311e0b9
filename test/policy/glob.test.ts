import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, globToRegexSource } from '../../src/policy/glob.js';

// sockguard-config.md §3.6.
const TABLE: [string, string[], string[]][] = [
  ['/containers/json', ['/containers/json'], ['/containers/json2', '/containers']],
  ['/containers/*', ['/containers/json', '/containers/abc', '/containers/'], ['/containers/abc/start', '/containers']],
  ['/containers/*/start', ['/containers/abc/start'], ['/containers/a/b/start']],
  ['/containers/**', ['/containers', '/containers/json', '/containers/a/b/c'], ['/containersfoo']],
  ['/a/**/b', ['/a/b', '/a/x/y/b'], ['/a/xb']],
  ['/containers**', ['/containers', '/containersfoo', '/containers/x'], ['/container']],
  ['/images/sha256:*', ['/images/sha256:abc'], ['/images/sha256:abc/json']],
  ['/**', ['/', '/anything/at/all'], []],
  ['/Containers/json', ['/Containers/json'], ['/containers/json']],
  ['/a.b', ['/a.b'], ['/axb']],
  ['/a.b/*', ['/a.b/x'], ['/axb/x']],
  ['/x/a*b*', ['/x/ab', '/x/aXbY', '/x/abb'], ['/x/ba', '/x/a/b']],
  // Quirk of the Go per-segment matcher (lint rejects patterns without a leading /).
  ['*/json', ['/containers/json'], ['/a/b/json']],
  ['*', ['/anything'], ['/a/b']],
  ['containers/json', [], ['/containers/json']],
];

for (const [pattern, yes, no] of TABLE) {
  test(`glob ${pattern}`, () => {
    const glob = compileGlob(pattern);
    for (const p of yes) assert.equal(glob.test(p), true, `${pattern} should match ${p}`);
    for (const p of no) assert.equal(glob.test(p), false, `${pattern} should not match ${p}`);
  });
}

test('every matcher kind agrees with the regex translation', () => {
  const paths = [
    '/',
    '/containers',
    '/containers/json',
    '/containers/a/b',
    '/containersfoo',
    '/a/b',
    '/a/x/b',
    '/x/ab',
  ];
  for (const [pattern] of TABLE) {
    if (!pattern.startsWith('/')) continue;
    const regex = new RegExp(globToRegexSource(pattern));
    const glob = compileGlob(pattern);
    for (const p of paths) assert.equal(glob.test(p), regex.test(p), `${pattern} (${glob.kind}) vs regex on ${p}`);
  }
});

test('** does not match a newline in the regex fallback, as in Go RE2', () => {
  assert.equal(compileGlob('/a/**/b').test('/a/x\ny/b'), false);
  assert.equal(compileGlob('/a/**/b').test('/a/xy/b'), true);
});
