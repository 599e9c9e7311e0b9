import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.container_update.${field}`;
const update = (policy: RequestBodyDocument, body: object | string) =>
  judge(rootPolicy(policy), 'POST', '/v1.45/containers/web/update', body);
const upd = (fields: NonNullable<RequestBodyDocument['container_update']>): RequestBodyDocument => ({
  container_update: fields,
});

test('an empty update passes; every field family needs its flag', () => {
  assertAllowed(update({}, {}));
  const cases: [object, string, NonNullable<RequestBodyDocument['container_update']>][] = [
    [{ Memory: 1 << 30 }, 'allow_resource_updates', { allow_resource_updates: true }],
    [{ PidsLimit: 100 }, 'allow_resource_updates', { allow_resource_updates: true }],
    [{ BlkioWeight: 300 }, 'allow_resource_updates', { allow_resource_updates: true }],
    [{ CpusetCpus: '0-1' }, 'allow_resource_updates', { allow_resource_updates: true }],
    [{ RestartPolicy: { Name: 'always' } }, 'allow_restart_policy', { allow_restart_policy: true }],
    [{ Devices: [{ PathOnHost: '/dev/sda' }] }, 'allow_all_devices', { allow_all_devices: true }],
    [{ DeviceRequests: [{ Driver: 'nvidia' }] }, 'allow_all_devices', { allow_all_devices: true }],
    [{ Privileged: true }, 'allow_privileged', { allow_privileged: true }],
    [{ CapAdd: ['SYS_ADMIN'] }, 'allow_capabilities', { allow_capabilities: true }],
    [{ SecurityOpt: ['seccomp=unconfined'] }, 'allow_capabilities', { allow_capabilities: true }],
  ];
  for (const [body, flag, admitting] of cases) {
    assertDenied(update({}, body), 403, key(flag));
    assertAllowed(update(upd(admitting), body));
  }
  assertDenied(update({}, '{"memory":1073741824}'), 403, 'Memory is set');
});

test('require_* limits judge values that lift a limit once resource updates are allowed', () => {
  const policy = upd({
    allow_resource_updates: true,
    require_memory_limit: true,
    require_pids_limit: true,
    require_cpu_limit_hard: true,
  });
  assertAllowed(update(policy, { Memory: 1 << 29, PidsLimit: 50, CpuQuota: 50000 }));
  assertAllowed(update(policy, { Memory: 0 }), 'zero leaves the limit unchanged');
  assertDenied(update(policy, { Memory: -1 }), 403, 'Memory removes the limit', key('require_memory_limit'));
  assertDenied(update(policy, { PidsLimit: 0 }), 403, key('require_pids_limit'));
  assertDenied(update(policy, { PidsLimit: -1 }), 403, key('require_pids_limit'));
  assertDenied(update(policy, { CpuQuota: -1 }), 403, key('require_cpu_limit_hard'));
  assertAllowed(update(upd({ allow_resource_updates: true }), { Memory: -1, PidsLimit: -1 }));
});
