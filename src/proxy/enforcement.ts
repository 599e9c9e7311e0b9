/**
 * Settings this proxy does not enforce yet. Serving a policy that relies on one of them would
 * silently drop a protection the operator asked for, so `serve` refuses to start instead and names
 * them (fail closed). Body inspection is the exception that has an acknowledgement: without an
 * inspector every body-carrying write is "body-blind", which `insecure_allow_body_blind_writes`
 * already exists to accept.
 */
import { evaluateRules, type CompiledRuleSet } from '../policy/evaluate.js';
import type { CompiledPolicy } from '../policy/compile.js';
import endpoints from '../policy/docker-endpoints.json' with { type: 'json' };
import { findBodyRoute } from '../policy/body/body-routes.js';

const PROBE_ID = 'sockguard-test';

/** Engine API endpoints whose request bodies sockguard inspects, as concrete probe requests. */
const INSPECTED_ENDPOINTS: readonly { method: string; path: string }[] = (
  endpoints as readonly { method: string; path: string }[]
)
  .map((e) => ({ method: e.method, path: e.path.replace(/\{[^}]+\}/g, PROBE_ID) }))
  .filter((e) => {
    const route = findBodyRoute(e.method, e.path);
    return route !== undefined && route.kind !== 'none';
  });

function allowedInspected(ruleSet: CompiledRuleSet): string[] {
  return INSPECTED_ENDPOINTS.filter((e) => evaluateRules(ruleSet, e.method, e.path).decision === 'allow').map(
    (e) => `${e.method} ${e.path}`,
  );
}

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
  if ((policy.ownership.owner ?? '') !== '') problems.push('ownership.owner (owner isolation)');
  if (
    set(policy.response.visible_resource_labels) ||
    set(policy.response.name_patterns) ||
    set(policy.response.image_patterns)
  ) {
    problems.push('response.visible_resource_labels / name_patterns / image_patterns (resource visibility)');
  }
  if (set(policy.upstream.endpoints))
    problems.push('upstream.endpoints (use upstream.socket or DOCKER_HOST=tcp://...)');
  if (policy.listeners?.some((l) => !(l.allowed_profiles ?? []).includes('*'))) {
    problems.push('listeners[].allowed_profiles other than ["*"] (client profiles)');
  }
  if (policy.policy_bundle.enabled) problems.push('policy_bundle (signed policies)');
  if (set(policy.mutations.rules)) problems.push('mutations (admission mutations)');
  if (!policy.insecure_allow_body_blind_writes) {
    const exposed = allowedInspected(compiled.root);
    if (exposed.length > 0) {
      problems.push(
        `request body inspection (rules allow ${exposed.join(', ')}); set insecure_allow_body_blind_writes: true to serve these requests without inspecting their bodies`,
      );
    }
  }
  return problems;
}
