/**
 * request_body.service — POST /services/create and /services/{id}/update (sockguard-config.md §8.2,
 * security-notes.md §15.8). The task's ContainerSpec gets the container-create rails that exist in
 * swarm (no Privileged, no devices): bind mounts and local-driver volume devices, registries,
 * capabilities, sysctls, user, no-new-privileges, read-only rootfs, seccomp/AppArmor/SELinux modes and
 * CPU limits. Host networking is checked in TaskTemplate.Networks and the deprecated top-level
 * Networks (the Go proxy once read only the latter, #332). A task that installs a plugin
 * (Runtime "plugin" / PluginSpec) is always denied: plugins belong to request_body.plugin.
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { serviceSpecShape } from './body-shapes.js';
import { compileCapabilitySet, dropsAllCapabilities, forbiddenCapability } from './capabilities.js';
import { compilePathAllowlist, type PathAllowlist } from './host-path.js';
import { compileRegistryAllowlist, type RegistryAllowlist } from './image-reference.js';
import type { Decoded } from './json-shape.js';
import { judgeMountHostPaths } from './mount-host-paths.js';
import { isRootUser } from './user-spec.js';
import { ALLOW, denied, firstDenial, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['service']>;
type ServiceSpec = Decoded<typeof serviceSpecShape>;

export interface CompiledService {
  key: PolicyKey;
  flags: Required<
    Omit<
      Group,
      | 'allowed_bind_mounts'
      | 'allowed_capabilities'
      | 'allowed_registries'
      | 'allow_all_registries'
      | 'allow_official'
      | 'image_trust'
    >
  >;
  bindMounts: PathAllowlist;
  capabilities: ReadonlySet<string>;
  registries: RegistryAllowlist;
  enforceImageTrust: boolean;
}

export function compileService(group: Group | undefined, prefix: string): CompiledService {
  const g = group ?? {};
  const key = policyKeys(prefix, 'service');
  return {
    key,
    flags: {
      allow_host_network: g.allow_host_network ?? false,
      allow_all_capabilities: g.allow_all_capabilities ?? false,
      allow_sysctls: g.allow_sysctls ?? false,
      require_non_root_user: g.require_non_root_user ?? false,
      require_no_new_privileges: g.require_no_new_privileges ?? false,
      require_readonly_rootfs: g.require_readonly_rootfs ?? false,
      require_drop_all_capabilities: g.require_drop_all_capabilities ?? false,
      deny_unconfined_seccomp: g.deny_unconfined_seccomp ?? false,
      deny_custom_seccomp_profiles: g.deny_custom_seccomp_profiles ?? false,
      deny_unconfined_apparmor: g.deny_unconfined_apparmor ?? false,
      deny_selinux_disable: g.deny_selinux_disable ?? false,
      deny_selinux_label_override: g.deny_selinux_label_override ?? false,
      require_cpu_limit: g.require_cpu_limit ?? false,
      require_cpu_limit_hard: g.require_cpu_limit_hard ?? false,
    },
    bindMounts: compilePathAllowlist(g.allowed_bind_mounts),
    capabilities: compileCapabilitySet(g.allowed_capabilities),
    registries: compileRegistryAllowlist(g, key),
    enforceImageTrust: (g.image_trust?.mode ?? '') === 'enforce',
  };
}

function inspectNetworks(spec: ServiceSpec, p: CompiledService): BodyVerdict {
  if (p.flags.allow_host_network) return ALLOW;
  for (const [field, networks] of [
    ['TaskTemplate.Networks', spec.TaskTemplate?.Networks],
    ['Networks', spec.Networks],
  ] as const) {
    const index = (networks ?? []).findIndex((n) => (n.Target ?? '').trim().toLowerCase() === 'host');
    if (index >= 0) return denied(`${field}[${index}].Target is "host"; ${p.key('allow_host_network')} is false`);
  }
  return ALLOW;
}

function inspectMounts(spec: ServiceSpec, p: CompiledService): BodyVerdict {
  for (const [index, mount] of (spec.TaskTemplate?.ContainerSpec?.Mounts ?? []).entries()) {
    const field = `TaskTemplate.ContainerSpec.Mounts[${index}]`;
    const hostPaths = judgeMountHostPaths(mount, field, p.bindMounts, p.key('allowed_bind_mounts'));
    if (!hostPaths.ok) return hostPaths;
  }
  return ALLOW;
}

function inspectPrivileges(spec: ServiceSpec, p: CompiledService): BodyVerdict {
  const { flags, key } = p;
  const cs = spec.TaskTemplate?.ContainerSpec ?? {};
  const priv = cs.Privileges;
  const field = 'TaskTemplate.ContainerSpec';
  const seccompMode = (priv?.Seccomp?.Mode ?? '').trim().toLowerCase();
  if (flags.deny_unconfined_seccomp && seccompMode === 'unconfined') {
    return denied(`${field}.Privileges.Seccomp.Mode is "unconfined"; ${key('deny_unconfined_seccomp')} is true`);
  }
  const customSeccomp = seccompMode === 'custom' || (seccompMode === '' && (priv?.Seccomp?.Profile ?? '') !== '');
  if (flags.deny_custom_seccomp_profiles && customSeccomp) {
    return denied(`${field}.Privileges.Seccomp sets a custom profile; ${key('deny_custom_seccomp_profiles')} is true`);
  }
  if (flags.deny_unconfined_apparmor && (priv?.AppArmor?.Mode ?? '').trim().toLowerCase() === 'disabled') {
    return denied(`${field}.Privileges.AppArmor.Mode is "disabled"; ${key('deny_unconfined_apparmor')} is true`);
  }
  const selinux = priv?.SELinuxContext;
  if (flags.deny_selinux_disable && selinux?.Disable === true) {
    return denied(`${field}.Privileges.SELinuxContext.Disable is true; ${key('deny_selinux_disable')} is true`);
  }
  const override = (['User', 'Role', 'Type', 'Level'] as const).find((f) => (selinux?.[f] ?? '').trim() !== '');
  if (flags.deny_selinux_label_override && override !== undefined) {
    return denied(
      `${field}.Privileges.SELinuxContext.${override} overrides the SELinux label; ${key('deny_selinux_label_override')} is true`,
    );
  }
  if (flags.require_no_new_privileges && priv?.NoNewPrivileges !== true) {
    return denied(`${field}.Privileges.NoNewPrivileges is not true; ${key('require_no_new_privileges')} is true`);
  }
  if (flags.require_non_root_user && isRootUser(cs.User)) {
    return denied(
      `${field}.User ${JSON.stringify(cs.User ?? '')} runs as root; ${key('require_non_root_user')} is true`,
    );
  }
  if (flags.require_readonly_rootfs && cs.ReadOnly !== true) {
    return denied(`${field}.ReadOnly is not true; ${key('require_readonly_rootfs')} is true`);
  }
  if (flags.require_drop_all_capabilities && !dropsAllCapabilities(cs.CapabilityDrop)) {
    return denied(`${field}.CapabilityDrop does not include "ALL"; ${key('require_drop_all_capabilities')} is true`);
  }
  if (!flags.allow_all_capabilities) {
    const capability = forbiddenCapability(cs.CapabilityAdd, p.capabilities);
    if (capability !== undefined) {
      return denied(
        `${field}.CapabilityAdd adds ${capability}; it is not in ${key('allowed_capabilities')} (${key('allow_all_capabilities')} is false)`,
      );
    }
  }
  if (!flags.allow_sysctls && Object.keys(cs.Sysctls ?? {}).length > 0) {
    return denied(`${field}.Sysctls is set; ${key('allow_sysctls')} is false`);
  }
  return ALLOW;
}

export function inspectService(spec: ServiceSpec, p: CompiledService): BodyVerdict {
  const { flags, key } = p;
  const task = spec.TaskTemplate ?? {};
  const image = (task.ContainerSpec?.Image ?? '').trim();
  const limits = task.Resources?.Limits?.NanoCPUs ?? 0;
  const reservations = task.Resources?.Reservations?.NanoCPUs ?? 0;
  return firstDenial(
    () =>
      (task.Runtime ?? '').trim().toLowerCase() === 'plugin' || task.PluginSpec !== undefined
        ? denied('TaskTemplate installs a plugin (Runtime "plugin" / PluginSpec); plugin services are always denied')
        : ALLOW,
    () => inspectNetworks(spec, p),
    () => inspectMounts(spec, p),
    () => inspectPrivileges(spec, p),
    () => {
      const reason = image === '' ? undefined : p.registries.check(image, 'TaskTemplate.ContainerSpec.Image');
      return reason === undefined ? ALLOW : denied(reason);
    },
    () =>
      flags.require_cpu_limit && limits <= 0 && reservations <= 0
        ? denied(`TaskTemplate.Resources sets no CPU limit or reservation; ${key('require_cpu_limit')} is true`)
        : ALLOW,
    () =>
      flags.require_cpu_limit_hard && limits <= 0
        ? denied(
            `TaskTemplate.Resources.Limits.NanoCPUs sets no hard CPU cap; ${key('require_cpu_limit_hard')} is true`,
          )
        : ALLOW,
    () =>
      p.enforceImageTrust
        ? denied(
            `TaskTemplate.ContainerSpec.Image cannot be verified: ${key('image_trust.mode')} is "enforce" and this proxy does not verify signatures`,
          )
        : ALLOW,
  );
}
