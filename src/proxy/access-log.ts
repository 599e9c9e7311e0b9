/**
 * One access-log record per request with the Go proxy's field names (sockguard-config.md §14.1):
 * `request` at INFO, `request_denied` at WARN.
 */
import type { Logger } from 'pino';
import type { Exchange } from './exchange.js';

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
  return {
    method: exchange.req.method ?? '',
    path: exchange.target.decodedPath,
    request_id: exchange.id,
    ...(exchange.clientRequestId !== undefined ? { client_request_id: exchange.clientRequestId } : {}),
    listener_name: exchange.listener.name,
    normalized_path: exchange.target.normalizedPath,
    decision: exchange.rules?.decision ?? '',
    rule: exchange.rules?.ruleIndex ?? -1,
    ...(exchange.profile !== undefined ? { profile: exchange.profile } : {}),
    ...(result?.reasonCode !== undefined ? { reason_code: result.reasonCode } : {}),
    ...(result?.reason ? { reason: result.reason } : {}),
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
  if (exchange.rules?.decision === 'deny') logger.warn(record, 'request_denied');
  else logger.info(record, 'request');
}
