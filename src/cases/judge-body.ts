/**
 * Request-body inspection for one offline request, through the same inspectRequestBody as serve
 * (sockguard-config.md §8): it runs only for requests a rule allowed and can only turn allow into
 * deny. What serve would see is rebuilt from the test input: the body is handed to the inspector
 * exactly when the policy makes serve buffer it (requiresBody), a request given without a body is
 * judged as an empty one, and a JSON or tar body without a Content-Type gets the one the docker CLI
 * sends (said in a note, since a different header can change the answer).
 */
import { findBodyRoute, type BodyRouteId } from '../policy/body/body-routes.js';
import type { CompiledBodyPolicy } from '../policy/body/compile-body-policy.js';
import { inspectRequestBody } from '../policy/body/inspect-request-body.js';
import type { BodyReasonCode } from '../policy/body/verdict.js';
import type { ParsedTarget } from '../policy/canonical-path.js';
import { headerValue, type RequestHeaders } from './request-extras.js';

export interface BodyInput {
  /** The request body as given; undefined when none was given. */
  body?: Uint8Array;
  headers: RequestHeaders;
}

export interface BodyReport {
  /** The inspector that judged the request (body-routes.ts), e.g. `container-create`. */
  inspector: BodyRouteId;
  decision: 'allow' | 'deny';
  status?: 400 | 403 | 413;
  reasonCode?: BodyReasonCode;
  /** The inspector's reason: the field and the policy key that forbids it. */
  reason?: string;
  /** Size of the body given, when one was. */
  bytes?: number;
  /** Where the offline answer rests on an assumption about what serve would see. */
  notes: string[];
}

/** The Content-Type the docker CLI sends for each kind of inspected body. */
const CLI_CONTENT_TYPE = { json: 'application/json', tar: 'application/x-tar' } as const;

const EXEC_START_NOTE =
  "serve re-checks exec start against the daemon's exec inspect (GET /exec/{id}/json); offline there is none, so this is serve's answer when that lookup gives nothing to judge";

/** Undefined when no inspector handles this method and path. */
export function judgeBody(
  policy: CompiledBodyPolicy,
  method: string,
  target: ParsedTarget,
  input: BodyInput,
): BodyReport | undefined {
  const route = findBodyRoute(method, target.normalizedPath);
  if (route === undefined) return undefined;
  const notes: string[] = [];
  const buffered = policy.requiresBody(method, target.normalizedPath);
  const headers = { ...input.headers };
  if (buffered && input.body === undefined) {
    notes.push('no request body given: judged as an empty body, as serve judges a request sent without one');
  }
  if (route.kind !== 'none' && input.body !== undefined && input.body.length > 0) {
    if (headerValue(headers, 'content-type') === undefined) {
      headers['content-type'] = CLI_CONTENT_TYPE[route.kind];
      notes.push(`Content-Type ${CLI_CONTENT_TYPE[route.kind]} assumed, as the docker CLI sends it`);
    }
  }
  if (route.id === 'exec-start' && policy.exec.templates !== undefined && !policy.exec.denyAll) {
    notes.push(EXEC_START_NOTE);
  }
  const verdict = inspectRequestBody(
    {
      method,
      normalizedPath: target.normalizedPath,
      ...(target.apiVersion !== undefined ? { apiVersion: target.apiVersion } : {}),
      ...(target.rawQuery !== undefined ? { query: target.rawQuery } : {}),
      headers,
      ...(buffered ? { body: input.body ?? new Uint8Array(0) } : {}),
    },
    policy,
  );
  const given = input.body !== undefined ? { bytes: input.body.length } : {};
  if (verdict.ok) return { inspector: route.id, decision: 'allow', ...given, notes };
  return {
    inspector: route.id,
    decision: 'deny',
    status: verdict.status,
    reasonCode: verdict.reasonCode,
    reason: verdict.reason,
    ...given,
    notes,
  };
}
