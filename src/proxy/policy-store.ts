/**
 * The policy in force. Each request takes the current snapshot once, when it arrives, so a reload
 * swaps the policy atomically for new requests and never changes the rules under a running one.
 */
import { createHash } from 'node:crypto';
import { compileBodyPolicy, type CompiledBodyPolicy } from '../policy/body/compile-body-policy.js';
import type { CompiledPolicy } from '../policy/compile.js';
import type { OwnershipSettings } from '../policy/ownership/authorize-owned-request.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import type { Policy } from '../policy/schema.js';
import { compileResponseScopes, type ResponseScopes } from './response-scopes.js';

export interface ActivePolicy {
  /** 1 at startup, +1 per successful reload (sockguard-config.md §16). */
  readonly version: number;
  readonly policy: Policy;
  readonly compiled: CompiledPolicy;
  /** The root `request_body`, compiled once per version like the rules. */
  readonly body: CompiledBodyPolicy;
  /** Owner isolation; undefined when `ownership.owner` is empty. */
  readonly ownership: OwnershipSettings | undefined;
  /** Redaction and per-scope visibility, compiled once per version. */
  readonly response: ResponseScopes;
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

function snapshot(compiled: CompiledPolicy, version: number, source: ActivePolicy['source']): ActivePolicy {
  const ownership = resolveOwnershipSettings(compiled.policy);
  const response = compileResponseScopes(compiled.policy, ownership);
  if (!response.ok) throw new ResponseScopeError(`invalid response visibility: ${response.problems.join('; ')}`);
  return {
    version,
    policy: compiled.policy,
    compiled,
    body: compileBodyPolicy(compiled.policy.request_body, {
      insecureAllowBodyBlindWrites: compiled.policy.insecure_allow_body_blind_writes,
    }),
    ownership,
    response: response.scopes,
    loadedAt: new Date(),
    source,
    configSha256: createHash('sha256').update(JSON.stringify(compiled.policy)).digest('hex'),
  };
}
