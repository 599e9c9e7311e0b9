/**
 * One offline decision with everything `sockguard test` shows about it: the canonical path, the
 * deciding rule and where that rule was written. Decides through the same `decide` as `serve`.
 */
import { canonicalRequest, TargetError } from '../policy/canonical-path.js';
import { decide } from '../policy/compile.js';
import type { RuleReasonCode } from '../policy/evaluate.js';
import type { PolicyUnderTest } from './policy-under-test.js';
import type { RequestLine } from './request-line.js';
import { originOfRule, type RuleOrigin } from './rule-origin.js';

export interface MatchedRule {
  /** 1-based, like `sockguard match` and the Go validation messages. */
  index: number;
  method: string;
  path: string;
  action: 'allow' | 'deny';
  origin: RuleOrigin;
}

export interface RequestReport {
  method: string;
  /** The request-target as given. */
  path: string;
  normalizedPath: string;
  /** The stripped version prefix, e.g. "1.45". */
  apiVersion?: string;
  decision: 'allow' | 'deny';
  reasonCode: RuleReasonCode;
  /** The deciding rule's reason text ('' when it has none). */
  reason: string;
  profile?: string;
  /** Absent when no rule matched (default deny). */
  matched?: MatchedRule;
  /** Set when `serve` would answer 400 to this target instead of forwarding the decision. */
  refusedByServe?: string;
}

function serveRefusal(target: string): string | undefined {
  try {
    canonicalRequest(target);
    return undefined;
  } catch (error) {
    if (error instanceof TargetError) return error.message;
    throw error;
  }
}

/** Throws TargetError for a malformed target and UnknownProfileError for an unknown profile. */
export function explainRequest(put: PolicyUnderTest, request: RequestLine, profile?: string): RequestReport {
  const verdict = decide(put.compiled, request.method, request.target, profile);
  const refusal = serveRefusal(request.target);
  const matched = verdict.matched;
  return {
    method: verdict.method,
    path: request.target,
    normalizedPath: verdict.target.normalizedPath,
    ...(verdict.target.apiVersion !== undefined ? { apiVersion: verdict.target.apiVersion } : {}),
    decision: verdict.decision,
    reasonCode: verdict.reasonCode,
    reason: verdict.reason,
    ...(profile !== undefined ? { profile } : {}),
    ...(matched
      ? {
          matched: {
            index: matched.index + 1,
            method: matched.rule.match.method,
            path: matched.rule.match.path,
            action: matched.rule.action,
            origin: originOfRule(put, matched.index, profile),
          },
        }
      : {}),
    ...(refusal !== undefined ? { refusedByServe: refusal } : {}),
  };
}
