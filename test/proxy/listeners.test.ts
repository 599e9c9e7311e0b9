/** Listeners: unix socket permissions and ownership, TCP, mutual TLS 1.3 with certificate selectors. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bindListener, CLIENT_HIGH_WATER_MARK, ListenError, type ListenerSpec } from '../../src/proxy/listeners.js';
import { startProxy } from '../../src/proxy/serve.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, compileYaml, request } from './fixture.js';
import { makeCa, makeCert, type ClientCert } from './tls-certs.js';

const NOOP = () => ({ onRequest: () => undefined, onRawSocket: () => undefined, onClientError: () => undefined });

describe('unix socket listeners', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sglisten-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const spec = (name: string, extra: Partial<ListenerSpec> = {}): ListenerSpec => ({
    name: 'default',
    role: 'main',
    socket: path.join(dir, name),
    socketMode: '0600',
    ...extra,
  });

  it('gives client sockets a high-water mark above one 64 KiB daemon read, so relayed streams overlap', async () => {
    assert.ok(CLIENT_HIGH_WATER_MARK > 64 * 1024);
    const seen: number[] = [];
    const bound = await bindListener(spec('hwm.sock'), () => ({
      ...NOOP(),
      onRequest: (req, res) => {
        seen.push(req.socket.writableHighWaterMark, res.writableHighWaterMark, req.readableHighWaterMark);
        res.end();
      },
    }));
    try {
      await request(path.join(dir, 'hwm.sock'), 'GET', '/_ping');
      assert.deepEqual(seen, [CLIENT_HIGH_WATER_MARK, CLIENT_HIGH_WATER_MARK, CLIENT_HIGH_WATER_MARK]);
    } finally {
      await bound.close();
    }
  });

  it('creates the socket with mode 0600 by default, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      const bound = await bindListener(spec('a.sock'), NOOP);
      assert.equal(statSync(path.join(dir, 'a.sock')).mode & 0o777, 0o600);
      await bound.close();
    } finally {
      process.umask(previous);
    }
  });

  it('applies 0660 with the configured owner and group', async () => {
    const bound = await bindListener(spec('b.sock', { socketMode: '0660', socketUid: 1234, socketGid: 4321 }), NOOP);
    const stats = statSync(path.join(dir, 'b.sock'));
    assert.equal(stats.mode & 0o777, 0o660);
    assert.equal(stats.uid, 1234);
    assert.equal(stats.gid, 4321);
    await bound.close();
  });

  it('replaces a stale socket file, refuses a live socket and never deletes a regular file', async () => {
    const live = path.join(dir, 'live.sock');
    const other = net.createServer().listen(live);
    await new Promise((resolve) => other.once('listening', resolve));
    await assert.rejects(
      bindListener(spec('live.sock'), NOOP),
      (e: Error) => e instanceof ListenError && /in use/.test(e.message),
    );
    other.close();
    // A crashed process leaves its socket file behind with nobody listening.
    const stale = path.join(dir, 'stale.sock');
    spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    assert.equal(statSync(stale).isSocket(), true);
    const bound = await bindListener(spec('stale.sock'), NOOP);
    await bound.close();
    writeFileSync(path.join(dir, 'file.sock'), 'precious');
    await assert.rejects(bindListener(spec('file.sock'), NOOP), /is not a socket/);
    assert.equal(readFileSync(path.join(dir, 'file.sock'), 'utf8'), 'precious');
  });
});

describe('TCP and mutual TLS listeners', () => {
  let dir: string;
  let daemon: FakeDaemon;
  let ca: string;
  let server: ClientCert;
  let alice: ClientCert;
  let bob: ClientCert;
  let stranger: ClientCert;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sgtls-'));
    ({ caCert: ca } = makeCa(dir));
    server = makeCert(dir, 'server', 'proxy', 'DNS:localhost,IP:127.0.0.1', 'serverAuth');
    alice = makeCert(dir, 'alice', 'alice', 'DNS:alice.example,IP:::1,URI:spiffe://example/alice', 'clientAuth');
    bob = makeCert(dir, 'bob', 'bob', 'DNS:bob.example', 'clientAuth');
    const otherDir = mkdtempSync(path.join(dir, 'other-'));
    makeCa(otherDir);
    stranger = makeCert(otherDir, 'mallory', 'alice', 'DNS:alice.example', 'clientAuth');
    daemon = await startFakeDaemon();
  });
  after(async () => {
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function get(
    port: number,
    client: ClientCert | undefined,
    maxVersion: 'TLSv1.2' | 'TLSv1.3' = 'TLSv1.3',
  ): Promise<number | string> {
    return new Promise((resolve) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: '/_ping',
          ca: readFileSync(ca),
          maxVersion,
          ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      req.end();
    });
  }

  it('serves plain TCP on loopback', async () => {
    const compiled = compileYaml(ALLOW_ALL_GETS + 'listen:\n  address: 127.0.0.1:0\n');
    const proxy = await startProxy({ compiled, upstream: { kind: 'unix', socketPath: daemon.socketPath } });
    try {
      const port = Number(proxy.listeners[0]!.info.address.split(':').at(-1));
      const response = await new Promise<number>((resolve) => {
        net
          .connect({ host: '127.0.0.1', port }, function (this: net.Socket) {
            this.write('GET /_ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
            this.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().split(' ')[1])));
          })
          .on('error', () => resolve(0));
      });
      assert.equal(response, 200);
    } finally {
      await proxy.shutdown(100);
    }
  });

  it('requires a client certificate from the CA and applies the selectors (fields AND, entries OR)', async () => {
    const spki = createHash('sha256')
      .update(new X509Certificate(readFileSync(alice.cert)).publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    const yaml = `${ALLOW_ALL_GETS}listen:
  address: 0.0.0.0:0
  tls:
    cert_file: ${server.cert}
    key_file: ${server.key}
    client_ca_file: ${ca}
    common_names: [alice, carol]
    dns_names: [alice.example]
    ip_addresses: ["0:0::1"]
    uri_sans: ["spiffe://example/alice"]
    public_key_sha256_pins: ["sha256:${spki.toUpperCase()}"]
`;
    const proxy = await startProxy({
      compiled: compileYaml(yaml),
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
    });
    try {
      const port = Number(proxy.listeners[0]!.info.address.split(':').at(-1));
      assert.equal(proxy.listeners[0]!.info.tls, true);
      assert.equal(await get(port, alice), 200);
      assert.notEqual(await get(port, bob), 200, 'selector mismatch');
      assert.notEqual(await get(port, stranger), 200, 'another CA');
      assert.notEqual(await get(port, undefined), 200, 'no certificate');
      assert.notEqual(await get(port, alice, 'TLSv1.2'), 200, 'TLS 1.2');
    } finally {
      await proxy.shutdown(100);
    }
  });

  it('admits any certificate the client CA signed when the tls block sets no selector', async () => {
    const yaml = `${ALLOW_ALL_GETS}listen:
  address: 0.0.0.0:0
  tls: { cert_file: ${server.cert}, key_file: ${server.key}, client_ca_file: ${ca} }
`;
    const proxy = await startProxy({
      compiled: compileYaml(yaml),
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
    });
    try {
      const port = Number(proxy.listeners[0]!.info.address.split(':').at(-1));
      assert.equal(await get(port, alice), 200);
      assert.equal(await get(port, bob), 200);
      assert.notEqual(await get(port, stranger), 200, 'another CA');
    } finally {
      await proxy.shutdown(100);
    }
  });
});

describe('several listeners', () => {
  it('serves every entry of listeners[] and names it in the exchange', async () => {
    const daemon = await startFakeDaemon();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgmulti-'));
    const yaml = `${ALLOW_ALL_GETS}listeners:
  - { name: ci, socket: ${path.join(dir, 'ci.sock')}, allowed_profiles: ["*"] }
  - { name: ops, socket: ${path.join(dir, 'ops.sock')}, socket_mode: "0660", socket_gid: 0, allowed_profiles: ["*"] }
`;
    const proxy = await startProxy({
      compiled: compileYaml(yaml),
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
    });
    try {
      assert.deepEqual(
        proxy.listeners.map((l) => l.info.name),
        ['ci', 'ops'],
      );
      assert.equal((await request(path.join(dir, 'ci.sock'), 'GET', '/_ping')).status, 200);
      assert.equal((await request(path.join(dir, 'ops.sock'), 'GET', '/_ping')).status, 200);
      assert.equal(statSync(path.join(dir, 'ops.sock')).mode & 0o777, 0o660);
    } finally {
      await proxy.shutdown(100);
      await daemon.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
