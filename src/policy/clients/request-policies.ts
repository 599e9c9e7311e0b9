/**
 * The parts of a policy that judge a request beyond its method and path, compiled once per policy:
 * the `clients` block and one request-body policy per scope. Each client profile has its own
 * `request_body` block, which gets none of the root defaults (sockguard-config.md §8.1: a missing
 * block is all zero values, the strictest); the blind-writes acknowledgement is global (§8.3).
 */
import { compileBodyPolicy, type CompiledBodyPolicy } from '../body/compile-body-policy.js';
import { compileClients, type CompiledClients } from './compile-clients.js';
import type { Policy } from '../schema.js';

export interface RequestPolicies {
  readonly clients: CompiledClients;
  /** The body policy of a profile's scope, or of the root policy (undefined). */
  bodyPolicyOf(profile: string | undefined): CompiledBodyPolicy;
}

/** Throws ClientConfigError for a clients block serve would refuse to start with. */
export function compileRequestPolicies(policy: Policy): RequestPolicies {
  const clients = compileClients(policy.clients);
  const insecureAllowBodyBlindWrites = policy.insecure_allow_body_blind_writes;
  const compiled = new Map<string | undefined, CompiledBodyPolicy>();
  return {
    clients,
    bodyPolicyOf(profile) {
      let body = compiled.get(profile);
      if (body) return body;
      if (profile === undefined) {
        body = compileBodyPolicy(policy.request_body, { insecureAllowBodyBlindWrites, keyPrefix: 'request_body' });
      } else {
        const profiles = policy.clients.profiles ?? [];
        const index = profiles.findIndex((p) => p.name === profile);
        body = compileBodyPolicy(profiles[index]?.request_body, {
          insecureAllowBodyBlindWrites,
          keyPrefix: `clients.profiles[${index}].request_body`,
        });
      }
      compiled.set(profile, body);
      return body;
    },
  };
}
