/**
 * `sockguard serve` assembled: listeners -> request handler -> stages -> forwarder, over one
 * upstream and one policy store.
 */
import type { Logger } from 'pino';
import type { CompiledPolicy } from '../policy/compile.js';
import { logAccess } from './access-log.js';
import { logAudit } from './audit-log.js';
import type { Exchange } from './exchange.js';
import { parseRequestTimeout } from './duration.js';
import { listenerSpecs } from './listener-specs.js';
import { bindListener, type BoundListener } from './listeners.js';
import type { Stage } from './pipeline.js';
import { PolicyStore } from './policy-store.js';
import { createRequestHandler, type ExchangeObserver } from './request-handler.js';
import { BODY_READ_TIMEOUT_MS, createRequestBodyStage, MAX_BUFFERED_BODY_BYTES } from './stages/request-body.js';
import { requestFramingStage } from './stages/request-framing.js';
import { rulesStage } from './stages/rules.js';
import { Upstream, type UpstreamTarget } from './upstream.js';

/** SIGTERM waits this long for in-flight requests before cutting what is left. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface ProxyOptions {
  compiled: CompiledPolicy;
  upstream: UpstreamTarget;
  /** Access log and operational messages; none in tests that do not care. */
  logger?: Logger;
  /** Audit events (`log.audit.enabled`). */
  auditLogger?: Logger;
  /** One more observer of finished exchanges (tests). */
  observer?: ExchangeObserver;
  /** Overrides for tests. */
  bodyLimits?: { maxBytes: number; timeoutMs: number };
}

export interface RunningProxy {
  readonly listeners: readonly BoundListener[];
  readonly store: PolicyStore;
  readonly upstream: Upstream;
  readonly inFlight: ReadonlySet<Exchange>;
  /** Stops accepting, cuts unbounded streams, drains the rest for up to `graceMs`, then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

function combineObservers(observers: readonly ExchangeObserver[]): ExchangeObserver {
  return {
    finished: (exchange) => observers.forEach((o) => o.finished(exchange)),
    failed: (exchange, error) => observers.forEach((o) => o.failed(exchange, error)),
  };
}

function logObserver(logger: Logger | undefined, auditLogger: Logger | undefined): ExchangeObserver {
  return {
    finished(exchange) {
      const { log } = exchange.policy.policy;
      if (logger && log.access_log) logAccess(logger, exchange);
      if (auditLogger && log.audit.enabled) logAudit(auditLogger, exchange);
    },
    failed(exchange, error) {
      logger?.error({ request_id: exchange.id, err: error }, 'request_failed');
    },
  };
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const store = new PolicyStore(options.compiled);
  const upstream = new Upstream(options.upstream);
  const inFlight = new Set<Exchange>();
  const observer = combineObservers([
    logObserver(options.logger, options.auditLogger),
    ...(options.observer ? [options.observer] : []),
  ]);
  const stages: Stage[] = [
    requestFramingStage,
    rulesStage,
    createRequestBodyStage(
      options.bodyLimits ?? { maxBytes: MAX_BUFFERED_BODY_BYTES, timeoutMs: BODY_READ_TIMEOUT_MS },
    ),
  ];
  const listeners: BoundListener[] = [];
  try {
    for (const spec of listenerSpecs(options.compiled.policy)) {
      const bound = await bindListener(spec, (info) =>
        createRequestHandler(info, {
          store,
          upstream,
          stages,
          requestTimeoutMs: (exchange) => parseRequestTimeout(exchange.policy.policy.upstream.request_timeout),
          observer,
          inFlight,
        }),
      );
      listeners.push(bound);
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    upstream.close();
    throw error;
  }

  return {
    listeners,
    store,
    upstream,
    inFlight,
    async shutdown(graceMs = SHUTDOWN_GRACE_MS) {
      const closed = listeners.map((l) => l.close());
      for (const l of listeners) l.server.closeIdleConnections();
      for (const exchange of inFlight) if (exchange.route.unbounded) exchange.abort();
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const exchange of inFlight) exchange.abort();
      for (const l of listeners) l.server.closeAllConnections();
      await Promise.all(closed);
      upstream.close();
    },
  };
}
