import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';
import { tar } from './tar-builder.js';

const key = (field: string) => `request_body.plugin.${field}`;
const plug = (fields: NonNullable<RequestBodyDocument['plugin']>, blind = false) =>
  rootPolicy({ plugin: fields }, { insecureAllowBodyBlindWrites: blind });
const privilege = (Name: string, ...Value: string[]) => ({ Name, Description: '', Value });

test('plugin pull: remote registry and accepted privileges', () => {
  const pull = (policy: ReturnType<typeof rootPolicy>, query: string, body: object[]) =>
    judge(policy, 'POST', `/plugins/pull?${query}`, body);
  assertAllowed(pull(rootPolicy(), 'remote=sshfs:latest&name=sshfs', []));
  assertDenied(
    pull(rootPolicy(), 'remote=vieux/sshfs:latest', []),
    403,
    'registry "docker.io"',
    key('allowed_registries'),
  );
  assertDenied(pull(rootPolicy({ plugin: { allow_official: false } }), 'remote=sshfs', []), 403, key('allow_official'));
  assertDenied(
    pull(rootPolicy(), 'remote=evil.com/p', []),
    403,
    'query remote "evil.com/p"',
    key('allowed_registries'),
  );
  const cases: [object, string, NonNullable<RequestBodyDocument['plugin']>][] = [
    [privilege('network', 'host'), 'allow_host_network', { allow_host_network: true }],
    [privilege('host pid namespace', 'true'), 'allow_host_pid', { allow_host_pid: true }],
    [privilege('host ipc namespace', 'true'), 'allow_host_ipc', { allow_host_ipc: true }],
    [privilege('allow-all-devices', 'true'), 'allow_all_devices', { allow_all_devices: true }],
    [
      privilege('mount', '/var/lib/docker/plugins/'),
      'allowed_bind_mounts',
      { allowed_bind_mounts: ['/var/lib/docker'] },
    ],
    [privilege('device', '/dev/fuse'), 'allowed_devices', { allowed_devices: ['/dev/fuse'] }],
    [privilege('capabilities', 'CAP_SYS_ADMIN'), 'allowed_capabilities', { allowed_capabilities: ['SYS_ADMIN'] }],
  ];
  for (const [body, flag, admitting] of cases) {
    assertDenied(pull(rootPolicy(), 'remote=alpine', [body]), 403, key(flag));
    assertAllowed(pull(plug({ ...admitting, allow_official: true }), 'remote=alpine', [body]));
  }
  assertDenied(
    pull(plug({ allow_all_registries: true }), 'remote=x', [privilege('something new', 'x')]),
    403,
    'always denied',
  );
  assertAllowed(pull(rootPolicy(), 'remote=alpine', [privilege('network', 'bridge')]));
  assertDenied(judge(rootPolicy(), 'POST', '/plugins/p/upgrade?remote=evil.com/p', []), 403, 'evil.com');
});

test('plugin set: mounts, devices and env prefixes', () => {
  const set = (policy: ReturnType<typeof rootPolicy>, body: string[]) => judge(policy, 'POST', '/plugins/p/set', body);
  assertDenied(
    set(rootPolicy(), ['DEBUG=1']),
    403,
    key('allowed_set_env_prefixes'),
    'insecure_allow_body_blind_writes',
  );
  assertAllowed(set(rootPolicy({}, { insecureAllowBodyBlindWrites: true }), ['DEBUG=1']));
  const prefixed = plug({ allowed_set_env_prefixes: ['DEBUG='], allowed_bind_mounts: ['/srv'] });
  assertAllowed(set(prefixed, ['DEBUG=1', 'data.source=/srv/x']));
  assertDenied(set(prefixed, ['LD_PRELOAD=/x.so']), 403, key('allowed_set_env_prefixes'));
  assertDenied(set(prefixed, ['data.source=/srv/../etc']), 403, '"/etc"', key('allowed_bind_mounts'));
  assertDenied(set(prefixed, ['dev.path=/dev/sda']), 403, key('allowed_devices'));
  assertDenied(set(prefixed, ['novalue']), 403, 'KEY=VALUE');
});

test('plugin create: config.json inside the archive', () => {
  const create = (policy: ReturnType<typeof rootPolicy>, config: object | string) =>
    judge(
      policy,
      'POST',
      '/plugins/create?name=p',
      tar(
        { name: 'config.json', content: typeof config === 'string' ? config : JSON.stringify(config) },
        { name: 'rootfs/', type: '5' },
      ),
    );
  assertAllowed(create(rootPolicy(), { Description: 'x', Network: { Type: 'bridge' }, Linux: { Capabilities: [] } }));
  assertDenied(create(rootPolicy(), { Network: { Type: 'host' } }), 403, key('allow_host_network'));
  assertDenied(create(rootPolicy(), { PidHost: true }), 403, key('allow_host_pid'));
  assertDenied(create(rootPolicy(), { IpcHost: true }), 403, key('allow_host_ipc'));
  assertDenied(create(rootPolicy(), { PropagatedMount: '/mnt' }), 403, key('allowed_bind_mounts'));
  assertDenied(create(rootPolicy(), { Mounts: [{ Source: '/', Type: 'bind' }] }), 403, 'Mounts[0].Source');
  assertDenied(create(rootPolicy(), { Linux: { Capabilities: ['CAP_SYS_ADMIN'] } }), 403, key('allowed_capabilities'));
  assertDenied(create(rootPolicy(), { Linux: { AllowAllDevices: true } }), 403, key('allow_all_devices'));
  assertDenied(create(rootPolicy(), { Linux: { Devices: [{ Path: '/dev/sda' }] } }), 403, key('allowed_devices'));
  assertDenied(create(rootPolicy(), '{"linux":{"capabilities":["SYS_MODULE"]}}'), 403, 'SYS_MODULE');
  assertDenied(
    judge(rootPolicy(), 'POST', '/plugins/create', tar({ name: 'rootfs/', type: '5' })),
    403,
    '0 config.json',
  );
  assertDenied(
    judge(
      rootPolicy(),
      'POST',
      '/plugins/create',
      tar({ name: 'config.json', content: '{}' }, { name: './config.json', content: '{}' }),
    ),
    403,
    '2 config.json',
  );
});

test('a plugin config.json written through a symlink is refused', () => {
  const body = tar(
    { name: 'config.json', content: '{}' },
    { name: 'c', type: '2', linkname: '.' },
    { name: 'c/config.json', content: '{"PidHost":true}' },
  );
  assertDenied(judge(rootPolicy(), 'POST', '/plugins/create', body), 403, 'written through the symlink "c"');
});
