import { test } from 'node:test';
import { compileBodyPolicy } from '../../../src/policy/body/compile-body-policy.js';
import {
  assertAllowed,
  assertDenied,
  judge,
  rootPolicy,
  TYPICAL_CREATE,
  type RequestBodyDocument,
} from './body-request.js';

const create = (policy: RequestBodyDocument, body: object | string) =>
  judge(rootPolicy(policy), 'POST', '/v1.45/containers/create?name=c', body);

const cc = (fields: NonNullable<RequestBodyDocument['container_create']>): RequestBodyDocument => ({
  container_create: fields,
});
const hc = (hostConfig: object) => ({ Image: 'busybox', HostConfig: hostConfig });
const key = (field: string) => `request_body.container_create.${field}`;

/** Cases the default policy denies with a reason naming these fragments, and the policy that admits each. */
const DENIED: [name: string, body: object | string, fragments: string[], admittedBy?: RequestBodyDocument][] = [
  [
    'Privileged',
    hc({ Privileged: true }),
    ['HostConfig.Privileged is true', key('allow_privileged')],
    cc({ allow_privileged: true }),
  ],
  [
    'host network',
    hc({ NetworkMode: 'host' }),
    ['HostConfig.NetworkMode is "host"', key('allow_host_network')],
    cc({ allow_host_network: true }),
  ],
  [
    'host network, other casing',
    hc({ NetworkMode: ' HOST ' }),
    [key('allow_host_network')],
    cc({ allow_host_network: true }),
  ],
  ['host pid', hc({ PidMode: 'host' }), ['HostConfig.PidMode', key('allow_host_pid')], cc({ allow_host_pid: true })],
  ['host ipc', hc({ IpcMode: 'host' }), ['HostConfig.IpcMode', key('allow_host_ipc')], cc({ allow_host_ipc: true })],
  [
    'host userns',
    hc({ UsernsMode: 'host' }),
    ['HostConfig.UsernsMode', key('allow_host_userns')],
    cc({ allow_host_userns: true }),
  ],
  [
    'host cgroupns',
    hc({ CgroupnsMode: 'host' }),
    ['HostConfig.CgroupnsMode', key('allow_host_cgroupns')],
    cc({ allow_host_cgroupns: true }),
  ],
  [
    'ns: path on PidMode',
    hc({ PidMode: 'ns:/proc/1/ns/pid' }),
    ['joins a namespace by path', key('allow_host_pid')],
    cc({ allow_host_pid: true }),
  ],
  [
    'Sysctls',
    hc({ Sysctls: { 'net.ipv4.ip_forward': '1' } }),
    ['HostConfig.Sysctls', key('allow_sysctls')],
    cc({ allow_sysctls: true }),
  ],
  [
    'Runtime',
    hc({ Runtime: 'runsc' }),
    ['HostConfig.Runtime is "runsc"', key('allowed_runtimes')],
    cc({ allowed_runtimes: ['runsc'] }),
  ],
  [
    'Devices',
    hc({ Devices: [{ PathOnHost: '/dev/sda', PathInContainer: '/dev/sda' }] }),
    ['HostConfig.Devices[0].PathOnHost "/dev/sda"', key('allowed_devices')],
    cc({ allowed_devices: ['/dev/sda'] }),
  ],
  [
    'Devices, all allowed',
    hc({ Devices: [{ PathOnHost: '/dev/mem' }] }),
    [key('allow_all_devices')],
    cc({ allow_all_devices: true }),
  ],
  [
    'Devices under an allowed directory',
    hc({ Devices: [{ PathOnHost: '/dev/dri/card0' }] }),
    ['/dev/dri/card0'],
    cc({ allowed_devices: ['/dev/dri'] }),
  ],
  [
    'DeviceRequests',
    hc({ DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] }),
    ['HostConfig.DeviceRequests[0]', key('allowed_device_requests'), key('allow_device_requests')],
    cc({ allow_device_requests: true }),
  ],
  [
    'DeviceRequests matched by an entry',
    hc({ DeviceRequests: [{ Driver: 'NVIDIA', Count: 1, Capabilities: [['GPU']] }] }),
    [key('allowed_device_requests')],
    cc({ allowed_device_requests: [{ driver: 'nvidia', allowed_capabilities: [['gpu', 'utility']], max_count: 2 }] }),
  ],
  [
    'DeviceCgroupRules',
    hc({ DeviceCgroupRules: ['b 8:* rmw'] }),
    ['HostConfig.DeviceCgroupRules[0] "b 8:* rmw"', key('allowed_device_cgroup_rules')],
    cc({ allowed_device_cgroup_rules: ['b *:* mrw'] }),
  ],
  [
    'DeviceCgroupRules, all allowed',
    hc({ DeviceCgroupRules: ['a *:* rwm'] }),
    [key('allow_device_cgroup_rules')],
    cc({ allow_device_cgroup_rules: true }),
  ],
  [
    'Binds host path',
    hc({ Binds: ['/etc:/host-etc:ro'] }),
    ['HostConfig.Binds[0] mounts host path "/etc"', key('allowed_bind_mounts')],
    cc({ allowed_bind_mounts: ['/etc'] }),
  ],
  ['Binds of /', hc({ Binds: ['/:/host'] }), ['"/"'], cc({ allowed_bind_mounts: ['/'] })],
  [
    'Mounts type bind',
    hc({ Mounts: [{ Type: 'bind', Source: '/var/lib', Target: '/x' }] }),
    ['HostConfig.Mounts[0].Source mounts host path "/var/lib"', key('allowed_bind_mounts')],
    cc({ allowed_bind_mounts: ['/var/lib'] }),
  ],
  [
    'Mounts bind with a relative source',
    hc({ Mounts: [{ Type: 'bind', Source: 'etc', Target: '/x' }] }),
    ['not an absolute host path'],
  ],
  [
    'local volume bind of /',
    hc({
      Mounts: [
        {
          Type: 'volume',
          Target: '/x',
          VolumeOptions: { DriverConfig: { Options: { type: 'none', o: 'ro,bind', device: '/' } } },
        },
      ],
    }),
    ['VolumeOptions.DriverConfig makes the local driver mount host path "/"'],
    cc({ allowed_bind_mounts: ['/'] }),
  ],
  [
    'local volume over a host disk',
    hc({
      Mounts: [
        {
          Type: 'volume',
          Target: '/x',
          VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'ext4', device: 'dev/sda1' } } },
        },
      ],
    }),
    ['"/dev/sda1"'],
    cc({ allowed_bind_mounts: ['/dev/sda1'] }),
  ],
  [
    'tmpfs exec option',
    hc({ Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { Options: [['exec']] } }] }),
    ['TmpfsOptions.Options enables "exec"', key('allow_tmpfs_privileged_options')],
    cc({ allow_tmpfs_privileged_options: true }),
  ],
  [
    'legacy Tmpfs suid',
    hc({ Tmpfs: { '/t': 'rw,nosuid,suid' } }),
    ['HostConfig.Tmpfs["/t"]', key('allow_tmpfs_privileged_options')],
    cc({ allow_tmpfs_privileged_options: true }),
  ],
  [
    'CapAdd',
    hc({ CapAdd: ['SYS_ADMIN'] }),
    ['HostConfig.CapAdd adds SYS_ADMIN', key('allowed_capabilities'), key('allow_all_capabilities')],
    cc({ allowed_capabilities: ['cap_sys_admin'] }),
  ],
  ['CapAdd ALL', hc({ CapAdd: 'ALL' }), ['adds ALL'], cc({ allow_all_capabilities: true })],
  [
    'CapAdd with a long s',
    hc({ CapAdd: ['\u017fys_admin'] }),
    ['adds SYS_ADMIN'],
    cc({ allowed_capabilities: ['SYS_ADMIN'] }),
  ],
  [
    'Capabilities (API 1.40)',
    hc({ Capabilities: ['CAP_SYS_MODULE'] }),
    ['HostConfig.Capabilities adds SYS_MODULE'],
    cc({ allowed_capabilities: ['SYS_MODULE'] }),
  ],
  [
    'NetworkingConfig static IP',
    { NetworkingConfig: { EndpointsConfig: { n: { IPAMConfig: { IPv4Address: '10.0.0.9' } } } } },
    [
      'NetworkingConfig.EndpointsConfig["n"].IPAMConfig.IPv4Address',
      'request_body.network.endpoint_config.allow_static_addressing',
    ],
    { network: { endpoint_config: { allow_static_addressing: true } } },
  ],
  [
    'top-level MacAddress',
    { MacAddress: '02:42:ac:11:00:02' },
    ['MacAddress pins a MAC address', 'request_body.network.endpoint_config.allow_mac_pinning'],
    { network: { endpoint_config: { allow_mac_pinning: true } } },
  ],
  [
    'endpoint Links',
    { NetworkingConfig: { EndpointsConfig: { n: { Links: ['db'] } } } },
    ['Links is set', 'request_body.network.allow_endpoint_config'],
    { network: { allow_endpoint_config: true } },
  ],
];

for (const [name, body, fragments, admittedBy] of DENIED) {
  test(`container_create: ${name}`, () => {
    assertDenied(create({}, body), 403, ...fragments);
    if (admittedBy) assertAllowed(create(admittedBy, body), `with ${JSON.stringify(admittedBy)}`);
  });
}

/** Denied whatever the policy says (sockguard-config.md §8.2 unconditional denies). */
const ALWAYS: [string, object][] = [
  ['VolumesFrom', hc({ VolumesFrom: ['other'] })],
  ['UTSMode host', hc({ UTSMode: 'host' })],
  ['UTSMode ns:', hc({ UTSMode: 'ns:/proc/1/ns/uts' })],
  ['CgroupParent', hc({ CgroupParent: '/system.slice' })],
  ['GroupAdd', hc({ GroupAdd: ['docker'] })],
  ['ExtraHosts', hc({ ExtraHosts: ['registry:10.0.0.1'] })],
  ['unknown mount type', hc({ Mounts: [{ Type: 'npipe', Source: 'x', Target: '/x' }] })],
  ['empty mount type', hc({ Mounts: [{ Source: '/', Target: '/x' }] })],
  [
    'volume Subpath escaping',
    hc({ Mounts: [{ Type: 'volume', Source: 'v', Target: '/x', VolumeOptions: { Subpath: 'a/../../etc' } }] }),
  ],
  [
    'absolute volume Subpath',
    hc({ Mounts: [{ Type: 'volume', Source: 'v', Target: '/x', VolumeOptions: { Subpath: '/etc' } }] }),
  ],
  [
    'image Subpath escaping',
    hc({ Mounts: [{ Type: 'image', Source: 'busybox', Target: '/x', ImageOptions: { Subpath: '..' } }] }),
  ],
];
const EVERYTHING: RequestBodyDocument = {
  container_create: {
    allow_privileged: true,
    allow_host_network: true,
    allow_host_pid: true,
    allow_host_ipc: true,
    allow_host_userns: true,
    allow_host_cgroupns: true,
    allowed_bind_mounts: ['/'],
    allow_all_devices: true,
    allow_tmpfs_privileged_options: true,
    allow_all_capabilities: true,
    allow_sysctls: true,
  },
  network: { allow_endpoint_config: true },
};
for (const [name, body] of ALWAYS) {
  test(`container_create always denies ${name}`, () => assertDenied(create(EVERYTHING, body), 403, 'always denied'));
}

test('the typical docker run body passes the default policy', () => assertAllowed(create({}, TYPICAL_CREATE)));

test('the permissive policy admits the typical body and a fully privileged one', () => {
  assertAllowed(create(EVERYTHING, TYPICAL_CREATE));
  assertAllowed(
    create(
      EVERYTHING,
      hc({ Privileged: true, NetworkMode: 'host', PidMode: 'host', Binds: ['/:/host'], CapAdd: ['ALL'] }),
    ),
  );
});

// security-notes.md §9: the bypass classes of other inspectors.
const BYPASSES: [string, string][] = [
  ['lower-case keys', '{"hostconfig":{"privileged":true}}'],
  ['upper-case keys', '{"HOSTCONFIG":{"PRIVILEGED":true}}'],
  ['long s in HostConfig', '{"Ho\u017ftConfig":{"Privileged":true}}'],
  ['escaped key', '{"HostConfig":{"\\u0050rivileged":true}}'],
  ['long s in Binds', '{"HostConfig":{"Bind\u017f":["/:/host"]}}'],
  ['Kelvin sign in NetworkMode', '{"HostConfig":{"Networ\u212aMode":"host"}}'],
  ['escaped slash in a bind', '{"HostConfig":{"Binds":["\\u002f:/host"]}}'],
  ['bind through ..', '{"HostConfig":{"Binds":["/var/run/../run/docker.sock:/s"]}}'],
  ['bind through //', '{"HostConfig":{"Binds":["//var//run/docker.sock:/s"]}}'],
  [
    'Mounts instead of Binds',
    '{"HostConfig":{"Mounts":[{"Type":"bind","Source":"/var/run/docker.sock","Target":"/s"}]}}',
  ],
  ['Mounts with lower-case keys', '{"HostConfig":{"mounts":[{"type":"bind","source":"/","target":"/h"}]}}'],
];
for (const [name, body] of BYPASSES) {
  test(`container_create bypass class: ${name}`, () => assertDenied(create({}, body), 403));
}

test('duplicate and case-variant keys are refused with 400, never merged', () => {
  for (const body of [
    '{"HostConfig":{"Privileged":false,"Privileged":true}}',
    '{"HostConfig":{"Privileged":false},"hostconfig":{"Privileged":true}}',
    '{"HostConfig":{"Binds":[]},"HostConfig":{"Binds":["/:/h"]}}',
    '{"Image":"alpine","image":"evil.com/x"}',
  ]) {
    assertDenied(create(EVERYTHING, body), 400, 'not valid JSON for dockerd');
  }
});

test('a decoy Config object is ignored and the top-level User is judged (D12)', () => {
  const policy = cc({ require_non_root_user: true });
  assertDenied(create(policy, { Config: { User: '1000' }, User: 'root' }), 403, 'User "root" runs as root');
  assertAllowed(create(policy, { Config: { User: 'root' }, User: '1000' }));
});

test('bind mounts match on path boundaries after cleaning (security-notes.md §15.11)', () => {
  const policy = cc({ allowed_bind_mounts: ['/srv/data'] });
  assertAllowed(create(policy, hc({ Binds: ['/srv/data:/d', '/srv/data/sub/:/s:ro', '/srv//data/./x:/x'] })));
  assertDenied(create(policy, hc({ Binds: ['/srv/data2:/d'] })), 403, '"/srv/data2"');
  assertDenied(create(policy, hc({ Binds: ['/srv/data/../../etc:/d'] })), 403, '"/etc"');
  assertDenied(
    create(policy, hc({ Mounts: [{ Type: 'bind', Source: '/srv/data/../data2', Target: '/d' }] })),
    403,
    '"/srv/data2"',
  );
  const varLib = cc({ allowed_bind_mounts: ['/var/lib'] });
  assertDenied(create(varLib, hc({ Binds: ['/var/lib/../run/docker.sock:/s'] })), 403, '"/var/run/docker.sock"');
  assertAllowed(create(varLib, hc({ Binds: ['/var/lib/docker/../app:/s'] })));
});

test('named and anonymous volumes are never gated by allowed_bind_mounts', () => {
  assertAllowed(
    create(
      {},
      hc({
        Binds: ['data:/data', 'data:/ro:ro', '/anonymous'],
        Mounts: [{ Type: 'volume', Source: 'v', Target: '/v' }],
      }),
    ),
  );
  assertAllowed(create({}, { Volumes: { '/data': {}, '/data:z': {} } }));
});

test('Volumes keys shaped like binds are judged as binds (Podman compat reads them)', () => {
  assertDenied(create({}, { Volumes: { '/etc:/h': {} } }), 403, 'Volumes["/etc:/h"] mounts host path "/etc"');
});

test('namespace sharing with another container', () => {
  const restricted = cc({ restrict_namespace_sharing: true, allowed_namespace_sharing_containers: ['sidecar'] });
  assertAllowed(create({}, hc({ NetworkMode: 'container:db', PidMode: 'container:db' })), 'not restricted by default');
  assertAllowed(create(restricted, hc({ NetworkMode: 'container:sidecar' })));
  for (const field of ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'CgroupnsMode', 'Cgroup']) {
    assertDenied(
      create(restricted, hc({ [field]: 'Container:db' })),
      403,
      `HostConfig.${field} shares the namespace of container "db"`,
      key('allowed_namespace_sharing_containers'),
    );
  }
  assertDenied(
    create(cc({ restrict_namespace_sharing: true, allow_host_network: true }), hc({ NetworkMode: 'ns:/run/netns/x' })),
    403,
    key('restrict_namespace_sharing'),
  );
});

test('deny_namespace_path_mode refuses ns: network paths even when host networking is allowed', () => {
  assertAllowed(create(cc({ allow_host_network: true }), hc({ NetworkMode: 'ns:/run/netns/x' })));
  assertDenied(
    create(cc({ allow_host_network: true, deny_namespace_path_mode: true }), hc({ NetworkMode: 'ns:/run/netns/x' })),
    403,
    key('deny_namespace_path_mode'),
  );
});

test('device requests: driver, count and capability sets', () => {
  const policy = cc({
    allowed_device_requests: [{ driver: 'nvidia', allowed_capabilities: [['gpu', 'utility']], max_count: 1 }],
  });
  const request = (r: object) => create(policy, hc({ DeviceRequests: [r] }));
  assertAllowed(request({ Driver: 'nvidia', Count: 1, Capabilities: [['gpu']] }));
  assertDenied(request({ Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] }), 403);
  assertDenied(request({ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }), 403);
  assertDenied(request({ Driver: 'nvidia', Count: 1, Capabilities: [['gpu', 'compute']] }), 403);
  assertDenied(request({ Driver: 'cdi', Count: 1, Capabilities: [['gpu']] }), 403);
  assertDenied(request({ Driver: 'nvidia', Count: 1 }), 403, 'matched by');
  const all = cc({ allowed_device_requests: [{ driver: 'nvidia', max_count: -1 }] });
  assertAllowed(create(all, hc({ DeviceRequests: [{ Driver: 'nvidia', Count: -1 }] })));
});

test('device cgroup rules: wildcards only where the allowlist has them', () => {
  const policy = cc({ allowed_device_cgroup_rules: ['c 226:* rwm'] });
  assertAllowed(create(policy, hc({ DeviceCgroupRules: ['c 226:0 mrw'] })));
  assertAllowed(create(policy, hc({ DeviceCgroupRules: ['c 226:* rwm'] })));
  assertDenied(create(policy, hc({ DeviceCgroupRules: ['c *:* rwm'] })), 403);
  assertDenied(create(policy, hc({ DeviceCgroupRules: ['c 226:0 rw'] })), 403);
  assertDenied(create(policy, hc({ DeviceCgroupRules: ['garbage'] })), 403);
});

test('SecurityOpt: seccomp, AppArmor, SELinux and system paths, with = and legacy :', () => {
  const deny = cc({
    deny_unconfined_seccomp: true,
    deny_unconfined_apparmor: true,
    deny_selinux_disable: true,
    deny_selinux_label_override: true,
    deny_unconfined_system_paths: true,
  });
  const cases: [string[] | object, string][] = [
    [['seccomp=unconfined'], key('deny_unconfined_seccomp')],
    [['seccomp:unconfined'], key('deny_unconfined_seccomp')],
    [['apparmor=unconfined'], key('deny_unconfined_apparmor')],
    [['apparmor:Unconfined'], key('deny_unconfined_apparmor')],
    [['label=disable'], key('deny_selinux_disable')],
    [['label:disable'], key('deny_selinux_disable')],
    [['disable'], key('deny_selinux_disable')],
    [['label=type:spc_t'], key('deny_selinux_label_override')],
    [['label:user:system_u'], key('deny_selinux_label_override')],
    [['systempaths=unconfined'], key('deny_unconfined_system_paths')],
  ];
  for (const [opts, fragment] of cases) {
    assertDenied(create(deny, hc({ SecurityOpt: opts })), 403, fragment);
    assertAllowed(create({}, hc({ SecurityOpt: opts })), `${JSON.stringify(opts)} passes without the deny flags`);
  }
  assertDenied(create(deny, hc({ MaskedPaths: [] })), 403, 'HostConfig.MaskedPaths is an empty list');
  assertDenied(create(deny, hc({ ReadonlyPaths: [] })), 403, 'HostConfig.ReadonlyPaths is an empty list');
  assertAllowed(
    create(deny, hc({ MaskedPaths: ['/proc/kcore'], SecurityOpt: ['seccomp=/profile.json', 'apparmor=custom'] })),
  );
});

test('seccomp and AppArmor profile allowlists', () => {
  const seccomp = cc({ allowed_seccomp_profiles: ['/etc/docker/strict.json'] });
  assertAllowed(create(seccomp, hc({ SecurityOpt: ['seccomp=/etc/docker/strict.json'] })));
  assertDenied(create(seccomp, hc({ SecurityOpt: ['seccomp=unconfined'] })), 403, key('allowed_seccomp_profiles'));
  assertDenied(create(seccomp, hc({})), 403, 'names no seccomp profile');
  assertAllowed(create(cc({ allowed_seccomp_profiles: ['default'] }), hc({})));
  const apparmor = cc({ allowed_apparmor_profiles: ['docker-default'] });
  assertAllowed(create(apparmor, hc({})), 'the default profile applies');
  assertDenied(create(apparmor, hc({ SecurityOpt: ['apparmor=unconfined'] })), 403, key('allowed_apparmor_profiles'));
  assertDenied(create(cc({ allowed_apparmor_profiles: ['custom'] }), hc({})), 403, 'names no AppArmor profile');
});

test('hardening requirements', () => {
  const nnp = cc({ require_no_new_privileges: true });
  assertDenied(create(nnp, hc({})), 403, key('require_no_new_privileges'));
  assertAllowed(create(nnp, hc({ SecurityOpt: ['no-new-privileges:true'] })));
  assertAllowed(create(nnp, hc({ SecurityOpt: ['no-new-privileges'] })));
  assertDenied(create(nnp, hc({ SecurityOpt: ['no-new-privileges:true', 'no-new-privileges=false'] })), 403);
  const nonRoot = cc({ require_non_root_user: true });
  for (const user of ['', 'root', '0', '00', '+0', '-0', '0:0', 'root:x']) {
    assertDenied(create(nonRoot, { User: user }), 403, key('require_non_root_user'));
  }
  assertDenied(create(nonRoot, {}), 403, 'User "" runs as root');
  assertAllowed(create(nonRoot, { User: '1000:1000' }));
  const readonly = cc({ require_readonly_rootfs: true });
  assertDenied(create(readonly, hc({})), 403, key('require_readonly_rootfs'));
  assertAllowed(create(readonly, hc({ ReadonlyRootfs: true })));
  const dropAll = cc({ require_drop_all_capabilities: true });
  assertDenied(create(dropAll, hc({ CapDrop: ['NET_RAW'] })), 403, key('require_drop_all_capabilities'));
  assertAllowed(create(dropAll, hc({ CapDrop: 'all' })));
});

test('resource-limit requirements', () => {
  const all = cc({ require_memory_limit: true, require_cpu_limit: true, require_pids_limit: true });
  assertDenied(create(all, hc({})), 403, 'HostConfig.Memory', key('require_memory_limit'));
  assertDenied(create(all, hc({ Memory: 1 << 30 })), 403, key('require_cpu_limit'));
  assertDenied(create(all, hc({ Memory: 1 << 30, CpuShares: 512 })), 403, key('require_pids_limit'));
  assertDenied(create(all, hc({ Memory: 1 << 30, CpuShares: 512, PidsLimit: -1 })), 403, key('require_pids_limit'));
  assertAllowed(create(all, hc({ Memory: 1 << 30, CpuShares: 512, PidsLimit: 100 })));
  const hard = cc({ require_cpu_limit_hard: true });
  assertDenied(create(hard, hc({ CpuShares: 512, CpuPeriod: 100000 })), 403, key('require_cpu_limit_hard'));
  assertAllowed(create(hard, hc({ CpuQuota: 50000 })));
  assertAllowed(create(hard, hc({ NanoCpus: 500000000 })));
});

test('required labels must be present and non-empty; label keys are case-sensitive', () => {
  const policy = cc({ required_labels: ['com.example.team'] });
  assertAllowed(create(policy, { Labels: { 'com.example.team': 'a' } }));
  assertDenied(
    create(policy, { Labels: { 'com.example.team': ' ' } }),
    403,
    'Labels["com.example.team"]',
    key('required_labels'),
  );
  assertDenied(create(policy, { Labels: { 'COM.EXAMPLE.TEAM': 'a' } }), 403);
  assertAllowed(create(policy, { labels: { 'com.example.team': 'a' } }), 'the Labels key itself folds');
});

test('image_trust in enforce mode fails closed (signatures are not verified here)', () => {
  assertDenied(create(cc({ image_trust: { mode: 'enforce' } }), { Image: 'alpine' }), 403, key('image_trust.mode'));
  assertAllowed(create(cc({ image_trust: { mode: 'warn' } }), { Image: 'alpine' }));
});

test('a profile block gets no defaults: allow_aliases is false unless written (§8.1)', () => {
  const body = { NetworkingConfig: { EndpointsConfig: { n: { Aliases: ['web'] } } } };
  assertAllowed(create({}, body), 'root default allow_aliases: true');
  const profile = compileBodyPolicy({}, { keyPrefix: 'clients.profiles[0].request_body' });
  assertDenied(
    judge(profile, 'POST', '/containers/create', body),
    403,
    'clients.profiles[0].request_body.network.endpoint_config.allow_aliases',
  );
});
