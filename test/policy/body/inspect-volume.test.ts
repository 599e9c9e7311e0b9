import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.volume.${field}`;
const create = (policy: RequestBodyDocument, body: object) =>
  judge(rootPolicy(policy), 'POST', '/volumes/create', body);

test('a plain local volume passes (what `docker volume create data` sends)', () => {
  assertAllowed(create({}, { Driver: 'local', Name: 'data' }));
  assertAllowed(create({}, { Name: 'data' }));
  assertAllowed(create({}, { Driver: 'local', DriverOpts: {} }));
});

test('volume plugins and CSI cluster volumes need allow_custom_drivers', () => {
  assertDenied(create({}, { Driver: 'rexray/ebs' }), 403, 'Driver is "rexray/ebs"', key('allow_custom_drivers'));
  assertDenied(create({}, { ClusterVolumeSpec: { Group: 'g' } }), 403, key('allow_custom_drivers'));
  assertAllowed(create({ volume: { allow_custom_drivers: true } }, { Driver: 'rexray/ebs' }));
});

test('driver options need allow_driver_opts', () => {
  assertDenied(create({}, { DriverOpts: { size: '1G' } }), 403, 'DriverOpts is set', key('allow_driver_opts'));
  assertAllowed(
    create({ volume: { allow_driver_opts: true } }, { DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=100m' } }),
  );
  assertAllowed(
    create(
      { volume: { allow_driver_opts: true } },
      { DriverOpts: { type: 'nfs', o: 'addr=10.0.0.1,rw', device: ':/exports' } },
    ),
  );
});

test('a local bind or host disk behind allowed options is still held to container_create.allowed_bind_mounts', () => {
  const opts: RequestBodyDocument = { volume: { allow_driver_opts: true } };
  for (const options of [
    { type: 'none', o: 'bind', device: '/' },
    { Type: 'none', O: 'rbind,ro', Device: '/etc' },
    { type: 'ext4', device: '/dev/sda1' },
    { type: 'btrfs', o: 'device=/dev/sdb', device: '/dev/sdc' },
  ]) {
    assertDenied(
      create(opts, { DriverOpts: options }),
      403,
      'mount host path',
      'request_body.container_create.allowed_bind_mounts',
    );
  }
  const srv: RequestBodyDocument = {
    volume: { allow_driver_opts: true },
    container_create: { allowed_bind_mounts: ['/srv'] },
  };
  assertAllowed(create(srv, { DriverOpts: { type: 'none', o: 'bind', device: '/srv/data' } }));
  assertDenied(create(srv, { DriverOpts: { type: 'none', o: 'bind', device: '/srv/../etc' } }), 403, '"/etc"');
  assertAllowed(
    create(srv, { DriverOpts: { type: 'nfs', o: 'addr=bind.example.com', device: ':/x' } }),
    '"bind" inside a value is not the bind option',
  );
});
