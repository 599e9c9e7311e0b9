import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileHaproxyRegex } from '../../src/emulators/haproxy-regex.js';

describe('HAProxy PCRE (byte mode) in JavaScript', () => {
  const section = compileHaproxyRegex(String.raw`^(/v[\d\.]+)?/containers`, true);

  const table = [
    { subject: '/containers/json', match: true, cite: '§1.4 plain' },
    { subject: '/v1.41/containers/json', match: true, cite: '§1.4 version prefix' },
    { subject: '/v99.99.99/containers', match: true, cite: '§1.4 /v99.99.99' },
    { subject: '/v1../containers', match: true, cite: '§1.4 even /v1..' },
    { subject: '/v/containers', match: false, cite: '§1.4 /v/containers denied' },
    { subject: '/api/v1.41/containers', match: false, cite: '§1.4 /api/... denied' },
    { subject: '/containersfoo', match: true, cite: '§1.4 prefix match, no end anchor' },
    { subject: '/v1.41/CONTAINERS/json', match: true, cite: '§1.4 case-insensitive (-i)' },
    { subject: '//containers', match: false, cite: '§0 no // cleaning' },
    { subject: '/./containers', match: false, cite: '§0 no dot-segment cleaning' },
    { subject: '/containerſ', match: false, cite: 'PCRE byte mode folds ASCII only: ſ is not s' },
    { subject: '/\u212Aontainers', match: false, cite: 'Kelvin sign is not k in byte mode' },
    { subject: '/v\u0661/containers', match: false, cite: '\\d is ASCII digits only' },
  ];
  for (const row of table) {
    it(`${row.cite}: ${JSON.stringify(row.subject)} ${row.match ? 'matches' : 'does not match'}`, () => {
      assert.equal(section.test(row.subject), row.match);
    });
  }

  it('§1.3 -i is the only flag: the regex is case-sensitive without it', () => {
    assert.equal(compileHaproxyRegex('^/info', false).test('/INFO'), false);
    assert.equal(compileHaproxyRegex('^/info', true).test('/INFO'), true);
  });

  it('PCRE `.` excludes only \\n (JS `.` also excludes \\r)', () => {
    const dot = compileHaproxyRegex('^/a.b', true);
    assert.equal(dot.test('/a\rb'), true);
    assert.equal(dot.test('/a\nb'), false);
  });

  it('PCRE `$` also matches before a final \\n', () => {
    const end = compileHaproxyRegex('^/a$', true);
    assert.equal(end.test('/a'), true);
    assert.equal(end.test('/a\n'), true);
    assert.equal(end.test('/a\nb'), false);
  });

  it('PCRE \\s is ASCII whitespace incl. \\v, not U+00A0 (a decoded %A0 byte)', () => {
    const space = compileHaproxyRegex(String.raw`^/a\sb`, true);
    assert.equal(space.test('/a\vb'), true);
    assert.equal(space.test('/a\u00a0b'), false);
  });

  it('the character class [a-zA-Z0-9_.-] keeps `-` and `.` literal', () => {
    const id = compileHaproxyRegex(String.raw`^/c/[a-zA-Z0-9_.-]+/start`, true);
    assert.equal(id.test('/c/my-app.1_x/start'), true);
    assert.equal(id.test('/c/a%2Fb/start'), false);
    assert.equal(id.test('/c/a/b/start'), false);
  });
});

describe('refused constructs', () => {
  const refused = [String.raw`^/a\b`, String.raw`^/a\w`, '^/a(?=b)', String.raw`^(a)\1`, '^[!-z]'];
  for (const source of refused) {
    it(`${source} is refused instead of guessed`, () => {
      assert.throws(() => compileHaproxyRegex(source, true), SyntaxError);
    });
  }
});
