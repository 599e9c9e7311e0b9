/**
 * request_body.network (sockguard-config.md §8.2, security-notes.md §15.10): network create,
 * connect and disconnect, and the endpoint-config gates that also apply to
 * NetworkingConfig.EndpointsConfig and the legacy top-level MacAddress of a container create.
 * `allow_endpoint_config: true` admits every endpoint field; otherwise each granular gate admits its
 * own field, and Links and DriverOpts (which carry per-interface sysctls) have no granular gate.
 */
import type { Decoded } from './json-shape.js';
import type {
  endpointSettingsShape,
  networkConnectShape,
  networkCreateShape,
  networkDisconnectShape,
} from './body-shapes.js';
import type { RequestBodyPolicy } from '../schema.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type NetworkGroup = NonNullable<RequestBodyPolicy['network']>;
type EndpointSettings = Decoded<typeof endpointSettingsShape>;

const BUILTIN_DRIVERS = new Set(['bridge', 'host', 'ipvlan', 'macvlan', 'none', 'null', 'overlay']);
const BUILTIN_IPAM_DRIVERS = new Set(['default', 'null']);

export interface CompiledNetwork {
  group: Required<Omit<NetworkGroup, 'endpoint_config'>>;
  endpoint: Required<NonNullable<NetworkGroup['endpoint_config']>>;
  key: PolicyKey;
}

export function compileNetwork(group: NetworkGroup | undefined, prefix: string): CompiledNetwork {
  const g = group ?? {};
  const e = g.endpoint_config ?? {};
  return {
    key: policyKeys(prefix, 'network'),
    group: {
      allow_custom_drivers: g.allow_custom_drivers ?? false,
      allow_swarm_scope: g.allow_swarm_scope ?? false,
      allow_ingress: g.allow_ingress ?? false,
      allow_attachable: g.allow_attachable ?? false,
      allow_config_only: g.allow_config_only ?? false,
      allow_config_from: g.allow_config_from ?? false,
      allow_custom_ipam_drivers: g.allow_custom_ipam_drivers ?? false,
      allow_custom_ipam_config: g.allow_custom_ipam_config ?? false,
      allow_ipam_options: g.allow_ipam_options ?? false,
      allow_driver_options: g.allow_driver_options ?? false,
      allow_endpoint_config: g.allow_endpoint_config ?? false,
      allow_disconnect_force: g.allow_disconnect_force ?? false,
      allow_disable_ipv4: g.allow_disable_ipv4 ?? false,
    },
    endpoint: {
      allow_static_addressing: e.allow_static_addressing ?? false,
      allow_link_local_ips: e.allow_link_local_ips ?? false,
      allow_mac_pinning: e.allow_mac_pinning ?? false,
      allow_gw_priority: e.allow_gw_priority ?? false,
      // Profiles get no root defaults (§8.1): absent means Go's zero value, false.
      allow_aliases: e.allow_aliases ?? false,
    },
  };
}

const nonBlank = (value: string | undefined): boolean => (value ?? '').trim() !== '';

/** Judges one EndpointSettings object found at `field`. */
export function inspectEndpointSettings(ep: EndpointSettings, field: string, policy: CompiledNetwork): BodyVerdict {
  const { key, endpoint } = policy;
  if (policy.group.allow_endpoint_config) return ALLOW;
  const gate = (what: string, granular: string) =>
    denied(`${field}.${what}; ${key(`endpoint_config.${granular}`)} and ${key('allow_endpoint_config')} are false`);
  const ipam = ep.IPAMConfig;
  const staticField = nonBlank(ipam?.IPv4Address)
    ? 'IPAMConfig.IPv4Address'
    : nonBlank(ipam?.IPv6Address)
      ? 'IPAMConfig.IPv6Address'
      : ((['Gateway', 'IPAddress', 'IPv6Gateway', 'GlobalIPv6Address'] as const).find((f) => nonBlank(ep[f])) ??
        (['IPPrefixLen', 'GlobalIPv6PrefixLen'] as const).find((f) => (ep[f] ?? 0) !== 0));
  if (!endpoint.allow_static_addressing && staticField !== undefined) {
    return gate(`${staticField} pins a static address`, 'allow_static_addressing');
  }
  if (!endpoint.allow_link_local_ips && (ipam?.LinkLocalIPs?.length ?? 0) > 0) {
    return gate('IPAMConfig.LinkLocalIPs is set', 'allow_link_local_ips');
  }
  if (!endpoint.allow_mac_pinning && nonBlank(ep.MacAddress))
    return gate('MacAddress pins a MAC address', 'allow_mac_pinning');
  if ((ep.Links?.length ?? 0) > 0) {
    return denied(`${field}.Links is set; only ${key('allow_endpoint_config')} admits endpoint links, and it is false`);
  }
  if (Object.keys(ep.DriverOpts ?? {}).length > 0) {
    return denied(
      `${field}.DriverOpts is set; only ${key('allow_endpoint_config')} admits endpoint driver options, and it is false`,
    );
  }
  if (!endpoint.allow_gw_priority && (ep.GwPriority ?? 0) !== 0) return gate('GwPriority is set', 'allow_gw_priority');
  if (!endpoint.allow_aliases && (ep.Aliases?.length ?? 0) > 0) return gate('Aliases is set', 'allow_aliases');
  return ALLOW;
}

export function inspectNetworkCreate(body: Decoded<typeof networkCreateShape>, policy: CompiledNetwork): BodyVerdict {
  const { group: g, key } = policy;
  const driver = (body.Driver ?? '').trim();
  if (driver !== '' && !BUILTIN_DRIVERS.has(driver.toLowerCase()) && !g.allow_custom_drivers) {
    return denied(`Driver is ${JSON.stringify(driver)}, a network plugin; ${key('allow_custom_drivers')} is false`);
  }
  if (!g.allow_swarm_scope && (body.Scope ?? '').trim().toLowerCase() === 'swarm') {
    return denied(`Scope is "swarm"; ${key('allow_swarm_scope')} is false`);
  }
  if (!g.allow_ingress && body.Ingress === true) return denied(`Ingress is true; ${key('allow_ingress')} is false`);
  if (!g.allow_attachable && body.Attachable === true) {
    return denied(`Attachable is true; ${key('allow_attachable')} is false`);
  }
  if (!g.allow_config_only && body.ConfigOnly === true) {
    return denied(`ConfigOnly is true; ${key('allow_config_only')} is false`);
  }
  if (!g.allow_config_from && body.ConfigFrom !== undefined) {
    return denied(`ConfigFrom is set; ${key('allow_config_from')} is false`);
  }
  const ipamDriver = (body.IPAM?.Driver ?? '').trim();
  if (ipamDriver !== '' && !BUILTIN_IPAM_DRIVERS.has(ipamDriver.toLowerCase()) && !g.allow_custom_ipam_drivers) {
    return denied(`IPAM.Driver is ${JSON.stringify(ipamDriver)}; ${key('allow_custom_ipam_drivers')} is false`);
  }
  if (!g.allow_custom_ipam_config && (body.IPAM?.Config?.length ?? 0) > 0) {
    return denied(`IPAM.Config is set; ${key('allow_custom_ipam_config')} is false`);
  }
  if (!g.allow_ipam_options && Object.keys(body.IPAM?.Options ?? {}).length > 0) {
    return denied(`IPAM.Options is set; ${key('allow_ipam_options')} is false`);
  }
  if (!g.allow_driver_options && Object.keys(body.Options ?? {}).length > 0) {
    return denied(`Options is set (e.g. a macvlan parent interface); ${key('allow_driver_options')} is false`);
  }
  if (!g.allow_disable_ipv4 && body.EnableIPv4 === false) {
    return denied(`EnableIPv4 is false; ${key('allow_disable_ipv4')} is false`);
  }
  return ALLOW;
}

export function inspectNetworkConnect(body: Decoded<typeof networkConnectShape>, policy: CompiledNetwork): BodyVerdict {
  return body.EndpointConfig === undefined
    ? ALLOW
    : inspectEndpointSettings(body.EndpointConfig, 'EndpointConfig', policy);
}

export function inspectNetworkDisconnect(
  body: Decoded<typeof networkDisconnectShape>,
  policy: CompiledNetwork,
): BodyVerdict {
  if (!policy.group.allow_disconnect_force && body.Force === true) {
    return denied(`Force is true; ${policy.key('allow_disconnect_force')} is false`);
  }
  return ALLOW;
}
