/**
 * Policy reload (sockguard-config.md §11.3): on a change of the policy file (watched through its
 * directory, so editors' rename-into-place and Kubernetes' symlink swaps are seen), on SIGHUP, or on
 * `reload.poll_interval`, debounced by `reload.debounce`. The file is prepared exactly as at startup
 * (environment and flags included). A valid policy is published atomically for new requests; an
 * invalid one is rejected and logged with its problems while the old one keeps serving; a change to
 * a setting that cannot change while running (listeners, upstream, log, health, metrics, admin) is
 * rejected naming the keys.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServeFlags } from '../policy/env-overlay.js';
import type { Policy } from '../policy/schema.js';
import { ConfigError, preparePolicy, readConfigText, type ConfigLocation, type Env } from './config-source.js';
import type { ProxyMetrics } from './metrics.js';
import type { PolicyStore } from './policy-store.js';

export type ReloadOutcome = 'ok' | 'reject_load' | 'reject_validation' | 'reject_immutable';

/** The settings that may not change on reload, as [label, value-of-policy]. */
const IMMUTABLE: readonly [string, (p: Policy) => unknown][] = [
  ['listen', (p) => p.listen],
  ['listeners', (p) => p.listeners?.map(({ allowed_profiles: _ignored, ...binding }) => binding)],
  ['upstream.socket', (p) => p.upstream.socket],
  ['upstream.endpoints', (p) => p.upstream.endpoints],
  ['upstream.failover', (p) => p.upstream.failover],
  ['log', (p) => p.log],
  ['health', (p) => p.health],
  ['metrics', (p) => p.metrics],
  ['admin', (p) => p.admin],
];

/** Keys whose values differ between the running and the candidate policy. */
export function findImmutableChanges(running: Policy, candidate: Policy): string[] {
  return IMMUTABLE.filter(([, read]) => JSON.stringify(read(running)) !== JSON.stringify(read(candidate))).map(
    ([label]) => label,
  );
}

export interface ReloaderOptions {
  location: ConfigLocation;
  env: Env;
  flags: ServeFlags;
  store: PolicyStore;
  metrics: ProxyMetrics;
  logger: Logger | undefined;
  debounceMs: number;
  /** Poll the file's status this often (0 = off), for file systems without change events. */
  pollIntervalMs: number;
}

export class Reloader {
  #timer: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #running: Promise<ReloadOutcome> | undefined;
  #lastStat = '';

  constructor(private readonly options: ReloaderOptions) {}

  start(): void {
    const { location, logger } = this.options;
    const dir = path.dirname(location.path);
    const base = path.basename(location.path);
    try {
      this.#watcher = watch(dir, (_event, name) => {
        if (name === null || name === base || name === '..data') this.trigger('file');
      });
      this.#watcher.on('error', (error) => logger?.warn({ err: error }, 'config watch failed'));
    } catch (error) {
      logger?.warn({ err: error, path: dir }, 'cannot watch the policy file; reload on SIGHUP only');
    }
    if (this.options.pollIntervalMs > 0) {
      this.#lastStat = this.statKey();
      this.#poll = setInterval(() => {
        const key = this.statKey();
        if (key !== this.#lastStat) {
          this.#lastStat = key;
          this.trigger('poll');
        }
      }, this.options.pollIntervalMs);
      this.#poll.unref();
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    this.#watcher?.close();
  }

  /** Schedules a reload after the debounce period; repeated triggers collapse into one. */
  trigger(reason: string): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(reason), this.options.debounceMs);
  }

  /** Reloads now (one at a time). */
  reload(reason = 'manual'): Promise<ReloadOutcome> {
    const previous = this.#running ?? Promise.resolve('ok' as ReloadOutcome);
    const next = previous.then(() => this.attempt(reason));
    this.#running = next;
    return next;
  }

  private statKey(): string {
    try {
      const s = statSync(this.options.location.path);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  private attempt(reason: string): ReloadOutcome {
    const { location, env, flags, store, metrics, logger } = this.options;
    const outcome = ((): ReloadOutcome => {
      let prepared;
      try {
        prepared = preparePolicy(readConfigText(location), { file: location.path, env, flags });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const result = error.kind === 'load' ? 'reject_load' : 'reject_validation';
        logger?.error(
          { reason, result, errors: [error.summary, ...error.issues] },
          'config reload rejected; the previous policy keeps serving',
        );
        return result;
      }
      const changed = findImmutableChanges(store.current.policy, prepared.compiled.policy);
      if (changed.length > 0) {
        logger?.error(
          { reason, result: 'reject_immutable', keys: changed },
          `config reload rejected: ${changed.join(', ')} cannot change while running; restart to apply`,
        );
        return 'reject_immutable';
      }
      const active = store.publish(prepared.compiled);
      for (const warning of prepared.warnings) logger?.warn(warning);
      metrics.policyVersion.set(active.version);
      metrics.lastReload.set(Math.floor(active.loadedAt.getTime() / 1000));
      logger?.info(
        {
          reason,
          result: 'ok',
          version: active.version,
          rules: active.compiled.root.rules.length,
          config_sha256: active.configSha256,
        },
        'config reloaded',
      );
      return 'ok';
    })();
    metrics.reloads.inc({ result: outcome });
    return outcome;
  }
}
