import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVolumeSpec, volumeTypeOf } from '../../src/compose/volume-spec.js';

const SPECS: [string, ReturnType<typeof parseVolumeSpec>][] = [
  [
    '/var/run/docker.sock:/var/run/docker.sock:ro',
    { type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true },
  ],
  [
    '/run/docker.sock:/run/docker.sock',
    { type: 'bind', source: '/run/docker.sock', target: '/run/docker.sock', readOnly: false },
  ],
  ['./config:/config', { type: 'bind', source: './config', target: '/config', readOnly: false }],
  ['~/data:/data:rw', { type: 'bind', source: '~/data', target: '/data', readOnly: false }],
  [
    'socket-proxy.run:/run/proxy',
    { type: 'volume', source: 'socket-proxy.run', target: '/run/proxy', readOnly: false },
  ],
  ['data:/data:ro,z', { type: 'volume', source: 'data', target: '/data', readOnly: true }],
  ['/s:/t:ro,rw', { type: 'bind', source: '/s', target: '/t', readOnly: false }],
  ['/s:/t:rw,ro', { type: 'bind', source: '/s', target: '/t', readOnly: true }],
  ['/s:/t:nocopy', { type: 'bind', source: '/s', target: '/t', readOnly: false }],
  ['/anonymous', { type: 'volume', target: '/anonymous', readOnly: false }],
  ['/t', { type: 'volume', target: '/t', readOnly: false }],
  ['C:\\data:/data:ro', { type: 'bind', source: 'C:\\data', target: '/data', readOnly: true }],
  [
    '\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine',
    { type: 'bind', source: '\\\\.\\pipe\\docker_engine', target: '\\\\.\\pipe\\docker_engine', readOnly: false },
  ],
  ['', { error: 'empty volume' }],
  ['/a::/b', { error: 'empty section between colons' }],
  ['/a:/b:ro:x', { error: 'too many colons' }],
];

test('parseVolumeSpec: compose short volume syntax', () => {
  for (const [spec, expected] of SPECS) assert.deepEqual(parseVolumeSpec(spec), expected, spec);
});

test('volumeTypeOf: host paths are binds, names are volumes', () => {
  assert.equal(volumeTypeOf('/x'), 'bind');
  assert.equal(volumeTypeOf('D:/x'), 'bind');
  assert.equal(volumeTypeOf('named'), 'volume');
  assert.equal(volumeTypeOf(undefined), 'volume');
});
