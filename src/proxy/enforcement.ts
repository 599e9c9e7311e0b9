/**
 * Settings this proxy does not enforce yet, or cannot enforce on this machine. Serving a policy that
 * relies on one of them would silently drop a protection the operator asked for, so `serve` refuses
 * to start (or to reload) instead and names them (fail closed). Enforced elsewhere: the root and
 * per-profile `request_body` blocks (stages/body-inspection.ts), the `clients` block and
 * `listeners[].allowed_profiles` (client-gates.ts, rate-limit.ts), owner isolation
 * (stages/ownership.ts), visibility (stages/visibility.ts, response-filter.ts) and redaction
 * (response-filter.ts). `clients.unix_peer_profiles` needs the SO_PEERCRED addon, without which
 * every unix client would be refused.
 */
import type { CompiledPolicy } from '../policy/compile.js';
import { processPeerCredentialsAddon, type AddonLoad } from './peer-credentials.js';

/** Human-readable problems; empty when the proxy enforces everything the policy asks for. */
export function findUnenforcedSettings(
  compiled: CompiledPolicy,
  peerCredentials: AddonLoad = processPeerCredentialsAddon(),
): string[] {
  const { policy } = compiled;
  const problems: string[] = [];
  const set = (list: readonly unknown[] | undefined) => (list?.length ?? 0) > 0;
  if (set(policy.clients.unix_peer_profiles) && 'error' in peerCredentials) {
    problems.push(`clients.unix_peer_profiles (unix peer credentials are unavailable: ${peerCredentials.error})`);
  }
  if (set(policy.upstream.endpoints))
    problems.push('upstream.endpoints (use upstream.socket or DOCKER_HOST=tcp://...)');
  if (policy.policy_bundle.enabled) problems.push('policy_bundle (signed policies)');
  if (set(policy.mutations.rules)) problems.push('mutations (admission mutations)');
  return problems;
}
