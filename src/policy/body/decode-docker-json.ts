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

class DecodeFailure extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const STRING: Shape = { kind: 'string' };

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(ch: number): string {
  if (ch === 0x22) return 'a string';
  if (ch === 0x7b) return 'an object';
  if (ch === 0x5b) return 'an array';
  if (ch === 0x74 || ch === 0x66) return 'a boolean';
  if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return 'a number';
  return 'an invalid character';
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  decodeDocument(shape: Shape): unknown {
    const value = this.value(shape, '');
    this.skipSpace();
    if (this.i < this.text.length) this.fail('', 'unexpected data after the first JSON value');
    return value;
  }

  private fail(path: string, message: string): never {
    throw new DecodeFailure(path, `${message} (at byte ${this.i})`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  private peek(path: string): number {
    this.skipSpace();
    if (this.i >= this.text.length) this.fail(path, 'unexpected end of JSON input');
    return this.text.charCodeAt(this.i);
  }

  private literal(word: string, path: string): void {
    if (!this.text.startsWith(word, this.i)) this.fail(path, 'invalid literal');
    this.i += word.length;
  }

  private mismatch(path: string, expected: string, ch: number): never {
    this.fail(path, `expected ${expected}, got ${describe(ch)}`);
  }

  /** Returns undefined for `null`: Go leaves the field at its zero value (absent). */
  private value(shape: Shape, path: string): unknown {
    const ch = this.peek(path);
    if (ch === 0x6e) {
      this.literal('null', path);
      return undefined;
    }
    switch (shape.kind) {
      case 'any':
        return this.any(path, true);
      case 'string':
        if (ch !== 0x22) this.mismatch(path, 'a string', ch);
        return this.string(path);
      case 'bool':
        if (ch === 0x74) {
          this.literal('true', path);
          return true;
        }
        if (ch === 0x66) {
          this.literal('false', path);
          return false;
        }
        return this.mismatch(path, 'a boolean', ch);
      case 'int': {
        if (ch !== 0x2d && !(ch >= 0x30 && ch <= 0x39)) this.mismatch(path, 'an integer', ch);
        const literal = this.number(path);
        if (!INTEGER.test(literal)) this.fail(path, `expected an integer, got ${literal}`);
        const big = BigInt(literal);
        if (big < shape.min || big > shape.max) this.fail(path, `integer ${literal} is out of range`);
        return Number(literal);
      }
      case 'strslice':
      case 'string-or-list':
        if (ch === 0x22) {
          const text = this.string(path);
          return shape.kind === 'strslice' ? [text] : text;
        }
        if (ch !== 0x5b) this.mismatch(path, 'a string or an array of strings', ch);
        return this.array(STRING, path);
      case 'list':
        if (ch !== 0x5b) this.mismatch(path, 'an array', ch);
        return this.array(shape.item, path);
      case 'map':
        if (ch !== 0x7b) this.mismatch(path, 'an object', ch);
        return this.map(shape.value, path);
      case 'struct':
        if (ch !== 0x7b) this.mismatch(path, 'an object', ch);
        return this.struct(shape, path);
    }
  }

  private enter(path: string): void {
    if (++this.depth > MAX_JSON_DEPTH) this.fail(path, `nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.i++;
  }

  private array(item: Shape, path: string): unknown[] {
    this.enter(path);
    const out: unknown[] = [];
    if (this.peek(path) === 0x5d) {
      this.i++;
      this.depth--;
      return out;
    }
    for (;;) {
      const elementPath = `${path}[${out.length}]`;
      // A null element leaves Go's zero value; the zero value of everything we read is harmless.
      out.push(this.value(item, elementPath) ?? zeroOf(item));
      const next = this.peek(path);
      this.i++;
      if (next === 0x5d) break;
      if (next !== 0x2c) this.fail(path, 'expected "," or "]" in array');
    }
    this.depth--;
    return out;
  }

  /** Iterates `"key": value` members; `member` consumes the value. */
  private members(path: string, member: (key: string) => void): void {
    this.enter(path);
    if (this.peek(path) === 0x7d) {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      if (this.peek(path) !== 0x22) this.fail(path, 'expected a string object key');
      const key = this.string(path);
      if (this.peek(path) !== 0x3a) this.fail(path, 'expected ":" after object key');
      this.i++;
      member(key);
      const next = this.peek(path);
      this.i++;
      if (next === 0x7d) break;
      if (next !== 0x2c) this.fail(path, 'expected "," or "}" in object');
    }
    this.depth--;
  }

  private map(value: Shape, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const seen = new Set<string>();
    this.members(path, (key) => {
      const keyPath = `${path}[${JSON.stringify(key)}]`;
      if (seen.has(key)) this.fail(keyPath, 'duplicate key');
      seen.add(key);
      out[key] = this.value(value, keyPath) ?? zeroOf(value);
    });
    return out;
  }

  private struct(shape: StructShape, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, string>();
    this.members(path, (key) => {
      const folded = foldGoName(key);
      const canonical = shape.byFoldedName.get(folded);
      const shown = join(path, canonical ?? key);
      const earlier = seen.get(folded);
      if (earlier !== undefined) {
        this.fail(
          shown,
          earlier === key
            ? 'duplicate key'
            : `duplicate key: ${JSON.stringify(earlier)} and ${JSON.stringify(key)} are the same field to dockerd`,
        );
      }
      seen.set(folded, key);
      if (canonical === undefined) {
        this.any(shown, false);
        return;
      }
      const decoded = this.value(shape.fields[canonical]!, shown);
      if (decoded !== undefined) out[canonical] = decoded;
    });
    return out;
  }

  /** Parses any value (building it when asked), refusing exact duplicate keys at every level. */
  private any(path: string, build: boolean): JsonValue {
    const ch = this.peek(path);
    switch (ch) {
      case 0x22:
        return this.string(path);
      case 0x74:
        this.literal('true', path);
        return true;
      case 0x66:
        this.literal('false', path);
        return false;
      case 0x6e:
        this.literal('null', path);
        return null;
      case 0x5b: {
        this.enter(path);
        const out: JsonValue[] = [];
        if (this.peek(path) === 0x5d) {
          this.i++;
          this.depth--;
          return out;
        }
        for (let n = 0; ; n++) {
          const element = this.any(`${path}[${n}]`, build);
          if (build) out.push(element);
          const next = this.peek(path);
          this.i++;
          if (next === 0x5d) break;
          if (next !== 0x2c) this.fail(path, 'expected "," or "]" in array');
        }
        this.depth--;
        return out;
      }
      case 0x7b: {
        const out = Object.create(null) as { [key: string]: JsonValue };
        const seen = new Set<string>();
        this.members(path, (key) => {
          const keyPath = join(path, key);
          if (seen.has(key)) this.fail(keyPath, 'duplicate key');
          seen.add(key);
          const element = this.any(keyPath, build);
          if (build) out[key] = element;
        });
        return out;
      }
      default:
        if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) return Number(this.number(path));
        return this.fail(path, 'invalid character');
    }
  }

  private number(path: string): string {
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(path, 'invalid number');
    const literal = match[0];
    if (literal.length > MAX_JSON_NUMBER_LENGTH)
      this.fail(path, `number longer than ${MAX_JSON_NUMBER_LENGTH} characters`);
    this.i += literal.length;
    return literal;
  }

  private string(path: string): string {
    const t = this.text;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= t.length) {
        this.i = i;
        this.fail(path, 'unterminated string');
      }
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) {
        this.i = i;
        this.fail(path, 'control character in string');
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
          const unit = this.hex4(i, path);
          i += 4;
          if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.i = i;
            this.fail(path, 'lone surrogate escape in string');
          }
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low = t.startsWith('\\u', i) ? this.hex4(i + 2, path) : -1;
            if (low < 0xdc00 || low > 0xdfff) {
              this.i = i;
              this.fail(path, 'lone surrogate escape in string');
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
          this.fail(path, 'invalid escape in string');
      }
      start = i;
    }
    this.i = i + 1;
    return out + t.slice(start, i);
  }

  private hex4(at: number, path: string): number {
    const hex = this.text.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      this.i = at;
      this.fail(path, 'invalid \\u escape in string');
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
export function decodeUtf8(input: Uint8Array | string): JsonDecodeResult<string> {
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
    if (error instanceof DecodeFailure) return { ok: false, error: { path: error.path, message: error.message } };
    throw error;
  }
}

export function decodeDockerJson<S extends Shape>(input: Uint8Array | string, shape: S): JsonDecodeResult<Decoded<S>> {
  return decodeAgainst(input, shape) as JsonDecodeResult<Decoded<S>>;
}

export function formatJsonError(error: JsonDecodeError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}
