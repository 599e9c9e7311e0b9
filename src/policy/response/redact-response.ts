/**
 * The response-side decision for one buffered daemon response: visibility (hide an inspected resource,
 * drop invisible list items) and redaction (redaction-rules.ts), in one parse. Applies to successful
 * (2xx other than 204/205), non-empty responses of the routes in response-routes.ts; anything else is
 * passed through unchanged. A protected response that is not JSON, does not parse, has an unexpected
 * shape or exceeds MAX_FILTERED_RESPONSE_BYTES is rejected with 502: never passed on unredacted
 * (sockguard-config.md §7, security-notes.md §14). Untouched responses are reported as unchanged so the
 * proxy can send the daemon's bytes; rewritten ones end with a newline, as dockerd's do.
 */
import { parseJsonTree, stringifyJsonTree } from './json-tree.js';
import { REDACTION_RULES, type RedactionFlag, type RedactionRule } from './redaction-rules.js';
import { findResponseRoute, MAX_FILTERED_RESPONSE_BYTES, type ResponseRoute } from './response-routes.js';
import { applyEdit, ShapeMismatch } from './tree-edits.js';
import { constrainsVisibility, filterListResponse, isVisible, type CompiledVisibility } from './visibility.js';

export type RedactionSettings = Readonly<Record<RedactionFlag, boolean>>;

export interface ResponsePolicy {
  readonly redaction: RedactionSettings;
  /** Visibility for this client (root response settings merged with its profile, plus the owner scope). */
  readonly visibility?: CompiledVisibility;
}

export const REJECTED_MESSAGE = 'upstream Docker response rejected by sockguard policy';
export const TOO_LARGE_MESSAGE = 'upstream response too large to filter';
export const HIDDEN_MESSAGE = 'resource not found';

export type ResponseOutcome =
  | { kind: 'unchanged' }
  | { kind: 'rewritten'; body: Uint8Array }
  | {
      kind: 'hidden';
      status: 404;
      message: typeof HIDDEN_MESSAGE;
      reasonCode: 'visibility_policy_hid_resource';
    }
  | {
      kind: 'reject';
      status: 502;
      message: typeof REJECTED_MESSAGE | typeof TOO_LARGE_MESSAGE;
      reasonCode: 'upstream_response_rejected_by_policy' | 'visibility_response_too_large';
      /** Why, for logs only (never sent to the client). */
      detail: string;
    };

const UNCHANGED: ResponseOutcome = Object.freeze({ kind: 'unchanged' });
const encoder = new TextEncoder();

function reject(detail: string): ResponseOutcome {
  return {
    kind: 'reject',
    status: 502,
    message: REJECTED_MESSAGE,
    reasonCode: 'upstream_response_rejected_by_policy',
    detail,
  };
}

function activeRules(route: ResponseRoute, policy: ResponsePolicy): readonly RedactionRule[] {
  return REDACTION_RULES[route.shape].filter((r) => policy.redaction[r.flag]);
}

function activeVisibility(route: ResponseRoute, policy: ResponsePolicy): CompiledVisibility | undefined {
  const v = policy.visibility;
  return v !== undefined && (route.list !== undefined || route.inspect !== undefined) && constrainsVisibility(v)
    ? v
    : undefined;
}

/**
 * Whether the proxy must buffer this route's successful responses for redactResponse. Without a
 * policy: whether it could ever have to (the route has a known shape).
 */
export function isRedactableRoute(method: string, normalizedPath: string, policy?: ResponsePolicy): boolean {
  const route = findResponseRoute(method, normalizedPath);
  if (route === undefined) return false;
  if (policy === undefined) return true;
  return activeRules(route, policy).length > 0 || activeVisibility(route, policy) !== undefined;
}

function isJsonMediaType(contentType: string): boolean {
  return contentType.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

export function redactResponse(
  route: { method: string; normalizedPath: string },
  status: number,
  contentType: string | undefined,
  body: Uint8Array,
  policy: ResponsePolicy,
): ResponseOutcome {
  const found = findResponseRoute(route.method, route.normalizedPath);
  if (found === undefined || status < 200 || status > 299 || status === 204 || status === 205) return UNCHANGED;
  const rules = activeRules(found, policy);
  const visibility = activeVisibility(found, policy);
  if ((rules.length === 0 && visibility === undefined) || body.length === 0) return UNCHANGED;
  if (body.length > MAX_FILTERED_RESPONSE_BYTES) {
    return {
      kind: 'reject',
      status: 502,
      message: TOO_LARGE_MESSAGE,
      reasonCode: 'visibility_response_too_large',
      detail: `the response has ${body.length} bytes, more than ${MAX_FILTERED_RESPONSE_BYTES}`,
    };
  }
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    return reject(`a protected response has Content-Type ${JSON.stringify(contentType)}`);
  }
  const parsed = parseJsonTree(body);
  if (!parsed.ok) return reject(`a protected response is not JSON: ${parsed.problem}`);
  let tree = parsed.value;
  let changed = false;
  try {
    if (visibility !== undefined && found.inspect !== undefined && !isVisible(found.inspect, tree, visibility)) {
      return { kind: 'hidden', status: 404, message: HIDDEN_MESSAGE, reasonCode: 'visibility_policy_hid_resource' };
    }
    if (visibility !== undefined && found.list !== undefined) {
      ({ tree, changed } = filterListResponse(found.list, tree, visibility));
    }
    for (const rule of rules) changed = applyEdit(tree, rule) || changed;
  } catch (error) {
    if (error instanceof ShapeMismatch) return reject(`unexpected ${found.shape} response: ${error.message}`);
    throw error;
  }
  return changed ? { kind: 'rewritten', body: encoder.encode(stringifyJsonTree(tree) + '\n') } : UNCHANGED;
}
