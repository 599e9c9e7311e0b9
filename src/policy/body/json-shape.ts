/**
 * A declaration of the Go struct a Docker request body is decoded into, as far as the inspectors read
 * it. It tells decodeDockerJson which objects are Go structs (keys folded, case-variant duplicates
 * rejected) and which are maps (keys exact), and which JSON type each inspected field must have.
 * Fields an inspector never reads need no declaration: the decoder still parses and bounds them.
 */
import { foldGoName } from './go-fold.js';

export interface StringShape {
  readonly kind: 'string';
}
export interface BoolShape {
  readonly kind: 'bool';
}
export interface IntShape {
  readonly kind: 'int';
  readonly min: bigint;
  readonly max: bigint;
}
/** Docker's strslice.StrSlice: a string or a list of strings, decoded as a list. */
export interface StrSliceShape {
  readonly kind: 'strslice';
}
/** A string or a list of strings kept as sent (exec Cmd is whitespace-split only when a string). */
export interface StringOrListShape {
  readonly kind: 'string-or-list';
}
export interface AnyShape {
  readonly kind: 'any';
}
export interface ListShape<I extends Shape = Shape> {
  readonly kind: 'list';
  readonly item: I;
}
export interface MapShape<V extends Shape = Shape> {
  readonly kind: 'map';
  readonly value: V;
}
export interface StructShape<F extends Record<string, Shape> = Record<string, Shape>> {
  readonly kind: 'struct';
  readonly fields: F;
  /** Go-folded field name -> canonical field name. */
  readonly byFoldedName: ReadonlyMap<string, string>;
}

export type Shape =
  | StringShape
  | BoolShape
  | IntShape
  | StrSliceShape
  | StringOrListShape
  | AnyShape
  | ListShape
  | MapShape
  | StructShape;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The decoded form. Absent and `null` are the same to Go for every field we read, so both are `undefined`. */
export type Decoded<S> = S extends StringShape
  ? string
  : S extends BoolShape
    ? boolean
    : S extends IntShape
      ? number
      : S extends StrSliceShape
        ? string[]
        : S extends StringOrListShape
          ? string | string[]
          : S extends ListShape<infer I>
            ? Decoded<I>[]
            : S extends MapShape<infer V>
              ? Record<string, Decoded<V>>
              : S extends StructShape<infer F>
                ? { [K in keyof F]?: Decoded<F[K]> }
                : JsonValue;

export const string: StringShape = { kind: 'string' };
export const bool: BoolShape = { kind: 'bool' };
export const int64: IntShape = { kind: 'int', min: -(2n ** 63n), max: 2n ** 63n - 1n };
export const uint64: IntShape = { kind: 'int', min: 0n, max: 2n ** 64n - 1n };
export const strslice: StrSliceShape = { kind: 'strslice' };
export const stringOrList: StringOrListShape = { kind: 'string-or-list' };
export const any: AnyShape = { kind: 'any' };

export function list<I extends Shape>(item: I): ListShape<I> {
  return { kind: 'list', item };
}

export function map<V extends Shape>(value: V): MapShape<V> {
  return { kind: 'map', value };
}

export function struct<F extends Record<string, Shape>>(fields: F): StructShape<F> {
  const byFoldedName = new Map<string, string>();
  for (const name of Object.keys(fields)) {
    const folded = foldGoName(name);
    const clash = byFoldedName.get(folded);
    if (clash !== undefined) throw new Error(`struct fields ${clash} and ${name} fold to the same JSON key`);
    byFoldedName.set(folded, name);
  }
  return { kind: 'struct', fields, byFoldedName };
}
