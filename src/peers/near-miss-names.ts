/**
 * Unknown or misspelled variables (`IAMGES=1`, `INF0=1`, `containers=1`) are silently ignored by
 * every source proxy (peers.md §7). We find the names a user probably meant so `migrate` can warn.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function measureNameDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The recognised name `name` most likely stands for, or undefined. A name that differs only in case
 * or surrounding blanks always counts; otherwise one edit is allowed (two for names of 8+ characters),
 * and names shorter than 4 characters are never guessed at (`TZ` is not a typo of anything).
 */
export function findNearMissName(name: string, recognised: readonly string[]): string | undefined {
  if (recognised.includes(name)) return undefined;
  const normalised = name.trim().toUpperCase();
  const exact = recognised.find((candidate) => candidate === normalised);
  if (exact !== undefined) return exact;
  if (normalised.length < 4) return undefined;
  const budget = normalised.length >= 8 ? 2 : 1;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of recognised) {
    const distance = measureNameDistance(normalised, candidate);
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
