/**
 * request_body.container_create — POST /containers/create (sockguard-config.md §8.2,
 * security-notes.md §15.1, §15.2). Every field the reference gates, plus the unconditional denies:
 * VolumesFrom, UTSMode=host, a non-empty CgroupParent, GroupAdd, ExtraHosts, unknown Mounts[].Type
 * and a Subpath that escapes its volume. NetworkingConfig endpoints and the legacy top-level
 * MacAddress are judged by the network group's endpoint gates.
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { containerCreateShape, hostConfigShape, mountShape } from './body-shapes.js';
import { compileCapabilitySet, dropsAllCapabilities, forbiddenCapability } from './capabilities.js';
import { cleanPath } from '../canonical-path.js';
import { cleanAbsolutePath, compilePathAllowlist, type PathAllowlist } from './host-path.js';
import { inspectEndpointSettings, type CompiledNetwork } from './inspect-network.js';
import type { Decoded } from './json-shape.js';
import { judgeMountHostPaths } from './mount-host-paths.js';
import { effectiveNoNewPrivileges, parseSecurityOpt } from './security-opt.js';
import { isRootUser } from './user-spec.js';
import { ALLOW, denied, firstDenial, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['container_create']>;
type HostConfig = Decoded<typeof hostConfigShape>;
type Mount = Decoded<typeof mountShape>;
type ContainerCreate = Decoded<typeof containerCreateShape>;

const KNOWN_MOUNT_TYPES = new Set(['bind', 'volume', 'tmpfs', 'image']);
const PRIVILEGED_TMPFS_OPTIONS = new Set(['exec', 'dev', 'suid']);
const DEFAULT_APPARMOR_PROFILES = ['default', 'docker-default', 'runtime/default'];

interface DeviceRequestRule {
  driver: string;
  capabilitySets: string[][];
  maxCount: number | undefined;
}

export interface CompiledContainerCreate {
  key: PolicyKey;
  flags: Required<
    Omit<
      Group,
      | 'allowed_bind_mounts'
      | 'allowed_devices'
      | 'allowed_device_requests'
      | 'allowed_device_cgroup_rules'
      | 'allowed_capabilities'
      | 'allowed_seccomp_profiles'
      | 'allowed_apparmor_profiles'
      | 'allowed_namespace_sharing_containers'
      | 'allowed_runtimes'
      | 'required_labels'
      | 'image_trust'
    >
  >;
  bindMounts: PathAllowlist;
  devices: PathAllowlist;
  deviceRequests: DeviceRequestRule[];
  cgroupRules: string[];
  capabilities: ReadonlySet<string>;
  seccompProfiles: string[];
  apparmorProfiles: string[];
  sharingContainers: ReadonlySet<string>;
  runtimes: ReadonlySet<string>;
  requiredLabels: string[];
  enforceImageTrust: boolean;
  network: CompiledNetwork;
}

const trimmedList = (values: readonly string[] | undefined): string[] => [
  ...new Set((values ?? []).map((v) => v.trim()).filter((v) => v !== '')),
];

function capabilitySet(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ''))].sort();
}

/** "c 226:* rwm" in a canonical form (type, major:minor, permissions in r,w,m order), or undefined. */
function canonicalCgroupRule(rule: string): string | undefined {
  const fields = rule.trim().split(/\s+/);
  if (fields.length !== 3) return undefined;
  const [type, numbers, perms] = fields as [string, string, string];
  const [major, minor, ...extra] = numbers.split(':');
  const number = /^(\*|[0-9]+)$/;
  if (!/^[abc]$/.test(type) || extra.length > 0 || !number.test(major ?? '') || !number.test(minor ?? '')) {
    return undefined;
  }
  if (!/^[rwm]+$/.test(perms)) return undefined;
  return `${type} ${major}:${minor} ${['r', 'w', 'm'].filter((p) => perms.includes(p)).join('')}`;
}

function cgroupRuleAllowed(rule: string, allowed: readonly string[]): boolean {
  const [type, numbers, perms] = rule.split(' ') as [string, string, string];
  const [major, minor] = numbers.split(':') as [string, string];
  const fieldOk = (allow: string, want: string) => allow === '*' || (want !== '*' && allow === want);
  return allowed.some((entry) => {
    const [aType, aNumbers, aPerms] = entry.split(' ') as [string, string, string];
    const [aMajor, aMinor] = aNumbers.split(':') as [string, string];
    return aType === type && aPerms === perms && fieldOk(aMajor, major) && fieldOk(aMinor, minor);
  });
}

export function compileContainerCreate(
  group: Group | undefined,
  network: CompiledNetwork,
  prefix: string,
): CompiledContainerCreate {
  const g = group ?? {};
  return {
    key: policyKeys(prefix, 'container_create'),
    flags: {
      allow_privileged: g.allow_privileged ?? false,
      allow_host_network: g.allow_host_network ?? false,
      allow_host_pid: g.allow_host_pid ?? false,
      allow_host_ipc: g.allow_host_ipc ?? false,
      allow_host_userns: g.allow_host_userns ?? false,
      allow_host_cgroupns: g.allow_host_cgroupns ?? false,
      allow_all_devices: g.allow_all_devices ?? false,
      allow_device_requests: g.allow_device_requests ?? false,
      allow_device_cgroup_rules: g.allow_device_cgroup_rules ?? false,
      allow_tmpfs_privileged_options: g.allow_tmpfs_privileged_options ?? false,
      require_no_new_privileges: g.require_no_new_privileges ?? false,
      require_non_root_user: g.require_non_root_user ?? false,
      require_readonly_rootfs: g.require_readonly_rootfs ?? false,
      require_drop_all_capabilities: g.require_drop_all_capabilities ?? false,
      allow_all_capabilities: g.allow_all_capabilities ?? false,
      require_memory_limit: g.require_memory_limit ?? false,
      require_cpu_limit: g.require_cpu_limit ?? false,
      require_cpu_limit_hard: g.require_cpu_limit_hard ?? false,
      require_pids_limit: g.require_pids_limit ?? false,
      deny_unconfined_seccomp: g.deny_unconfined_seccomp ?? false,
      deny_unconfined_apparmor: g.deny_unconfined_apparmor ?? false,
      deny_selinux_disable: g.deny_selinux_disable ?? false,
      deny_selinux_label_override: g.deny_selinux_label_override ?? false,
      deny_unconfined_system_paths: g.deny_unconfined_system_paths ?? false,
      restrict_namespace_sharing: g.restrict_namespace_sharing ?? false,
      deny_namespace_path_mode: g.deny_namespace_path_mode ?? false,
      allow_sysctls: g.allow_sysctls ?? false,
    },
    bindMounts: compilePathAllowlist(g.allowed_bind_mounts),
    devices: compilePathAllowlist(g.allowed_devices),
    deviceRequests: (g.allowed_device_requests ?? [])
      .map((entry) => ({
        driver: (entry.driver ?? '').trim().toLowerCase(),
        capabilitySets: (entry.allowed_capabilities ?? []).map(capabilitySet),
        maxCount: entry.max_count,
      }))
      .filter((entry) => entry.driver !== ''),
    cgroupRules: (g.allowed_device_cgroup_rules ?? []).map(canonicalCgroupRule).filter((r) => r !== undefined),
    capabilities: compileCapabilitySet(g.allowed_capabilities),
    seccompProfiles: trimmedList(g.allowed_seccomp_profiles),
    apparmorProfiles: trimmedList(g.allowed_apparmor_profiles),
    sharingContainers: new Set(trimmedList(g.allowed_namespace_sharing_containers)),
    runtimes: new Set(trimmedList(g.allowed_runtimes)),
    requiredLabels: trimmedList(g.required_labels),
    enforceImageTrust: (g.image_trust?.mode ?? '') === 'enforce',
    network,
  };
}

const isHost = (mode: string | undefined) => (mode ?? '').trim().toLowerCase() === 'host';
const isPathMode = (mode: string | undefined) => (mode ?? '').trim().toLowerCase().startsWith('ns:');

function sharedContainer(mode: string | undefined): string | undefined {
  const trimmed = (mode ?? '').trim();
  if (!trimmed.toLowerCase().startsWith('container:')) return undefined;
  const ref = trimmed.slice('container:'.length).trim();
  return ref === '' ? undefined : ref;
}

function inspectNamespaces(hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  const { flags, key } = p;
  const gated: [string, string | undefined, boolean, string][] = [
    ['NetworkMode', hc.NetworkMode, flags.allow_host_network, 'allow_host_network'],
    ['PidMode', hc.PidMode, flags.allow_host_pid, 'allow_host_pid'],
    ['IpcMode', hc.IpcMode, flags.allow_host_ipc, 'allow_host_ipc'],
    ['UsernsMode', hc.UsernsMode, flags.allow_host_userns, 'allow_host_userns'],
    ['CgroupnsMode', hc.CgroupnsMode, flags.allow_host_cgroupns, 'allow_host_cgroupns'],
  ];
  for (const [field, mode, allowed, flag] of gated) {
    if (allowed) continue;
    if (isHost(mode)) return denied(`HostConfig.${field} is "host"; ${key(flag)} is false`);
    if (isPathMode(mode)) {
      return denied(`HostConfig.${field} ${JSON.stringify(mode)} joins a namespace by path; ${key(flag)} is false`);
    }
  }
  if (isHost(hc.UTSMode) || isPathMode(hc.UTSMode)) {
    return denied(`HostConfig.UTSMode is ${JSON.stringify(hc.UTSMode)}; the host UTS namespace is always denied`);
  }
  if (flags.deny_namespace_path_mode && isPathMode(hc.NetworkMode)) {
    return denied(
      `HostConfig.NetworkMode ${JSON.stringify(hc.NetworkMode)} joins a namespace by path; ${key('deny_namespace_path_mode')} is true`,
    );
  }
  if (!flags.restrict_namespace_sharing) return ALLOW;
  const sharing: [string, string | undefined][] = [
    ['NetworkMode', hc.NetworkMode],
    ['PidMode', hc.PidMode],
    ['IpcMode', hc.IpcMode],
    ['UTSMode', hc.UTSMode],
    ['UsernsMode', hc.UsernsMode],
    ['CgroupnsMode', hc.CgroupnsMode],
    ['Cgroup', hc.Cgroup],
  ];
  for (const [field, mode] of sharing) {
    if (isPathMode(mode)) {
      return denied(
        `HostConfig.${field} ${JSON.stringify(mode)} joins a namespace by path; ${key('restrict_namespace_sharing')} is true`,
      );
    }
    const ref = sharedContainer(mode);
    if (ref !== undefined && !p.sharingContainers.has(ref)) {
      return denied(
        `HostConfig.${field} shares the namespace of container ${JSON.stringify(ref)}; it is not in ${key('allowed_namespace_sharing_containers')} (${key('restrict_namespace_sharing')} is true)`,
      );
    }
  }
  return ALLOW;
}

function inspectUnconditional(hc: HostConfig): BodyVerdict {
  const always = (what: string) => denied(`${what}; this is always denied`);
  if ((hc.VolumesFrom?.length ?? 0) > 0) return always("HostConfig.VolumesFrom inherits another container's mounts");
  if ((hc.CgroupParent ?? '').trim() !== '')
    return always('HostConfig.CgroupParent places the container in a host cgroup');
  if ((hc.GroupAdd?.length ?? 0) > 0) return always('HostConfig.GroupAdd adds supplementary groups');
  if ((hc.ExtraHosts?.length ?? 0) > 0) return always('HostConfig.ExtraHosts rewrites name resolution');
  return ALLOW;
}

function deviceRequestAllowed(
  request: NonNullable<HostConfig['DeviceRequests']>[number],
  rules: readonly DeviceRequestRule[],
): boolean {
  const driver = (request.Driver ?? '').trim().toLowerCase();
  const count = request.Count ?? 0;
  const requested = (request.Capabilities ?? []).map(capabilitySet).filter((set) => set.length > 0);
  return rules.some((rule) => {
    if (rule.driver !== driver) return false;
    if (
      rule.maxCount !== undefined &&
      (count === -1 ? rule.maxCount !== -1 : rule.maxCount !== -1 && count > rule.maxCount)
    ) {
      return false;
    }
    // An empty request gets the runtime's default capabilities, so it only matches an unconstrained rule.
    if (requested.length === 0) return rule.capabilitySets.length === 0;
    return requested.every((set) => rule.capabilitySets.some((allowed) => set.every((c) => allowed.includes(c))));
  });
}

function inspectDevices(hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  const { flags, key } = p;
  const requests = hc.DeviceRequests ?? [];
  if (requests.length > 0 && !flags.allow_device_requests) {
    const index = requests.findIndex((r) => !deviceRequestAllowed(r, p.deviceRequests));
    if (index >= 0) {
      return denied(
        `HostConfig.DeviceRequests[${index}] (driver ${JSON.stringify(requests[index]!.Driver ?? '')}) is not matched by ${key('allowed_device_requests')}; ${key('allow_device_requests')} is false`,
      );
    }
  }
  const rules = hc.DeviceCgroupRules ?? [];
  if (rules.length > 0 && !flags.allow_device_cgroup_rules) {
    for (const [index, rule] of rules.entries()) {
      const canonical = canonicalCgroupRule(rule);
      if (canonical === undefined || !cgroupRuleAllowed(canonical, p.cgroupRules)) {
        return denied(
          `HostConfig.DeviceCgroupRules[${index}] ${JSON.stringify(rule)} is not in ${key('allowed_device_cgroup_rules')}; ${key('allow_device_cgroup_rules')} is false`,
        );
      }
    }
  }
  if (flags.allow_all_devices) return ALLOW;
  for (const [index, device] of (hc.Devices ?? []).entries()) {
    const path = cleanAbsolutePath(device.PathOnHost ?? '');
    if (path === undefined || !p.devices.allows(path)) {
      return denied(
        `HostConfig.Devices[${index}].PathOnHost ${JSON.stringify(device.PathOnHost ?? '')} is not under ${key('allowed_devices')}; ${key('allow_all_devices')} is false`,
      );
    }
  }
  return ALLOW;
}

/** `source:target[:options]`: the host path of a bind, or undefined for a named or anonymous volume. */
function bindSource(spec: string): string | undefined {
  const colon = spec.indexOf(':');
  if (colon < 0) return undefined;
  const source = spec.slice(0, colon);
  return source.startsWith('/') ? source : undefined;
}

function inspectBindSpec(spec: string, field: string, p: CompiledContainerCreate): BodyVerdict {
  const source = bindSource(spec);
  if (source === undefined) return ALLOW; // named volumes are never gated
  const cleaned = cleanPath(source);
  if (p.bindMounts.allows(cleaned)) return ALLOW;
  return denied(
    `${field} mounts host path ${JSON.stringify(cleaned)}; it is not under ${p.key('allowed_bind_mounts')}`,
  );
}

function validSubpath(subpath: string | undefined): boolean {
  if (subpath === undefined || subpath === '') return true;
  if (subpath.startsWith('/')) return false;
  const cleaned = cleanPath(subpath);
  return cleaned !== '..' && !cleaned.startsWith('../');
}

function inspectMount(mount: Mount, field: string, p: CompiledContainerCreate): BodyVerdict {
  const type = (mount.Type ?? '').trim().toLowerCase();
  if (!KNOWN_MOUNT_TYPES.has(type)) {
    return denied(
      `${field}.Type is ${JSON.stringify(mount.Type ?? '')}; mount types other than bind, volume, tmpfs and image are always denied`,
    );
  }
  const hostPaths = judgeMountHostPaths(mount, field, p.bindMounts, p.key('allowed_bind_mounts'));
  if (!hostPaths.ok) return hostPaths;
  for (const [options, name] of [
    [mount.VolumeOptions, 'VolumeOptions'],
    [mount.ImageOptions, 'ImageOptions'],
  ] as const) {
    if (!validSubpath(options?.Subpath)) {
      return denied(
        `${field}.${name}.Subpath ${JSON.stringify(options?.Subpath)} escapes the mount; this is always denied`,
      );
    }
  }
  for (const option of mount.TmpfsOptions?.Options ?? []) {
    const name = (option[0] ?? '').trim().toLowerCase();
    if (option.length === 0 || option.length > 2 || name === '') {
      return denied(`${field}.TmpfsOptions.Options has a malformed option ${JSON.stringify(option)}`);
    }
    if (PRIVILEGED_TMPFS_OPTIONS.has(name) && !p.flags.allow_tmpfs_privileged_options) {
      return denied(
        `${field}.TmpfsOptions.Options enables ${JSON.stringify(name)}; ${p.key('allow_tmpfs_privileged_options')} is false`,
      );
    }
  }
  return ALLOW;
}

/** Legacy comma-separated tmpfs flags: the last of exec/noexec (dev, suid) wins. */
function tmpfsEnablesPrivilege(options: string): boolean {
  const state = { exec: false, dev: false, suid: false };
  for (const option of options.split(',')) {
    if (option === 'exec' || option === 'dev' || option === 'suid') state[option] = true;
    if (option === 'noexec' || option === 'nodev' || option === 'nosuid') state[option.slice(2) as 'exec'] = false;
  }
  return state.exec || state.dev || state.suid;
}

function inspectStorage(body: ContainerCreate, hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  for (const [index, spec] of (hc.Binds ?? []).entries()) {
    const verdict = inspectBindSpec(spec, `HostConfig.Binds[${index}]`, p);
    if (!verdict.ok) return verdict;
  }
  for (const [index, mount] of (hc.Mounts ?? []).entries()) {
    const verdict = inspectMount(mount, `HostConfig.Mounts[${index}]`, p);
    if (!verdict.ok) return verdict;
  }
  // dockerd reads a Volumes key as a container path; Podman's compat API binds a "src:/dst" key.
  for (const spec of Object.keys(body.Volumes ?? {}).sort()) {
    if (!spec.includes(':/')) continue;
    const verdict = inspectBindSpec(spec, `Volumes[${JSON.stringify(spec)}]`, p);
    if (!verdict.ok) return verdict;
  }
  if (!p.flags.allow_tmpfs_privileged_options) {
    for (const [target, options] of Object.entries(hc.Tmpfs ?? {})) {
      // Podman reads the flags from the key after a colon, or from the value before its first colon.
      const keyOptions = target.includes(':') ? target.split(':')[1]! : '';
      if ([options, keyOptions, options.split(':')[0]!].some(tmpfsEnablesPrivilege)) {
        return denied(
          `HostConfig.Tmpfs[${JSON.stringify(target)}] enables exec, dev or suid; ${p.key('allow_tmpfs_privileged_options')} is false`,
        );
      }
    }
  }
  return ALLOW;
}

function inspectNetworking(body: ContainerCreate, p: CompiledContainerCreate): BodyVerdict {
  const endpoints = body.NetworkingConfig?.EndpointsConfig ?? {};
  for (const name of Object.keys(endpoints).sort()) {
    const verdict = inspectEndpointSettings(
      endpoints[name]!,
      `NetworkingConfig.EndpointsConfig[${JSON.stringify(name)}]`,
      p.network,
    );
    if (!verdict.ok) return verdict;
  }
  const { group, endpoint } = p.network;
  if ((body.MacAddress ?? '').trim() !== '' && !group.allow_endpoint_config && !endpoint.allow_mac_pinning) {
    return denied(
      `MacAddress pins a MAC address; ${p.network.key('endpoint_config.allow_mac_pinning')} and ${p.network.key('allow_endpoint_config')} are false`,
    );
  }
  return ALLOW;
}

function inspectSecurityOpts(hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  const { flags, key } = p;
  let seccompSeen = false;
  let apparmorSeen = false;
  for (const [index, raw] of (hc.SecurityOpt ?? []).entries()) {
    const field = `HostConfig.SecurityOpt[${index}] ${JSON.stringify(raw)}`;
    const opt = parseSecurityOpt(raw);
    if (!opt.hasValue) continue;
    const unconfined = opt.value.toLowerCase() === 'unconfined';
    if (opt.key === 'seccomp') {
      seccompSeen = true;
      if (flags.deny_unconfined_seccomp && unconfined)
        return denied(`${field} disables seccomp; ${key('deny_unconfined_seccomp')} is true`);
      if (p.seccompProfiles.length > 0 && !p.seccompProfiles.includes(opt.value)) {
        return denied(`${field} names a seccomp profile that is not in ${key('allowed_seccomp_profiles')}`);
      }
    } else if (opt.key === 'apparmor') {
      apparmorSeen = true;
      if (flags.deny_unconfined_apparmor && unconfined) {
        return denied(`${field} disables AppArmor; ${key('deny_unconfined_apparmor')} is true`);
      }
      if (p.apparmorProfiles.length > 0 && !p.apparmorProfiles.includes(opt.value)) {
        return denied(`${field} names an AppArmor profile that is not in ${key('allowed_apparmor_profiles')}`);
      }
    } else if (opt.key === 'label') {
      if (opt.value.toLowerCase() === 'disable') {
        if (flags.deny_selinux_disable)
          return denied(`${field} disables SELinux; ${key('deny_selinux_disable')} is true`);
      } else if (flags.deny_selinux_label_override) {
        return denied(`${field} overrides the SELinux label; ${key('deny_selinux_label_override')} is true`);
      }
    } else if (opt.key === 'systempaths' && unconfined && flags.deny_unconfined_system_paths) {
      return denied(`${field} unmasks system paths; ${key('deny_unconfined_system_paths')} is true`);
    }
  }
  if (p.seccompProfiles.length > 0 && !seccompSeen && !p.seccompProfiles.includes('default')) {
    return denied(
      `HostConfig.SecurityOpt names no seccomp profile; ${key('allowed_seccomp_profiles')} does not include "default"`,
    );
  }
  if (
    p.apparmorProfiles.length > 0 &&
    !apparmorSeen &&
    !DEFAULT_APPARMOR_PROFILES.some((d) => p.apparmorProfiles.includes(d))
  ) {
    return denied(
      `HostConfig.SecurityOpt names no AppArmor profile; ${key('allowed_apparmor_profiles')} has no default profile`,
    );
  }
  if (flags.deny_unconfined_system_paths) {
    for (const field of ['MaskedPaths', 'ReadonlyPaths'] as const) {
      if (hc[field] !== undefined && hc[field].length === 0) {
        return denied(
          `HostConfig.${field} is an empty list, which unmasks system paths; ${key('deny_unconfined_system_paths')} is true`,
        );
      }
    }
  }
  return ALLOW;
}

function inspectCapabilities(hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  if (p.flags.allow_all_capabilities) return ALLOW;
  for (const field of ['CapAdd', 'Capabilities'] as const) {
    const capability = forbiddenCapability(hc[field], p.capabilities);
    if (capability !== undefined) {
      return denied(
        `HostConfig.${field} adds ${capability}; it is not in ${p.key('allowed_capabilities')} (${p.key('allow_all_capabilities')} is false)`,
      );
    }
  }
  return ALLOW;
}

function inspectHardening(body: ContainerCreate, hc: HostConfig, p: CompiledContainerCreate): BodyVerdict {
  const { flags, key } = p;
  if (flags.require_no_new_privileges && !effectiveNoNewPrivileges(hc.SecurityOpt)) {
    return denied(
      `HostConfig.SecurityOpt does not set no-new-privileges:true; ${key('require_no_new_privileges')} is true`,
    );
  }
  if (flags.require_non_root_user && isRootUser(body.User)) {
    return denied(`User ${JSON.stringify(body.User ?? '')} runs as root; ${key('require_non_root_user')} is true`);
  }
  if (flags.require_readonly_rootfs && hc.ReadonlyRootfs !== true) {
    return denied(`HostConfig.ReadonlyRootfs is not true; ${key('require_readonly_rootfs')} is true`);
  }
  if (flags.require_drop_all_capabilities && !dropsAllCapabilities(hc.CapDrop)) {
    return denied(`HostConfig.CapDrop does not include "ALL"; ${key('require_drop_all_capabilities')} is true`);
  }
  return ALLOW;
}

/** The resource-limit requirements (sockguard-config.md §8.2 require_*_limit). */
function inspectResourceLimits(
  hc: Pick<HostConfig, 'Memory' | 'NanoCpus' | 'CpuQuota' | 'CpuPeriod' | 'CpuShares' | 'PidsLimit'>,
  require: { memory: boolean; cpu: boolean; cpuHard: boolean; pids: boolean },
  field: string,
  key: PolicyKey,
): BodyVerdict {
  const positive = (n: number | undefined) => (n ?? 0) > 0;
  if (require.memory && !positive(hc.Memory))
    return denied(`${field}Memory sets no memory limit; ${key('require_memory_limit')} is true`);
  if (require.cpu && ![hc.NanoCpus, hc.CpuQuota, hc.CpuPeriod, hc.CpuShares].some(positive)) {
    return denied(
      `${field}NanoCpus, CpuQuota, CpuPeriod and CpuShares set no CPU limit; ${key('require_cpu_limit')} is true`,
    );
  }
  if (require.cpuHard && !positive(hc.NanoCpus) && !positive(hc.CpuQuota)) {
    return denied(`${field}NanoCpus and CpuQuota set no hard CPU cap; ${key('require_cpu_limit_hard')} is true`);
  }
  if (require.pids && !positive(hc.PidsLimit))
    return denied(`${field}PidsLimit sets no PIDs limit; ${key('require_pids_limit')} is true`);
  return ALLOW;
}

export function inspectContainerCreate(body: ContainerCreate, p: CompiledContainerCreate): BodyVerdict {
  const hc: HostConfig = body.HostConfig ?? {};
  const { flags, key } = p;
  return firstDenial(
    () =>
      hc.Privileged === true && !flags.allow_privileged
        ? denied(`HostConfig.Privileged is true; ${key('allow_privileged')} is false`)
        : ALLOW,
    () => inspectNamespaces(hc, p),
    () =>
      !flags.allow_sysctls && Object.keys(hc.Sysctls ?? {}).length > 0
        ? denied(`HostConfig.Sysctls is set; ${key('allow_sysctls')} is false`)
        : ALLOW,
    () => inspectUnconditional(hc),
    () => {
      const runtime = (hc.Runtime ?? '').trim();
      return runtime !== '' && !p.runtimes.has(runtime)
        ? denied(`HostConfig.Runtime is ${JSON.stringify(runtime)}; it is not in ${key('allowed_runtimes')}`)
        : ALLOW;
    },
    () => inspectDevices(hc, p),
    () => inspectStorage(body, hc, p),
    () => inspectNetworking(body, p),
    () => inspectSecurityOpts(hc, p),
    () => inspectCapabilities(hc, p),
    () => inspectHardening(body, hc, p),
    () =>
      inspectResourceLimits(
        hc,
        {
          memory: flags.require_memory_limit,
          cpu: flags.require_cpu_limit,
          cpuHard: flags.require_cpu_limit_hard,
          pids: flags.require_pids_limit,
        },
        'HostConfig.',
        key,
      ),
    () => {
      const missing = p.requiredLabels.find((label) => (body.Labels?.[label] ?? '').trim() === '');
      return missing !== undefined
        ? denied(`Labels[${JSON.stringify(missing)}] is missing or empty; ${key('required_labels')} requires it`)
        : ALLOW;
    },
    () =>
      p.enforceImageTrust
        ? denied(
            `Image ${JSON.stringify(body.Image ?? '')} cannot be verified: ${key('image_trust.mode')} is "enforce" and this proxy does not verify signatures`,
          )
        : ALLOW,
  );
}
