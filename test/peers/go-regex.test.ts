// Go RE2 semantics reproduced in JavaScript (peers.md §3.3 "Go RE2; compiled as ^ + value + $",
// §5.3 "compiled as ^ + pattern + $"; Go regexp/syntax for the details).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegex, translateGoRegex } from '../../src/peers/go-regex.js';

function matcher(expr: string): (s: string) => boolean {
  const c = compileGoRegex(expr);
  assert.ok(c.ok, `${expr}: ${JSON.stringify(c)}`);
  return (s) => c.regex.test(s);
}

describe('Go regex semantics in JavaScript', () => {
  const cases: [string, string[], string[]][] = [
    // `.` excludes only \n in Go (JavaScript's also excludes \r, U+2028, U+2029).
    ['^a.b$', ['a\rb', 'a\u2028b', 'axb'], ['a\nb']],
    ['^(?s)a.b$', ['a\nb'], []],
    // \s is ASCII [\t\n\f\r ] (no \v, no NBSP), \d and \w are ASCII.
    ['^\\s$', [' ', '\t', '\n', '\f', '\r'], ['\v', '\u00a0', '\u2003']],
    ['^\\S$', ['\v', '\u00a0'], [' ']],
    ['^\\d$', ['7'], ['٣']],
    ['^\\w$', ['_', 'z'], ['é', 'ſ']],
    // POSIX and Unicode classes.
    ['^[[:alpha:]]+$', ['abcXYZ'], ['ab1', 'é']],
    ['^[[:^digit:]]$', ['a', '\n'], ['5']],
    ['^\\pL+$', ['héllo', 'Ωmega'], ['h3llo']],
    ['^\\p{Greek}+$', ['Ωω'], ['O']],
    ['^\\PL$', ['1'], ['a']],
    ['^\\pC$', ['\u0000', '\u200b'], ['a', '\u0378']], // Go's C has no Cn (unassigned U+0378)
    // \z and \A are text anchors; $ does not match before a final \n.
    ['^a\\z', ['a'], ['a\n']],
    ['^a$', ['a'], ['a\n']],
    ['(?m)^b$', ['a\nb\nc', 'b'], ['a\rb']],
    // Case folding with (?i) applies to the whole expression.
    ['^(?i)containers/json$', ['CONTAINERS/JSON', 'Containers/Json'], ['containers/jsonx']],
    ['^(?i)k$', ['K', 'k', '\u212a'], []],
    ['^(?i)[^\\W]$', ['ſ', 's'], ['-']],
    // Go's literal `{`: an unparseable repeat is text.
    ['^a{,2}$', ['a{,2}'], ['aa']],
    ['^a{01}$', ['a{01}'], ['a']],
    ['^a{2,}$', ['aa', 'aaaa'], ['a']],
    // \Q…\E quotes, octal and hex escapes.
    ['^\\Q/v1.41\\E$', ['/v1.41'], ['/v1x41']],
    ['^\\x41\\101\\x{42}$', ['AAB'], []],
    // A value ending in a backslash escapes the proxy's own `$`.
    ['^/foo\\$', ['/foo$'], ['/foo']],
    // Non-greedy and (?U) do not change whether a match exists.
    ['^(?U)a+b$', ['aab'], ['b']],
    ['^a+?b$', ['aab'], []],
    // Empty-width assertions can be repeated in Go.
    ['^*a$', ['a'], []],
    // Half-anchored alternation (peers.md §3.3 Dozzle example).
    [
      '^/v1\\..{2}/(containers/.*|events)|/_ping$',
      ['/v1.41/events', '/v1.41/eventsXYZ', '/anything/_ping'],
      ['/_pingx', '/events'],
    ],
  ];
  for (const [expr, yes, no] of cases) {
    it(expr, () => {
      const m = matcher(expr);
      for (const s of yes) assert.ok(m(s), `${expr} should match ${JSON.stringify(s)}`);
      for (const s of no) assert.ok(!m(s), `${expr} should not match ${JSON.stringify(s)}`);
    });
  }
});

describe('Go regex errors (regexp/syntax messages)', () => {
  const errors: [string, string][] = [
    ['a**', 'error parsing regexp: invalid nested repetition operator: `**`'],
    ['a{2}{3}', 'error parsing regexp: invalid nested repetition operator: `{2}{3}`'],
    ['*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['a|*', 'error parsing regexp: missing argument to repetition operator: `*`'],
    ['(a', 'error parsing regexp: missing closing ): `(a`'],
    ['a)', 'error parsing regexp: unexpected ): `a)`'],
    ['[a', 'error parsing regexp: missing closing ]: `[a`'],
    ['[z-a]', 'error parsing regexp: invalid character class range: `z-a`'],
    ['[[:foo:]]', 'error parsing regexp: invalid character class range: `[:foo:]`'],
    ['\\p{Latn}', 'error parsing regexp: invalid character class range: `\\p{Latn}`'],
    ['\\8', 'error parsing regexp: invalid escape sequence: `\\8`'],
    ['\\1', 'error parsing regexp: invalid escape sequence: `\\1`'],
    ['\\C', 'error parsing regexp: invalid escape sequence: `\\C`'],
    ['a\\', 'error parsing regexp: trailing backslash at end of expression: ``'],
    ['x{1001}', 'error parsing regexp: invalid repeat count: `{1001}`'],
    ['(a{100}){20}', 'error parsing regexp: invalid repeat count: `{20}`'],
    ['(?<=a)b', 'error parsing regexp: invalid named capture: `(?<=a)b`'],
    ['(?z)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?z`'],
    ['(?i-)a', 'error parsing regexp: invalid or unsupported Perl syntax: `(?i-)`'],
  ];
  for (const [expr, message] of errors) {
    it(expr, () => {
      const t = translateGoRegex(expr);
      assert.ok(!t.ok && !t.unsupported, JSON.stringify(t));
      assert.equal(t.message, message);
    });
  }
  it('accepts Go-only syntax JavaScript spells differently', () => {
    for (const expr of ['(?P<name>a)', '(?<name>a)', '[]a]', '\\pN', '(?i:a)(?i)b', '(?s:.)', '[\\d\\-.]', 'a{0}']) {
      assert.ok(translateGoRegex(expr).ok, expr);
    }
  });
  it('refuses what JavaScript cannot express identically', () => {
    for (const expr of ['a(?i)b', '(?i:a)b', '(?i)\\bx']) {
      const t = translateGoRegex(expr);
      assert.ok(!t.ok && t.unsupported, `${expr}: ${JSON.stringify(t)}`);
    }
  });
});
