import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileArgvGlob, MAX_ARGV_TOKEN_LENGTH } from '../../../src/policy/body/argv-glob.js';
import { globToRegexSource } from '../../../src/policy/glob.js';

const PATTERNS = [
  'ls',
  '-l',
  '/tmp/*',
  '/var/log/**',
  '**',
  '*',
  'a*b*c',
  '*.log',
  '/x/**/y',
  'a**b',
  '/**',
  'sh*',
  '',
  '/a/*/b',
];
const TOKENS = [
  '',
  'ls',
  '-l',
  '/tmp/x',
  '/tmp/a/b',
  '/tmp/',
  '/var/log',
  '/var/log/',
  '/var/log/a/b',
  'abc',
  'aXbYc',
  'a/b/c',
  'x.log',
  'a/x.log',
  '/x/y',
  '/x/a/b/y',
  '/xy',
  'ab',
  'a/b',
  '/',
  'sh',
  'shell',
  'bash',
];

test('argv globs mean exactly what the rules glob regex means', () => {
  for (const pattern of PATTERNS) {
    const regex = new RegExp(globToRegexSource(pattern), 's');
    const matches = compileArgvGlob(pattern);
    for (const token of TOKENS)
      assert.equal(matches(token), regex.test(token), `${JSON.stringify(pattern)} vs ${JSON.stringify(token)}`);
  }
});

test('hostile tokens cost linear time and over-long ones never match', () => {
  const matches = compileArgvGlob('*a*a*a*a*a*b');
  const started = performance.now();
  assert.equal(matches('a'.repeat(MAX_ARGV_TOKEN_LENGTH)), false);
  assert.ok(performance.now() - started < 2000);
  assert.equal(compileArgvGlob('**')('x'.repeat(MAX_ARGV_TOKEN_LENGTH + 1)), false);
  assert.equal(compileArgvGlob('**')('x'.repeat(MAX_ARGV_TOKEN_LENGTH)), true);
});
