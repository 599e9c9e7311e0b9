/**
 * What /health and /ready report about the daemon (sockguard-config.md §11.1):
 *  - liveness: can we connect to the upstream at all (cached 2 s, 3 s connect timeout; refreshed
 *    every `health.watchdog.interval` when the watchdog is on);
 *  - readiness: does the API answer `GET /containers/json?limit=1` with a 2xx (probed every
 *    `health.readiness.interval`, each probe bounded by `.timeout`).
 */
import type { ProxyMetrics } from './metrics.js';
import type { Upstream } from './upstream.js';

export const LIVENESS_CACHE_MS = 2_000;
const READINESS_PROBE_TARGET = '/containers/json?limit=1';

export interface Liveness {
  upstream: 'connected' | 'unreachable';
  error?: string;
}

export interface Readiness {
  upstream: 'ready' | 'unreachable';
  error?: string;
}

export interface MonitorOptions {
  watchdogIntervalMs?: number;
  readiness?: { intervalMs: number; timeoutMs: number };
}

export class UpstreamMonitor {
  #liveness: { at: number; value: Liveness } | undefined;
  #pending: Promise<Liveness> | undefined;
  #readiness: Readiness = { upstream: 'unreachable', error: 'not probed yet' };
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly upstream: Upstream,
    private readonly metrics: ProxyMetrics,
    private readonly options: MonitorOptions,
  ) {}

  start(): void {
    const { watchdogIntervalMs, readiness } = this.options;
    if (watchdogIntervalMs !== undefined) {
      void this.checkLiveness(true);
      this.#timers.push(setInterval(() => void this.checkLiveness(true), watchdogIntervalMs).unref());
    }
    if (readiness) {
      void this.probeReadiness();
      this.#timers.push(setInterval(() => void this.probeReadiness(), readiness.intervalMs).unref());
    }
  }

  stop(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }

  /** Liveness, from cache when fresh; concurrent callers share one connect attempt. */
  liveness(): Promise<Liveness> {
    const cached = this.#liveness;
    if (cached && Date.now() - cached.at < LIVENESS_CACHE_MS) return Promise.resolve(cached.value);
    return this.checkLiveness(false);
  }

  readiness(): Readiness {
    return this.#readiness;
  }

  private checkLiveness(fromWatchdog: boolean): Promise<Liveness> {
    this.#pending ??= this.upstream
      .dial()
      .then((): Liveness => ({ upstream: 'connected' }))
      .catch((error: Error): Liveness => ({ upstream: 'unreachable', error: error.message }))
      .then((value) => {
        this.#liveness = { at: Date.now(), value };
        this.#pending = undefined;
        if (fromWatchdog) {
          this.metrics.upstreamSocketUp.set(value.upstream === 'connected' ? 1 : 0);
          this.metrics.watchdogChecks.inc({ result: value.upstream });
        }
        return value;
      });
    return this.#pending;
  }

  private probeReadiness(): Promise<void> {
    const timeoutMs = this.options.readiness?.timeoutMs ?? 5_000;
    return new Promise<Readiness>((resolve) => {
      const req = this.upstream.request({ method: 'GET', path: READINESS_PROBE_TARGET, headers: ['Host', 'docker'] });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('response', (res) => {
        res.resume();
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve(
          status >= 200 && status < 300
            ? { upstream: 'ready' }
            : { upstream: 'unreachable', error: `GET ${READINESS_PROBE_TARGET} answered ${status}` },
        );
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        resolve({ upstream: 'unreachable', error: error.message });
      });
      req.end();
    }).then((value) => {
      this.#readiness = value;
      this.metrics.upstreamApiUp.set(value.upstream === 'ready' ? 1 : 0);
      this.metrics.readinessChecks.inc({ result: value.upstream });
    });
  }
}
