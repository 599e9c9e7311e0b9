/**
 * A small schema language: one definition of the configuration surface yields the TypeScript types
 * (Infer / Resolved), the runtime validator (validateAgainst) and the JSON Schema (toJsonSchema).
 *
 * Validation mirrors how the Go project decodes YAML (Viper + mapstructure, lenient): keys match
 * case-insensitively, scalars are weakly coerced ("true" -> bool, 1 -> "1", "a,b" -> ["a","b"]).
 * Where the upstream decoder silently coerces or ignores, we still accept the value but report a
 * warning, because what the user wrote is probably not what they meant.
 */

export type StringFormat = 'duration' | 'duration-or-off' | 'cidr' | 'absolute-path';

interface Common {
  description?: string;
  /** False for keys the Go project reads but this toolkit's proxy does not enforce yet. */
  implemented?: boolean;
}

export interface StringSpec<D extends boolean = boolean> extends Common {
  kind: 'string';
  default?: string;
  format?: StringFormat;
  pattern?: RegExp;
  readonly _d?: D;
}
export interface BoolSpec<D extends boolean = boolean> extends Common {
  kind: 'bool';
  default?: boolean;
  readonly _d?: D;
}
export interface IntSpec<D extends boolean = boolean> extends Common {
  kind: 'int';
  default?: number;
  min?: number;
  max?: number;
  readonly _d?: D;
}
export interface EnumSpec<V extends string = string, D extends boolean = boolean> extends Common {
  kind: 'enum';
  values: readonly V[];
  default?: V;
  caseInsensitive?: boolean;
  readonly _d?: D;
}
export interface ListSpec<I extends Spec = Spec> extends Common {
  kind: 'list';
  item: I;
  maxItems?: number;
}
export interface MapSpec<V extends Spec = Spec> extends Common {
  kind: 'map';
  value: V;
}
export interface ObjectSpec<
  F extends Record<string, Spec> = Record<string, Spec>,
  D extends boolean = boolean,
> extends Common {
  kind: 'object';
  fields: F;
  /** The block's presence means something (a Go pointer): absent stays absent after defaults. */
  presence?: boolean;
  readonly _d?: D;
}

export type Spec = StringSpec | BoolSpec | IntSpec | EnumSpec | ListSpec | MapSpec | ObjectSpec;

type Opts<T> = Common & T;

export function str(opts: Opts<{ format?: StringFormat; pattern?: RegExp }> = {}): StringSpec<false> {
  return { kind: 'string', ...opts };
}
export function strDefault(
  value: string,
  opts: Opts<{ format?: StringFormat; pattern?: RegExp }> = {},
): StringSpec<true> {
  return { kind: 'string', default: value, ...opts };
}
export function bool(value: boolean, opts: Common = {}): BoolSpec<true> {
  return { kind: 'bool', default: value, ...opts };
}
export function int(opts: Opts<{ min?: number; max?: number }> = {}): IntSpec<false> {
  return { kind: 'int', ...opts };
}
export function intDefault(value: number, opts: Opts<{ min?: number; max?: number }> = {}): IntSpec<true> {
  return { kind: 'int', default: value, ...opts };
}
export function oneOf<const V extends string>(
  values: readonly V[],
  opts: Opts<{ caseInsensitive?: boolean }> = {},
): EnumSpec<V, false> {
  return { kind: 'enum', values, ...opts };
}
export function oneOfDefault<const V extends string>(
  values: readonly V[],
  value: V,
  opts: Opts<{ caseInsensitive?: boolean }> = {},
): EnumSpec<V, true> {
  return { kind: 'enum', values, default: value, ...opts };
}
export function list<I extends Spec>(item: I, opts: Opts<{ maxItems?: number }> = {}): ListSpec<I> {
  return { kind: 'list', item, ...opts };
}
export function mapOf<V extends Spec>(value: V, opts: Common = {}): MapSpec<V> {
  return { kind: 'map', value, ...opts };
}
export function obj<F extends Record<string, Spec>>(fields: F, opts: Common = {}): ObjectSpec<F, true> {
  return { kind: 'object', fields, ...opts };
}
/** A block that defaults do not create: writing it (even empty) switches something on. */
export function presenceObj<F extends Record<string, Spec>>(fields: F, opts: Common = {}): ObjectSpec<F, false> {
  return { kind: 'object', fields, presence: true, ...opts };
}

/** The document type: what a user may write (every key optional). */
export type Infer<S> = S extends StringSpec
  ? string
  : S extends BoolSpec
    ? boolean
    : S extends IntSpec
      ? number
      : S extends EnumSpec<infer V>
        ? V
        : S extends ListSpec<infer I>
          ? Infer<I>[]
          : S extends MapSpec<infer V>
            ? Record<string, Infer<V>>
            : S extends ObjectSpec<infer F>
              ? { [K in keyof F]?: Infer<F[K]> }
              : never;

type HasDefault<S> = S extends { _d?: infer D } ? (D extends true ? true : false) : S extends ObjectSpec ? true : false;
type RequiredKeys<F> = { [K in keyof F]: HasDefault<F[K]> extends true ? K : never }[keyof F];
type OptionalKeys<F> = Exclude<keyof F, RequiredKeys<F>>;

/**
 * The resolved type: what the proxy sees after defaults (see applyDefaults). Scalars with a default
 * and nested objects are always present; list elements are NOT default-filled (the Go loader treats
 * slices as leaves, so e.g. a profile's request_body gets no root defaults).
 */
export type Resolved<S> =
  S extends ObjectSpec<infer F>
    ? { [K in RequiredKeys<F>]: Resolved<F[K]> } & { [K in OptionalKeys<F>]?: Resolved<F[K]> }
    : S extends ListSpec<infer I>
      ? Infer<I>[]
      : Infer<S>;

export interface SchemaIssue {
  code:
    | 'schema/unknown-key'
    | 'schema/key-case'
    | 'schema/duplicate-key'
    | 'schema/type'
    | 'schema/coerced'
    | 'schema/enum'
    | 'schema/format'
    | 'schema/range'
    | 'schema/not-implemented';
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Reference tokens of the offending node. */
  path: (string | number)[];
  /** True when the issue is about the key itself rather than its value. */
  onKey?: boolean;
  suggestion?: string;
}

export interface Validated {
  value: unknown;
  issues: SchemaIssue[];
}

const TRUE_STRINGS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_STRINGS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);
const DURATION_RE = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'a boolean'} (${JSON.stringify(value)})`;
}

function describePath(path: (string | number)[]): string {
  return path.map((t, i) => (typeof t === 'number' ? `[${t}]` : i === 0 ? t : `.${t}`)).join('') || '(root)';
}

/** Go's time.ParseDuration grammar (plus a bare "0"). */
export function isGoDuration(text: string): boolean {
  return text === '0' || DURATION_RE.test(text);
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return false;
  let groups = text.split(':');
  const last = groups[groups.length - 1] ?? '';
  let extra = 0;
  if (last.includes('.')) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const compressed = text.includes('::');
  const filled = groups.filter((g) => g !== '');
  if (!filled.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = filled.length + extra;
  return compressed ? count < 8 : count === 8 && groups.every((g) => g !== '');
}

/** Go's net.ParseCIDR: an IP address, a slash and a prefix length valid for that family. */
export function isCidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const ip = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  // Decimal without sign or leading zeros, as Go's netip.ParsePrefix demands ("/08" is an error there).
  if (!/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  if (isIPv4(ip)) return Number(bits) <= 32;
  if (isIPv6(ip)) return Number(bits) <= 128;
  return false;
}

export function isIpAddress(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

function checkFormat(format: StringFormat, text: string): string | undefined {
  switch (format) {
    case 'duration':
      return isGoDuration(text) ? undefined : `"${text}" is not a duration (write e.g. 30s, 5m, 250ms)`;
    case 'duration-or-off':
      return text === '' || text === 'off' || isGoDuration(text)
        ? undefined
        : `"${text}" is not a duration or "off" (exact, lower-case)`;
    case 'cidr':
      return isCidr(text) ? undefined : `"${text}" is not a CIDR (write e.g. 10.0.0.0/8 or 192.168.1.5/32)`;
    case 'absolute-path':
      return text.startsWith('/') ? undefined : `"${text}" must be an absolute path`;
  }
}

/**
 * Levenshtein distance, for did-you-mean suggestions on unknown keys and enum values. With a
 * `limit`, gives up as soon as the distance must exceed it (a row's minimum never decreases) and
 * returns `limit + 1`, so scanning many candidates stays cheap.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
      if (row[j]! < rowMin) rowMin = row[j]!;
    }
    if (rowMin > limit) return limit + 1;
  }
  return Math.min(row[b.length]!, limit + 1);
}

export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

class Validator {
  readonly issues: SchemaIssue[] = [];

  private report(issue: SchemaIssue): void {
    this.issues.push(issue);
  }

  validate(spec: Spec, value: unknown, path: (string | number)[]): unknown {
    if (spec.implemented === false && value !== undefined && value !== null) {
      this.report({
        code: 'schema/not-implemented',
        severity: 'info',
        message: `${describePath(path)} is part of the Sockguard format but this toolkit's proxy does not enforce it yet; the Go proxy does`,
        path,
        onKey: true,
      });
    }
    switch (spec.kind) {
      case 'string':
        return this.string(spec, value, path);
      case 'bool':
        return this.bool(value, path);
      case 'int':
        return this.int(spec, value, path);
      case 'enum':
        return this.enum(spec, value, path);
      case 'list':
        return this.list(spec, value, path);
      case 'map':
        return this.map(spec, value, path);
      case 'object':
        return this.object(spec, value, path);
    }
  }

  private coerced(path: (string | number)[], from: unknown, to: unknown, what: string): void {
    this.report({
      code: 'schema/coerced',
      severity: 'warning',
      message: `${describePath(path)} is ${typeName(from)}; sockguard coerces it to ${what} ${JSON.stringify(to)}: write that instead`,
      path,
      suggestion: JSON.stringify(to),
    });
  }

  private typeError(path: (string | number)[], value: unknown, expected: string): undefined {
    this.report({
      code: 'schema/type',
      severity: 'error',
      message: `${describePath(path)} must be ${expected}, got ${typeName(value)}`,
      path,
    });
    return undefined;
  }

  private string(spec: StringSpec, value: unknown, path: (string | number)[]): unknown {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'boolean') {
      text = String(value);
      this.coerced(path, value, text, 'the string');
    } else if (value === null || value === undefined) return value;
    else return this.typeError(path, value, 'a string');
    if (spec.format && text !== '') {
      const problem = checkFormat(spec.format, text);
      if (problem)
        this.report({ code: 'schema/format', severity: 'error', message: `${describePath(path)}: ${problem}`, path });
    }
    if (spec.pattern && !spec.pattern.test(text)) {
      this.report({
        code: 'schema/format',
        severity: 'error',
        message: `${describePath(path)} must match ${spec.pattern.source}, got "${text}"`,
        path,
      });
    }
    return text;
  }

  private bool(value: unknown, path: (string | number)[]): unknown {
    if (typeof value === 'boolean' || value === null || value === undefined) return value;
    if (typeof value === 'string' && (TRUE_STRINGS.has(value) || FALSE_STRINGS.has(value))) {
      const result = TRUE_STRINGS.has(value);
      this.coerced(path, value, result, 'the boolean');
      return result;
    }
    if (typeof value === 'number' && Number.isInteger(value)) {
      const result = value !== 0;
      this.coerced(path, value, result, 'the boolean');
      return result;
    }
    return this.typeError(path, value, 'true or false');
  }

  private int(spec: IntSpec, value: unknown, path: (string | number)[]): unknown {
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim())) {
      n = Number(value.trim());
      this.coerced(path, value, n, 'the integer');
    } else if (value === null || value === undefined) return value;
    else return this.typeError(path, value, 'an integer');
    if (!Number.isInteger(n)) return this.typeError(path, value, 'an integer');
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
      const bounds =
        spec.max === undefined
          ? `>= ${spec.min}`
          : spec.min === undefined
            ? `<= ${spec.max}`
            : `${spec.min}..${spec.max}`;
      this.report({
        code: 'schema/range',
        severity: 'error',
        message: `${describePath(path)} must be ${bounds}, got ${n}`,
        path,
      });
    }
    return n;
  }

  private enum(spec: EnumSpec, value: unknown, path: (string | number)[]): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'string') return this.typeError(path, value, `one of ${spec.values.join(', ')}`);
    const found = spec.values.find((v) =>
      spec.caseInsensitive ? v.toLowerCase() === value.toLowerCase() : v === value,
    );
    if (found !== undefined) return value;
    const suggestion = closestName(value, spec.values);
    this.report({
      code: 'schema/enum',
      severity: 'error',
      message: `${describePath(path)} must be ${spec.values.map((v) => `"${v}"`).join(' or ')}, got "${value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
      path,
      ...(suggestion ? { suggestion } : {}),
    });
    return value;
  }

  private list(spec: ListSpec, value: unknown, path: (string | number)[]): unknown {
    if (value === null || value === undefined) return value;
    let items: unknown[];
    if (Array.isArray(value)) items = value;
    else if (typeof value === 'string' && (spec.item.kind === 'string' || spec.item.kind === 'enum')) {
      // Viper's StringToSliceHookFunc(","): "a,b" decodes as ["a", "b"].
      items = value === '' ? [] : value.split(',');
      this.coerced(path, value, items, 'the list');
    } else return this.typeError(path, value, 'a list');
    if (spec.maxItems !== undefined && items.length > spec.maxItems) {
      this.report({
        code: 'schema/range',
        severity: 'error',
        message: `${describePath(path)} may have at most ${spec.maxItems} entries, got ${items.length}`,
        path,
      });
    }
    return items.map((item, i) => this.validate(spec.item, item, [...path, i]));
  }

  private map(spec: MapSpec, value: unknown, path: (string | number)[]): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'object' || Array.isArray(value)) return this.typeError(path, value, 'a mapping');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.validate(spec.value, item, [...path, key]);
    return out;
  }

  private object(spec: ObjectSpec, value: unknown, path: (string | number)[]): unknown {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'object' || Array.isArray(value)) return this.typeError(path, value, 'a mapping');
    const known = Object.keys(spec.fields);
    const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
    const seen = new Map<string, string>();
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const canonical = byLower.get(key.toLowerCase());
      if (canonical === undefined) {
        const suggestion = closestName(key, known);
        this.report({
          code: 'schema/unknown-key',
          severity: 'warning',
          message: `unknown key "${key}" in ${describePath(path)}; sockguard ignores it${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          path: [...path, key],
          onKey: true,
          ...(suggestion ? { suggestion } : {}),
        });
        continue;
      }
      const earlier = seen.get(canonical);
      if (earlier !== undefined) {
        this.report({
          code: 'schema/duplicate-key',
          severity: 'error',
          message: `"${key}" and "${earlier}" are the same key to sockguard (keys are case-insensitive); keep one`,
          path: [...path, key],
          onKey: true,
        });
        continue;
      }
      seen.set(canonical, key);
      if (canonical !== key) {
        this.report({
          code: 'schema/key-case',
          severity: 'warning',
          message: `"${key}" works only because sockguard matches keys case-insensitively; write "${canonical}"`,
          path: [...path, key],
          onKey: true,
          suggestion: canonical,
        });
      }
      out[canonical] = this.validate(spec.fields[canonical]!, item, [...path, key]);
    }
    return out;
  }
}

/** Validates and coerces a plain JS value (from YAML) against a spec. */
export function validateAgainst(spec: Spec, value: unknown): Validated {
  const validator = new Validator();
  const result = validator.validate(spec, value, []);
  return { value: result, issues: validator.issues };
}

/**
 * Fills absent scalars that have a default and materialises nested objects, exactly as the Go
 * loader does: list elements are leaves and receive no defaults.
 */
export function applyDefaults<S extends Spec>(spec: S, value: unknown): Resolved<S> {
  return fill(spec, value) as Resolved<S>;
}

function fill(spec: Spec, value: unknown): unknown {
  if (spec.kind === 'object' && spec.presence && (value === undefined || value === null)) return undefined;
  if (spec.kind === 'object') {
    const input =
      value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(spec.fields)) {
      const filled = fill(field, input[key]);
      if (filled !== undefined) out[key] = filled;
    }
    return out;
  }
  if (value !== undefined && value !== null) return value;
  if (spec.kind === 'list' || spec.kind === 'map') return undefined;
  return spec.default;
}

/** Emits a JSON Schema (draft-07) for editors (yaml-language-server completion and hover). */
export function toJsonSchema(spec: Spec): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  if (spec.description) base.description = spec.description;
  switch (spec.kind) {
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(spec.default !== undefined ? { default: spec.default } : {}),
        ...(spec.pattern ? { pattern: spec.pattern.source } : {}),
      };
    case 'bool':
      return { ...base, type: 'boolean', default: spec.default };
    case 'int':
      return {
        ...base,
        type: 'integer',
        ...(spec.default !== undefined ? { default: spec.default } : {}),
        ...(spec.min !== undefined ? { minimum: spec.min } : {}),
        ...(spec.max !== undefined ? { maximum: spec.max } : {}),
      };
    case 'enum':
      return { ...base, enum: [...spec.values], ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'list':
      return {
        ...base,
        type: 'array',
        items: toJsonSchema(spec.item),
        ...(spec.maxItems ? { maxItems: spec.maxItems } : {}),
      };
    case 'map':
      return { ...base, type: 'object', additionalProperties: toJsonSchema(spec.value) };
    case 'object':
      return {
        ...base,
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(spec.fields).map(([k, v]) => [k, toJsonSchema(v)])),
      };
  }
}
