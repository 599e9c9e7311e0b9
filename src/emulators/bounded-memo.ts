/**
 * Per-emulator memo of path-dependent work. A parity corpus asks about the same path with many
 * methods, so emulators decide each distinct path once. The cache is bounded (cleared when full) so
 * a long-running caller cannot grow it without limit.
 */

/** Entries kept before the memo starts over; a migration corpus has a few thousand distinct paths. */
const DEFAULT_LIMIT = 8192;

export function memoizeByKey<V>(compute: (key: string) => V, limit = DEFAULT_LIMIT): (key: string) => V {
  const cache = new Map<string, V>();
  return (key: string): V => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    if (cache.size >= limit) cache.clear();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
