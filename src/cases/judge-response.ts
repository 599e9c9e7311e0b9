/**
 * The response side of one offline request (sockguard-config.md §7): a daemon response given with
 * `--response` is put through redactResponse with the policy serve would apply to this client (the
 * top-level redaction flags; the top-level visibility merged with the client's profile, plus the owner
 * scope when ownership.owner is set), and the outcome is what the client would receive: the daemon's
 * bytes unchanged, a rewritten body, 404 for a hidden resource, 502 for a protected response serve
 * cannot filter, or 500 when the visibility settings cannot be compiled.
 */
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import { isRedactableRoute, redactResponse, type ResponseOutcome } from '../policy/response/redact-response.js';
import { compileResponseScopes, selectResponsePolicy } from '../policy/response/response-scopes.js';
import type { Policy } from '../policy/schema.js';

export interface ResponseInput {
  /** The daemon's status code. */
  status: number;
  body: Uint8Array;
}

export interface ResponseReport {
  /** The daemon's status. */
  upstreamStatus: number;
  outcome: 'unchanged' | 'rewritten' | 'hidden' | 'rejected';
  /** The status the client receives. */
  status: number;
  reasonCode?: string;
  /** For a rewritten response, the body the client receives; for a refusal, its message. */
  body?: string;
  /** Why serve rejected it (logged, never sent to the client). */
  detail?: string;
  notes: string[];
}

const decoder = new TextDecoder();

/** dockerd answers JSON reads with this; a different Content-Type on a protected route is a 502. */
const DAEMON_CONTENT_TYPE = 'application/json';

function toReport(outcome: ResponseOutcome, input: ResponseInput): ResponseReport {
  const base = { upstreamStatus: input.status, notes: [] as string[] };
  switch (outcome.kind) {
    case 'unchanged':
      return { ...base, outcome: 'unchanged', status: input.status };
    case 'rewritten':
      return { ...base, outcome: 'rewritten', status: input.status, body: decoder.decode(outcome.body) };
    case 'hidden':
      return {
        ...base,
        outcome: 'hidden',
        status: outcome.status,
        reasonCode: outcome.reasonCode,
        body: outcome.message,
      };
    case 'reject':
      return {
        ...base,
        outcome: 'rejected',
        status: outcome.status,
        reasonCode: outcome.reasonCode,
        body: outcome.message,
        detail: outcome.detail,
      };
  }
}

export function judgeResponse(
  policy: Policy,
  profile: string | undefined,
  request: { method: string; normalizedPath: string },
  input: ResponseInput,
): ResponseReport {
  // The scopes serve compiles per policy version (serve refuses to start when they do not compile).
  const scopes = compileResponseScopes(policy, resolveOwnershipSettings(policy));
  const responsePolicy = scopes.ok ? selectResponsePolicy(scopes.scopes, profile) : undefined;
  if (responsePolicy === undefined) {
    return {
      upstreamStatus: input.status,
      outcome: 'rejected',
      status: 500,
      reasonCode: scopes.ok ? 'visibility_profile_unresolved' : 'visibility_policy_misconfigured',
      body: scopes.ok ? 'visibility profile could not be resolved' : 'visibility policy misconfigured',
      ...(scopes.ok ? {} : { detail: scopes.problems.join('; ') }),
      notes: [],
    };
  }
  const report = toReport(
    redactResponse(request, input.status, DAEMON_CONTENT_TYPE, input.body, responsePolicy),
    input,
  );
  report.notes.push(
    isRedactableRoute(request.method, request.normalizedPath, responsePolicy)
      ? `Content-Type ${DAEMON_CONTENT_TYPE} assumed, as dockerd sends it`
      : 'serve does not filter this route under this policy: the response passes through as the daemon sent it',
  );
  return report;
}
