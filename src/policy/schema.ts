/**
 * The whole Sockguard v1.7 configuration surface (CodesWhat/sockguard@52722c8, see
 * shared/reference/sockguard-config.md). This module is the single source of truth: the types,
 * the validator and schema/sockguard.schema.json all derive from `policySchema`.
 */
import {
  bool,
  int,
  intDefault,
  list,
  mapOf,
  obj,
  oneOf,
  oneOfDefault,
  presenceObj,
  str,
  strDefault,
  type Infer,
  type Resolved,
} from './schema-dsl.js';

const strings = (description?: string) => list(str(), description ? { description } : {});
const cidrs = (description: string) => list(str({ format: 'cidr' }), { description });
/** Not enforced by this toolkit's proxy (yet); lint reports such keys as info. */
const later = { implemented: false } as const;

const tlsSelectors = {
  common_names: strings('Accepted client certificate common names (OR)'),
  dns_names: strings('Accepted client certificate DNS SANs (OR)'),
  ip_addresses: strings('Accepted client certificate IP SANs (OR); not source IPs'),
  uri_sans: strings('Accepted client certificate URI SANs (OR)'),
  public_key_sha256_pins: strings('Lower-case hex SHA-256 of the client SPKI, optional "sha256:" prefix'),
};

const listenFields = {
  address: str({
    description: 'TCP listen address host:port. Non-loopback needs tls or both insecure acknowledgements.',
  }),
  socket: str({ description: 'Unix socket path; replaces TCP', format: 'absolute-path' }),
  socket_mode: oneOfDefault(['0600', '0660'], '0600', { description: '"0660" requires socket_gid' }),
  socket_uid: int({ min: 0 }),
  socket_gid: int({ min: 0 }),
  insecure_allow_plain_tcp: bool(false, { description: 'First acknowledgement for a non-loopback plaintext listener' }),
  insecure_allow_unauthenticated_clients: bool(false, {
    description: 'Second acknowledgement for a non-loopback plaintext listener',
  }),
  tls: obj({
    cert_file: str(),
    key_file: str(),
    client_ca_file: str(),
    ...tlsSelectors,
  }),
};

const listenSpec = obj(
  { ...listenFields, address: strDefault('127.0.0.1:2375', { description: listenFields.address.description ?? '' }) },
  { description: 'The single main listener (exclusive with listeners)' },
);

const listenerSpec = obj({
  name: str({ pattern: /^[a-z][a-z0-9-]{0,62}$/, description: 'Unique listener name; not "admin"' }),
  ...listenFields,
  allowed_profiles: strings('Profiles admitted on this listener; ["*"] admits every profile and the default policy'),
});

const ruleSpec = obj({
  match: obj({
    method: str({ description: 'One method, a comma-separated list (GET,HEAD) or *' }),
    path: str({ description: 'Glob over the normalized path: * one segment, ** any depth, /x/** also matches /x' }),
  }),
  action: oneOf(['allow', 'deny']),
  reason: str({ description: 'Free text for logs, verbose denies and sockguard test' }),
});

const imageTrustSpec = obj(
  {
    mode: oneOf(['', 'off', 'warn', 'enforce']),
    allowed_signing_keys: list(obj({ pem: str() })),
    allowed_keyless: list(obj({ issuer: str(), subject_pattern: str() })),
    require_rekor_inclusion: bool(true),
    verify_timeout: strDefault('10s', { format: 'duration' }),
  },
  later,
);

const registryFields = {
  allow_all_registries: bool(false),
  allow_official: bool(true, { description: 'Docker Hub official images (single segment or library/x)' }),
  allowed_registries: strings('Registry hosts, lower-case; index.docker.io counts as docker.io'),
};

const capabilityFields = {
  allow_all_capabilities: bool(false),
  allowed_capabilities: strings('CapAdd allowlist, case-insensitive, CAP_ optional'),
};

const containerCreateSpec = obj({
  allow_privileged: bool(false),
  allow_host_network: bool(false),
  allow_host_pid: bool(false),
  allow_host_ipc: bool(false),
  allow_host_userns: bool(false),
  allow_host_cgroupns: bool(false),
  allowed_bind_mounts: strings(
    'Host path prefixes for Binds and bind Mounts (path-boundary match after cleaning; / allows all)',
  ),
  allow_all_devices: bool(false),
  allowed_devices: strings(),
  allow_device_requests: bool(false),
  allowed_device_requests: list(
    obj({ driver: str(), allowed_capabilities: list(list(str())), max_count: int({ min: -1 }) }),
  ),
  allow_device_cgroup_rules: bool(false),
  allowed_device_cgroup_rules: strings(),
  allow_tmpfs_privileged_options: bool(false),
  require_no_new_privileges: bool(false),
  require_non_root_user: bool(false),
  require_readonly_rootfs: bool(false),
  require_drop_all_capabilities: bool(false),
  ...capabilityFields,
  require_memory_limit: bool(false),
  require_cpu_limit: bool(false),
  require_cpu_limit_hard: bool(false),
  require_pids_limit: bool(false),
  allowed_seccomp_profiles: strings(),
  deny_unconfined_seccomp: bool(false),
  allowed_apparmor_profiles: strings(),
  deny_unconfined_apparmor: bool(false),
  deny_selinux_disable: bool(false),
  deny_selinux_label_override: bool(false),
  deny_unconfined_system_paths: bool(false),
  restrict_namespace_sharing: bool(false),
  allowed_namespace_sharing_containers: strings(),
  deny_namespace_path_mode: bool(false),
  allow_sysctls: bool(false),
  allowed_runtimes: strings(),
  required_labels: strings(),
  image_trust: imageTrustSpec,
});

const libpodContainerCreateSpec = obj(
  {
    allow_privileged: bool(false),
    allow_host_network: bool(false),
    allow_host_pid: bool(false),
    allow_host_ipc: bool(false),
    allow_host_userns: bool(false),
    allowed_bind_mounts: strings(),
    allow_all_devices: bool(false),
    allowed_devices: strings(),
    restrict_namespace_sharing: bool(false),
    allowed_namespace_sharing_containers: strings(),
    ...capabilityFields,
    allowed_seccomp_profiles: strings(),
    deny_unconfined_seccomp: bool(false),
    allowed_apparmor_profiles: strings(),
    deny_unconfined_apparmor: bool(false),
    deny_selinux_disable: bool(false),
    require_non_root_user: bool(false),
    require_readonly_rootfs: bool(false),
    require_memory_limit: bool(false),
    require_cpu_limit: bool(false),
    require_cpu_limit_hard: bool(false),
    require_pids_limit: bool(false),
    allow_sysctls: bool(false),
    allow_systemd_mode: bool(false),
    allow_custom_id_mappings: bool(false),
    image_trust: imageTrustSpec,
  },
  later,
);

const networkSpec = obj({
  allow_custom_drivers: bool(false),
  allow_swarm_scope: bool(false),
  allow_ingress: bool(false),
  allow_attachable: bool(false),
  allow_config_only: bool(false),
  allow_config_from: bool(false),
  allow_custom_ipam_drivers: bool(false),
  allow_custom_ipam_config: bool(false),
  allow_ipam_options: bool(false),
  allow_driver_options: bool(false),
  allow_endpoint_config: bool(false),
  endpoint_config: obj({
    allow_static_addressing: bool(false),
    allow_link_local_ips: bool(false),
    allow_mac_pinning: bool(false),
    allow_gw_priority: bool(false),
    allow_aliases: bool(true),
  }),
  allow_disconnect_force: bool(false),
  allow_disable_ipv4: bool(false),
});

const driverGateSpec = obj({ allow_custom_drivers: bool(false), allow_driver_opts: bool(false) });
const secretSpec = obj({ allow_custom_drivers: bool(false), allow_template_drivers: bool(false) });

const requestBodySpec = obj({
  container_create: containerCreateSpec,
  libpod_container_create: libpodContainerCreateSpec,
  exec: obj({
    allow_privileged: bool(false),
    allow_root_user: bool(false, { description: 'An empty User counts as root' }),
    allowed_commands: list(list(str()), {
      description: 'argv templates, each token a glob; empty denies every exec unless insecure_allow_body_blind_writes',
    }),
    allowed_env_vars: strings(),
    denied_env_vars: strings(),
    allowed_env_values: strings('Exact NAME=VALUE pairs'),
  }),
  image_pull: obj({ allow_imports: bool(false), ...registryFields }),
  build: obj({
    allow_remote_context: bool(false),
    allow_host_network: bool(false),
    allow_run_instructions: bool(false),
  }),
  // Go keeps this block as a pointer: its presence (not a flag) turns mediation on (§8.2).
  buildkit: presenceObj(
    {
      control: obj({
        allow_info: bool(false),
        allow_list_workers: bool(false),
        allow_status: bool(false),
        solve: obj({
          allow: bool(false),
          allowed_cache_import_types: strings(),
          allowed_cache_export_types: strings(),
          allowed_cache_registries: strings(),
          allowed_exporters: strings(),
          allowed_exporter_registries: strings(),
        }),
      }),
      session: obj({
        health: bool(false),
        auth: obj({
          allow: bool(false),
          allowed_registries: strings(),
          allowed_realms: strings(),
          allowed_scopes: strings(),
        }),
        secrets: obj({ allow: bool(false), allowed_ids: strings() }),
        ssh: obj({ allow: bool(false), allowed_ids: strings() }),
        file_sync: obj({
          allow: bool(false),
          max_files: intDefault(0, { min: 0 }),
          max_total_bytes: intDefault(0, { min: 0 }),
          max_path_length: intDefault(0, { min: 0 }),
          max_file_bytes: intDefault(0, { min: 0 }),
        }),
        file_send: obj({ allow: bool(false), max_bytes: intDefault(0, { min: 0 }) }),
        upload: obj({ allow: bool(false), max_bytes: intDefault(0, { min: 0 }) }),
      }),
    },
    later,
  ),
  container_update: obj({
    allow_privileged: bool(false),
    allow_all_devices: bool(false),
    allow_capabilities: bool(false),
    allow_resource_updates: bool(false),
    allow_restart_policy: bool(false),
    require_memory_limit: bool(false),
    require_cpu_limit: bool(false),
    require_cpu_limit_hard: bool(false),
    require_pids_limit: bool(false),
  }),
  container_archive: obj({
    allowed_paths: strings(),
    allow_setid: bool(false),
    allow_device_nodes: bool(false),
    allow_escaping_links: bool(false),
  }),
  image_load: obj({ ...registryFields, allow_untagged: bool(false) }),
  volume: driverGateSpec,
  libpod_volume: obj(driverGateSpec.fields, later),
  network: networkSpec,
  libpod_network: obj(networkSpec.fields, later),
  secret: secretSpec,
  config: secretSpec,
  libpod_secret: obj(secretSpec.fields, later),
  service: obj({
    allow_host_network: bool(false),
    allowed_bind_mounts: strings(),
    ...registryFields,
    ...capabilityFields,
    allow_sysctls: bool(false),
    require_non_root_user: bool(false),
    require_no_new_privileges: bool(false),
    require_readonly_rootfs: bool(false),
    require_drop_all_capabilities: bool(false),
    deny_unconfined_seccomp: bool(false),
    deny_custom_seccomp_profiles: bool(false),
    deny_unconfined_apparmor: bool(false),
    deny_selinux_disable: bool(false),
    deny_selinux_label_override: bool(false),
    require_cpu_limit: bool(false),
    require_cpu_limit_hard: bool(false),
    image_trust: imageTrustSpec,
  }),
  swarm: obj({
    allow_force_new_cluster: bool(false),
    allow_external_ca: bool(false),
    allowed_join_remote_addrs: strings(),
    allow_token_rotation: bool(false),
    allow_manager_unlock_key_rotation: bool(false),
    allow_auto_lock_managers: bool(false),
    allow_signing_ca_update: bool(false),
    allow_unlock: bool(false),
  }),
  node: obj({
    allow_name_change: bool(false),
    allow_role_change: bool(false),
    allow_availability_change: bool(false),
    allow_label_mutation: bool(false),
    allowed_label_keys: strings(),
  }),
  plugin: obj({
    allow_host_network: bool(false),
    allow_host_ipc: bool(false),
    allow_host_pid: bool(false),
    allow_all_devices: bool(false),
    allowed_bind_mounts: strings(),
    allowed_devices: strings(),
    ...capabilityFields,
    ...registryFields,
    allowed_set_env_prefixes: strings(),
  }),
  libpod_pod_create: obj(
    {
      allow_host_network: bool(false),
      allow_shared_pid_namespace: bool(false),
      allowed_infra_image_registries: strings(),
    },
    later,
  ),
});

const visibilityFields = {
  visible_resource_labels: strings('Docker label selectors key or key=value, ANDed'),
  name_patterns: strings('Globs over resource names (OR)'),
  image_patterns: strings('Globs over image references (OR)'),
};

const profileSpec = obj({
  name: str({ description: 'Unique profile name; not "*"' }),
  mode: oneOf(['', 'enforce', 'warn', 'audit'], { caseInsensitive: true }),
  rules: list(ruleSpec),
  request_body: requestBodySpec,
  response: obj(visibilityFields),
  limits: obj({
    rate: obj({
      tokens_per_second: int({ min: 1 }),
      burst: int({ min: 1, max: 65535 }),
      endpoint_costs: list(obj({ path: str(), methods: strings(), cost: int({ min: 1 }) })),
    }),
    concurrency: obj({ max_inflight: int({ min: 1 }) }),
    priority: oneOf(['low', 'normal', 'high']),
  }),
});

const adminListenSpec = obj({ ...listenFields, insecure_allow_wide_open: bool(false) });

export const policySchema = obj({
  listen: listenSpec,
  listeners: list(listenerSpec, { maxItems: 32, description: 'Named listeners (v1.6+), exclusive with listen' }),
  upstream: obj({
    socket: strDefault('/var/run/docker.sock', { description: 'Docker daemon unix socket' }),
    request_timeout: strDefault('60s', {
      format: 'duration-or-off',
      description: 'Per-request deadline; "off" disables',
    }),
    endpoints: list(
      obj({
        address: str(),
        tls: obj({ ca_file: str(), cert_file: str(), key_file: str(), server_name: str() }),
        insecure_allow_plain_tcp: bool(false),
        insecure_skip_tls_verify: bool(false),
      }),
      later,
    ),
    failover: obj({ health_interval: str({ format: 'duration' }), health_timeout: str({ format: 'duration' }) }, later),
  }),
  log: obj({
    level: oneOfDefault(['debug', 'info', 'warn', 'error'], 'info'),
    format: oneOfDefault(['json', 'text'], 'json'),
    output: strDefault('stderr', {
      pattern: /^(stderr|stdout|file:\/.*)$/,
      description: 'stderr, stdout or file:/absolute/path',
    }),
    access_log: bool(true),
    audit: obj({
      enabled: bool(false),
      format: oneOfDefault(['json'], 'json'),
      output: strDefault('stderr', { pattern: /^(stderr|stdout|file:\/.*)$/ }),
    }),
  }),
  response: obj({
    deny_verbosity: oneOfDefault(['minimal', 'verbose'], 'minimal'),
    redact_container_env: bool(true),
    redact_mount_paths: bool(true),
    redact_network_topology: bool(true),
    redact_sensitive_data: bool(true),
    redact_host_topology: bool(false),
    allow_attestation_statements: bool(false),
    ...visibilityFields,
  }),
  request_body: requestBodySpec,
  clients: obj({
    allowed_cidrs: cidrs('Client source CIDRs admitted before any rule (TCP listeners)'),
    container_labels: obj({
      enabled: bool(false),
      label_prefix: strDefault('com.sockguard.allow.', {
        description: 'Label <prefix><method> holds comma-separated globs',
      }),
    }),
    default_profile: str(),
    source_ip_profiles: list(obj({ profile: str(), cidrs: cidrs('Source CIDRs selecting this profile') })),
    client_certificate_profiles: list(obj({ profile: str(), ...tlsSelectors, spiffe_ids: strings() })),
    unix_peer_profiles: list(
      obj({ profile: str(), uids: list(int({ min: 0 })), gids: list(int({ min: 0 })), pids: list(int({ min: 1 })) }),
    ),
    global_concurrency: obj({ max_inflight: int({ min: 1 }) }),
    profiles: list(profileSpec),
  }),
  ownership: obj({
    owner: str({ description: 'Non-empty enables owner isolation' }),
    label_key: strDefault('com.sockguard.owner'),
    allow_unowned_images: bool(true),
    allow_cross_owner_namespace_sharing: bool(false),
  }),
  health: obj({
    enabled: bool(true),
    path: strDefault('/health'),
    watchdog: obj({ enabled: bool(false), interval: strDefault('5s', { format: 'duration' }) }),
    readiness: obj({
      enabled: bool(false),
      path: strDefault('/ready'),
      interval: strDefault('10s', { format: 'duration' }),
      timeout: strDefault('5s', { format: 'duration' }),
    }),
  }),
  metrics: obj({ enabled: bool(false), path: strDefault('/metrics') }),
  admin: obj({
    enabled: bool(false),
    path: strDefault('/admin/validate'),
    policy_version_path: strDefault('/admin/policy/version'),
    max_request_bytes: intDefault(524288, { min: 1 }),
    mount_on: str(),
    listen: adminListenSpec,
  }),
  reload: obj({
    enabled: bool(false),
    debounce: strDefault('250ms', { format: 'duration' }),
    poll_interval: strDefault('', { format: 'duration' }),
  }),
  policy_bundle: obj(
    {
      enabled: bool(false),
      signature_path: str(),
      allowed_signing_keys: list(obj({ pem: str() })),
      allowed_keyless: list(obj({ issuer: str(), subject_pattern: str() })),
      require_rekor_inclusion: bool(true),
      verify_timeout: str({ format: 'duration' }),
    },
    later,
  ),
  mutations: obj(
    {
      rules: list(
        obj({
          id: str({ pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/ }),
          mode: oneOf(['enforce', 'warn', 'audit']),
          surfaces: list(oneOf(['container_create', 'service_create', 'service_update'])),
          inject_labels: obj({ labels: mapOf(str()) }),
          remap_image: obj({ match: oneOf(['exact', 'prefix']), from: str(), to: str() }),
        }),
      ),
    },
    later,
  ),
  rules: list(ruleSpec, { description: 'Method + path rules, first match wins, default deny' }),
  insecure_allow_body_blind_writes: bool(false, { description: 'Acknowledge writes whose body no inspector covers' }),
  insecure_allow_read_exfiltration: bool(false, { description: 'Acknowledge archive/export/logs/attach/push reads' }),
  insecure_accept_opaque_buildkit_tunnels: bool(false, {
    description: 'Deprecated acknowledgement for /session and /grpc',
  }),
});

export type PolicySchema = typeof policySchema;
/** A policy document as written (every key optional). */
export type PolicyDocument = Infer<PolicySchema>;
/** A policy after defaults: what the proxy enforces. */
export type Policy = Resolved<PolicySchema>;
export type RuleDocument = Infer<typeof ruleSpec>;
export type ProfileDocument = Infer<typeof profileSpec>;
export type RequestBodyPolicy = Infer<typeof requestBodySpec>;
export type ListenDocument = Infer<typeof listenerSpec>;
