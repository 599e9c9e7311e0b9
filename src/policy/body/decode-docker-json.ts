/**
 * Decodes a JSON request body the way dockerd's Go encoding/json decodes it into the target struct,
 * or refuses it (security-notes.md D11, D12, §9). JSON.parse is not usable for this: it keeps the
 * last of duplicate keys and knows nothing of Go's case-insensitive field matching.
 *
 * - Struct keys match fields case-insensitively with Go's folding (`hostconfig`, `PRIVILEGED`, `ſ`);
 *   a lone non-canonical casing is canonicalised, any duplicate (exact or case variant) is refused,
 *   because Go would merge or overwrite where an inspector sees one value.
 * - Map keys (Labels, Sysctls, DriverOpts, ...) stay case-sensitive; exact duplicates are refused.
 * - Unknown keys are ignored like Go ignores them (a decoy `"Config"` object included), but still
 *   parsed, bounded and checked for duplicates.
 * - Trailing data, invalid UTF-8, a byte-order mark, lone surrogates, control characters in strings,
 *   over-long numbers and deep nesting are refused. A field of the wrong JSON type is refused (dockerd
 *   answers 400 for it); `null` is the same as absent.
 */
import type { Decoded, JsonValue, Shape, StructShape } from './json-shape.js';
import { foldGoName } from './go-fold.js';

/** Deeper than any Docker request body; Go allows 10000, we refuse long before. */
export const MAX_JSON_DEPTH = 64;
/** Longer number literals are refused (Go would fail on most of them with a range error anyway). */
export const MAX_JSON_NUMBER_LENGTH = 64;

export interface JsonDecodeError {
  /** Dotted field path with canonical names, e.g. `HostConfig.Binds[0]`; empty for the whole body. */
  path: string;
  message: string;
}

export type JsonDecodeResult<T> = { ok: true; value: T } | { ok: false; error: JsonDecodeError };

/** Thrown on the first problem; each enclosing level adds its segment while the stack unwinds. */
class DecodeFailure extends Error {
  readonly segments: Segment[] = [];
}

/** Re-throws a failure from inside `segment`, so no path is built unless decoding fails. */
function within(error: unknown, segment: Segment): never {
  if (error instanceof DecodeFailure) error.segments.unshift(segment);
  throw error;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const STRING: Shape = { kind: 'string' };

/** Int64 fields whose literal is this short cannot be out of range; longer ones go through BigInt. */
const SAFE_INT_DIGITS = 15;

function describe(ch: number): string {
  if (ch === 0x22) return 'a string';
  if (ch === 0x7b) return 'an object';
  if (ch === 0x5b) return 'an array';
  if (ch === 0x74 || ch === 0x66) return 'a boolean';
  if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return 'a number';
  return 'an invalid character';
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

type Segment = { field: string } | { key: string } | { index: number };

function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if ('field' in s) out += out === '' ? s.field : `.${s.field}`;
    else if ('key' in s) out += `[${JSON.stringify(s.key)}]`;
    else out += `[${s.index}]`;
  }
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  decodeDocument(shape: Shape): unknown {
    const value = this.value(shape);
    this.skipSpace();
    if (this.i < this.text.length) this.fail('unexpected data after the first JSON value');
    return value;
  }

  private fail(message: string): never {
    throw new DecodeFailure(`${message} (at byte ${this.i})`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  private peek(): number {
    this.skipSpace();
    if (this.i >= this.text.length) this.fail('unexpected end of JSON input');
    return this.text.charCodeAt(this.i);
  }

  private literal(word: string): void {
    if (!this.text.startsWith(word, this.i)) this.fail('invalid literal');
    this.i += word.length;
  }

  private mismatch(expected: string, ch: number): never {
    this.fail(`expected ${expected}, got ${describe(ch)}`);
  }

  /** Returns undefined for `null`: Go leaves the field at its zero value (absent). */
  private value(shape: Shape): unknown {
    const ch = this.peek();
    if (ch === 0x6e) {
      this.literal('null');
      return undefined;
    }
    switch (shape.kind) {
      case 'any':
        return this.any(true);
      case 'string':
        if (ch !== 0x22) this.mismatch('a string', ch);
        return this.string();
      case 'bool':
        if (ch === 0x74) {
          this.literal('true');
          return true;
        }
        if (ch === 0x66) {
          this.literal('false');
          return false;
        }
        return this.mismatch('a boolean', ch);
      case 'int': {
        if (ch !== 0x2d && !isDigit(ch)) this.mismatch('an integer', ch);
        const literal = this.number();
        if (!INTEGER.test(literal)) this.fail(`expected an integer, got ${literal}`);
        if (literal.length > SAFE_INT_DIGITS) {
          const big = BigInt(literal);
          if (big < shape.min || big > shape.max) this.fail(`integer ${literal} is out of range`);
        } else if (shape.min === 0n && literal.startsWith('-')) {
          this.fail(`integer ${literal} is out of range`);
        }
        return Number(literal);
      }
      case 'strslice':
      case 'string-or-list':
        if (ch === 0x22) {
          const text = this.string();
          return shape.kind === 'strslice' ? [text] : text;
        }
        if (ch !== 0x5b) this.mismatch('a string or an array of strings', ch);
        return this.array(STRING);
      case 'list':
        if (ch !== 0x5b) this.mismatch('an array', ch);
        return this.array(shape.item);
      case 'map':
        if (ch !== 0x7b) this.mismatch('an object', ch);
        return this.map(shape.value);
      case 'struct':
        if (ch !== 0x7b) this.mismatch('an object', ch);
        return this.struct(shape);
    }
  }

  /** Consumes `[` or `{`; the caller calls close() after the matching bracket. */
  private open(): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.i++;
  }

  /** After a member or element: true at the closing bracket, false before the next one. */
  private next(close: number, what: string): boolean {
    const c = this.peek();
    this.i++;
    if (c === close) {
      this.depth--;
      return true;
    }
    if (c !== 0x2c) this.fail(`expected "," or "${String.fromCharCode(close)}" in ${what}`);
    return false;
  }

  /** True (and consumed) when the container just opened is empty. */
  private empty(close: number): boolean {
    if (this.peek() !== close) return false;
    this.i++;
    this.depth--;
    return true;
  }

  /** Reads `"key":` and leaves the parser at the value. */
  private key(): string {
    if (this.peek() !== 0x22) this.fail('expected a string object key');
    const key = this.string();
    if (this.peek() !== 0x3a) this.fail('expected ":" after object key');
    this.i++;
    return key;
  }

  private array(item: Shape): unknown[] {
    this.open();
    const out: unknown[] = [];
    if (this.empty(0x5d)) return out;
    do {
      try {
        // A null element leaves Go's zero value; the zero value of everything we read is harmless.
        out.push(this.value(item) ?? zeroOf(item));
      } catch (error) {
        within(error, { index: out.length });
      }
    } while (!this.next(0x5d, 'array'));
    return out;
  }

  private map(value: Shape): Record<string, unknown> {
    this.open();
    const out = Object.create(null) as Record<string, unknown>;
    if (this.empty(0x7d)) return out;
    do {
      const key = this.key();
      try {
        if (key in out) this.fail('duplicate key');
        out[key] = this.value(value) ?? zeroOf(value);
      } catch (error) {
        within(error, { key });
      }
    } while (!this.next(0x7d, 'object'));
    return out;
  }

  private struct(shape: StructShape): Record<string, unknown> {
    this.open();
    const out: Record<string, unknown> = {};
    if (this.empty(0x7d)) return out;
    const seen = new Map<string, string>();
    do {
      const key = this.key();
      const folded = foldGoName(key);
      const canonical = shape.byFoldedName.get(folded);
      try {
        const earlier = seen.get(folded);
        if (earlier !== undefined) {
          this.fail(
            earlier === key
              ? 'duplicate key'
              : `duplicate key: ${JSON.stringify(earlier)} and ${JSON.stringify(key)} are the same field to dockerd`,
          );
        }
        seen.set(folded, key);
        if (canonical === undefined) {
          this.any(false);
        } else {
          const decoded = this.value(shape.fields[canonical]!);
          if (decoded !== undefined) out[canonical] = decoded;
        }
      } catch (error) {
        within(error, { field: canonical ?? key });
      }
    } while (!this.next(0x7d, 'object'));
    return out;
  }

  /** Parses any value (building it when asked), refusing exact duplicate keys at every level. */
  private any(build: boolean): JsonValue {
    const ch = this.peek();
    switch (ch) {
      case 0x22:
        return this.string();
      case 0x74:
        this.literal('true');
        return true;
      case 0x66:
        this.literal('false');
        return false;
      case 0x6e:
        this.literal('null');
        return null;
      case 0x5b: {
        this.open();
        const out: JsonValue[] = [];
        if (this.empty(0x5d)) return out;
        let index = 0;
        do {
          try {
            const element = this.any(build);
            if (build) out.push(element);
          } catch (error) {
            within(error, { index });
          }
          index++;
        } while (!this.next(0x5d, 'array'));
        return out;
      }
      case 0x7b: {
        this.open();
        const out = Object.create(null) as { [key: string]: JsonValue };
        if (this.empty(0x7d)) return out;
        const seen = new Set<string>();
        do {
          const key = this.key();
          try {
            if (seen.has(key)) this.fail('duplicate key');
            seen.add(key);
            const element = this.any(build);
            if (build) out[key] = element;
          } catch (error) {
            within(error, { key });
          }
        } while (!this.next(0x7d, 'object'));
        return out;
      }
      default:
        if (ch === 0x2d || isDigit(ch)) return Number(this.number());
        return this.fail('invalid character');
    }
  }

  /** A JSON number literal, by the RFC 8259 grammar. */
  private number(): string {
    const t = this.text;
    const start = this.i;
    let i = start;
    if (t.charCodeAt(i) === 0x2d) i++;
    if (t.charCodeAt(i) === 0x30) i++;
    else if (isDigit(t.charCodeAt(i))) while (isDigit(t.charCodeAt(i))) i++;
    else this.fail('invalid number');
    if (t.charCodeAt(i) === 0x2e) {
      if (!isDigit(t.charCodeAt(++i))) this.fail('invalid number');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      const sign = t.charCodeAt(++i);
      if (sign === 0x2b || sign === 0x2d) i++;
      if (!isDigit(t.charCodeAt(i))) this.fail('invalid number');
      while (isDigit(t.charCodeAt(i))) i++;
    }
    if (i - start > MAX_JSON_NUMBER_LENGTH) this.fail(`number longer than ${MAX_JSON_NUMBER_LENGTH} characters`);
    this.i = i;
    return t.slice(start, i);
  }

  private string(): string {
    const t = this.text;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= t.length) {
        this.i = i;
        this.fail('unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.i = i;
        this.fail('control character in string');
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += t.slice(start, i);
      const e = t.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const unit = this.hex4(i);
          i += 4;
          if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.i = i;
            this.fail('lone surrogate escape in string');
          }
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low = t.startsWith('\\u', i) ? this.hex4(i + 2) : -1;
            if (low < 0xdc00 || low > 0xdfff) {
              this.i = i;
              this.fail('lone surrogate escape in string');
            }
            out += String.fromCharCode(unit, low);
            i += 6;
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.i = i;
          this.fail('invalid escape in string');
      }
      start = i;
    }
    this.i = i + 1;
    return out + t.slice(start, i);
  }

  private hex4(at: number): number {
    const hex = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.i = at;
      this.fail('invalid \\u escape in string');
    }
    return parseInt(hex, 16);
  }
}

/** Go's zero value for a null list or map element. */
function zeroOf(shape: Shape): unknown {
  switch (shape.kind) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    case 'strslice':
    case 'list':
      return [];
    case 'map':
      return Object.create(null);
    case 'struct':
      return {};
    default:
      return null;
  }
}

/** Text of a body, or an error for bytes that are not UTF-8 (Go would silently substitute U+FFFD). */
function decodeUtf8(input: Uint8Array | string): JsonDecodeResult<string> {
  if (typeof input === 'string') {
    return LONE_SURROGATE.test(input)
      ? { ok: false, error: { path: '', message: 'the body contains a lone surrogate' } }
      : { ok: true, value: input };
  }
  try {
    return { ok: true, value: utf8.decode(input) };
  } catch {
    return { ok: false, error: { path: '', message: 'the body is not valid UTF-8' } };
  }
}

/** decodeDockerJson without the static result type, for callers that pick the shape at run time. */
export function decodeAgainst(input: Uint8Array | string, shape: Shape): JsonDecodeResult<unknown> {
  const text = decodeUtf8(input);
  if (!text.ok) return text;
  try {
    const value = new Parser(text.value).decodeDocument(shape);
    // A top-level null decodes into an untouched struct.
    return { ok: true, value: value ?? zeroOf(shape) };
  } catch (error) {
    if (error instanceof DecodeFailure)
      return { ok: false, error: { path: formatPath(error.segments), message: error.message } };
    throw error;
  }
}

export function decodeDockerJson<S extends Shape>(input: Uint8Array | string, shape: S): JsonDecodeResult<Decoded<S>> {
  return decodeAgainst(input, shape) as JsonDecodeResult<Decoded<S>>;
}

export function formatJsonError(error: JsonDecodeError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}
