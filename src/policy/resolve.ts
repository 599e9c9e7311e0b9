/**
 * Default-filling a policy document (Go `load.go`). Kept apart from the YAML loader so that code
 * which only needs the built-in policy (`sockguard test` without a file) does not load a YAML parser.
 */
import { DEFAULT_RULES } from './defaults.js';
import { applyDefaults } from './schema-dsl.js';
import { policySchema, type Policy, type PolicyDocument } from './schema.js';

/** Applies defaults; an absent or empty rules list becomes the default rules. */
export function resolvePolicy(document: PolicyDocument): Policy {
  const policy = applyDefaults(policySchema, document);
  if (!policy.rules || policy.rules.length === 0) policy.rules = DEFAULT_RULES.map((r) => structuredClone(r));
  return policy;
}

/** The built-in default policy (no file). */
export function defaultPolicy(): Policy {
  return resolvePolicy({});
}
