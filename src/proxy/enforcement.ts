/**
 * Settings this proxy does not enforce yet. Serving a policy that relies on one of them would
 * silently drop a protection the operator asked for, so `serve` refuses to start instead and names
 * them (fail closed). The root `request_body` is enforced (stages/body-inspection.ts): writes its
 * inspectors cannot judge are refused per request unless `insecure_allow_body_blind_writes`
 * acknowledges them. Owner isolation (stages/ownership.ts), visibility (stages/visibility.ts and
 * response-filter.ts) and response redaction (response-filter.ts) are enforced. Client profiles, and so their `request_body` blocks, are still
 * refused below.
 */
import type { CompiledPolicy } from '../policy/compile.js';

/** Human-readable problems; empty when the proxy enforces everything the policy asks for. */
export function findUnenforcedSettings(compiled: CompiledPolicy): string[] {
  const { policy } = compiled;
  const problems: string[] = [];
  const set = (list: readonly unknown[] | undefined) => (list?.length ?? 0) > 0;
  const { clients } = policy;
  if (
    set(clients.allowed_cidrs) ||
    clients.container_labels.enabled ||
    (clients.default_profile ?? '') !== '' ||
    set(clients.source_ip_profiles) ||
    set(clients.client_certificate_profiles) ||
    set(clients.unix_peer_profiles) ||
    clients.global_concurrency.max_inflight !== undefined ||
    set(clients.profiles)
  ) {
    problems.push('clients (client ACLs, client profiles, rate and concurrency limits)');
  }
  if (set(policy.upstream.endpoints))
    problems.push('upstream.endpoints (use upstream.socket or DOCKER_HOST=tcp://...)');
  if (policy.listeners?.some((l) => !(l.allowed_profiles ?? []).includes('*'))) {
    problems.push('listeners[].allowed_profiles other than ["*"] (client profiles)');
  }
  if (policy.policy_bundle.enabled) problems.push('policy_bundle (signed policies)');
  if (set(policy.mutations.rules)) problems.push('mutations (admission mutations)');
  return problems;
}
