/**
 * Go RE2 (`regexp.Compile`, syntax.Perl flags) to an equivalent JavaScript RegExp source.
 *
 * wollomatic and CetusGuard compile their patterns with Go's regexp (peers.md §3.3, §5.3); to decide
 * and to translate the way they do we need the same language in JavaScript. This module follows
 * Go's regexp/syntax parser step by step, so it rejects exactly what Go rejects (with Go's error text)
 * and emits JavaScript that matches exactly what Go matches:
 * - `.` is `[^\n]` (Go's dot excludes only `\n`; JavaScript's also excludes `\r`, U+2028, U+2029);
 * - `\d \s \w` and POSIX classes are ASCII, as in Go (`\s` is `[\t\n\f\r ]`, JavaScript's is Unicode);
 * - `^ $` are text anchors unless `(?m)`, where they become lookarounds on `\n` only;
 * - `(?i)` becomes the `i` flag (with `u`, JavaScript's simple case folding equals Go's fold orbits),
 *   which is only possible when case-insensitivity covers every case-sensitive atom;
 * - `\Q…\E`, `\x{…}`, octal escapes, `[[:alpha:]]`, `\pL`, `\p{Greek}`, `(?P<name>…)`, `(?U)`, and
 *   Go's literal `{` (an unparseable repeat) are spelled out.
 * Constructs JavaScript cannot express identically are refused with `unsupported: true`.
 */

export type GoRegexResult =
  | { ok: true; source: string; flags: 'u' | 'iu' }
  | { ok: false; unsupported: false; code: string; expr: string; message: string }
  | { ok: false; unsupported: true; message: string };

/** Go's regexp/syntax error codes (the text Go prints). */
const ERR = {
  charRange: 'invalid character class range',
  escape: 'invalid escape sequence',
  namedCapture: 'invalid named capture',
  perlOp: 'invalid or unsupported Perl syntax',
  repeatOp: 'invalid nested repetition operator',
  repeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  unexpectedParen: 'unexpected )',
} as const;

class GoSyntaxError extends Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
  }
}

class UnsupportedError extends Error {}

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
  ungreedy: boolean;
}

/** Nested `{n,m}` repeats below an atom, for Go's repeatIsValid (at most 1000 copies in total). */
interface RepeatNode {
  count: number;
  children: RepeatNode[];
}

interface Atom {
  js: string;
  repeats: RepeatNode[];
}

interface Frame {
  /** Flags in force when the group opened, restored at `)`. */
  saved: Flags;
  alternatives: string[];
  current: Atom[];
  repeats: RepeatNode[];
  root: boolean;
}

/** Go's unicode.Categories names. */
const GO_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

type Range = [number, number];

/** POSIX classes (ASCII, regexp/syntax perl_groups.go). */
const POSIX: Record<string, Range[]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

/** Perl classes (ASCII in Go): \d \s \w. */
const PERL: Record<string, Range[]> = {
  d: POSIX.digit!,
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: POSIX.word!,
};

const MAX_RUNE = 0x10ffff;
/** Characters a u-mode RegExp needs escaped outside a class, and inside one. */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const JS_CLASS_SYNTAX = new Set('\\]-^[');

/** Translates one Go regular expression; never throws. */
export function translateGoRegex(expr: string): GoRegexResult {
  try {
    return new Translator(expr).run();
  } catch (e) {
    if (e instanceof GoSyntaxError) {
      return { ok: false, unsupported: false, code: e.code, expr: e.expr, message: e.message };
    }
    if (e instanceof UnsupportedError) return { ok: false, unsupported: true, message: e.message };
    throw e;
  }
}

/** Compiles a Go expression to a JavaScript RegExp, or returns the failure. */
export function compileGoRegex(expr: string): { ok: true; regex: RegExp } | Exclude<GoRegexResult, { ok: true }> {
  const t = translateGoRegex(expr);
  if (!t.ok) return t;
  return { ok: true, regex: new RegExp(t.source, t.flags) };
}

function hex(cp: number): string {
  return cp.toString(16);
}

/** A literal code point spelled safely for a u-mode RegExp, inside or outside a class. */
function literal(cp: number, inClass = false): string {
  const ch = String.fromCodePoint(cp);
  if ((inClass ? JS_CLASS_SYNTAX : JS_SYNTAX).has(ch)) return '\\' + ch;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0xffff) {
    return `\\u{${hex(cp)}}`;
  }
  return ch;
}

function rangesToClassBody(ranges: readonly Range[]): string {
  return ranges
    .map(([lo, hi]) => (lo === hi ? literal(lo, true) : `${literal(lo, true)}-${literal(hi, true)}`))
    .join('');
}

function sortMerge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sortMerge(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

/**
 * Adds the case-fold orbit of ASCII letters: the other ASCII case, plus U+017F (ſ) for s and U+212A
 * (Kelvin sign) for k, the only non-ASCII code points whose simple fold orbit meets ASCII.
 */
function foldAscii(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  const has = (cp: number): boolean => ranges.some(([lo, hi]) => lo <= cp && cp <= hi);
  for (let cp = 0x41; cp <= 0x5a; cp++) {
    if (has(cp) || has(cp + 32)) out.push([cp, cp], [cp + 32, cp + 32]);
  }
  if (has(0x53) || has(0x73) || has(0x17f)) out.push([0x53, 0x53], [0x73, 0x73], [0x17f, 0x17f]);
  if (has(0x4b) || has(0x6b) || has(0x212a)) out.push([0x4b, 0x4b], [0x6b, 0x6b], [0x212a, 0x212a]);
  return sortMerge(out);
}

function isCaseVariant(cp: number): boolean {
  const ch = String.fromCodePoint(cp);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch;
}

function rangesHaveCaseVariant(ranges: readonly Range[]): boolean {
  return ranges.some(([lo, hi]) => {
    if (hi >= 0x80) return true;
    return lo <= 0x7a && hi >= 0x41 && !(hi < 0x61 && lo > 0x5a);
  });
}

function isValidCaptureName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

/** Long script names that are also four letters long; other four-letter names are ISO 15924 codes. */
const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Lisu', 'Thai', 'Toto']);

/**
 * Whether Go's unicode.Scripts has the name. Go knows only the long names (Latin, Old_Italic), which
 * JavaScript accepts after `Script=`; JavaScript also accepts the ISO 15924 codes (Latn), Go does not.
 */
function jsAcceptsScript(name: string): boolean {
  if (!/^[A-Za-z_]+$/.test(name)) return false;
  if (name.length === 4 && !FOUR_LETTER_SCRIPTS.has(name)) return false;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

class Translator {
  private readonly s: string;
  private i = 0;
  private flags: Flags = { fold: false, multiLine: false, dotNL: false, ungreedy: false };
  private readonly stack: Frame[];
  /** The text of the previous operator when it was a repetition (Go's lastRepeat). */
  private lastRepeatStart = -1;
  private foldedAtoms = 0;
  private unfoldedAtoms = 0;
  private wordBoundaries = 0;

  constructor(expr: string) {
    this.s = expr;
    this.stack = [{ saved: { ...this.flags }, alternatives: [], current: [], repeats: [], root: true }];
  }

  run(): GoRegexResult {
    if (/[\ud800-\udfff]/u.test(this.s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) {
      throw new GoSyntaxError('invalid UTF-8', this.s);
    }
    while (this.i < this.s.length) {
      const start = this.i;
      const wasRepeat = this.lastRepeatStart;
      this.lastRepeatStart = -1;
      this.step(start, wasRepeat);
    }
    if (this.stack.length !== 1) throw new GoSyntaxError(ERR.missingParen, this.s);
    const source = this.closeAlternation(this.frame());
    if (this.foldedAtoms > 0 && this.unfoldedAtoms > 0) {
      throw new UnsupportedError(
        'case-insensitivity ((?i)) covers only part of the pattern; a JavaScript RegExp can only fold all of it',
      );
    }
    const fold = this.foldedAtoms > 0;
    if (fold && this.wordBoundaries > 0) {
      throw new UnsupportedError('\\b or \\B under (?i): JavaScript folds word characters differently from Go');
    }
    return { ok: true, source, flags: fold ? 'iu' : 'u' };
  }

  private frame(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  private peek(offset = 0): string {
    return this.s[this.i + offset] ?? '';
  }

  private nextCodePoint(): number {
    const cp = this.s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private push(js: string, repeats: RepeatNode[] = []): void {
    this.frame().current.push({ js, repeats });
  }

  /** Records whether a case-sensitive atom sits under (?i) or not. */
  private noteCase(variant: boolean): void {
    if (!variant) return;
    if (this.flags.fold) this.foldedAtoms++;
    else this.unfoldedAtoms++;
  }

  private pushLiteral(cp: number): void {
    this.noteCase(isCaseVariant(cp));
    this.push(literal(cp));
  }

  private step(start: number, lastRepeatStart: number): void {
    const c = this.peek();
    switch (c) {
      case '(':
        if (this.peek(1) === '?') this.parsePerlFlags();
        else {
          this.i++;
          this.openGroup();
        }
        return;
      case '|':
        this.i++;
        this.frame().alternatives.push(this.concat(this.frame()));
        this.frame().current = [];
        return;
      case ')':
        this.i++;
        this.closeGroup();
        return;
      case '^':
        this.i++;
        this.push(this.flags.multiLine ? '(?<![^\\n])' : '^');
        return;
      case '$':
        this.i++;
        this.push(this.flags.multiLine ? '(?![^\\n])' : '$');
        return;
      case '.':
        this.i++;
        this.push(this.flags.dotNL ? '[^]' : '[^\\n]');
        return;
      case '[':
        this.parseClass();
        return;
      case '*':
      case '+':
      case '?':
        this.i++;
        this.repeat(c, c === '*' ? 0 : c === '+' ? 1 : 0, c === '?' ? 1 : -1, start, lastRepeatStart, false);
        return;
      case '{': {
        const rep = this.parseRepeat();
        if (!rep) {
          this.i++;
          this.pushLiteral(0x7b);
          return;
        }
        const [min, max] = rep;
        if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
          throw new GoSyntaxError(ERR.repeatSize, this.s.slice(start, this.i));
        }
        this.repeat(this.s.slice(start, this.i), min, max, start, lastRepeatStart, true);
        return;
      }
      case '\\':
        this.parseBackslash();
        return;
      default:
        this.pushLiteral(this.nextCodePoint());
    }
  }

  private openGroup(): void {
    this.stack.push({ saved: { ...this.flags }, alternatives: [], current: [], repeats: [], root: false });
  }

  private closeGroup(): void {
    const frame = this.frame();
    if (frame.root) throw new GoSyntaxError(ERR.unexpectedParen, this.s);
    this.stack.pop();
    const body = this.closeAlternation(frame);
    this.flags = frame.saved;
    const repeats = [...frame.repeats, ...frame.current.flatMap((a) => a.repeats)];
    this.push(`(?:${body})`, repeats);
  }

  private concat(frame: Frame): string {
    frame.repeats.push(...frame.current.flatMap((a) => a.repeats));
    return frame.current.map((a) => a.js).join('');
  }

  private closeAlternation(frame: Frame): string {
    const alternatives = [...frame.alternatives, this.concat(frame)];
    frame.current = [];
    return alternatives.join('|');
  }

  /** Go's repeat(): stacking check, missing-argument check, nesting-size check. */
  private repeat(op: string, min: number, max: number, start: number, lastRepeatStart: number, counted: boolean): void {
    let lazy = false;
    if (this.peek() === '?') {
      this.i++;
      lazy = true;
    }
    if (lastRepeatStart >= 0) throw new GoSyntaxError(ERR.repeatOp, this.s.slice(lastRepeatStart, this.i));
    const current = this.frame().current;
    const atom = current[current.length - 1];
    if (!atom) throw new GoSyntaxError(ERR.missingRepeatArgument, this.s.slice(start, this.i));
    const repeats: RepeatNode[] = counted ? [{ count: max < 0 ? min : max, children: atom.repeats }] : atom.repeats;
    if (counted && (min >= 2 || max >= 2) && !repeatIsValid(repeats[0]!, 1000)) {
      throw new GoSyntaxError(ERR.repeatSize, this.s.slice(start, this.i));
    }
    const quantifier =
      op === '*' || op === '+' || op === '?'
        ? op
        : max < 0
          ? `{${min},}`
          : min === max
            ? `{${min}}`
            : `{${min},${max}}`;
    const nonGreedy = lazy !== this.flags.ungreedy;
    current[current.length - 1] = { js: `(?:${atom.js})${quantifier}${nonGreedy ? '?' : ''}`, repeats };
    this.lastRepeatStart = start;
  }

  /** Go's parseRepeat: `{n}`, `{n,}`, `{n,m}` without leading zeros; anything else is a literal `{`. */
  private parseRepeat(): [number, number] | undefined {
    const m = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    // Go's parseInt gives up (-1) past nine digits; either way the count is then rejected.
    const num = (t: string): number => (t.length > 9 ? -1 : Number(t));
    let min = num(m[1]!);
    let max = min;
    if (m[2] !== undefined) {
      max = m[3] === undefined ? -1 : num(m[3]);
      if (m[3] !== undefined && max < 0) min = -1;
    }
    this.i += m[0].length;
    return [min, max];
  }

  private parsePerlFlags(): void {
    const start = this.i;
    const rest = this.s.slice(this.i);
    if ((rest[2] === 'P' && rest[3] === '<' && rest.length > 4) || (rest[2] === '<' && rest.length > 3)) {
      const begin = rest[2] === '<' ? 3 : 4;
      const end = rest.indexOf('>');
      if (end < 0) throw new GoSyntaxError(ERR.namedCapture, rest);
      const name = rest.slice(begin, end);
      if (!isValidCaptureName(name)) throw new GoSyntaxError(ERR.namedCapture, rest.slice(0, end + 1));
      this.i += end + 1;
      this.openGroup();
      return;
    }
    this.i += 2;
    const flags = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    while (this.i < this.s.length) {
      const c = String.fromCodePoint(this.nextCodePoint());
      const set = sign > 0;
      if (c === 'i') [flags.fold, sawFlag] = [set, true];
      else if (c === 'm') [flags.multiLine, sawFlag] = [set, true];
      else if (c === 's') [flags.dotNL, sawFlag] = [set, true];
      else if (c === 'U') [flags.ungreedy, sawFlag] = [set, true];
      else if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        if (c === ':') this.openGroup();
        this.flags = flags;
        return;
      } else break;
    }
    throw new GoSyntaxError(ERR.perlOp, this.s.slice(start, this.i));
  }

  private parseBackslash(): void {
    const next = this.peek(1);
    switch (next) {
      case 'A':
        this.i += 2;
        this.push('^');
        return;
      case 'z':
        this.i += 2;
        this.push('$');
        return;
      case 'b':
      case 'B':
        this.i += 2;
        this.wordBoundaries++;
        this.push('\\' + next);
        return;
      case 'C':
        throw new GoSyntaxError(ERR.escape, '\\C');
      case 'Q': {
        const end = this.s.indexOf('\\E', this.i + 2);
        const text = end < 0 ? this.s.slice(this.i + 2) : this.s.slice(this.i + 2, end);
        this.i = end < 0 ? this.s.length : end + 2;
        for (const ch of text) this.pushLiteral(ch.codePointAt(0)!);
        return;
      }
    }
    const unicode = this.parseUnicodeClass();
    if (unicode) {
      this.noteCase(true);
      this.push(unicode.negated ? `[^${unicode.body}]` : `[${unicode.body}]`);
      return;
    }
    const perl = this.parsePerlClass();
    if (perl) {
      this.noteCase(perl.kind === 'w');
      this.push(
        perl.negated ? `[^${rangesToClassBody(PERL[perl.kind]!)}]` : `[${rangesToClassBody(PERL[perl.kind]!)}]`,
      );
      return;
    }
    this.pushLiteral(this.parseEscape());
  }

  /** `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}`: returns a class body (possibly negated). */
  private parseUnicodeClass(): { body: string; negated: boolean; ranges?: Range[] } | undefined {
    if (this.peek() !== '\\' || (this.peek(1) !== 'p' && this.peek(1) !== 'P')) return undefined;
    const start = this.i;
    let negated = this.peek(1) === 'P';
    this.i += 2;
    if (this.i >= this.s.length) throw new GoSyntaxError(ERR.charRange, this.s.slice(start));
    let name: string;
    let seq: string;
    if (this.peek() !== '{') {
      name = String.fromCodePoint(this.nextCodePoint());
      seq = this.s.slice(start, this.i);
    } else {
      const end = this.s.indexOf('}', start);
      if (end < 0) throw new GoSyntaxError(ERR.charRange, this.s.slice(start));
      seq = this.s.slice(start, end + 1);
      name = this.s.slice(start + 3, end);
      this.i = end + 1;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === 'Any') return { body: '\\u{0}-\\u{10ffff}', negated, ranges: [[0, MAX_RUNE]] };
    if (name === 'C') return { body: '\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}', negated };
    if (GO_CATEGORIES.has(name)) return { body: `\\p{${name}}`, negated };
    if (jsAcceptsScript(name)) return { body: `\\p{Script=${name}}`, negated };
    throw new GoSyntaxError(ERR.charRange, seq);
  }

  private parsePerlClass(): { kind: 'd' | 's' | 'w'; negated: boolean } | undefined {
    if (this.peek() !== '\\') return undefined;
    const c = this.peek(1);
    const lower = c.toLowerCase();
    if (lower !== 'd' && lower !== 's' && lower !== 'w') return undefined;
    this.i += 2;
    return { kind: lower, negated: c !== lower };
  }

  /** Go's parseEscape: a single escaped code point. */
  private parseEscape(): number {
    const start = this.i;
    this.i++;
    if (this.i >= this.s.length) throw new GoSyntaxError(ERR.trailingBackslash, '');
    const c = this.nextCodePoint();
    const ch = String.fromCodePoint(c);
    const fail = (): never => {
      throw new GoSyntaxError(ERR.escape, this.s.slice(start, this.i));
    };
    if (c < 0x80 && !/[0-9A-Za-z]/.test(ch)) return c;
    if (ch >= '1' && ch <= '7') {
      if (!/[0-7]/.test(this.peek())) return fail();
    }
    if (ch >= '0' && ch <= '7') {
      let r = c - 0x30;
      for (let k = 1; k < 3 && /[0-7]/.test(this.peek()); k++) r = r * 8 + (this.nextCodePoint() - 0x30);
      return r;
    }
    if (ch === 'x') {
      if (this.i >= this.s.length) return fail();
      if (this.peek() === '{') {
        this.i++;
        let r = 0;
        let digits = 0;
        for (;;) {
          if (this.i >= this.s.length) return fail();
          const d = String.fromCodePoint(this.nextCodePoint());
          if (d === '}') break;
          if (!/^[0-9A-Fa-f]$/.test(d)) return fail();
          r = r * 16 + parseInt(d, 16);
          if (r > MAX_RUNE) return fail();
          digits++;
        }
        if (digits === 0) return fail();
        return r;
      }
      const x = this.i < this.s.length ? String.fromCodePoint(this.nextCodePoint()) : '';
      const y = this.i < this.s.length ? String.fromCodePoint(this.nextCodePoint()) : '';
      if (!/^[0-9A-Fa-f]$/.test(x) || !/^[0-9A-Fa-f]$/.test(y)) return fail();
      return parseInt(x + y, 16);
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[ch] !== undefined) return simple[ch];
    return fail();
  }

  /** Go's parseClass, emitting a JavaScript class. */
  private parseClass(): void {
    const start = this.i;
    this.i++;
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const parts: string[] = [];
    let variant = false;
    let first = true;
    const missing = (): never => {
      throw new GoSyntaxError(ERR.missingBracket, this.s.slice(start));
    };
    while (this.i >= this.s.length || this.peek() !== ']' || first) {
      if (this.i >= this.s.length) missing();
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':') {
        const named = this.parseNamedClass();
        if (named) {
          const ranges = named.negated
            ? complement(this.flags.fold ? foldAscii(named.ranges) : named.ranges)
            : named.ranges;
          variant ||= named.negated || rangesHaveCaseVariant(named.ranges);
          parts.push(rangesToClassBody(ranges));
          continue;
        }
      }
      const unicode = this.parseUnicodeClass();
      if (unicode) {
        variant = true;
        if (!unicode.negated) parts.push(unicode.body);
        else if (unicode.ranges) parts.push(rangesToClassBody(complement(unicode.ranges)));
        else if (unicode.body.startsWith('\\p{') && !unicode.body.includes('}\\p{'))
          parts.push('\\P' + unicode.body.slice(2));
        else throw new UnsupportedError('a negated \\p{C} inside a character class cannot be written in JavaScript');
        continue;
      }
      const perl = this.parsePerlClass();
      if (perl) {
        const base = PERL[perl.kind]!;
        variant ||= perl.negated || perl.kind === 'w';
        parts.push(rangesToClassBody(perl.negated ? complement(this.flags.fold ? foldAscii(base) : base) : base));
        continue;
      }
      const rangeStart = this.i;
      const lo = this.parseClassChar(start);
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.i + 1 < this.s.length) {
        this.i++;
        hi = this.parseClassChar(start);
        if (hi < lo) throw new GoSyntaxError(ERR.charRange, this.s.slice(rangeStart, this.i));
      }
      variant ||= rangesHaveCaseVariant([[lo, hi]]) && (lo !== hi || isCaseVariant(lo));
      parts.push(lo === hi ? literal(lo, true) : `${literal(lo, true)}-${literal(hi, true)}`);
    }
    this.i++;
    this.noteCase(variant);
    this.push(`[${negated ? '^' : ''}${parts.join('')}]`);
  }

  private parseClassChar(classStart: number): number {
    if (this.i >= this.s.length) throw new GoSyntaxError(ERR.missingBracket, this.s.slice(classStart));
    if (this.peek() === '\\') return this.parseEscape();
    return this.nextCodePoint();
  }

  /** `[:alpha:]`, `[:^alpha:]`; undefined when the text is not a named class at all. */
  private parseNamedClass(): { ranges: Range[]; negated: boolean } | undefined {
    const end = this.s.indexOf(':]', this.i + 2);
    if (end < 0) return undefined;
    const whole = this.s.slice(this.i, end + 2);
    let name = this.s.slice(this.i + 2, end);
    let negated = false;
    if (name.startsWith('^')) {
      negated = true;
      name = name.slice(1);
    }
    const ranges = POSIX[name];
    if (!ranges) throw new GoSyntaxError(ERR.charRange, whole);
    this.i = end + 2;
    return { ranges, negated };
  }
}

/** Go's repeatIsValid: nested `{n,m}` counts may not multiply past n copies. */
function repeatIsValid(node: RepeatNode, n: number): boolean {
  const m = node.count;
  if (m === 0) return true;
  if (m > n) return false;
  const left = Math.floor(n / m);
  return node.children.every((child) => repeatIsValid(child, left));
}
