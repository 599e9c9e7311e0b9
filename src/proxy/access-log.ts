/**
 * One access-log record per request with the Go proxy's field names (sockguard-config.md §14.1):
 * `request` at INFO, `request_denied` at WARN, `request_would_deny` at WARN (warn profiles) or INFO
 * (audit profiles) for a denial a rollout mode forwarded.
 */
import type { Logger } from 'pino';
import type { Exchange } from './exchange.js';
import { profileModeOf } from './rollout-mode.js';

/** `allow`, `deny`, `would_deny`, or empty for a request answered before the rule filter. */
export function decisionOf(exchange: Exchange): string {
  return exchange.wouldDeny ? 'would_deny' : (exchange.rules?.decision ?? '');
}

/** `warn` or `audit` for requests under such a profile; undefined under enforce. */
export function rolloutModeOf(exchange: Exchange): 'warn' | 'audit' | undefined {
  const mode = profileModeOf(exchange);
  return mode === 'enforce' ? undefined : mode;
}

function clientOf(exchange: Exchange): string {
  if (exchange.listener.network === 'unix') return 'unix';
  return exchange.req.socket.remoteAddress ?? '';
}

export function latencyMs(exchange: Exchange): number {
  return Math.round((performance.now() - exchange.startedAt) * 1000) / 1000;
}

export function traceFields(exchange: Exchange): Record<string, unknown> {
  const { trace } = exchange;
  if (!trace) return {};
  return {
    trace_id: trace.traceId,
    trace_parent_id: trace.parentId,
    trace_span_id: trace.spanId,
    trace_sampled: trace.sampled,
  };
}

export function accessRecord(exchange: Exchange): Record<string, unknown> {
  const result = exchange.result;
  const rolloutMode = rolloutModeOf(exchange);
  const reasonCode = result?.reasonCode ?? exchange.wouldDeny?.reasonCode;
  const reason = result?.reason ?? exchange.wouldDeny?.reason;
  return {
    method: exchange.req.method ?? '',
    path: exchange.target.decodedPath,
    request_id: exchange.id,
    ...(exchange.clientRequestId !== undefined ? { client_request_id: exchange.clientRequestId } : {}),
    listener_name: exchange.listener.name,
    normalized_path: exchange.target.normalizedPath,
    decision: decisionOf(exchange),
    rule: exchange.rules?.ruleIndex ?? -1,
    ...(exchange.profile !== undefined ? { profile: exchange.profile } : {}),
    ...(rolloutMode !== undefined ? { rollout_mode: rolloutMode } : {}),
    ...(reasonCode !== undefined ? { reason_code: reasonCode } : {}),
    ...(reason ? { reason } : {}),
    ...traceFields(exchange),
    // A client that left before any answer: 499, as nginx records it.
    status: result?.status ?? 499,
    latency_ms: latencyMs(exchange),
    bytes: result?.bytes ?? 0,
    client: clientOf(exchange),
  };
}

export function logAccess(logger: Logger, exchange: Exchange): void {
  const record = accessRecord(exchange);
  if (exchange.wouldDeny?.mode === 'warn') logger.warn(record, 'request_would_deny');
  else if (exchange.wouldDeny?.mode === 'audit') logger.info(record, 'request_would_deny');
  else if (exchange.rules?.decision === 'deny') logger.warn(record, 'request_denied');
  else logger.info(record, 'request');
}
