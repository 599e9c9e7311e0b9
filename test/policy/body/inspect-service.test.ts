import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.service.${field}`;
const svc = (fields: NonNullable<RequestBodyDocument['service']>): RequestBodyDocument => ({ service: fields });
const spec = (containerSpec: object, task: object = {}, top: object = {}) => ({
  Name: 'web',
  TaskTemplate: { ContainerSpec: { Image: 'nginx:1.27', ...containerSpec }, ...task },
  ...top,
});
const create = (policy: RequestBodyDocument, body: object | string) =>
  judge(rootPolicy(policy), 'POST', '/v1.45/services/create', body);

test('a plain service passes; update uses the same inspector', () => {
  assertAllowed(create({}, spec({})));
  assertDenied(
    judge(rootPolicy(), 'POST', '/services/abc/update?version=3', spec({ Image: 'evil.com/x' })),
    403,
    'evil.com',
  );
});

test('host networking is checked in TaskTemplate.Networks and the deprecated top-level Networks (#332)', () => {
  assertDenied(
    create({}, spec({}, { Networks: [{ Target: 'host' }] })),
    403,
    'TaskTemplate.Networks[0].Target is "host"',
    key('allow_host_network'),
  );
  assertDenied(create({}, spec({}, {}, { Networks: [{ Target: 'HOST' }] })), 403, 'Networks[0].Target');
  assertAllowed(create(svc({ allow_host_network: true }), spec({}, { Networks: [{ Target: 'host' }] })));
});

test('bind mounts and local-driver volumes are held to allowed_bind_mounts', () => {
  const bind = spec({ Mounts: [{ Type: 'bind', Source: '/var/run/docker.sock', Target: '/s' }] });
  assertDenied(create({}, bind), 403, 'TaskTemplate.ContainerSpec.Mounts[0].Source', key('allowed_bind_mounts'));
  assertAllowed(create(svc({ allowed_bind_mounts: ['/var/run/docker.sock'] }), bind));
  const volume = spec({
    Mounts: [
      {
        Type: 'volume',
        Source: 'v',
        Target: '/v',
        VolumeOptions: { DriverConfig: { Name: 'local', Options: { type: 'none', o: 'bind', device: '/etc' } } },
      },
    ],
  });
  assertDenied(create({}, volume), 403, 'local driver mount host path "/etc"');
  assertAllowed(create({}, spec({ Mounts: [{ Type: 'volume', Source: 'data', Target: '/d' }] })));
});

test('image registries follow the service allowlist', () => {
  assertAllowed(create({}, spec({ Image: 'nginx@sha256:' + 'a'.repeat(64) })));
  assertDenied(
    create({}, spec({ Image: 'ghcr.io/a/b:1' })),
    403,
    'TaskTemplate.ContainerSpec.Image "ghcr.io/a/b:1"',
    key('allowed_registries'),
  );
  assertAllowed(create(svc({ allowed_registries: ['ghcr.io'] }), spec({ Image: 'ghcr.io/a/b:1' })));
});

test('capabilities, sysctls and hardening rails', () => {
  assertDenied(
    create({}, spec({ CapabilityAdd: ['CAP_NET_ADMIN'] })),
    403,
    'CapabilityAdd adds NET_ADMIN',
    key('allowed_capabilities'),
  );
  assertAllowed(create(svc({ allowed_capabilities: ['net_admin'] }), spec({ CapabilityAdd: ['CAP_NET_ADMIN'] })));
  assertDenied(create({}, spec({ Sysctls: { 'net.core.somaxconn': '1024' } })), 403, key('allow_sysctls'));
  const rails = svc({
    require_non_root_user: true,
    require_no_new_privileges: true,
    require_readonly_rootfs: true,
    require_drop_all_capabilities: true,
  });
  const hardened = { User: '1000', ReadOnly: true, CapabilityDrop: ['ALL'], Privileges: { NoNewPrivileges: true } };
  assertAllowed(create(rails, spec(hardened)));
  assertDenied(create(rails, spec({ ...hardened, User: '0' })), 403, key('require_non_root_user'));
  assertDenied(create(rails, spec({ ...hardened, ReadOnly: false })), 403, key('require_readonly_rootfs'));
  assertDenied(create(rails, spec({ ...hardened, CapabilityDrop: [] })), 403, key('require_drop_all_capabilities'));
  assertDenied(create(rails, spec({ ...hardened, Privileges: {} })), 403, key('require_no_new_privileges'));
});

test('seccomp, AppArmor and SELinux modes', () => {
  const deny = svc({
    deny_unconfined_seccomp: true,
    deny_custom_seccomp_profiles: true,
    deny_unconfined_apparmor: true,
    deny_selinux_disable: true,
    deny_selinux_label_override: true,
  });
  const privileges = (p: object) => spec({ Privileges: p });
  assertAllowed(create(deny, privileges({ Seccomp: { Mode: 'default' }, AppArmor: { Mode: 'default' } })));
  assertDenied(create(deny, privileges({ Seccomp: { Mode: 'unconfined' } })), 403, key('deny_unconfined_seccomp'));
  assertDenied(
    create(deny, privileges({ Seccomp: { Mode: 'custom', Profile: 'e30=' } })),
    403,
    key('deny_custom_seccomp_profiles'),
  );
  assertDenied(create(deny, privileges({ Seccomp: { Profile: 'e30=' } })), 403, key('deny_custom_seccomp_profiles'));
  assertDenied(create(deny, privileges({ AppArmor: { Mode: 'disabled' } })), 403, key('deny_unconfined_apparmor'));
  assertDenied(create(deny, privileges({ SELinuxContext: { Disable: true } })), 403, key('deny_selinux_disable'));
  assertDenied(
    create(deny, privileges({ SELinuxContext: { Type: 'spc_t' } })),
    403,
    'SELinuxContext.Type',
    key('deny_selinux_label_override'),
  );
  assertAllowed(create({}, privileges({ Seccomp: { Mode: 'unconfined' }, SELinuxContext: { Disable: true } })));
});

test('CPU limit requirements read TaskTemplate.Resources', () => {
  const soft = svc({ require_cpu_limit: true });
  assertDenied(create(soft, spec({})), 403, key('require_cpu_limit'));
  assertAllowed(create(soft, spec({}, { Resources: { Reservations: { NanoCPUs: 500000000 } } })));
  const hard = svc({ require_cpu_limit_hard: true });
  assertDenied(
    create(hard, spec({}, { Resources: { Reservations: { NanoCPUs: 500000000 } } })),
    403,
    key('require_cpu_limit_hard'),
  );
  assertAllowed(create(hard, spec({}, { Resources: { Limits: { NanoCPUs: 500000000 } } })));
});

test('plugin-installing tasks are always denied', () => {
  const open = svc({ allow_all_registries: true, allow_host_network: true });
  assertDenied(
    create(open, { TaskTemplate: { Runtime: 'plugin', PluginSpec: { Name: 'x', Remote: 'evil.com/p' } } }),
    403,
    'always denied',
  );
  assertDenied(create(open, { TaskTemplate: { PluginSpec: { Name: 'x' } } }), 403, 'always denied');
});

test('case-folded and duplicated service keys', () => {
  assertDenied(create({}, '{"tasktemplate":{"containerspec":{"image":"evil.com/x"}}}'), 403, 'evil.com');
  assertDenied(
    create({}, '{"TaskTemplate":{"Networks":[]},"TaskTemplate":{"Networks":[{"Target":"host"}]}}'),
    400,
    'duplicate key',
  );
});
