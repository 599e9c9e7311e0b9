/**
 * The policy in force. Each request takes the current snapshot once, when it arrives, so a reload
 * swaps the policy atomically for new requests and never changes the rules under a running one.
 */
import { createHash } from 'node:crypto';
import { compileRequestPolicies, type RequestPolicies } from '../policy/clients/request-policies.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { OwnershipSettings } from '../policy/ownership/authorize-owned-request.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import type { Policy } from '../policy/schema.js';
import { compileResponseScopes, type ResponseScopes } from '../policy/response/response-scopes.js';

export interface ActivePolicy {
  /** 1 at startup, +1 per successful reload (sockguard-config.md §16). */
  readonly version: number;
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  /** Owner isolation; undefined when `ownership.owner` is empty. */
  readonly ownership: OwnershipSettings | undefined;
  /** Redaction and per-scope visibility, compiled once per version. */
  readonly response: ResponseScopes;
  /**
   * The `clients` block and each profile's `request_body`, compiled once per version: the same
   * compilation `sockguard test` judges with (src/policy/clients/request-policies.ts).
   */
  readonly requests: RequestPolicies;
  readonly loadedAt: Date;
  readonly source: 'startup' | 'reload';
  /** SHA-256 of the effective configuration's JSON. */
  readonly configSha256: string;
}

export class PolicyStore {
  #current: ActivePolicy;

  constructor(compiled: CompiledPolicy) {
    this.#current = snapshot(compiled, 1, 'startup');
  }

  get current(): ActivePolicy {
    return this.#current;
  }

  publish(compiled: CompiledPolicy): ActivePolicy {
    this.#current = snapshot(compiled, this.#current.version + 1, 'reload');
    return this.#current;
  }
}

/** A visibility setting that does not compile: `serve` refuses the policy (preparePolicy checks first). */
class ResponseScopeError extends Error {}

/**
 * Throws ClientConfigError for a `clients` block and ResponseScopeError for a visibility that does
 * not compile (preparePolicy refuses both first).
 */
function snapshot(compiled: CompiledPolicy, version: number, source: ActivePolicy['source']): ActivePolicy {
  const requests = compileRequestPolicies(compiled.policy);
  const ownership = resolveOwnershipSettings(compiled.policy);
  const response = compileResponseScopes(compiled.policy, ownership);
  if (!response.ok) throw new ResponseScopeError(`invalid response visibility: ${response.problems.join('; ')}`);
  return {
    version,
    policy: compiled.policy,
    compiled,
    requests,
    ownership,
    response: response.scopes,
    loadedAt: new Date(),
    source,
    configSha256: createHash('sha256').update(JSON.stringify(compiled.policy)).digest('hex'),
  };
}
