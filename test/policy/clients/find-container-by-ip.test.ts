import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerListError, findContainerByIp } from '../../../src/policy/clients/find-container-by-ip.js';

const container = (
  id: string,
  networks: Record<string, unknown>,
  labels: unknown = {},
  names: unknown = [`/${id}-name`],
) => ({
  Id: id,
  Names: names,
  Labels: labels,
  NetworkSettings: { Networks: networks },
});

const LIST = [
  container(
    'aaa',
    { bridge: { IPAddress: '172.17.0.2', GlobalIPv6Address: '' } },
    { 'com.sockguard.allow.get': '/_ping' },
  ),
  container('bbb', { front: { IPAddress: '172.18.0.3' }, back: { IPAddress: '', GlobalIPv6Address: 'fd00::3' } }, null),
  container('ccc', { host: {} }),
  container('ddd', { bridge: { IPAddress: '172.17.0.2' } }),
];

test('findContainerByIp: the first container with a network address equal to the client address', () => {
  const cases: [string, string | undefined][] = [
    ['172.17.0.2', 'aaa'],
    ['::ffff:172.17.0.2', 'aaa'],
    ['172.18.0.3', 'bbb'],
    ['fd00::3', 'bbb'],
    ['fd00:0:0:0:0:0:0:3', 'bbb'],
    ['172.17.0.9', undefined],
    ['', undefined],
  ];
  for (const [ip, id] of cases) assert.equal(findContainerByIp(LIST, ip)?.id, id, ip);
});

test('findContainerByIp: name without the slash, null labels as none', () => {
  assert.deepEqual(findContainerByIp(LIST, '172.17.0.2'), {
    id: 'aaa',
    name: 'aaa-name',
    labels: { 'com.sockguard.allow.get': '/_ping' },
  });
  assert.deepEqual(findContainerByIp(LIST, '172.18.0.3')?.labels, {});
  assert.equal(findContainerByIp([container('x', { n: { IPAddress: '10.0.0.1' } }, {}, null)], '10.0.0.1')?.name, '');
  assert.equal(findContainerByIp([{ Id: 'x' }], '10.0.0.1'), undefined);
  // JSON null inside Names and Labels reads as "" (Go's decoding), so an ACL label with a null value is empty.
  assert.deepEqual(
    findContainerByIp(
      [container('x', { n: { IPAddress: '10.0.0.1' } }, { 'com.sockguard.allow.get': null }, [null])],
      '10.0.0.1',
    ),
    { id: 'x', name: '', labels: { 'com.sockguard.allow.get': '' } },
  );
});

test('findContainerByIp: a garbled list is an error, not "no container" (which would skip the ACL)', () => {
  const cases: unknown[] = [
    {},
    null,
    'x',
    [null],
    [[]],
    [container('a', { n: { IPAddress: 5 } })],
    [{ Id: 'a', Labels: { k: 1 } }],
    [{ Id: 'a', Labels: ['k'] }],
    [{ Id: 7 }],
    [{ Id: 'a', Names: '/a' }],
    [{ Id: 'a', NetworkSettings: [] }],
    [{ Id: 'a', NetworkSettings: { Networks: { n: 'x' } } }],
    // A bad entry after the matching one still fails, as a whole-list decode does.
    [LIST[0], { Id: 'z', Labels: 'nope' }],
  ];
  for (const list of cases)
    assert.throws(() => findContainerByIp(list, '172.17.0.2'), ContainerListError, JSON.stringify(list));
});
