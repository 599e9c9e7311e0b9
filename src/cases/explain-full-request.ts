/**
 * One offline decision through every stage serve runs for it, in serve's order (sockguard-config.md
 * §17): the client gates (CIDR ACL, profile resolution, listener admission; judge-client.ts), the
 * rules of the resolved profile (explain-request.ts), then, for an allowed request, request-body
 * inspection with that profile's `request_body` (judge-body.ts). The first stage that refuses
 * decides: its status, reason code and reason become the decision's.
 *
 * This module loads the client and body cores; `sockguard test` imports it only when a request
 * carries a body, headers or a client identity, or reaches a route with a body inspector.
 */
import { parseTarget, type ParsedTarget } from '../policy/canonical-path.js';
import { UnknownProfileError } from '../policy/compile.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import {
  ATTESTATION_STATEMENTS_DENIAL,
  deniesAttestationStatements,
} from '../policy/response/attestation-statements.js';
import { describeRollout, explainRequest, profileModeOf, type RequestReport } from './explain-request.js';
import { judgeBody } from './judge-body.js';
import { hasIdentity, judgeClient, offlineGaps, type ClientInput } from '../policy/clients/judge-client.js';
import { judgeOwnership } from './judge-ownership.js';
import { judgeResponse, type ResponseInput } from './judge-response.js';
import { visibilityNotes } from './visibility-notes.js';
import type { PolicyUnderTest } from './policy-under-test.js';
import type { RequestHeaders } from './request-extras.js';
import type { RequestLine } from './request-line.js';
import type { RequestPolicies } from '../policy/clients/request-policies.js';

export interface FullRequestInput {
  /** Who sends the request; with an identity the profile is resolved as serve resolves it. */
  client?: ClientInput;
  /** A profile chosen by hand (--profile); ignored when the client has an identity. */
  profile?: string;
  /** The request body; undefined when none was given. */
  body?: Uint8Array;
  headers?: RequestHeaders;
  /** The daemon's answer to the forwarded request, to put through the response policy. */
  response?: ResponseInput;
}

const PROFILE_UNRESOLVED = 'request denied by sockguard policy';

export function explainFullRequest(
  put: PolicyUnderTest,
  policies: RequestPolicies,
  request: RequestLine,
  input: FullRequestInput = {},
): RequestReport {
  const report = judgeStages(put, policies, request, input);
  if (input.response === undefined || report.decision === 'allow') return report;
  return { ...report, notes: [...report.notes, NOT_FORWARDED] };
}

const NOT_FORWARDED = 'the request is denied, so serve never forwards it: the daemon response given is not used';

function judgeStages(
  put: PolicyUnderTest,
  policies: RequestPolicies,
  request: RequestLine,
  input: FullRequestInput,
): RequestReport {
  const target = parseTarget(request.target);
  const client = input.client ?? {};
  const described = hasIdentity(client) || client.listener !== undefined ? { client } : {};
  const gaps = offlineGaps(put.compiled.policy, client);
  const outcome = judgeClient(put.compiled.policy, policies, client, input.profile);
  const chosen = {
    ...(outcome.profile !== undefined ? { profile: outcome.profile } : {}),
    ...(outcome.selectedBy !== undefined ? { profileSelectedBy: outcome.selectedBy } : {}),
  };
  const refused = (status: number, reasonCode: RequestReport['reasonCode'], reason: string): RequestReport => ({
    method: request.method,
    path: request.target,
    normalizedPath: target.normalizedPath,
    ...(target.apiVersion !== undefined ? { apiVersion: target.apiVersion } : {}),
    decision: 'deny',
    reasonCode,
    reason,
    status,
    ...chosen,
    ...described,
    notes: gaps,
  });
  if (!outcome.ok) return refused(outcome.refusal.status, outcome.refusal.reasonCode, outcome.refusal.reason);

  let report: RequestReport;
  try {
    report = explainRequest(put, request, outcome.profile);
  } catch (error) {
    // A resolved name with no compiled rules: serve's rule filter refuses it (§9).
    if (!(error instanceof UnknownProfileError) || outcome.selectedBy === 'flag') throw error;
    return refused(403, 'client_policy_profile_unresolved', PROFILE_UNRESOLVED);
  }
  report = { ...report, ...chosen, ...described, notes: [...gaps, ...report.notes] };
  if (report.decision !== 'allow') return report;

  const body = judgeBody(policies.bodyPolicyOf(outcome.profile), request.method, target, {
    ...(input.body !== undefined ? { body: input.body } : {}),
    headers: input.headers ?? {},
  });
  if (body?.decision === 'deny') {
    const mode = profileModeOf(put, outcome.profile);
    return {
      ...report,
      decision: 'deny',
      reasonCode: body.reasonCode!,
      reason: body.reason!,
      status: body.status!,
      body,
      notes:
        mode !== undefined && outcome.profile !== undefined
          ? [...report.notes, describeRollout(outcome.profile, mode)]
          : report.notes,
    };
  }
  if (body !== undefined) report = { ...report, body };
  return judgeForwarding(put, report, target, input, outcome.profile);
}

/**
 * The stages after the rules and the body inspector, for a request they allowed: the attestation
 * statements gate, owner isolation, then, when a daemon response was given, the response policy.
 */
function judgeForwarding(
  put: PolicyUnderTest,
  allowed: RequestReport,
  target: ParsedTarget,
  input: FullRequestInput,
  profile: string | undefined,
): RequestReport {
  const { policy } = put.compiled;
  const method = allowed.method;
  if (
    deniesAttestationStatements(
      method,
      target.normalizedPath,
      target.rawQuery,
      policy.response.allow_attestation_statements,
    )
  ) {
    return {
      ...allowed,
      decision: 'deny',
      reasonCode: ATTESTATION_STATEMENTS_DENIAL.reasonCode,
      reason: ATTESTATION_STATEMENTS_DENIAL.reason,
      status: ATTESTATION_STATEMENTS_DENIAL.status,
    };
  }
  let report = allowed;
  const ownership = resolveOwnershipSettings(policy);
  if (ownership !== undefined) {
    const owned = judgeOwnership(ownership, method, target, input.body);
    report = { ...report, ownership: owned };
    if (owned.denial !== undefined) {
      const { status, reasonCode, message } = owned.denial;
      return { ...report, decision: 'deny', reasonCode, reason: message, status };
    }
  }
  const hidden = visibilityNotes(policy, profile, method, target, input.response !== undefined);
  if (hidden.length > 0) report = { ...report, notes: [...report.notes, ...hidden] };
  if (input.response === undefined) return report;
  return {
    ...report,
    response: judgeResponse(policy, profile, { method, normalizedPath: target.normalizedPath }, input.response),
  };
}
