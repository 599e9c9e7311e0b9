/**
 * Go's case folding as used by encoding/json to match object keys to struct fields, and the
 * per-rune upper-casing of strings.ToUpper. security-notes.md D11: `ſ` (U+017F) folds to `S` and
 * the Kelvin sign (U+212A) to `K`, so `Hoſtconfig` is HostConfig to dockerd.
 */

const LONG_S = 0x17f;
const KELVIN = 0x212a;

function singleCodePoint(text: string): number | undefined {
  const cp = text.codePointAt(0);
  return cp !== undefined && String.fromCodePoint(cp).length === text.length ? cp : undefined;
}

/**
 * The smallest member of a rune's simple-fold orbit (Go's foldRune). The two non-ASCII runes that
 * fold onto ASCII letters are exact; for the rest the orbit is approximated from the rune's simple
 * lower and upper case, which only affects how unknown non-ASCII keys compare with each other.
 */
function foldRune(cp: number): number {
  if (cp === LONG_S) return 0x53;
  if (cp === KELVIN) return 0x4b;
  const ch = String.fromCodePoint(cp);
  let min = cp;
  for (const variant of [ch.toLowerCase(), ch.toUpperCase(), ch.toLowerCase().toUpperCase()]) {
    const v = singleCodePoint(variant);
    if (v !== undefined && v < min) min = v;
  }
  return min;
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;
const isAscii = (text: string): boolean => ASCII.test(text);

/** Two keys name the same Go struct field exactly when their folded forms are equal. */
export function foldGoName(key: string): string {
  if (isAscii(key)) return key.toUpperCase();
  let out = '';
  for (const ch of key) {
    const cp = ch.codePointAt(0)!;
    out += cp < 0x80 ? ch.toUpperCase() : String.fromCodePoint(foldRune(cp));
  }
  return out;
}

/** Go's strings.ToUpper: rune by rune, never expanding one rune into several (JS turns `ß` into `SS`). */
export function toUpperGo(text: string): string {
  if (isAscii(text)) return text.toUpperCase();
  let out = '';
  for (const ch of text) {
    const upper = ch.toUpperCase();
    out += singleCodePoint(upper) !== undefined ? upper : ch;
  }
  return out;
}

/** Go's strings.ToLower, rune by rune (`İ` U+0130 becomes `i`, the Kelvin sign `k`). */
export function toLowerGo(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x130) {
      out += 'i';
      continue;
    }
    const lower = ch.toLowerCase();
    out += singleCodePoint(lower) !== undefined ? lower : ch;
  }
  return out;
}
