/**
 * In-flight request counting for `limits.concurrency.max_inflight` (per client) and
 * `clients.global_concurrency.max_inflight` with `limits.priority` floors (sockguard-config.md §9):
 * a request of priority p is admitted only while the global count is below floor(max × share(p)),
 * share low 50 %, normal 80 % (the default), high 100 %; a high request always gets at least one
 * slot. Refused requests are never counted. Counters at zero are deleted, so memory follows the
 * number of requests in flight, not the number of clients ever seen.
 */

export type Priority = 'low' | 'normal' | 'high';

const PRIORITY_SHARE: Readonly<Record<Priority, number>> = { low: 0.5, normal: 0.8, high: 1 };

export function priorityThreshold(priority: Priority, globalMax: number): number {
  const threshold = Math.floor(globalMax * PRIORITY_SHARE[priority]);
  return priority === 'high' ? Math.max(1, threshold) : threshold;
}

/** Counts per key; `tryAcquire` admits below `max`, `release` undoes one admitted acquire. */
export class InflightCounter {
  readonly #counts = new Map<string, number>();

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  /** Counts the request only when fewer than `max` are in flight for `key`. */
  tryAcquire(key: string, max: number): boolean {
    const current = this.count(key);
    if (current >= max) return false;
    this.#counts.set(key, current + 1);
    return true;
  }

  /** Counts the request whatever the limit (warn/audit profiles still show real concurrency). */
  acquire(key: string): void {
    this.#counts.set(key, this.count(key) + 1);
  }

  release(key: string): void {
    const current = this.count(key);
    if (current <= 1) this.#counts.delete(key);
    else this.#counts.set(key, current - 1);
  }
}
