/**
 * Per-container label ACLs (`clients.container_labels`, sockguard-config.md §9). A label
 * `<prefix><method>` holds comma-separated globs (the rule dialect, over the normalized path); the
 * method suffix is case-insensitive and must be a standard HTTP method. A caller with at least one
 * such label may only make requests one of them allows — and the rules still apply afterwards. No
 * such label: nothing changes. A label with an unknown method or no globs makes the ACL unusable:
 * 502 `client label ACL evaluation failed`, whatever the profile's mode.
 *
 * wollomatic/socket-proxy users set `label_prefix: socket-proxy.allow.`; note that its values are
 * regular expressions, which this reads as globs (migrate translates them).
 */
import type { Rule } from '../defaults.js';
import { compileRules, evaluateRules, type CompiledRuleSet } from '../evaluate.js';
import { STANDARD_METHODS } from '../methods.js';
import { ADMITTED, refuseAlways, type ClientGate } from './client-refusal.js';

export type LabelAcl =
  | { readonly kind: 'none' }
  | { readonly kind: 'rules'; readonly rules: CompiledRuleSet }
  | { readonly kind: 'invalid'; readonly problem: string };

const LABEL_ACL_DENIED = 'client label policy denied request';

/** Compiles a container's ACL labels once (cache it with the container lookup). Keys in sorted order. */
export function compileLabelAcl(labels: Readonly<Record<string, string>>, labelPrefix: string): LabelAcl {
  const rules: Rule[] = [];
  for (const key of Object.keys(labels).sort()) {
    if (!key.startsWith(labelPrefix)) continue;
    const method = key.slice(labelPrefix.length).toUpperCase();
    if (!STANDARD_METHODS.includes(method))
      return { kind: 'invalid', problem: `unsupported client ACL label "${key}"` };
    const patterns = labels[key]!.split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    if (patterns.length === 0) return { kind: 'invalid', problem: `empty client ACL label "${key}"` };
    for (const path of patterns) rules.push({ match: { method, path }, action: 'allow' });
  }
  // A prefix label with no valid content was rejected above, so no rules means no ACL labels.
  return rules.length === 0 ? { kind: 'none' } : { kind: 'rules', rules: compileRules(rules) };
}

export function judgeLabelAcl(acl: LabelAcl, method: string, normalizedPath: string): ClientGate {
  if (acl.kind === 'none') return ADMITTED;
  if (acl.kind === 'invalid') {
    return refuseAlways(502, 'client label ACL evaluation failed', 'client_label_acl_evaluation_failed');
  }
  if (evaluateRules(acl.rules, method, normalizedPath).decision === 'allow') return ADMITTED;
  // A policy decision, not a pre-auth gate: warn/audit profiles forward it as would_deny.
  return { ...refuseAlways(403, LABEL_ACL_DENIED, 'client_label_policy_denied_request'), alwaysEnforced: false };
}

/** Both steps at once, for callers that do not cache the compiled ACL. */
export function evaluateLabelAcl(
  labels: Readonly<Record<string, string>>,
  labelPrefix: string,
  method: string,
  normalizedPath: string,
): ClientGate {
  return judgeLabelAcl(compileLabelAcl(labels, labelPrefix), method, normalizedPath);
}
