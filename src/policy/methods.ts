/**
 * Rule method lists (sockguard-config.md §3.5): comma-separated, trimmed, empty parts dropped,
 * case-insensitive, `*` anywhere means any method. `GET` does not imply `HEAD`.
 */

const STANDARD = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'] as const;
const BIT = new Map<string, number>(STANDARD.map((m, i) => [m, 1 << i]));

export interface MethodSet {
  readonly any: boolean;
  readonly mask: number;
  readonly others: ReadonlySet<string>;
  /** The upper-cased method names as written, for display. */
  readonly names: readonly string[];
}

export function splitMethods(field: string): string[] {
  return field
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
}

export function parseMethodSet(field: string): MethodSet {
  const names = splitMethods(field).map((m) => m.toUpperCase());
  let mask = 0;
  const others = new Set<string>();
  for (const name of names) {
    const bit = BIT.get(name);
    if (bit !== undefined) mask |= bit;
    else if (name !== '*') others.add(name);
  }
  return { any: names.includes('*'), mask, others, names };
}

/** Bit of an upper-cased request method, 0 for non-standard methods. */
export function methodBit(upperMethod: string): number {
  return BIT.get(upperMethod) ?? 0;
}

export function methodMatches(set: MethodSet, upperMethod: string, bit = methodBit(upperMethod)): boolean {
  if (set.any) return true;
  return bit !== 0 ? (set.mask & bit) !== 0 : set.others.has(upperMethod);
}

/** True when every method of `inner` is also in `outer`. */
export function methodSetCovers(outer: MethodSet, inner: MethodSet): boolean {
  if (outer.any) return true;
  if (inner.any) return false;
  return (inner.mask & ~outer.mask) === 0 && [...inner.others].every((m) => outer.others.has(m));
}

export const STANDARD_METHODS: readonly string[] = STANDARD;
