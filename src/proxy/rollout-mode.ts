/**
 * Profile rollout modes at request time (sockguard-config.md §9, §14.1): under a `warn` or `audit`
 * profile a policy denial (rules, body inspection, container-label ACL, throttling) is recorded on
 * the exchange as `would_deny` and the request goes on; pre-auth gates and failures always answer.
 * The decision itself is the core's applyProfileMode, the one `sockguard test` reports with.
 */
import { applyProfileMode, type ProfileMode } from '../policy/clients/profile-mode.js';
import type { Exchange } from './exchange.js';
import type { StageResult } from './pipeline.js';
import type { Reply } from './reply.js';

/** The mode of the exchange's resolved profile; the root policy always enforces. */
export function profileModeOf(exchange: Exchange): ProfileMode {
  if (exchange.profile === undefined) return 'enforce';
  return exchange.policy.requests.clients.profiles.get(exchange.profile)?.mode ?? 'enforce';
}

/** Keeps the first would-deny of an exchange: the outermost gate that would have answered. */
export function recordWouldDeny(exchange: Exchange, mode: 'warn' | 'audit', reply: Reply): void {
  exchange.wouldDeny ??= {
    mode,
    status: reply.status,
    reasonCode: reply.reasonCode ?? '',
    reason: reply.reason ?? (typeof reply.body === 'string' ? reply.body : String(reply.body['message'] ?? '')),
  };
}

/**
 * A denial under the exchange's profile mode: the reply to send (enforce mode, or a gate that
 * always enforces), or undefined after recording it as would_deny.
 */
export function denyUnderMode(exchange: Exchange, reply: Reply, alwaysEnforced = false): StageResult {
  const outcome = applyProfileMode(profileModeOf(exchange), { alwaysEnforced });
  if (!outcome.forward) return reply;
  recordWouldDeny(exchange, outcome.logLevel === 'warn' ? 'warn' : 'audit', reply);
  return undefined;
}
