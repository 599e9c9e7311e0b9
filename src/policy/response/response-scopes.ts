/**
 * The response side of one policy version (sockguard-config.md §7, §10): the redaction flags and, per
 * client scope (the root policy and each client profile), the compiled visibility, which includes the
 * owner scope when ownership is on. Compiled once per policy version; a visibility that does not
 * compile is a configuration error that stops startup or a reload, never a per-request failure.
 */
import type { OwnershipSettings } from '../ownership/authorize-owned-request.js';
import type { RedactionSettings, ResponsePolicy } from './redact-response.js';
import { compileVisibility, mergeVisibilitySettings, type OwnerScope, type VisibilitySettings } from './visibility.js';
import type { Policy } from '../schema.js';

export interface ResponseScopes {
  readonly root: ResponsePolicy;
  /** Keyed by client profile name: the root visibility merged with the profile's. */
  readonly profiles: ReadonlyMap<string, ResponsePolicy>;
}

export type CompiledResponseScopes = { ok: true; scopes: ResponseScopes } | { ok: false; problems: string[] };

function redactionOf(policy: Policy): RedactionSettings {
  const r = policy.response;
  return {
    redact_container_env: r.redact_container_env,
    redact_mount_paths: r.redact_mount_paths,
    redact_network_topology: r.redact_network_topology,
    redact_sensitive_data: r.redact_sensitive_data,
    redact_host_topology: r.redact_host_topology,
  };
}

export function compileResponseScopes(
  policy: Policy,
  ownership: OwnershipSettings | undefined,
): CompiledResponseScopes {
  const redaction = redactionOf(policy);
  const owner: OwnerScope | undefined = ownership && {
    labelKey: ownership.labelKey,
    owner: ownership.owner,
    allowUnownedImages: ownership.allowUnownedImages,
  };
  const problems: string[] = [];
  const compile = (settings: VisibilitySettings, where: string): ResponsePolicy => {
    const compiled = compileVisibility(settings, owner);
    if (compiled.ok) return { redaction, visibility: compiled.visibility };
    problems.push(`${where}: ${compiled.problem}`);
    return { redaction };
  };
  const root = compile(policy.response, 'response');
  const profiles = new Map<string, ResponsePolicy>();
  for (const [index, profile] of (policy.clients.profiles ?? []).entries()) {
    const merged = mergeVisibilitySettings(policy.response, profile.response ?? {});
    profiles.set(profile.name ?? '', compile(merged, `clients.profiles[${index}].response`));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scopes: { root, profiles } };
}

/** The response policy for a client scope; undefined for a profile this version does not define. */
export function selectResponsePolicy(scopes: ResponseScopes, profile: string | undefined): ResponsePolicy | undefined {
  return profile === undefined ? scopes.root : scopes.profiles.get(profile);
}
