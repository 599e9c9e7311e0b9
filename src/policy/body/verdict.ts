/**
 * The outcome of request-body inspection. Reason codes and statuses follow sockguard-config.md §8.1
 * and §13: a policy violation is 403 `request_body_policy_denied`, a body over the limit is 413
 * `request_body_too_large`; a body that cannot be judged is `request_body_inspection_failed`, 400
 * when the request itself is malformed (dockerd would reject it too) and 403 when it is well formed
 * but opaque to us (compressed archives, remote build contexts). Nothing denied reaches the daemon.
 */

export type BodyReasonCode = 'request_body_policy_denied' | 'request_body_inspection_failed' | 'request_body_too_large';

export type BodyVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly status: 400 | 403 | 413;
      readonly reasonCode: BodyReasonCode;
      readonly reason: string;
    };

export const ALLOW: BodyVerdict = Object.freeze({ ok: true });

export function denied(reason: string): BodyVerdict {
  return { ok: false, status: 403, reasonCode: 'request_body_policy_denied', reason };
}

export function malformed(reason: string): BodyVerdict {
  return { ok: false, status: 400, reasonCode: 'request_body_inspection_failed', reason };
}

export function uninspectable(reason: string): BodyVerdict {
  return { ok: false, status: 403, reasonCode: 'request_body_inspection_failed', reason };
}

export function tooLarge(reason: string): BodyVerdict {
  return { ok: false, status: 413, reasonCode: 'request_body_too_large', reason };
}

/** Builds the dotted policy key a denial names, e.g. `request_body.exec.allow_root_user`. */
export type PolicyKey = (field: string) => string;

export function policyKeys(prefix: string, group: string): PolicyKey {
  return (field) => `${prefix}.${group}.${field}`;
}

/** Runs checks in order and returns the first denial. */
export function firstDenial(...checks: (() => BodyVerdict)[]): BodyVerdict {
  for (const check of checks) {
    const verdict = check();
    if (!verdict.ok) return verdict;
  }
  return ALLOW;
}
