/**
 * One offline decision with everything `sockguard test` shows about it: the canonical path, the
 * deciding rule and where that rule was written. Decides through the same `decide` as `serve`.
 * The client gates and body inspection (explain-full-request.ts) fill in the optional parts.
 */
import type { BodyReasonCode } from '../policy/body/verdict.js';
import { canonicalRequest, TargetError } from '../policy/canonical-path.js';
import type { ClientReasonCode } from '../policy/clients/client-refusal.js';
import { parseProfileMode } from '../policy/clients/profile-mode.js';
import { decide } from '../policy/compile.js';
import type { RuleReasonCode } from '../policy/evaluate.js';
import type { OwnerReasonCode } from '../policy/ownership/owner-verdict.js';
import type { BodyReport } from './judge-body.js';
import type { ClientInput, ProfileSelection } from '../policy/clients/judge-client.js';
import type { OwnershipReport } from './judge-ownership.js';
import type { ResponseReport } from './judge-response.js';
import type { PolicyUnderTest } from './policy-under-test.js';
import type { RequestLine } from './request-line.js';
import { originOfRule, type RuleOrigin } from './rule-origin.js';

/**
 * Why the request was decided so: the rule layer, a client gate, body inspection, the attestation
 * statements gate or owner isolation (§13.3).
 */
export type DecisionReasonCode =
  RuleReasonCode | ClientReasonCode | BodyReasonCode | 'attestation_statements_denied' | OwnerReasonCode;

/** The status serve answers a rule denial with (sockguard-config.md §13.1). */
const RULE_DENY_STATUS = 403;

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
  reasonCode: DecisionReasonCode;
  /** The deciding rule's reason text, or the gate's or inspector's ('' when there is none). */
  reason: string;
  /** The status serve answers a denied request with; absent when the request is allowed. */
  status?: number;
  profile?: string;
  /** How the profile was chosen: `flag` for --profile / a case's profile, else the selector. */
  profileSelectedBy?: ProfileSelection | 'flag';
  /** The profile's rollout mode when it does not enforce: denials are forwarded and logged. */
  profileMode?: 'warn' | 'audit';
  /** The client identity the request was judged for, when one was given. */
  client?: ClientInput;
  /** Absent when no rule matched (default deny) or a client gate refused before the rules. */
  matched?: MatchedRule;
  /** The request-body inspector's verdict, when one ran. */
  body?: BodyReport;
  /** What owner isolation does with the request, when ownership.owner is set and it got that far. */
  ownership?: OwnershipReport;
  /** What the client receives for the daemon response given (--response), when it was forwarded. */
  response?: ResponseReport;
  /** What the offline decision could not check, or assumed, one sentence each. */
  notes: string[];
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

/** warn/audit for a profile that does not enforce; undefined for enforce and the root policy. */
export function profileModeOf(put: PolicyUnderTest, profile: string | undefined): 'warn' | 'audit' | undefined {
  if (profile === undefined) return undefined;
  const entry = (put.compiled.policy.clients.profiles ?? []).find((p) => p.name === profile);
  const mode = parseProfileMode(entry?.mode);
  return mode === 'enforce' ? undefined : mode;
}

/** What serve does with a policy denial under a profile that does not enforce. */
export function describeRollout(profile: string, mode: 'warn' | 'audit'): string {
  return `profile "${profile}" is in ${mode} mode: serve forwards this request instead and logs request_would_deny`;
}

/**
 * The rule decision. Throws TargetError for a malformed target and UnknownProfileError for an
 * unknown profile.
 */
export function explainRequest(put: PolicyUnderTest, request: RequestLine, profile?: string): RequestReport {
  const verdict = decide(put.compiled, request.method, request.target, profile);
  const refusal = serveRefusal(request.target);
  const matched = verdict.matched;
  const mode = profileModeOf(put, profile);
  const denied = verdict.decision === 'deny';
  return {
    method: verdict.method,
    path: request.target,
    normalizedPath: verdict.target.normalizedPath,
    ...(verdict.target.apiVersion !== undefined ? { apiVersion: verdict.target.apiVersion } : {}),
    decision: verdict.decision,
    reasonCode: verdict.reasonCode,
    reason: verdict.reason,
    ...(denied ? { status: RULE_DENY_STATUS } : {}),
    ...(profile !== undefined ? { profile, profileSelectedBy: 'flag' as const } : {}),
    ...(mode !== undefined ? { profileMode: mode } : {}),
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
    notes: denied && mode !== undefined && profile !== undefined ? [describeRollout(profile, mode)] : [],
    ...(refusal !== undefined ? { refusedByServe: refusal } : {}),
  };
}
