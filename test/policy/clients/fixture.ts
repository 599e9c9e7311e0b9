/** Compiled `clients` blocks from policy YAML, through the real loader and validator. */
import { compileClients, type CompiledClients } from '../../../src/policy/clients/compile-clients.js';
import { loadPolicy } from '../../../src/policy/load.js';
import type { Policy } from '../../../src/policy/schema.js';

/** Loads a whole policy; fails the test with the diagnostics when it does not validate. */
export function policyFrom(yaml: string): Policy {
  const loaded = loadPolicy(yaml);
  if (!loaded.policy) {
    throw new Error(`fixture policy does not load:\n${loaded.diagnostics.map((d) => d.message).join('\n')}`);
  }
  return loaded.policy;
}

export function clientsFrom(yaml: string): CompiledClients {
  return compileClients(policyFrom(yaml).clients);
}

/** A profile with one allow rule, for `clients.profiles` lists. */
export function profileYaml(name: string, extra = ''): string {
  return `    - name: ${name}\n      rules:\n        - match: { method: GET, path: /_ping }\n          action: allow\n${extra}`;
}
