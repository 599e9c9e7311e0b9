import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSpec } from '../../src/compose/port-spec.js';

const SPECS: [string, ReturnType<typeof parsePortSpec>][] = [
  ['2375', [{ target: 2375, protocol: 'tcp' }]],
  ['2375:2375', [{ published: '2375', target: 2375, protocol: 'tcp' }]],
  ['127.0.0.1:2375:2375', [{ hostIp: '127.0.0.1', published: '2375', target: 2375, protocol: 'tcp' }]],
  ['127.0.0.1::2375', [{ hostIp: '127.0.0.1', target: 2375, protocol: 'tcp' }]],
  ['443:443/udp', [{ published: '443', target: 443, protocol: 'udp' }]],
  ['80:80/TCP', [{ published: '80', target: 80, protocol: 'tcp' }]],
  ['53/sctp', [{ target: 53, protocol: 'sctp' }]],
  ['[::1]:2375:2375', [{ hostIp: '::1', published: '2375', target: 2375, protocol: 'tcp' }]],
  ['::1:2375:2375', [{ hostIp: '::1', published: '2375', target: 2375, protocol: 'tcp' }]],
  [
    '8000-8001:9000-9001',
    [
      { published: '8000', target: 9000, protocol: 'tcp' },
      { published: '8001', target: 9001, protocol: 'tcp' },
    ],
  ],
  ['8000-8010:80', [{ published: '8000-8010', target: 80, protocol: 'tcp' }]],
  ['8000-8001:80-82', { error: 'port ranges "8000-8001" and "80-82" differ in length' }],
  ['localhost:2375:2375', { error: 'invalid host IP address "localhost"' }],
  ['256.0.0.1:1:1', { error: 'invalid host IP address "256.0.0.1"' }],
  ['80/http', { error: 'invalid protocol "http"' }],
  ['x:80', { error: 'invalid published port "x"' }],
  ['70000', { error: 'invalid container port "70000"' }],
  ['', { error: 'invalid container port ""' }],
];

test('parsePortSpec: compose short port syntax', () => {
  for (const [spec, expected] of SPECS) assert.deepEqual(parsePortSpec(spec), expected, spec);
});
