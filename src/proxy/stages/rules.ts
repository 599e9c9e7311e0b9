/**
 * The rule filter: the same compiled rules and the same evaluator as `sockguard test`
 * (compilePolicy + evaluateRules on the normalized path), so an offline decision is the proxy's.
 * A deny is a 403 with the Go proxy's body (sockguard-config.md §13.1); under a warn/audit profile it
 * is forwarded and logged as would_deny (the body inspectors then do not run: the rules did not allow).
 * Pinned by test/proxy/decision-parity.test.ts (serve and `decide` agree request by request).
 */
import type { CanonicalRequest } from '../../policy/canonical-path.js';
import { evaluateRules } from '../../policy/evaluate.js';
import type { Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError, MESSAGES, type Reply } from '../reply.js';
import { denyUnderMode } from '../rollout-mode.js';

/**
 * The path shown in a verbose deny: the decoded path as received, except that secret names and the
 * swarm unlock key never echo back (§13.1). The version prefix, if any, is kept.
 */
export function redactDeniedPath(target: CanonicalRequest): string {
  const prefix = target.apiVersion !== undefined ? `/v${target.apiVersion}` : '';
  if (target.normalizedPath.startsWith('/secrets/')) return `${prefix}/secrets/<redacted>`;
  if (target.normalizedPath === '/swarm/unlockkey') return `${prefix}/swarm/<redacted>`;
  return target.decodedPath;
}

/**
 * A policy denial as the Go proxy renders it: the fixed message, plus method, path and reason when
 * `response.deny_verbosity` is verbose; the reason always goes to the logs.
 */
export function denyReply(exchange: Exchange, status: number, reasonCode: string, reason: string): Reply {
  const verbose =
    exchange.policy.policy.response.deny_verbosity === 'verbose'
      ? {
          method: exchange.req.method ?? '',
          path: redactDeniedPath(exchange.target),
          ...(reason !== '' ? { reason } : {}),
        }
      : {};
  return { ...dockerError(status, MESSAGES.denied, reasonCode, verbose), reason };
}

function judge(exchange: Exchange): StageResult {
  const { compiled } = exchange.policy;
  const ruleSet = exchange.profile === undefined ? compiled.root : compiled.profiles.get(exchange.profile);
  if (ruleSet === undefined) {
    exchange.rules = {
      decision: 'deny',
      reasonCode: 'no_matching_allow_rule',
      reason: 'unknown profile',
      ruleIndex: -1,
    };
    return dockerError(403, MESSAGES.denied, 'client_policy_profile_unresolved');
  }
  const method = exchange.req.method ?? '';
  const verdict = evaluateRules(ruleSet, method, exchange.target.normalizedPath);
  exchange.rules = {
    decision: verdict.decision,
    reasonCode: verdict.reasonCode,
    reason: verdict.reason,
    ruleIndex: verdict.matched?.index ?? -1,
  };
  if (verdict.decision === 'allow') return undefined;
  return denyUnderMode(exchange, denyReply(exchange, 403, verdict.reasonCode, verdict.reason));
}

export const rulesStage: Stage = { name: 'rules', run: judge };
