/**
 * A small cache in front of the caller-container lookup (one `GET /containers/json` per source
 * address), so a burst from one client does not turn into a burst against the daemon: concurrent
 * misses for the same address share one lookup, results live `ttlMs` (10 s, as in the Go proxy, so a
 * reassigned address is picked up soon), failures are never cached, and at most `maxEntries` (256)
 * addresses are kept — expired ones go first, then the oldest.
 */

const CLIENT_LOOKUP_TTL_MS = 10_000;
const CLIENT_LOOKUP_MAX_ENTRIES = 256;

export interface ClientLookupCacheOptions<T> {
  readonly resolve: (key: string) => Promise<T>;
  /** Monotonic milliseconds. */
  readonly now: () => number;
  readonly ttlMs?: number;
  readonly maxEntries?: number;
}

export class ClientLookupCache<T> {
  readonly #options: ClientLookupCacheOptions<T>;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  /** Oldest first. */
  readonly #entries = new Map<string, { value: T; at: number }>();
  readonly #pending = new Map<string, Promise<T>>();

  constructor(options: ClientLookupCacheOptions<T>) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? CLIENT_LOOKUP_TTL_MS;
    this.#maxEntries = options.maxEntries ?? CLIENT_LOOKUP_MAX_ENTRIES;
  }

  get size(): number {
    return this.#entries.size;
  }

  lookup(key: string): Promise<T> {
    const cached = this.#entries.get(key);
    if (cached && this.#options.now() - cached.at < this.#ttlMs) return Promise.resolve(cached.value);
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const lookup = this.#options.resolve(key).then(
      (value) => {
        this.#pending.delete(key);
        this.#store(key, value);
        return value;
      },
      (error: unknown) => {
        this.#pending.delete(key);
        throw error;
      },
    );
    this.#pending.set(key, lookup);
    return lookup;
  }

  #store(key: string, value: T): void {
    const now = this.#options.now();
    this.#entries.delete(key);
    // Entries are in storing order, so the expired ones are at the front.
    for (const [k, entry] of this.#entries) {
      if (now - entry.at < this.#ttlMs) break;
      this.#entries.delete(k);
    }
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, at: now });
  }
}
