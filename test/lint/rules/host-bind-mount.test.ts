import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

const policy = (entries: readonly string[], extra = '') =>
  [
    extra,
    'request_body:',
    '  container_create:',
    `    allowed_bind_mounts: ${JSON.stringify(entries)}`,
    'rules:',
    '  - match: { method: POST, path: /containers/create }',
    '    action: allow',
  ].join('\n');

const flagged = (entries: readonly string[], extra?: string) =>
  lintPolicyText(policy(entries, extra))
    .filter((d) => d.code === 'exposure/host-bind-mount')
    .map((d) => entries[Number(d.pointer.split('/').at(-1))]);

test('host-bind-mount: /, ancestors of the socket and system directories, cleaned first', () => {
  const entries = [
    '/',
    '//',
    '/var',
    '/var/run',
    '/var/run/',
    '/run',
    '/var/run/docker.sock',
    '/srv/../etc',
    '/root',
    '/usr',
    '/proc',
    '/sys/',
    '/dev',
  ];
  assert.deepEqual(flagged(entries), entries);
});

test('host-bind-mount: data directories, paths inside system directories and look-alikes pass', () => {
  assert.deepEqual(
    flagged([
      '/srv/data',
      '/etc/ssl/certs',
      '/etc/localtime',
      '/var/runner',
      '/runtime',
      '/rootfs',
      '/devices',
      'etc',
      '/home/app',
    ]),
    [],
  );
});

test('host-bind-mount: a custom upstream socket moves the danger with it', () => {
  const extra = 'upstream:\n  socket: /opt/docker/docker.sock';
  assert.deepEqual(flagged(['/opt', '/opt/docker', '/opt/app'], extra), ['/opt', '/opt/docker']);
});
