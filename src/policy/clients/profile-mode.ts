/**
 * Profile rollout modes (sockguard-config.md §9, §14.1): `enforce` (default, also "") answers a
 * denial; `warn` and `audit` forward the request and log `request_would_deny` instead (WARN in warn
 * mode, INFO in audit mode). Pre-auth gates and failures (client ACL, identity lookup, listener
 * admission, label lookup/evaluation failures, an unresolved profile) always enforce: a dry run of a
 * profile must never admit a client the proxy could not identify or a listener does not accept.
 */

export type ProfileMode = 'enforce' | 'warn' | 'audit';

/** Reads a profile's `mode` as the Go proxy does: case-insensitive, empty or absent = enforce. */
export function parseProfileMode(text: string | undefined): ProfileMode {
  const mode = (text ?? '').toLowerCase();
  return mode === 'warn' || mode === 'audit' ? mode : 'enforce';
}

export type ModeOutcome<R> =
  | { readonly forward: false; readonly refusal: R }
  | { readonly forward: true; readonly wouldDeny: R; readonly logLevel: 'warn' | 'info' };

/** Decides whether a denial is answered or only logged, given the mode of the resolved profile. */
export function applyProfileMode<R extends object>(mode: ProfileMode, refusal: R): ModeOutcome<R> {
  // Client-gate refusals say whether they may be forwarded; anything else (a rule or body deny) may.
  const alwaysEnforced = 'alwaysEnforced' in refusal && refusal.alwaysEnforced === true;
  if (mode === 'enforce' || alwaysEnforced) return { forward: false, refusal };
  return { forward: true, wouldDeny: refusal, logLevel: mode === 'warn' ? 'warn' : 'info' };
}
