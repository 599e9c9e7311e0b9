/** Hijacked connections: tunnelled only on known routes and only after a real 101. */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { echoUpgrade, startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, sendRaw, sleep, startTestProxy, type TestProxy } from './fixture.js';

const H = 'Host: docker\r\n';
const ATTACH = `POST /v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n`;

interface Session {
  socket: net.Socket;
  received: () => string;
  ended: Promise<void>;
  closed: Promise<void>;
}

function open(socketPath: string, first: string): Session {
  const socket = net.connect({ path: socketPath, allowHalfOpen: true });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  socket.write(first);
  return {
    socket,
    received: () => text,
    ended: new Promise((resolve) => socket.once('end', () => resolve())),
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
  };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('hijack tunnels', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(ALLOW_ALL_GETS, daemon.socketPath);
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
    daemon.upgrade = echoUpgrade;
  });

  it('tunnels attach after the 101, both ways, and passes half-closes on', async () => {
    const session = open(proxy.socketPath, ATTACH + 'early-stdin;');
    await until(() => session.received().includes('early-stdin;'));
    assert.match(session.received(), /^HTTP\/1\.1 101 UPGRADED\r\n/);
    assert.match(session.received(), /\r\nUpgrade: tcp\r\n/);
    session.socket.write('more');
    await until(() => session.received().endsWith('more'));
    // Half-close: the daemon sees our end, finishes, and its end reaches us.
    session.socket.end();
    await session.ended;
    await session.closed;
    assert.equal(daemon.requests.length, 1);
    assert.equal(daemon.requests[0]!.upgrade, true);
    assert.equal(daemon.requests[0]!.url, '/v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1');
  });

  it('sends the exec start body before the tunnel and the rest only into it', async () => {
    const body = '{"Detach":false,"Tty":true}';
    const session = open(
      proxy.socketPath,
      `POST /exec/e1/start HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}ls\n`,
    );
    await until(() => session.received().endsWith('ls\n'));
    assert.equal(daemon.requests[0]!.body.toString(), body);
    assert.equal(daemon.requests[0]!.headers['content-length'], String(body.length));
    session.socket.destroy();
  });

  it('relays a non-101 answer as plain HTTP and never tunnels the bytes behind the request', async () => {
    daemon.upgrade = (_req, socket) => {
      const payload = '{"message":"No such container: abc"}';
      socket.write(
        `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload}`,
      );
    };
    const smuggled = `POST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`;
    const { text, closed } = await sendRaw(proxy.socketPath, ATTACH + smuggled, 5_000);
    assert.match(text, /^HTTP\/1\.1 404 /);
    assert.match(text, /No such container: abc/);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.equal(closed, true);
    assert.deepEqual(
      daemon.requests.map((r) => r.url),
      ['/v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1'],
    );
  });

  it('denies a hijack route the rules do not allow, without contacting the daemon', async () => {
    const { text, closed } = await sendRaw(
      proxy.socketPath,
      `GET /containers/abc/attach/ws HTTP/1.1\r\n${H}Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 403 /);
    assert.equal(closed, true);
    assert.equal(daemon.requests.length, 0);
  });

  it('tears the daemon side down when the client disconnects mid-tunnel, leaking nothing', async () => {
    let daemonSocketClosed = false;
    daemon.upgrade = (req, socket, head) => {
      socket.on('close', () => (daemonSocketClosed = true));
      echoUpgrade(req, socket, head);
    };
    const session = open(proxy.socketPath, ATTACH);
    await until(() => session.received().includes('101'));
    session.socket.destroy();
    await until(() => daemonSocketClosed && proxy.proxy.inFlight.size === 0);
  });

  it('ends the client side when the daemon dies mid-tunnel', async () => {
    daemon.upgrade = (req, socket, head) => {
      echoUpgrade(req, socket, head);
      setTimeout(() => socket.destroy(), 50);
    };
    const session = open(proxy.socketPath, ATTACH);
    await session.ended;
    assert.match(session.received(), /^HTTP\/1\.1 101 /);
    session.socket.destroy();
  });

  it('answers an Upgrade-less hijack (raw stream, no length) close-delimited, without re-chunking', async () => {
    daemon.handle = (_req, res) => {
      res.useChunkedEncodingByDefault = false;
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' });
      res.end('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0002hi');
    };
    const { text } = await sendRaw(
      proxy.socketPath,
      `POST /exec/e1/start HTTP/1.1\r\n${H}Upgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.doesNotMatch(text, /Transfer-Encoding/i);
    assert.ok(text.endsWith('\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0002hi'));
    assert.equal(
      daemon.requests[0]!.headers.upgrade,
      undefined,
      'Upgrade without Connection: Upgrade is not forwarded',
    );
  });
});
