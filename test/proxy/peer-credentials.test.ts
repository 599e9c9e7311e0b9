import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadPeerCredentialsAddon,
  PeerCredentialReader,
  type PeerCredentialsAddon,
} from '../../src/proxy/peer-credentials.js';

const loaded = loadPeerCredentialsAddon();
if (!('addon' in loaded))
  throw new Error(`${loaded.error}\nThe addon is built by npm run build:native (npm run build).`);
const { addon } = loaded;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sockguard-peercred-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Accepts one connection on a unix (or TCP) server and hands the server-side socket to `inspect`. */
async function withAcceptedSocket<T>(kind: 'unix' | 'tcp', inspect: (socket: net.Socket) => T): Promise<T> {
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const path = join(dir, `s-${Math.random().toString(36).slice(2)}.sock`);
  await new Promise<void>((resolve) =>
    kind === 'unix' ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve),
  );
  const client =
    kind === 'unix' ? net.connect(path) : net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  try {
    const socket = await accepted;
    const result = inspect(socket);
    socket.destroy();
    return result;
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

const quiet = () => {};

test('the addon reads SO_PEERCRED of an accepted unix connection: this very process', async () => {
  const reader = new PeerCredentialReader({ warn: quiet });
  assert.equal(reader.available, true);
  const peer = await withAcceptedSocket('unix', (socket) => reader.read(socket));
  assert.deepEqual(peer, { uid: process.getuid!(), gid: process.getgid!(), pid: process.pid });
});

test('the addon refuses a TCP socket instead of answering the overflow uid (65534)', async () => {
  await withAcceptedSocket('tcp', (socket) => {
    const fd = (socket as net.Socket & { _handle: { fd: number } })._handle.fd;
    assert.throws(() => addon.peerCredentials(fd), { code: 'EAFNOSUPPORT' });
  });
});

test('the addon refuses a never-connected unix socket instead of answering uid (uid_t)-1', () => {
  // Node has no public way to hold a bound, unconnected unix socket: use the pipe handle directly.
  const { Pipe, constants } = (process as unknown as { binding(name: string): PipeWrap }).binding('pipe_wrap');
  const pipe = new Pipe(constants.SERVER);
  assert.equal(pipe.bind(join(dir, 'unconnected.sock')), 0);
  try {
    assert.throws(() => addon.peerCredentials(pipe.fd), { code: 'ENOTCONN' });
  } finally {
    pipe.close();
  }
});

interface PipeWrap {
  Pipe: new (type: number) => { bind(path: string): number; fd: number; close(): void };
  constants: { SERVER: number };
}

test('the addon refuses what is not a socket, and bad arguments', () => {
  const fd = openSync(join(dir, 'plain-file'), 'w');
  try {
    assert.throws(() => addon.peerCredentials(fd), { code: 'ENOTSOCK' });
  } finally {
    closeSync(fd);
  }
  assert.throws(() => addon.peerCredentials(fd), { code: 'EBADF' });
  for (const bad of [-1, 1.5, '3', undefined, NaN, 2 ** 32 + 3]) {
    assert.throws(() => (addon.peerCredentials as (x: unknown) => unknown)(bad), TypeError, String(bad));
  }
});

test('one read per connection: keep-alive requests reuse it', async () => {
  let calls = 0;
  const counting: PeerCredentialsAddon = {
    peerCredentials(fd) {
      calls++;
      return addon.peerCredentials(fd);
    },
  };
  const reader = new PeerCredentialReader({ warn: quiet, load: { addon: counting } });
  await withAcceptedSocket('unix', (socket) => {
    const first = reader.read(socket);
    assert.equal(reader.read(socket), first);
  });
  assert.equal(calls, 1);
});

test('fail closed: a read error or a missing addon is "unreadable", warned about once', async () => {
  const warnings: string[] = [];
  const failing: PeerCredentialsAddon = {
    peerCredentials() {
      throw Object.assign(new Error('getsockopt(SO_PEERCRED): Transport endpoint is not connected'), {
        code: 'ENOTCONN',
      });
    },
  };
  const reader = new PeerCredentialReader({ warn: (m) => warnings.push(m), load: { addon: failing } });
  assert.equal(await withAcceptedSocket('unix', (s) => reader.read(s)), 'unreadable');
  assert.equal(await withAcceptedSocket('unix', (s) => reader.read(s)), 'unreadable');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /ENOTCONN/);

  const missing = new PeerCredentialReader({
    warn: (m) => warnings.push(m),
    load: loadPeerCredentialsAddon('../../native/build/Release/no-such-addon.node'),
  });
  assert.equal(missing.available, false);
  assert.equal(await withAcceptedSocket('unix', (s) => missing.read(s)), 'unreadable');
  assert.match(warnings[1]!, /npm run build:native/);
});

test('fail closed: a closed connection or a malformed answer is "unreadable"', async () => {
  const reader = new PeerCredentialReader({ warn: quiet });
  const closed = await withAcceptedSocket('unix', (socket) => {
    socket.destroy();
    return reader.read(socket);
  });
  assert.equal(closed, 'unreadable');
  const liar = new PeerCredentialReader({
    warn: quiet,
    load: { addon: { peerCredentials: () => ({ uid: -1, gid: 0, pid: 1 }) } },
  });
  assert.equal(await withAcceptedSocket('unix', (s) => liar.read(s)), 'unreadable');
});
