/**
 * What each `response.redact_*` setting removes, per response shape (sockguard-config.md §7,
 * security-notes.md §14). Shapes follow the Engine API (swagger v1.41 and v1.56): fields that only one
 * version has are simply absent in the other. Every edit keeps the field and its JSON type (see
 * tree-edits.ts), so `docker inspect`, `docker ps`, `docker service ps` and friends still render:
 *
 * - redact_container_env: `Config.Env` (container inspect), `ContainerSpec.Env` (service Spec and
 *   PreviousSpec, task Spec), plugin `Settings.Env` and `Config.Env` become `[]`.
 * - redact_mount_paths: host paths become `"<redacted>"`: runtime `Mounts[].Source` (binds and the
 *   host directory of volumes), the host side of `HostConfig.Binds` entries, bind `Source`s of
 *   `HostConfig.Mounts` and service/task mounts, `HostConfig.Devices[].PathOnHost`,
 *   `HostConfig.ContainerIDFile`, the container's ResolvConf/Hostname/Hosts/Log paths,
 *   `GraphDriver.Data` values (containers and images), volume `Mountpoint` and `Options.device`, plugin
 *   mount sources, device paths and `PropagatedMount`; also inside `/system/df`.
 * - redact_network_topology: addresses and the IDs that tie a container to its endpoints become `""`
 *   or `0` (NetworkSettings and each of its Networks: IPs, prefixes, gateways, MACs, endpoint, sandbox
 *   and network IDs, `IPAMConfig` null, secondary addresses `[]`); networks lose `IPAM.Config`,
 *   `Containers`, `Peers`, `Services` and `Status.IPAM.Subnets`; service virtual IPs and task network
 *   attachment addresses are blanked; nodes lose `Status.Addr` and `ManagerStatus.Addr`; `/swarm` and
 *   `/info` lose `DefaultAddrPool`, `/info` the node address and remote managers. A network's own ID
 *   and name are kept (`docker network ls` and `inspect <id>` need them).
 * - redact_sensitive_data: secret and config `Spec.Data` become `""` (the field is base64 bytes; a
 *   marker would not decode), service/task secret and config references (IDs and names)
 *   `"<redacted>"`, swarm join tokens, the unlock key, CA signing cert and key `"<redacted>"`,
 *   external CAs `[]`, and TLS info (swarm, nodes, /info) loses its trust root and issuer (bytes: `""`).
 * - redact_host_topology: `/info` `Containerd`, `FirewallBackend`, `NRI` become null,
 *   `DiscoveredDevices` `[]`.
 *
 * Reads through a redacting profile are for looking, not for read-modify-write: `docker service
 * update` sends back the spec it read, so it would write the redacted env and references.
 */
import {
  blankText,
  EACH_ITEM,
  EACH_VALUE,
  emptyList,
  emptyMap,
  nullOut,
  redactBindSource,
  redactMountSource,
  redactText,
  prefixEdits,
  zeroNumber,
  type Edit,
  type TreeEdit,
  type TreePath,
} from './tree-edits.js';

export type RedactionFlag =
  | 'redact_container_env'
  | 'redact_mount_paths'
  | 'redact_network_topology'
  | 'redact_sensitive_data'
  | 'redact_host_topology';

export interface RedactionRule extends TreeEdit {
  readonly flag: RedactionFlag;
}

const rule = (flag: RedactionFlag, path: TreePath, edit: Edit): RedactionRule => ({ flag, path, edit });
const env = (path: TreePath) => rule('redact_container_env', path, emptyList);
const mount = (path: TreePath, edit: Edit = redactText) => rule('redact_mount_paths', path, edit);
const net = (path: TreePath, edit: Edit = blankText) => rule('redact_network_topology', path, edit);
const sensitive = (path: TreePath, edit: Edit = redactText) => rule('redact_sensitive_data', path, edit);
const host = (path: TreePath, edit: Edit) => rule('redact_host_topology', path, edit);

/** One network endpoint (EndpointSettings). */
const ENDPOINT: readonly RedactionRule[] = [
  net(['IPAMConfig'], nullOut),
  net(['NetworkID']),
  net(['EndpointID']),
  net(['Gateway']),
  net(['IPAddress']),
  net(['IPPrefixLen'], zeroNumber),
  net(['IPv6Gateway']),
  net(['GlobalIPv6Address']),
  net(['GlobalIPv6PrefixLen'], zeroNumber),
  net(['MacAddress']),
];

const CONTAINER_ENDPOINTS = prefixEdits(['NetworkSettings', 'Networks', EACH_VALUE], ENDPOINT);

/** The runtime mount points of a container (inspect and list). */
const MOUNT_POINTS = [mount(['Mounts', EACH_ITEM, 'Source'])];

const CONTAINER_INSPECT: readonly RedactionRule[] = [
  env(['Config', 'Env']),
  ...MOUNT_POINTS,
  mount(['HostConfig', 'Binds', EACH_ITEM], redactBindSource),
  mount(['HostConfig', 'Mounts', EACH_ITEM], redactMountSource),
  mount(['HostConfig', 'Devices', EACH_ITEM, 'PathOnHost']),
  mount(['HostConfig', 'ContainerIDFile']),
  mount(['GraphDriver', 'Data', EACH_VALUE]),
  mount(['ResolvConfPath']),
  mount(['HostnamePath']),
  mount(['HostsPath']),
  mount(['LogPath']),
  net(['Config', 'MacAddress']),
  ...prefixEdits(
    ['NetworkSettings'],
    [
      net(['Bridge']),
      net(['SandboxID']),
      net(['SandboxKey']),
      net(['EndpointID']),
      net(['Gateway']),
      net(['IPAddress']),
      net(['IPPrefixLen'], zeroNumber),
      net(['IPv6Gateway']),
      net(['GlobalIPv6Address']),
      net(['GlobalIPv6PrefixLen'], zeroNumber),
      net(['LinkLocalIPv6Address']),
      net(['LinkLocalIPv6PrefixLen'], zeroNumber),
      net(['MacAddress']),
      net(['SecondaryIPAddresses'], emptyList),
      net(['SecondaryIPv6Addresses'], emptyList),
    ],
  ),
  ...CONTAINER_ENDPOINTS,
];

/** A container in `GET /containers/json` and `/system/df` (ContainerSummary). */
const CONTAINER_SUMMARY: readonly RedactionRule[] = [...MOUNT_POINTS, ...CONTAINER_ENDPOINTS];

const IMAGE_INSPECT: readonly RedactionRule[] = [mount(['GraphDriver', 'Data', EACH_VALUE])];

const VOLUME: readonly RedactionRule[] = [mount(['Mountpoint']), mount(['Options', 'device'])];

const NETWORK: readonly RedactionRule[] = [
  net(['IPAM', 'Config'], emptyList),
  net(['Containers'], emptyMap),
  net(['Peers'], emptyList),
  net(['Services'], emptyMap),
  net(['Status', 'IPAM', 'Subnets'], emptyMap),
];

/** A swarm ContainerSpec (service Spec/PreviousSpec TaskTemplate, task Spec). */
const CONTAINER_SPEC: readonly RedactionRule[] = [
  env(['Env']),
  mount(['Mounts', EACH_ITEM], redactMountSource),
  sensitive(['Secrets', EACH_ITEM, 'SecretID']),
  sensitive(['Secrets', EACH_ITEM, 'SecretName']),
  sensitive(['Configs', EACH_ITEM, 'ConfigID']),
  sensitive(['Configs', EACH_ITEM, 'ConfigName']),
];

const SERVICE: readonly RedactionRule[] = [
  ...prefixEdits(['Spec', 'TaskTemplate', 'ContainerSpec'], CONTAINER_SPEC),
  ...prefixEdits(['PreviousSpec', 'TaskTemplate', 'ContainerSpec'], CONTAINER_SPEC),
  net(['Endpoint', 'VirtualIPs', EACH_ITEM, 'NetworkID']),
  net(['Endpoint', 'VirtualIPs', EACH_ITEM, 'Addr']),
];

const TASK: readonly RedactionRule[] = [
  ...prefixEdits(['Spec', 'ContainerSpec'], CONTAINER_SPEC),
  net(['NetworksAttachments', EACH_ITEM, 'Addresses'], emptyList),
  net(['NetworksAttachments', EACH_ITEM, 'Network', 'IPAMOptions', 'Configs'], emptyList),
];

/** Secret and config objects: Data is base64-encoded bytes. */
const SECRET_OR_CONFIG: readonly RedactionRule[] = [sensitive(['Spec', 'Data'], blankText)];

const PLUGIN: readonly RedactionRule[] = [
  env(['Settings', 'Env']),
  env(['Config', 'Env']),
  mount(['Settings', 'Mounts', EACH_ITEM, 'Source']),
  mount(['Settings', 'Devices', EACH_ITEM, 'Path']),
  mount(['Config', 'Mounts', EACH_ITEM, 'Source']),
  mount(['Config', 'Linux', 'Devices', EACH_ITEM, 'Path']),
  mount(['Config', 'PropagatedMount']),
];

/** TLSInfo: TrustRoot is PEM text, the issuer fields are bytes. */
const TLS_INFO: readonly RedactionRule[] = [
  sensitive(['TrustRoot']),
  sensitive(['CertIssuerSubject'], blankText),
  sensitive(['CertIssuerPublicKey'], blankText),
];

const CA_CONFIG: readonly RedactionRule[] = [
  sensitive(['SigningCACert']),
  sensitive(['SigningCAKey']),
  sensitive(['ExternalCAs'], emptyList),
];

const NODE: readonly RedactionRule[] = [
  net(['Status', 'Addr']),
  net(['ManagerStatus', 'Addr']),
  ...prefixEdits(['Description', 'TLSInfo'], TLS_INFO),
];

const SWARM: readonly RedactionRule[] = [
  sensitive(['JoinTokens', 'Worker']),
  sensitive(['JoinTokens', 'Manager']),
  ...prefixEdits(['TLSInfo'], TLS_INFO),
  ...prefixEdits(['Spec', 'CAConfig'], CA_CONFIG),
  net(['DefaultAddrPool'], emptyList),
];

const INFO: readonly RedactionRule[] = [
  net(['Swarm', 'NodeAddr']),
  net(['Swarm', 'RemoteManagers'], emptyList),
  net(['Swarm', 'Cluster', 'DefaultAddrPool'], emptyList),
  ...prefixEdits(['Swarm', 'Cluster', 'TLSInfo'], TLS_INFO),
  ...prefixEdits(['Swarm', 'Cluster', 'Spec', 'CAConfig'], CA_CONFIG),
  host(['Containerd'], nullOut),
  host(['FirewallBackend'], nullOut),
  host(['DiscoveredDevices'], emptyList),
  host(['NRI'], nullOut),
];

const SYSTEM_DF: readonly RedactionRule[] = [
  ...prefixEdits(['Containers', EACH_ITEM], CONTAINER_SUMMARY),
  ...prefixEdits(['ContainerUsage', 'Items', EACH_ITEM], CONTAINER_SUMMARY),
  ...prefixEdits(['Volumes', EACH_ITEM], VOLUME),
  ...prefixEdits(['VolumeUsage', 'Items', EACH_ITEM], VOLUME),
];

const each = (rules: readonly RedactionRule[]) => prefixEdits([EACH_ITEM], rules);

export const REDACTION_RULES = {
  'container-inspect': CONTAINER_INSPECT,
  'container-list': each(CONTAINER_SUMMARY),
  'image-inspect': IMAGE_INSPECT,
  'image-list': [],
  'network-inspect': NETWORK,
  'network-list': each(NETWORK),
  'volume-inspect': VOLUME,
  'volume-list': prefixEdits(['Volumes', EACH_ITEM], VOLUME),
  'service-inspect': SERVICE,
  'service-list': each(SERVICE),
  'task-inspect': TASK,
  'task-list': each(TASK),
  'secret-inspect': SECRET_OR_CONFIG,
  'secret-list': each(SECRET_OR_CONFIG),
  'config-inspect': SECRET_OR_CONFIG,
  'config-list': each(SECRET_OR_CONFIG),
  'plugin-inspect': PLUGIN,
  'plugin-list': each(PLUGIN),
  'node-inspect': NODE,
  'node-list': each(NODE),
  swarm: SWARM,
  'swarm-unlockkey': [sensitive(['UnlockKey'])],
  info: INFO,
  'system-df': SYSTEM_DF,
} as const satisfies Record<string, readonly RedactionRule[]>;

export type ResponseShape = keyof typeof REDACTION_RULES;
