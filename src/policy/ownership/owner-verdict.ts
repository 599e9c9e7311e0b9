/**
 * Outcomes of owner isolation, with the statuses and reason codes of sockguard-config.md §10 and
 * §13: a foreign resource is 403 `owner_policy_denied_access`, a request we cannot read is 400
 * `owner_request_invalid`, a failed or unreadable lookup is 502 `owner_policy_lookup_failed`. A
 * reference the daemon does not know is answered 404 the way dockerd would (`No such container: x`)
 * and never forwarded: forwarding would let an object created meanwhile by another owner be the target.
 * Messages name the reference as the client wrote it, never a resolved ID.
 */

export type OwnerReasonCode = 'owner_policy_denied_access' | 'owner_request_invalid' | 'owner_policy_lookup_failed';

export interface OwnerDenial {
  readonly ok: false;
  readonly status: 400 | 403 | 404 | 502;
  readonly reasonCode: OwnerReasonCode;
  /** Sent to the client as `{"message": ...}`. */
  readonly message: string;
}

export const LOOKUP_FAILED_MESSAGE = 'owner policy lookup failed';

export function invalidRequest(message: string): OwnerDenial {
  return { ok: false, status: 400, reasonCode: 'owner_request_invalid', message };
}

export function deniedAccess(message: string): OwnerDenial {
  return { ok: false, status: 403, reasonCode: 'owner_policy_denied_access', message };
}

export function notFound(message: string): OwnerDenial {
  return { ok: false, status: 404, reasonCode: 'owner_policy_denied_access', message };
}

export function lookupFailed(): OwnerDenial {
  return { ok: false, status: 502, reasonCode: 'owner_policy_lookup_failed', message: LOOKUP_FAILED_MESSAGE };
}
