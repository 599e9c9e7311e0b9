/** Upstream selection (upstream.socket vs DOCKER_HOST=tcp://) and forwarding over TCP. */
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { resolveUpstream, Upstream, UPSTREAM_HIGH_WATER_MARK, UpstreamConfigError } from '../../src/proxy/upstream.js';
import { ALLOW_ALL_GETS, compileYaml, request } from './fixture.js';
import { startProxy } from '../../src/proxy/serve.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('resolveUpstream', () => {
  const files: Record<string, string> = { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' };
  const read = (file: string) => {
    if (!(file in files)) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return Buffer.from(files[file]!);
  };

  it('uses upstream.socket without DOCKER_HOST, and ignores non-tcp DOCKER_HOST values (with a note)', () => {
    assert.deepEqual(resolveUpstream('/run/docker.sock', {}, read), {
      target: { kind: 'unix', socketPath: '/run/docker.sock' },
      notes: [],
    });
    const unix = resolveUpstream('/run/docker.sock', { DOCKER_HOST: 'unix:///other.sock' }, read);
    assert.deepEqual(unix.target, { kind: 'unix', socketPath: '/run/docker.sock' });
    assert.match(unix.notes[0]!, /ignored/);
  });

  it('takes a tcp:// DOCKER_HOST over upstream.socket, with TLS from DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
    assert.deepEqual(resolveUpstream('/s', { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, read).target, {
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2375,
    });
    const secured = resolveUpstream(
      '/s',
      { DOCKER_HOST: 'tcp://[fd00::1]', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      read,
    );
    assert.equal(secured.target.kind, 'tcp');
    if (secured.target.kind === 'tcp') {
      assert.equal(secured.target.host, 'fd00::1');
      assert.equal(secured.target.port, 2376);
      assert.equal(secured.target.tls?.ca.toString(), 'CA');
    }
  });

  it('fails clearly on a bad address or unreadable certificates', () => {
    assert.throws(() => resolveUpstream('/s', { DOCKER_HOST: 'tcp://host:99999' }, read), UpstreamConfigError);
    assert.throws(
      () =>
        resolveUpstream('/s', { DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nowhere' }, read),
      /\/nowhere\/ca\.pem cannot be read/,
    );
  });
});

describe('a TCP upstream', () => {
  it('forwards over a keep-alive TCP connection', async () => {
    const seen: string[] = [];
    const daemon = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end('OK');
    });
    await new Promise<void>((resolve) => daemon.listen(0, '127.0.0.1', resolve));
    const port = (daemon.address() as { port: number }).port;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgtcp-'));
    const compiled = compileYaml(ALLOW_ALL_GETS);
    compiled.policy.listen.socket = path.join(dir, 'p.sock');
    const proxy = await startProxy({ compiled, upstream: { kind: 'tcp', host: '127.0.0.1', port } });
    try {
      assert.equal((await request(path.join(dir, 'p.sock'), 'GET', '/_ping')).body, 'OK');
      assert.deepEqual(seen, ['GET /_ping']);
    } finally {
      await proxy.shutdown(100);
      daemon.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Upstream.request', () => {
  it('reads daemon connections with a high-water mark above one 64 KiB socket read, pooled or dedicated', async () => {
    assert.ok(UPSTREAM_HIGH_WATER_MARK > 64 * 1024);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sghwm-'));
    const socketPath = path.join(dir, 'd.sock');
    const daemon = http.createServer((_req, res) => res.end('OK'));
    await new Promise<void>((resolve) => daemon.listen(socketPath, resolve));
    const upstream = new Upstream({ kind: 'unix', socketPath });
    try {
      for (const dedicated of [false, true]) {
        const marks = await new Promise<number[]>((resolve, reject) => {
          const req = upstream.request({ method: 'GET', path: '/_ping', headers: ['Host', 'docker'], dedicated });
          req.on('response', (res) => {
            res.resume();
            resolve([res.readableHighWaterMark, res.socket.readableHighWaterMark, res.socket.writableHighWaterMark]);
          });
          req.on('error', reject);
          req.end();
        });
        assert.deepEqual(marks, [UPSTREAM_HIGH_WATER_MARK, UPSTREAM_HIGH_WATER_MARK, UPSTREAM_HIGH_WATER_MARK]);
      }
    } finally {
      upstream.close();
      daemon.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
