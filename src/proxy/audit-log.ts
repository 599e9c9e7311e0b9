/**
 * Audit events (`log.audit.enabled`, JSON only) with the Go proxy's field names
 * (sockguard-config.md §14.2).
 */
import type { Logger } from 'pino';
import type { Exchange } from './exchange.js';
import { decisionOf, rolloutModeOf, traceFields } from './access-log.js';

export function auditRecord(exchange: Exchange): Record<string, unknown> {
  const { req, listener, policy } = exchange;
  const remote = req.socket.remoteAddress;
  const rolloutMode = rolloutModeOf(exchange);
  return {
    event_type: 'http_request',
    timestamp: new Date().toISOString(),
    request_id: exchange.id,
    client_request_id: exchange.clientRequestId ?? '',
    ...traceFields(exchange),
    method: req.method ?? '',
    raw_path: exchange.target.rawPath,
    normalized_path: exchange.target.normalizedPath,
    decision: decisionOf(exchange),
    reason_code: exchange.result?.reasonCode ?? exchange.wouldDeny?.reasonCode ?? '',
    reason: exchange.result?.reason ?? exchange.wouldDeny?.reason ?? exchange.rules?.reason ?? '',
    matched_rule: exchange.rules?.ruleIndex ?? -1,
    selected_profile: exchange.profile ?? '',
    ...(rolloutMode !== undefined ? { rollout_mode: rolloutMode } : {}),
    status: exchange.result?.status ?? 499,
    actor_remote_addr: listener.network === 'unix' ? '@' : `${remote ?? ''}:${req.socket.remotePort ?? ''}`,
    actor_source_ip: listener.network === 'unix' ? '' : (remote ?? ''),
    transport_listener: listener.address,
    transport_scheme: listener.tls ? 'https' : 'http',
    transport_protocol: `HTTP/${req.httpVersion}`,
    ownership: {
      enabled: (policy.policy.ownership.owner ?? '') !== '',
      owner: policy.policy.ownership.owner ?? '',
      label_key: policy.policy.ownership.label_key,
    },
    listener_name: listener.name,
  };
}

export function logAudit(logger: Logger, exchange: Exchange): void {
  logger.info(auditRecord(exchange), 'audit');
}
