/**
 * The string a container sees for an unquoted YAML scalar. Docker compose v2 decodes YAML with Go's
 * yaml.v3 into untyped values and then formats them with `fmt.Sprint`, so `POST: 010` reaches the
 * container as `8`, `1.0` as `1` and `True` as `true`. Compose builds that decode the YAML node text
 * instead pass `010`, `1.0` and `True` through unchanged; callers compare both to flag the difference.
 */

import type { YamlScalarKind } from './model.js';

export interface TypedScalar {
  kind: YamlScalarKind;
  /** `null` for YAML null (an unset environment value, an empty label). */
  value: string | null;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);
const NANS = new Set(['.nan', '.NaN', '.NAN']);
const INFINITIES = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
const NEGATIVE_INFINITIES = new Set(['-.inf', '-.Inf', '-.INF']);
// yaml.v3's float syntax, checked after it strips every underscore.
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Types an unquoted scalar the way yaml.v3 does and formats it the way Go's `fmt.Sprint` does. */
export function typePlainScalar(text: string): TypedScalar {
  if (NULLS.has(text)) return { kind: 'null', value: null };
  if (TRUES.has(text)) return { kind: 'bool', value: 'true' };
  if (FALSES.has(text)) return { kind: 'bool', value: 'false' };
  if (NANS.has(text)) return { kind: 'float', value: 'NaN' };
  if (INFINITIES.has(text)) return { kind: 'float', value: '+Inf' };
  if (NEGATIVE_INFINITIES.has(text)) return { kind: 'float', value: '-Inf' };
  const first = text[0] ?? '';
  if (first === '.') {
    const float = parseGoFloat(text);
    return float === undefined ? { kind: 'string', value: text } : { kind: 'float', value: formatGoFloat(float) };
  }
  if (!/[-+0-9]/.test(first)) return { kind: 'string', value: text };
  const plain = text.replace(/_/g, '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return { kind: 'int', value: integer.toString() };
  if (YAML_FLOAT.test(plain)) {
    const float = parseGoFloat(plain);
    if (float !== undefined) return { kind: 'float', value: formatGoFloat(float) };
  }
  return { kind: 'string', value: text };
}

/** Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint` for values above int64 like yaml.v3. */
function parseGoInteger(text: string): bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign = '', body = ''] = match;
  let magnitude: bigint;
  if (/^0[oO]/.test(body)) magnitude = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) magnitude = BigInt('0o' + body.slice(1));
  else magnitude = BigInt(body);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value < INT64_MIN) return undefined;
  // Above int64 only ParseUint succeeds, and it takes no sign.
  if (value >= 2n ** 63n && (sign !== '' || value > UINT64_MAX)) return undefined;
  return value;
}

/** Go's `strconv.ParseFloat` for decimal text; overflow is an error there, so it is `undefined` here. */
function parseGoFloat(text: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Go's `%v` for a float64: shortest digits, exponent form below 1e-4 and from 1e6 (`1e+06`). */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return value.toString();
}
