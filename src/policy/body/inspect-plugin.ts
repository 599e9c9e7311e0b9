/**
 * request_body.plugin — POST /plugins/pull, /plugins/{name}/upgrade, /plugins/{name}/set and
 * /plugins/create (sockguard-config.md §8.2, security-notes.md §15.7). Plugins run as privileged
 * containers with what they are granted: the pull/upgrade body is the accepted privilege list and
 * `remote` names the registry; a create archive carries config.json; `set` assigns env values,
 * `<mount>.source` host paths and `<device>.path` devices. Env assignments need a listed prefix (an
 * empty list denies them unless insecure_allow_body_blind_writes acknowledges it).
 */
import type { RequestBodyPolicy } from '../schema.js';
import { pluginConfigShape, type pluginPrivilegesShape } from './body-shapes.js';
import { compileCapabilitySet, forbiddenCapability } from './capabilities.js';
import { archivePath, entryBelowSymlink } from './archive-symlinks.js';
import { decodeDockerJson, formatJsonError } from './decode-docker-json.js';
import type { GoQuery } from './go-query.js';
import { cleanAbsolutePath, compilePathAllowlist, type PathAllowlist } from './host-path.js';
import { compileRegistryAllowlist, type RegistryAllowlist } from './image-reference.js';
import type { Decoded } from './json-shape.js';
import { inspectRegistryAuth } from './registry-auth.js';
import { detectCompression, readTar } from './tar-reader.js';
import { ALLOW, denied, malformed, policyKeys, uninspectable, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['plugin']>;

export const MAX_PLUGIN_CONFIG_BYTES = 64 * 1024;

export interface CompiledPlugin {
  key: PolicyKey;
  allowHostNetwork: boolean;
  allowHostIpc: boolean;
  allowHostPid: boolean;
  allowAllDevices: boolean;
  allowAllCapabilities: boolean;
  bindMounts: PathAllowlist;
  devices: PathAllowlist;
  capabilities: ReadonlySet<string>;
  registries: RegistryAllowlist;
  envPrefixes: string[];
  /** No prefixes and no acknowledgement: every env assignment is denied. */
  denyAllEnv: boolean;
}

export function compilePlugin(
  group: Group | undefined,
  prefix: string,
  blindWritesAcknowledged: boolean,
): CompiledPlugin {
  const g = group ?? {};
  const key = policyKeys(prefix, 'plugin');
  const envPrefixes = (g.allowed_set_env_prefixes ?? []).filter((p) => p !== '');
  return {
    key,
    allowHostNetwork: g.allow_host_network ?? false,
    allowHostIpc: g.allow_host_ipc ?? false,
    allowHostPid: g.allow_host_pid ?? false,
    allowAllDevices: g.allow_all_devices ?? false,
    allowAllCapabilities: g.allow_all_capabilities ?? false,
    bindMounts: compilePathAllowlist(g.allowed_bind_mounts),
    devices: compilePathAllowlist(g.allowed_devices),
    capabilities: compileCapabilitySet(g.allowed_capabilities),
    registries: compileRegistryAllowlist(g, key),
    envPrefixes,
    denyAllEnv: envPrefixes.length === 0 && !blindWritesAcknowledged,
  };
}

function pathVerdict(value: string, field: string, allowlist: PathAllowlist, policyKey: string): BodyVerdict {
  const path = cleanAbsolutePath(value.trim());
  if (path === undefined) return denied(`${field} ${JSON.stringify(value)} is not an absolute host path`);
  return allowlist.allows(path) ? ALLOW : denied(`${field} ${JSON.stringify(path)} is not under ${policyKey}`);
}

function capabilityVerdict(values: readonly string[] | undefined, field: string, p: CompiledPlugin): BodyVerdict {
  if (p.allowAllCapabilities) return ALLOW;
  const capability = forbiddenCapability(values, p.capabilities);
  return capability === undefined
    ? ALLOW
    : denied(
        `${field} grants ${capability}; it is not in ${p.key('allowed_capabilities')} (${p.key('allow_all_capabilities')} is false)`,
      );
}

export function inspectPluginPrivileges(
  privileges: Decoded<typeof pluginPrivilegesShape>,
  query: GoQuery,
  registryAuth: string | undefined,
  p: CompiledPlugin,
): BodyVerdict {
  const { key } = p;
  const auth = inspectRegistryAuth(registryAuth, p.registries, key('allowed_registries'));
  if (!auth.ok) return auth;
  const remote = (query.get('remote') ?? '').trim();
  if (remote !== '') {
    const reason = p.registries.check(remote, 'query remote');
    if (reason !== undefined) return denied(reason);
  }
  for (const [index, privilege] of privileges.entries()) {
    const field = `[${index}] (${JSON.stringify(privilege.Name ?? '')})`;
    const values = privilege.Value ?? [];
    const granted = values.some((v) => v.trim().toLowerCase() === 'true');
    switch ((privilege.Name ?? '').trim().toLowerCase()) {
      case 'network':
        if (!p.allowHostNetwork && values.some((v) => v.trim().toLowerCase() === 'host')) {
          return denied(`${field} grants the host network; ${key('allow_host_network')} is false`);
        }
        break;
      case 'host ipc namespace':
        if (!p.allowHostIpc && granted)
          return denied(`${field} grants the host IPC namespace; ${key('allow_host_ipc')} is false`);
        break;
      case 'host pid namespace':
        if (!p.allowHostPid && granted)
          return denied(`${field} grants the host PID namespace; ${key('allow_host_pid')} is false`);
        break;
      case 'allow-all-devices':
        if (!p.allowAllDevices && granted)
          return denied(`${field} grants every device; ${key('allow_all_devices')} is false`);
        break;
      case 'mount':
        for (const value of values) {
          const verdict = pathVerdict(value, `${field} mount`, p.bindMounts, key('allowed_bind_mounts'));
          if (!verdict.ok) return verdict;
        }
        break;
      case 'device':
        if (p.allowAllDevices) break;
        for (const value of values) {
          const verdict = pathVerdict(value, `${field} device`, p.devices, key('allowed_devices'));
          if (!verdict.ok) return verdict;
        }
        break;
      case 'capabilities': {
        const verdict = capabilityVerdict(values, field, p);
        if (!verdict.ok) return verdict;
        break;
      }
      default:
        return denied(`${field} is a plugin privilege this proxy does not know; it is always denied`);
    }
  }
  return ALLOW;
}

export function inspectPluginSet(settings: readonly string[], p: CompiledPlugin): BodyVerdict {
  const { key } = p;
  for (const [index, setting] of settings.entries()) {
    const field = `[${index}] ${JSON.stringify(setting)}`;
    const eq = setting.indexOf('=');
    if (eq < 0) return denied(`${field} is not a KEY=VALUE assignment`);
    const name = setting.slice(0, eq);
    const value = setting.slice(eq + 1);
    if (name.endsWith('.source')) {
      const verdict = pathVerdict(value, `${field} mount source`, p.bindMounts, key('allowed_bind_mounts'));
      if (!verdict.ok) return verdict;
    } else if (name.endsWith('.path')) {
      if (p.allowAllDevices) continue;
      const verdict = pathVerdict(value, `${field} device path`, p.devices, key('allowed_devices'));
      if (!verdict.ok) return verdict;
    } else if (p.denyAllEnv) {
      return denied(
        `${field}: plugin settings are denied because ${key('allowed_set_env_prefixes')} is empty (set it, or acknowledge with insecure_allow_body_blind_writes)`,
      );
    } else if (p.envPrefixes.length > 0 && !p.envPrefixes.some((prefix) => setting.startsWith(prefix))) {
      return denied(`${field} does not start with any of ${key('allowed_set_env_prefixes')}`);
    }
  }
  return ALLOW;
}

export function inspectPluginCreate(body: Uint8Array | undefined, p: CompiledPlugin): BodyVerdict {
  const { key } = p;
  if (body === undefined) return uninspectable('the plugin archive was not read, so its config.json cannot be checked');
  if (body.length === 0) return ALLOW;
  const compression = detectCompression(body);
  if (compression !== undefined)
    return uninspectable(`the plugin archive is ${compression}-compressed and cannot be inspected`);
  const tar = readTar(body);
  if (!tar.ok) return malformed(`the plugin archive is not a readable tar: ${tar.problem}`);
  const linked = entryBelowSymlink(tar.entries);
  if (linked !== undefined) {
    return uninspectable(
      `plugin archive entry ${JSON.stringify(linked.entry.name)} is written through the symlink ${JSON.stringify(linked.link)}`,
    );
  }
  const configs = tar.entries.filter((e) => archivePath(e.name) === 'config.json');
  if (configs.length !== 1) {
    return uninspectable(`the plugin archive holds ${configs.length} config.json entries; exactly one is required`);
  }
  const entry = configs[0]!;
  if (entry.type !== 'file' || entry.size > MAX_PLUGIN_CONFIG_BYTES) {
    return uninspectable(
      `config.json in the plugin archive is not a regular file of at most ${MAX_PLUGIN_CONFIG_BYTES} bytes`,
    );
  }
  const decoded = decodeDockerJson(entry.data, pluginConfigShape);
  if (!decoded.ok) return malformed(`config.json: ${formatJsonError(decoded.error)}`);
  const config = decoded.value;
  if (!p.allowHostNetwork && (config.Network?.Type ?? '').trim().toLowerCase() === 'host') {
    return denied(`config.json Network.Type is "host"; ${key('allow_host_network')} is false`);
  }
  if (!p.allowHostIpc && config.IpcHost === true)
    return denied(`config.json IpcHost is true; ${key('allow_host_ipc')} is false`);
  if (!p.allowHostPid && config.PidHost === true)
    return denied(`config.json PidHost is true; ${key('allow_host_pid')} is false`);
  if ((config.PropagatedMount ?? '') !== '') {
    const verdict = pathVerdict(
      config.PropagatedMount!,
      'config.json PropagatedMount',
      p.bindMounts,
      key('allowed_bind_mounts'),
    );
    if (!verdict.ok) return verdict;
  }
  for (const [index, mount] of (config.Mounts ?? []).entries()) {
    if ((mount.Source ?? '') === '') continue;
    const verdict = pathVerdict(
      mount.Source!,
      `config.json Mounts[${index}].Source`,
      p.bindMounts,
      key('allowed_bind_mounts'),
    );
    if (!verdict.ok) return verdict;
  }
  const capabilities = capabilityVerdict(config.Linux?.Capabilities, 'config.json Linux.Capabilities', p);
  if (!capabilities.ok) return capabilities;
  if (!p.allowAllDevices) {
    if (config.Linux?.AllowAllDevices === true)
      return denied(`config.json Linux.AllowAllDevices is true; ${key('allow_all_devices')} is false`);
    for (const [index, device] of (config.Linux?.Devices ?? []).entries()) {
      const verdict = pathVerdict(
        device.Path ?? '',
        `config.json Linux.Devices[${index}].Path`,
        p.devices,
        key('allowed_devices'),
      );
      if (!verdict.ok) return verdict;
    }
  }
  return ALLOW;
}
