/**
 * Health, readiness, metrics and the in-band admin API: answered before the rules (they are not
 * Docker API calls), at exactly their configured paths (sockguard-config.md §11, §16, §17). These
 * settings cannot change on reload, so the paths come from the startup policy.
 */
import { cleanPath } from '../../policy/canonical-path.js';
import type { Policy } from '../../policy/schema.js';
import { describePolicyVersion, methodNotAllowed, validateCandidate } from '../admin-api.js';
import type { Env } from '../config-source.js';
import type { Exchange, ListenerInfo } from '../exchange.js';
import type { ProxyMetrics } from '../metrics.js';
import type { Stage, StageResult } from '../pipeline.js';
import type { PolicyStore } from '../policy-store.js';
import { dockerError, type Reply } from '../reply.js';
import type { UpstreamMonitor } from '../upstream-monitor.js';
import { BodyReadError, readRequestStream, sendContinue } from './request-body.js';

/** How long an admin client has to send its candidate policy. */
const ADMIN_BODY_TIMEOUT_MS = 30_000;

export interface OperationalContext {
  policy: Policy;
  store: PolicyStore;
  metrics: ProxyMetrics;
  monitor: UpstreamMonitor;
  /** The server's environment, for compat expansion in admin validate. */
  env: Env;
  version: string;
  startedAt: number;
  listeners: () => readonly ListenerInfo[];
}

async function healthReply(context: OperationalContext): Promise<Reply> {
  const live = await context.monitor.liveness();
  const healthy = live.upstream === 'connected';
  return {
    status: healthy ? 200 : 503,
    body: {
      status: healthy ? 'healthy' : 'unhealthy',
      upstream: live.upstream,
      ...(healthy ? {} : { error: 'upstream unreachable' }),
      version: context.version,
      uptime_seconds: Math.floor((Date.now() - context.startedAt) / 1000),
      listeners: context
        .listeners()
        .map((l) => ({ name: l.name, role: l.role, network: l.network, state: 'listening' })),
    },
  };
}

function readyReply(context: OperationalContext): Reply {
  const ready = context.monitor.readiness();
  const ok = ready.upstream === 'ready';
  return {
    status: ok ? 200 : 503,
    body: {
      status: ok ? 'ready' : 'unready',
      upstream: ready.upstream,
      ...(ready.error !== undefined ? { error: ready.error } : {}),
      version: context.version,
    },
  };
}

async function metricsReply(context: OperationalContext): Promise<Reply> {
  return {
    status: 200,
    body: await context.metrics.registry.metrics(),
    contentType: context.metrics.registry.contentType,
  };
}

async function adminValidate(exchange: Exchange, context: OperationalContext): Promise<Reply> {
  if (exchange.req.method !== 'POST') return methodNotAllowed('POST');
  if (exchange.channel.kind !== 'response') return dockerError(400, 'failed to read request body');
  const maxBytes = context.policy.admin.max_request_bytes;
  const declared = Number(exchange.req.headers['content-length'] ?? 0);
  const tooLarge = dockerError(413, 'request body exceeds admin.max_request_bytes', 'admin_body_too_large');
  if (declared > maxBytes) return tooLarge;
  sendContinue(exchange);
  try {
    const body = await readRequestStream(exchange.req, { maxBytes, timeoutMs: ADMIN_BODY_TIMEOUT_MS });
    exchange.body = { kind: 'buffered', data: body };
    return validateCandidate(body.toString('utf8'), context.env);
  } catch (error) {
    if (error instanceof BodyReadError && error.failure === 'too-large') return tooLarge;
    return dockerError(400, 'failed to read request body');
  }
}

/** Answers an admin path, or undefined when the path is not one. */
export function answerAdmin(exchange: Exchange, context: OperationalContext): StageResult | Promise<StageResult> {
  const { admin } = context.policy;
  const path = cleanPath(exchange.target.decodedPath);
  if (path === cleanPath(admin.path)) return adminValidate(exchange, context);
  if (path === cleanPath(admin.policy_version_path)) {
    return exchange.req.method === 'GET' ? describePolicyVersion(context.store.current) : methodNotAllowed('GET');
  }
  return undefined;
}

/** True when the in-band admin API is mounted on this listener. */
function adminInBand(policy: Policy, listener: ListenerInfo, listenerCount: number): boolean {
  const { admin } = policy;
  if (!admin.enabled || admin.listen.socket !== undefined || admin.listen.address !== undefined) return false;
  if (admin.mount_on !== undefined && admin.mount_on !== '') return admin.mount_on === listener.name;
  return listenerCount === 1;
}

/** Health, readiness and metrics: after the client gates, before the rate limit (§17). */
export function createOperationalStage(context: OperationalContext): Stage {
  const { health, metrics } = context.policy;
  return {
    name: 'operational-endpoints',
    run(exchange: Exchange): StageResult | Promise<StageResult> {
      const path = exchange.target.decodedPath;
      if (health.enabled && path === health.path) return healthReply(context);
      if (health.readiness.enabled && path === health.readiness.path) return readyReply(context);
      if (metrics.enabled && path === metrics.path) return metricsReply(context);
      return undefined;
    },
  };
}

/** The admin API mounted on a main listener: after the rate limit, before the rules (§17). */
export function createInBandAdminStage(context: OperationalContext): Stage {
  return {
    name: 'in-band-admin',
    run(exchange: Exchange): StageResult | Promise<StageResult> {
      const mainListeners = context.listeners().filter((l) => l.role === 'main').length;
      return adminInBand(context.policy, exchange.listener, mainListeners) ? answerAdmin(exchange, context) : undefined;
    },
  };
}

/** The dedicated admin listener serves the admin paths and nothing else. */
export function createAdminOnlyStage(context: OperationalContext): Stage {
  return {
    name: 'admin-only',
    async run(exchange: Exchange): Promise<StageResult> {
      return (await answerAdmin(exchange, context)) ?? dockerError(404, 'not found', 'admin_unknown_path');
    },
  };
}
