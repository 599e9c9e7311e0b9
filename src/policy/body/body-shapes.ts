/**
 * The Go structs dockerd decodes each inspected body into, declared as far as the inspectors read
 * them (field names and JSON types from the Engine API, shared/reference/docker-engine-api). Every
 * object declared with `struct` is a Go struct (keys fold, case variants are duplicates); `map` is a
 * Go map (keys exact). Undeclared keys are parsed and bounded but, like in Go for unknown keys, ignored.
 */
import {
  type AnyShape,
  any,
  bool,
  int64,
  list,
  map,
  string,
  stringOrList,
  strslice,
  struct,
  uint64,
} from './json-shape.js';

const strings = list(string);

export const endpointSettingsShape = struct({
  IPAMConfig: struct({ IPv4Address: string, IPv6Address: string, LinkLocalIPs: strings }),
  Links: strings,
  Aliases: strings,
  DriverOpts: map(string),
  GwPriority: int64,
  Gateway: string,
  IPAddress: string,
  IPPrefixLen: int64,
  IPv6Gateway: string,
  GlobalIPv6Address: string,
  GlobalIPv6PrefixLen: int64,
  MacAddress: string,
});

const driverConfig = struct({ Name: string, Options: map(string) });

export const mountShape = struct({
  Type: string,
  Source: string,
  Target: string,
  VolumeOptions: struct({ Subpath: string, DriverConfig: driverConfig }),
  ImageOptions: struct({ Subpath: string }),
  TmpfsOptions: struct({ Options: list(strings) }),
});

const deviceMapping = struct({ PathOnHost: string, PathInContainer: string, CgroupPermissions: string });
const deviceRequest = struct({ Driver: string, Count: int64, Capabilities: list(strings), Options: map(string) });

/** HostConfig.Resources, embedded in HostConfig and in the update body. */
const resourceFields = {
  Memory: int64,
  NanoCpus: int64,
  CpuQuota: int64,
  CpuPeriod: int64,
  CpuShares: int64,
  PidsLimit: int64,
  CgroupParent: string,
  Devices: list(deviceMapping),
  DeviceCgroupRules: strings,
  DeviceRequests: list(deviceRequest),
};

/** Resource fields the update body may carry without our reading their values (presence is enough). */
const OTHER_RESOURCE_NAMES = [
  'BlkioWeight',
  'BlkioWeightDevice',
  'BlkioDeviceReadBps',
  'BlkioDeviceWriteBps',
  'BlkioDeviceReadIOps',
  'BlkioDeviceWriteIOps',
  'CpuRealtimePeriod',
  'CpuRealtimeRuntime',
  'CpusetCpus',
  'CpusetMems',
  'CpuCount',
  'CpuPercent',
  'IOMaximumIOps',
  'IOMaximumBandwidth',
  'KernelMemory',
  'KernelMemoryTCP',
  'MemoryReservation',
  'MemorySwap',
  'MemorySwappiness',
  'OomKillDisable',
  'Ulimits',
] as const;
const otherResourceFields = Object.fromEntries(OTHER_RESOURCE_NAMES.map((name) => [name, any])) as Record<
  (typeof OTHER_RESOURCE_NAMES)[number],
  AnyShape
>;

export const hostConfigShape = struct({
  ...resourceFields,
  Privileged: bool,
  NetworkMode: string,
  PidMode: string,
  IpcMode: string,
  UTSMode: string,
  UsernsMode: string,
  CgroupnsMode: string,
  Cgroup: string,
  Binds: strings,
  Mounts: list(mountShape),
  Tmpfs: map(string),
  VolumesFrom: strings,
  CapAdd: strslice,
  CapDrop: strslice,
  Capabilities: strings,
  SecurityOpt: strings,
  ReadonlyRootfs: bool,
  MaskedPaths: strings,
  ReadonlyPaths: strings,
  Sysctls: map(string),
  Runtime: string,
  GroupAdd: strings,
  ExtraHosts: strings,
});

/** POST /containers/create: Config is embedded, so User, Image, Labels... are top-level (D12). */
export const containerCreateShape = struct({
  User: string,
  Image: string,
  Labels: map(string),
  Volumes: map(any),
  MacAddress: string,
  HostConfig: hostConfigShape,
  NetworkingConfig: struct({ EndpointsConfig: map(endpointSettingsShape) }),
});

/**
 * POST /containers/{id}/update: container.UpdateConfig embeds Resources next to RestartPolicy.
 * Privileged and the capability fields are not part of it (dockerd ignores them) but are declared so
 * that a body carrying them is judged like the Go proxy judges it.
 */
export const containerUpdateShape = struct({
  ...resourceFields,
  ...otherResourceFields,
  RestartPolicy: struct({ Name: string, MaximumRetryCount: int64 }),
  Privileged: any,
  CapAdd: any,
  CapDrop: any,
  Capabilities: any,
  SecurityOpt: any,
  NoNewPrivileges: any,
});

/** The Resources keys of the update body, for `allow_resource_updates`. */
export const UPDATE_RESOURCE_FIELDS: readonly string[] = [
  'Memory',
  'NanoCpus',
  'CpuQuota',
  'CpuPeriod',
  'CpuShares',
  'PidsLimit',
  'CgroupParent',
  ...OTHER_RESOURCE_NAMES,
];

export const execCreateShape = struct({
  User: string,
  Privileged: bool,
  Env: strings,
  Cmd: stringOrList,
});

export const execStartShape = struct({ Detach: bool, Tty: bool, ConsoleSize: any });

/** GET /exec/{id}/json as the daemon answers it, for the start re-check. */
export const execInspectShape = struct({
  ProcessConfig: struct({ entrypoint: string, arguments: strings, privileged: bool, user: string }),
});

export const networkCreateShape = struct({
  Driver: string,
  Scope: string,
  Attachable: bool,
  Ingress: bool,
  ConfigOnly: bool,
  ConfigFrom: struct({ Network: string }),
  IPAM: struct({ Driver: string, Config: list(any), Options: map(string) }),
  EnableIPv4: bool,
  Options: map(string),
});

export const networkConnectShape = struct({ Container: string, EndpointConfig: endpointSettingsShape });
export const networkDisconnectShape = struct({ Container: string, Force: bool });

export const volumeCreateShape = struct({
  Driver: string,
  DriverOpts: map(string),
  ClusterVolumeSpec: any,
});

/** Secret and config specs share Driver/Templating; ConfigSpec has no Driver, so dockerd ignores one. */
export const secretCreateShape = struct({ Driver: driverConfig, Templating: driverConfig });

const caConfig = struct({ ExternalCAs: list(any), SigningCACert: string, SigningCAKey: string, ForceRotate: uint64 });
export const swarmSpecShape = struct({ CAConfig: caConfig, EncryptionConfig: struct({ AutoLockManagers: bool }) });
export const swarmInitShape = struct({ ForceNewCluster: bool, AutoLockManagers: bool, Spec: swarmSpecShape });
export const swarmJoinShape = struct({ RemoteAddrs: strings });

export const nodeUpdateShape = struct({ Name: string, Role: string, Availability: string, Labels: map(string) });

const serviceNetworks = list(struct({ Target: string }));

export const serviceSpecShape = struct({
  TaskTemplate: struct({
    ContainerSpec: struct({
      Image: string,
      User: string,
      Mounts: list(mountShape),
      CapabilityAdd: strings,
      CapabilityDrop: strings,
      Sysctls: map(string),
      ReadOnly: bool,
      Privileges: struct({
        NoNewPrivileges: bool,
        Seccomp: struct({ Mode: string, Profile: string }),
        AppArmor: struct({ Mode: string }),
        SELinuxContext: struct({ Disable: bool, User: string, Role: string, Type: string, Level: string }),
      }),
    }),
    PluginSpec: any,
    Runtime: string,
    Resources: struct({
      Limits: struct({ NanoCPUs: int64 }),
      Reservations: struct({ NanoCPUs: int64 }),
    }),
    Networks: serviceNetworks,
  }),
  Networks: serviceNetworks,
});

export const pluginPrivilegesShape = list(struct({ Name: string, Value: strings }));
export const pluginSetShape = strings;

/** config.json inside a plugin create archive (types.PluginConfig). */
export const pluginConfigShape = struct({
  Network: struct({ Type: string }),
  PropagatedMount: string,
  IpcHost: bool,
  PidHost: bool,
  Mounts: list(struct({ Source: string, Type: string })),
  Linux: struct({ Capabilities: strings, AllowAllDevices: bool, Devices: list(struct({ Path: string })) }),
});

/** docker save archives: manifest.json, OCI index.json and the legacy repositories file. */
export const imageManifestShape = list(struct({ RepoTags: strings }));
export const imageIndexShape = struct({ manifests: list(struct({ annotations: map(string) })) });
export const imageRepositoriesShape = map(map(any));

/** The `buildargs` query parameter of POST /build: map[string]*string. */
export const buildArgsShape = map(any);
