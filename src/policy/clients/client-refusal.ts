/**
 * What a client gate answers when it stops a request (sockguard-config.md §9, §13.2, §13.3): the
 * status, the JSON body the Go proxy sends, the reason code for logs and metrics, and whether a
 * profile's warn/audit mode may turn the refusal into a logged `would_deny` (policy decisions) or
 * not (pre-auth gates and failures, which always enforce).
 */

export type ClientReasonCode =
  | 'client_ip_not_allowed'
  | 'client_identity_lookup_failed'
  | 'client_acl_misconfigured'
  | 'client_label_acl_lookup_failed'
  | 'client_label_acl_evaluation_failed'
  | 'client_label_policy_denied_request'
  | 'client_policy_profile_unresolved'
  | 'listener_profile_not_allowed'
  | 'listener_config_missing'
  | 'rate_limit_exceeded'
  | 'concurrency_cap'
  | 'priority_floor';

export interface ClientRefusal {
  readonly ok: false;
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly reasonCode: ClientReasonCode;
  /** Human-readable reason for logs. */
  readonly reason: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** True for pre-auth gates and failures: never forwarded, whatever the profile's mode. */
  readonly alwaysEnforced: boolean;
}

export const ADMITTED = { ok: true } as const;
export type ClientGate = typeof ADMITTED | ClientRefusal;

/** A Docker-style `{"message": ...}` refusal from a gate that always enforces. */
export function refuseAlways(status: number, message: string, reasonCode: ClientReasonCode): ClientRefusal {
  return { ok: false, status, body: { message }, reasonCode, reason: message, alwaysEnforced: true };
}
