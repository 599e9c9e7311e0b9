/**
 * Token buckets, one per client key, for one profile's `limits.rate` (sockguard-config.md §9): a
 * bucket starts full (`burst` tokens), refills continuously at `tokens_per_second` up to `burst`, and
 * a request takes its cost or is refused with the whole seconds until the cost would be available
 * (Retry-After, at least 1), without taking anything.
 *
 * Memory stays bounded whatever the number of clients: a bucket untouched long enough to have
 * refilled to `burst` is indistinguishable from a new one and is dropped, and beyond `maxBuckets`
 * the least recently used bucket goes (that client then starts again from a full bucket: lenient to
 * it, never stricter to anyone). The clock is the caller's, in milliseconds, and should be monotonic.
 */

export interface RateSettings {
  readonly tokensPerSecond: number;
  readonly burst: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
  touchedAt: number;
}

export const DEFAULT_MAX_BUCKETS = 10_000;

/** Float noise (0.1 + 0.2) must not turn an exact 1 s wait into a 2 s Retry-After. */
const RETRY_EPSILON = 1e-9;

export class TokenBuckets {
  /** Ordered from least to most recently touched. */
  readonly #buckets = new Map<string, Bucket>();
  readonly #fullAfterMs: number;

  constructor(
    readonly settings: RateSettings,
    readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    this.#fullAfterMs = (settings.burst / settings.tokensPerSecond) * 1000;
  }

  get size(): number {
    return this.#buckets.size;
  }

  take(key: string, cost: number, nowMs: number): TakeResult {
    this.#dropRefilled(nowMs);
    const { tokensPerSecond, burst } = this.settings;
    let bucket = this.#buckets.get(key);
    if (bucket) {
      this.#buckets.delete(key);
    } else {
      if (this.#buckets.size >= this.maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value!);
      bucket = { tokens: burst, refilledAt: nowMs, touchedAt: nowMs };
    }
    this.#buckets.set(key, bucket);
    bucket.touchedAt = Math.max(bucket.touchedAt, nowMs);
    // A clock that went backwards refills nothing (and does not move the refill mark back).
    if (nowMs > bucket.refilledAt) {
      bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.refilledAt) / 1000) * tokensPerSecond);
      bucket.refilledAt = nowMs;
    }
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    const wait = (cost - bucket.tokens) / tokensPerSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait - RETRY_EPSILON)) };
  }

  #dropRefilled(nowMs: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (nowMs - bucket.touchedAt < this.#fullAfterMs) return;
      this.#buckets.delete(key);
    }
  }
}
