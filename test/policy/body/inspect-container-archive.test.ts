import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';
import { paxRecords, tar, type TarSpec } from './tar-builder.js';

const key = (field: string) => `request_body.container_archive.${field}`;
const put = (policy: RequestBodyDocument, path: string, ...entries: TarSpec[]) =>
  judge(rootPolicy(policy), 'PUT', `/v1.45/containers/web/archive?path=${encodeURIComponent(path)}`, tar(...entries), {
    'content-type': 'application/x-tar',
  });

test('a plain docker cp upload passes', () => {
  assertAllowed(
    put({}, '/tmp', { name: 'app/', type: '5' }, { name: 'app/config.yml', content: 'a: 1' }, { name: './x' }),
  );
});

test('allowed_paths bounds the target directory on path boundaries', () => {
  const policy: RequestBodyDocument = { container_archive: { allowed_paths: ['/srv/uploads', 'tmp/'] } };
  assertAllowed(put(policy, '/srv/uploads', { name: 'f' }));
  assertAllowed(put(policy, '/srv/uploads/sub/', { name: 'f' }));
  assertAllowed(put(policy, '/tmp', { name: 'f' }));
  assertDenied(put(policy, '/srv/uploads2', { name: 'f' }), 403, 'query path "/srv/uploads2"', key('allowed_paths'));
  assertDenied(put(policy, '/srv/uploads/../../etc', { name: 'f' }), 403, key('allowed_paths'));
  assertDenied(put(policy, '/etc', { name: 'f' }), 403, key('allowed_paths'));
  assertDenied(put({}, '../../x', { name: 'f' }), 403, 'climbs above the container root');
});

test('entries must stay inside the archive', () => {
  for (const name of ['../escape', 'a/../../escape', '/etc/passwd']) {
    assertDenied(put({ container_archive: { allow_escaping_links: true } }, '/tmp', { name }), 403, 'always denied');
  }
});

test('set-id bits, device nodes and escaping links need their flags', () => {
  assertDenied(put({}, '/tmp', { name: 'sh', mode: 0o4755 }), 403, 'setuid/setgid', key('allow_setid'));
  assertDenied(put({}, '/tmp', { name: 'sg', mode: 0o2755 }), 403, key('allow_setid'));
  assertAllowed(put({ container_archive: { allow_setid: true } }, '/tmp', { name: 'sh', mode: 0o4755 }));
  assertDenied(put({}, '/tmp', { name: 'sda', type: '4' }), 403, 'device node', key('allow_device_nodes'));
  assertDenied(put({}, '/tmp', { name: 'mem', type: '3' }), 403, key('allow_device_nodes'));
  assertAllowed(put({ container_archive: { allow_device_nodes: true } }, '/tmp', { name: 'mem', type: '3' }));
  const links: TarSpec[] = [
    { name: 'abs', type: '2', linkname: '/etc' },
    { name: 'up', type: '2', linkname: '../..' },
    { name: 'd/up', type: '2', linkname: '../../x' },
    { name: 'hard', type: '1', linkname: '../etc/shadow' },
  ];
  for (const link of links) {
    assertDenied(put({}, '/tmp', link), 403, 'outside the archive', key('allow_escaping_links'));
    assertAllowed(put({ container_archive: { allow_escaping_links: true } }, '/tmp', link));
  }
  assertAllowed(
    put({}, '/tmp', { name: 'd/in', type: '2', linkname: '../f' }, { name: 'h', type: '1', linkname: 'd/in' }),
  );
});

test('PAX and GNU long names are judged, not the truncated header name', () => {
  assertDenied(
    put(
      {},
      '/tmp',
      { name: 'PaxHeaders/x', type: 'x', content: paxRecords({ path: '../../escape' }) },
      { name: 'innocent' },
    ),
    403,
    '"../../escape"',
  );
});

test('archives that cannot be read are refused', () => {
  const body = gzipSync(tar({ name: 'f' }));
  assertDenied(
    judge(rootPolicy(), 'PUT', '/containers/web/archive?path=/tmp', new Uint8Array(body)),
    403,
    'gzip-compressed',
  );
  assertDenied(
    judge(rootPolicy(), 'PUT', '/containers/web/archive?path=/tmp', new Uint8Array(700).fill(0x41)),
    400,
    'not a readable tar',
  );
  assertDenied(
    judge(rootPolicy(), 'PUT', '/containers/web/archive?path=/tmp', tar({ name: 'x', badChecksum: true })),
    400,
    'checksum',
  );
  assertAllowed(judge(rootPolicy(), 'PUT', '/containers/web/archive?path=/tmp', new Uint8Array()));
});

test('entries written through a symlink of the same archive need allow_escaping_links', () => {
  const through: TarSpec[] = [
    { name: 'd', type: '2', linkname: 'sub' },
    { name: 'd/x', content: 'y' },
  ];
  assertDenied(
    put({}, '/tmp', ...through),
    403,
    '"d/x" is written through the symlink "d"',
    key('allow_escaping_links'),
  );
  assertAllowed(put({ container_archive: { allow_escaping_links: true } }, '/tmp', ...through));
});
