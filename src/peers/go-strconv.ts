/**
 * Go's strconv number and boolean parsing, as the Go-based source proxies (wollomatic, CetusGuard)
 * apply it to flags and environment variables. A value Go rejects is `undefined` here, so callers
 * can reproduce "unparseable env value is silently ignored" (peers.md §3.2, §5.2) and "bad flag
 * value is a startup error".
 */

/** strconv.ParseBool: exactly 1, t, T, TRUE, true, True and 0, f, F, FALSE, false, False. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

const DIGIT_VALUE = (ch: string): number => {
  const c = ch.toLowerCase();
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 87;
  return 99;
};

/**
 * strconv.ParseUint(text, base, bitSize). Base 0 takes the prefix (0x, 0o, 0b, leading 0 = octal)
 * and allows `_` between digits, like Go; an explicit base allows neither prefix nor underscores.
 */
export function parseGoUint(text: string, base: number, bitSize: number): bigint | undefined {
  if (text === '') return undefined;
  let s = text;
  let b = base;
  let underscoresOk = false;
  if (base === 0) {
    b = 10;
    underscoresOk = true;
    if (s[0] === '0') {
      const p = (s[1] ?? '').toLowerCase();
      if (s.length >= 3 && p === 'b') [b, s] = [2, s.slice(2)];
      else if (s.length >= 3 && p === 'o') [b, s] = [8, s.slice(2)];
      else if (s.length >= 3 && p === 'x') [b, s] = [16, s.slice(2)];
      else [b, s] = [8, s.slice(1)];
      // A bare "0" leaves nothing after the prefix: that is the number zero.
      if (s === '' && text === '0') return 0n;
    }
  }
  if (underscoresOk && !underscoresAreValid(text)) return undefined;
  let value = 0n;
  let sawDigit = false;
  for (const ch of s) {
    if (ch === '_' && underscoresOk) continue;
    const d = DIGIT_VALUE(ch);
    if (d >= b) return undefined;
    value = value * BigInt(b) + BigInt(d);
    sawDigit = true;
  }
  if (!sawDigit) return undefined;
  if (value > (1n << BigInt(bitSize)) - 1n) return undefined;
  return value;
}

/** strconv.ParseInt: optional sign, then ParseUint rules; range per bitSize. */
export function parseGoInt(text: string, base: number, bitSize: number): bigint | undefined {
  if (text === '') return undefined;
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  const magnitude = parseGoUint(s, base, bitSize);
  if (magnitude === undefined) return undefined;
  const limit = 1n << BigInt(bitSize - 1);
  if (negative ? magnitude > limit : magnitude >= limit) return undefined;
  return negative ? -magnitude : magnitude;
}

/** strconv.Atoi: base 10, 64-bit int, optional sign, no underscores. */
export function parseGoAtoi(text: string): bigint | undefined {
  return parseGoInt(text, 10, 64);
}

/** Go's underscoreOK: underscores only between digits or after a base prefix. */
function underscoresAreValid(s: string): boolean {
  // saw: '^' start, '0' digit or prefix, '_' underscore, '!' other
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes((s[1] ?? '').toLowerCase())) {
    hex = (s[1] ?? '').toLowerCase() === 'x';
    i = 2;
    saw = '0';
  }
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if ((ch >= '0' && ch <= '9') || (hex && /[a-fA-F]/.test(ch))) {
      saw = '0';
      continue;
    }
    if (ch === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}
