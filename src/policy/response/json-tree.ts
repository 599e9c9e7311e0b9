/**
 * A lossless JSON tree for the documents sockguard rewrites (daemon responses it redacts or filters,
 * request bodies it stamps with the owner label). JSON.parse is not usable for them:
 * - numbers beyond 2^53 (image and volume sizes, swarm versions) would lose precision, so number
 *   literals are kept as their source text and written back unchanged;
 * - objects are Maps, so key order survives, integer-like keys are not reordered and a key named
 *   `__proto__` is an ordinary key;
 * - a duplicate key is refused instead of silently keeping the last one (Go's decoder would merge or
 *   overwrite where we see one value; dockerd never sends one).
 * Serialising copies untouched objects and arrays from the source text (see markChanged) and writes
 * changed ones compactly, strings re-escaped by JSON.stringify (the value is identical). Invalid UTF-8,
 * a byte-order mark, lone surrogate escapes, control characters in strings, trailing data and deep
 * nesting are refused.
 */

/** A number literal kept as written. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonObject = Map<string, JsonNode>;
export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;

export type ParsedJson = { ok: true; value: JsonNode } | { ok: false; problem: string };

/** Deeper than any Docker document; bounds the recursion. */
export const MAX_TREE_DEPTH = 100;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

class TreeFailure extends Error {}

/**
 * Where a parsed object or array came from. Serialising an untouched container copies its source
 * text instead of rebuilding it (a filtered 8 MiB list is mostly untouched items). Every change to a
 * container must go through markChanged for it and each container above it, so that a stale copy of
 * a redacted value can never be written back.
 */
const SOURCE = Symbol('json source span');

interface SourceSpan {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

type WithSource = { [SOURCE]?: SourceSpan | undefined };

/** Forgets the source text of containers whose content changed (the changed one and its ancestors). */
export function markChanged(...containers: (JsonObject | JsonNode[])[]): void {
  for (const c of containers) (c as WithSource)[SOURCE] = undefined;
}

export function isJsonObject(node: JsonNode | undefined): node is JsonObject {
  return node instanceof Map;
}

class TreeParser {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): JsonNode {
    const value = this.value(0);
    this.skipSpace();
    if (this.i < this.text.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(problem: string): never {
    throw new TreeFailure(`${problem} (at offset ${this.i})`);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.i++;
    }
  }

  private expect(word: string): void {
    if (!this.text.startsWith(word, this.i)) this.fail('invalid literal');
    this.i += word.length;
  }

  private value(depth: number): JsonNode {
    if (depth > MAX_TREE_DEPTH) this.fail(`nesting deeper than ${MAX_TREE_DEPTH} levels`);
    this.skipSpace();
    const c = this.text.charCodeAt(this.i);
    switch (c) {
      case 0x7b:
        return this.object(depth);
      case 0x5b:
        return this.array(depth);
      case 0x22:
        return this.string();
      case 0x74:
        this.expect('true');
        return true;
      case 0x66:
        this.expect('false');
        return false;
      case 0x6e:
        this.expect('null');
        return null;
      default: {
        NUMBER.lastIndex = this.i;
        const match = NUMBER.exec(this.text);
        if (match === null) this.fail(Number.isNaN(c) ? 'unexpected end of JSON input' : 'invalid value');
        this.i += match[0].length;
        return new JsonNumber(match[0]);
      }
    }
  }

  /** After a member or element: true at the closing bracket, false before the next one. */
  private next(close: number): boolean {
    this.skipSpace();
    const c = this.text.charCodeAt(this.i++);
    if (c === close) return true;
    if (c !== 0x2c) this.fail(`expected "," or "${String.fromCharCode(close)}"`);
    return false;
  }

  private object(depth: number): JsonObject {
    const start = this.i++;
    const out: JsonObject = new Map();
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    do {
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 0x22) this.fail('expected a string object key');
      const key = this.string();
      if (out.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== 0x3a) this.fail('expected ":" after an object key');
      this.i++;
      out.set(key, this.value(depth + 1));
    } while (!this.next(0x7d));
    (out as WithSource)[SOURCE] = { text: this.text, start, end: this.i };
    return out;
  }

  private array(depth: number): JsonNode[] {
    const start = this.i++;
    const out: JsonNode[] = [];
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    do out.push(this.value(depth + 1));
    while (!this.next(0x5d));
    (out as WithSource)[SOURCE] = { text: this.text, start, end: this.i };
    return out;
  }

  private string(): string {
    const t = this.text;
    const start = this.i + 1;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) return this.escapedString(start);
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('unterminated string');
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('control character in a string');
      }
      i++;
    }
    this.i = i + 1;
    return t.slice(start, i);
  }

  /** The slow path for strings with escapes: validated with a strict pattern, decoded by JSON.parse. */
  private escapedString(start: number): string {
    const t = this.text;
    let i = start;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('unterminated string');
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('control character in a string');
      }
      if (c === 0x5c) {
        const e = t[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) {
            this.i = i;
            this.fail('invalid \\u escape');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.i = i;
          this.fail('invalid escape');
        }
        i += 2;
        continue;
      }
      i++;
    }
    const value = JSON.parse(t.slice(start - 1, i + 1)) as string;
    if (LONE_SURROGATE.test(value)) {
      this.i = start;
      this.fail('lone surrogate escape in a string');
    }
    this.i = i + 1;
    return value;
  }
}

export function parseJsonTree(input: Uint8Array | string): ParsedJson {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      return { ok: false, problem: 'the document is not valid UTF-8' };
    }
  }
  if (LONE_SURROGATE.test(text)) return { ok: false, problem: 'the document contains a lone surrogate' };
  try {
    return { ok: true, value: new TreeParser(text).document() };
  } catch (error) {
    if (error instanceof TreeFailure) return { ok: false, problem: error.message };
    throw error;
  }
}

/** Compact JSON; number literals exactly as parsed. */
export function stringifyJsonTree(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'string') return JSON.stringify(node);
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (node instanceof JsonNumber) return node.text;
  const source = (node as WithSource)[SOURCE];
  if (source !== undefined) return source.text.slice(source.start, source.end);
  // String concatenation builds ropes in V8: far cheaper than collecting millions of parts.
  let out: string;
  if (Array.isArray(node)) {
    out = '[';
    for (let i = 0; i < node.length; i++) out += (i === 0 ? '' : ',') + stringifyJsonTree(node[i]!);
    return out + ']';
  }
  out = '{';
  let first = true;
  for (const [key, value] of node) {
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + stringifyJsonTree(value);
    first = false;
  }
  return out + '}';
}

/** A tree from plain JS values (for building replacements); numbers must be safe integers. */
export function toJsonTree(value: unknown): JsonNode {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return new JsonNumber(String(value));
  }
  if (Array.isArray(value)) return value.map(toJsonTree);
  if (typeof value === 'object') {
    return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonTree(v)]));
  }
  throw new TypeError(`cannot represent ${typeof value} in JSON`);
}
