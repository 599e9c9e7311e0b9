/**
 * `listeners[].allowed_profiles` (sockguard-config.md §4.2): after the profile is resolved, a
 * listener admits only the profiles it lists. `["*"]` — and the legacy `listen` block, which acts as
 * one listener `default` with `["*"]` — admits every profile and the root policy; a concrete list
 * never admits the root policy (no profile). The resolved profile is final: a refused client is not
 * retried under a weaker selector.
 */
import type { Policy } from '../schema.js';
import { ADMITTED, refuseAlways, type ClientGate } from './client-refusal.js';

const PROFILE_NOT_ALLOWED = 'client profile not allowed on this listener';

/** `allowedProfiles` undefined means the legacy single listener (every profile). */
export function listenerAdmits(
  allowedProfiles: readonly string[] | undefined,
  profile: string | undefined,
): ClientGate {
  if (allowedProfiles === undefined || (allowedProfiles.length === 1 && allowedProfiles[0] === '*')) return ADMITTED;
  if (profile !== undefined && allowedProfiles.includes(profile)) return ADMITTED;
  return refuseAlways(403, PROFILE_NOT_ALLOWED, 'listener_profile_not_allowed');
}

/**
 * Admission of a request that arrived on the main listener `listenerName`. With a `listeners:` list
 * the name must be one of them; not finding it is a wiring bug, answered 500 (never admitted).
 */
export function admitOnListener(policy: Policy, listenerName: string, profile: string | undefined): ClientGate {
  if (policy.listeners === undefined || policy.listeners.length === 0) return listenerAdmits(undefined, profile);
  const listener = policy.listeners.find((l) => l.name === listenerName);
  if (!listener) return refuseAlways(500, 'listener configuration not found', 'listener_config_missing');
  return listenerAdmits(listener.allowed_profiles ?? [], profile);
}
