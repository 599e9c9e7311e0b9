/**
 * `sockguard serve` assembled: listeners -> request handler -> stages -> forwarder, over one
 * upstream and one policy store, with logs, metrics and the upstream monitor around it.
 */
import type { Logger } from 'pino';
import type { CompiledPolicy } from '../policy/compile.js';
import { logAccess } from './access-log.js';
import { logAudit } from './audit-log.js';
import type { Env } from './config-source.js';
import { parseGoDuration, parseRequestTimeout } from './duration.js';
import type { Exchange, ListenerInfo } from './exchange.js';
import { listenerSpecs } from './listener-specs.js';
import { bindListener, type BoundListener } from './listeners.js';
import { ProxyMetrics } from './metrics.js';
import type { Stage } from './pipeline.js';
import { createCallerLookup } from './caller-container.js';
import { PeerCredentialReader } from './peer-credentials.js';
import { PolicyStore, type ActivePolicy } from './policy-store.js';
import { createRequestHandler, type ExchangeObserver } from './request-handler.js';
import {
  createAdminOnlyStage,
  createInBandAdminStage,
  createOperationalStage,
  type OperationalContext,
} from './stages/operational-endpoints.js';
import { attestationStatementsStage } from './stages/attestation-statements.js';
import { browserOriginStage } from './stages/browser-origin.js';
import { createClientGatesStage } from './stages/client-gates.js';
import { createRateLimitStage } from './stages/rate-limit.js';
import { createBodyInspectionStage, planInspectedBodies } from './stages/body-inspection.js';
import {
  BODY_READ_TIMEOUT_MS,
  createRequestBodyStage,
  MAX_BUFFERED_BODY_BYTES,
  planByRouteClass,
} from './stages/request-body.js';
import { createOwnershipStage, planOwnedBodies } from './stages/ownership.js';
import { requestFramingStage } from './stages/request-framing.js';
import { requestTargetStage } from './stages/request-target.js';
import { rulesStage } from './stages/rules.js';
import { createVisibilityStage } from './stages/visibility.js';
import { ThrottleAuditSampler } from './throttle-audit-sampler.js';
import { UpstreamMonitor } from './upstream-monitor.js';
import { Upstream, type UpstreamTarget } from './upstream.js';

/** SIGTERM waits this long for in-flight requests before cutting what is left. */
export const SHUTDOWN_GRACE_MS = 10_000;
const DRAIN_POLL_MS = 20;

export interface ProxyOptions {
  compiled: CompiledPolicy;
  upstream: UpstreamTarget;
  /** The server's environment (compat expansion for admin validate). */
  env?: Env;
  /** Reported by /health and sockguard_build_info. */
  version?: string;
  /** Access log and operational messages; none in tests that do not care. */
  logger?: Logger;
  /** Audit events (`log.audit.enabled`). */
  auditLogger?: Logger;
  /** One more observer of exchanges (tests). */
  observer?: ExchangeObserver;
  /** Overrides for tests. */
  bodyLimits?: { maxBytes: number; timeoutMs: number };
  /** Overrides for tests: the SO_PEERCRED reader, the throttle's monotonic clock. */
  peerCredentials?: PeerCredentialReader;
  now?: () => number;
}

export interface RunningProxy {
  readonly listeners: readonly BoundListener[];
  readonly store: PolicyStore;
  readonly upstream: Upstream;
  readonly metrics: ProxyMetrics;
  readonly inFlight: ReadonlySet<Exchange>;
  /** Stops accepting, cuts unbounded streams, drains the rest for up to `graceMs`, then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

function combineObservers(observers: readonly ExchangeObserver[]): ExchangeObserver {
  return {
    started: (exchange) => observers.forEach((o) => o.started?.(exchange)),
    finished: (exchange) => observers.forEach((o) => o.finished(exchange)),
    failed: (exchange, error) => observers.forEach((o) => o.failed(exchange, error)),
  };
}

function logObserver(logger: Logger | undefined, auditLogger: Logger | undefined): ExchangeObserver {
  const throttleAudits = new ThrottleAuditSampler();
  return {
    finished(exchange) {
      const { log } = exchange.policy.policy;
      if (logger && log.access_log) logAccess(logger, exchange);
      if (auditLogger && log.audit.enabled && throttleAudits.admits(exchange)) logAudit(auditLogger, exchange);
    },
    failed(exchange, error) {
      logger?.error({ request_id: exchange.id, err: error }, 'request_failed');
    },
  };
}

/** upstream.request_timeout in ms, parsed once per policy version rather than once per request. */
const requestTimeouts = new WeakMap<ActivePolicy, number | undefined>();
function requestTimeoutOf(active: ActivePolicy): number | undefined {
  if (!requestTimeouts.has(active))
    requestTimeouts.set(active, parseRequestTimeout(active.policy.upstream.request_timeout));
  return requestTimeouts.get(active);
}

function monitorOptions(compiled: CompiledPolicy) {
  const { health } = compiled.policy;
  return {
    ...(health.watchdog.enabled ? { watchdogIntervalMs: parseGoDuration(health.watchdog.interval) } : {}),
    ...(health.readiness.enabled
      ? {
          readiness: {
            intervalMs: parseGoDuration(health.readiness.interval),
            timeoutMs: parseGoDuration(health.readiness.timeout),
          },
        }
      : {}),
  };
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { compiled } = options;
  const store = new PolicyStore(compiled);
  const upstream = new Upstream(options.upstream);
  const metrics = new ProxyMetrics(options.version ?? 'dev');
  metrics.policyVersion.set(store.current.version);
  const monitor = new UpstreamMonitor(upstream, metrics, monitorOptions(compiled));
  const inFlight = new Set<Exchange>();
  const observer = combineObservers([
    metrics.observer(),
    logObserver(options.logger, options.auditLogger),
    ...(options.observer ? [options.observer] : []),
  ]);
  const listeners: BoundListener[] = [];
  const context: OperationalContext = {
    policy: compiled.policy,
    store,
    metrics,
    monitor,
    env: options.env ?? {},
    version: options.version ?? 'dev',
    startedAt: Date.now(),
    listeners: (): ListenerInfo[] => listeners.map((l) => l.info),
  };
  const bodyLimits = options.bodyLimits ?? { maxBytes: MAX_BUFFERED_BODY_BYTES, timeoutMs: BODY_READ_TIMEOUT_MS };
  const clientGates = createClientGatesStage({
    peerCredentials:
      options.peerCredentials ?? new PeerCredentialReader({ warn: (message) => options.logger?.warn(message) }),
    callerContainer: createCallerLookup(upstream),
  });
  const mainStages: Stage[] = [
    clientGates,
    requestTargetStage,
    browserOriginStage,
    createOperationalStage(context),
    createRateLimitStage({ metrics, ...(options.now ? { now: options.now } : {}) }),
    createInBandAdminStage(context),
    requestFramingStage,
    rulesStage,
    attestationStatementsStage,
    createRequestBodyStage({
      timeoutMs: bodyLimits.timeoutMs,
      plan: planInspectedBodies(planOwnedBodies(planByRouteClass(bodyLimits.maxBytes))),
    }),
    createBodyInspectionStage(upstream),
    createVisibilityStage(upstream),
    createOwnershipStage(upstream),
  ];
  const adminStages: Stage[] = [clientGates, requestTargetStage, browserOriginStage, createAdminOnlyStage(context)];
  try {
    for (const spec of listenerSpecs(compiled.policy)) {
      const bound = await bindListener(spec, (info) =>
        createRequestHandler(info, {
          store,
          upstream,
          stages: spec.role === 'admin' ? adminStages : mainStages,
          requestTimeoutMs: (exchange) => requestTimeoutOf(exchange.policy),
          uploadIdleTimeoutMs: bodyLimits.timeoutMs,
          observer,
          inFlight,
        }),
      );
      listeners.push(bound);
      metrics.listenerUp.set({ listener: bound.info.name, network: bound.info.network, role: bound.info.role }, 1);
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    upstream.close();
    throw error;
  }
  monitor.start();

  return {
    listeners,
    store,
    upstream,
    metrics,
    inFlight,
    async shutdown(graceMs = SHUTDOWN_GRACE_MS) {
      monitor.stop();
      const closed = listeners.map((l) => l.close());
      for (const l of listeners) {
        l.server.closeIdleConnections();
        metrics.listenerUp.set({ listener: l.info.name, network: l.info.network, role: l.info.role }, 0);
      }
      // Streams without a natural end would hold the drain for the whole grace period.
      for (const exchange of inFlight) if (exchange.route.unbounded) exchange.abort();
      const deadline = Date.now() + graceMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
      for (const exchange of inFlight) exchange.abort();
      for (const l of listeners) l.server.closeAllConnections();
      await Promise.all(closed);
      upstream.close();
    },
  };
}
