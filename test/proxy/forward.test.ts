import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, NO_REDACTION, request, sendRaw, sleep, startTestProxy, type TestProxy } from './fixture.js';

describe('forwarding', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(ALLOW_ALL_GETS + NO_REDACTION, daemon.socketPath);
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
    daemon.handle = (_req, res) => res.end('OK');
  });

  it('forwards an allowed request once, to exactly the judged target, with our request id', async () => {
    const response = await request(proxy.socketPath, 'GET', '/v1.41/containers/json?all=1&x=%2F', {
      headers: { 'X-Request-Id': 'client-chosen' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body, 'OK');
    assert.equal(daemon.requests.length, 1);
    const seen = daemon.requests[0]!;
    assert.equal(seen.url, '/v1.41/containers/json?all=1&x=%2F');
    assert.match(String(seen.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.notEqual(seen.headers['x-request-id'], 'client-chosen');
    assert.equal(response.headers['x-request-id'], seen.headers['x-request-id']);
  });

  it('forwards the once-decoded path re-encoded, never a second interpretation', async () => {
    // dockerd decodes %73 to "s": the rules and the daemon both see /containers/json.
    const response = await request(proxy.socketPath, 'GET', '/%63ontainers/json');
    assert.equal(response.status, 200);
    assert.equal(daemon.requests[0]!.url, '/containers/json');
  });

  it('denies with the Docker-style message and sends nothing upstream', async () => {
    const response = await request(proxy.socketPath, 'POST', '/v1.41/containers/x/kill');
    assert.equal(response.status, 403);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(response.body), { message: 'request denied by sockguard policy' });
    assert.equal(daemon.requests.length, 0);
  });

  it('sends a bodyless POST with Content-Length: 0, never chunked', async () => {
    const response = await request(proxy.socketPath, 'POST', '/containers/abc/start', {
      headers: { 'Content-Length': '0' },
    });
    assert.equal(response.status, 200);
    const seen = daemon.requests[0]!;
    assert.equal(seen.headers['content-length'], '0');
    assert.equal(seen.headers['transfer-encoding'], undefined);
  });

  it('relays redirects as they are and never follows them', async () => {
    daemon.handle = (_req, res) => {
      res.writeHead(301, { Location: '/v1.41/exec/abc/json' });
      res.end();
    };
    const response = await request(proxy.socketPath, 'GET', '/containers/json');
    assert.equal(response.status, 301);
    assert.equal(response.headers.location, '/v1.41/exec/abc/json');
    assert.equal(daemon.requests.length, 1);
  });

  it('strips hop-by-hop headers in both directions', async () => {
    daemon.handle = (_req, res) => {
      res.setHeader('Connection', 'close, X-Daemon-Hop');
      res.setHeader('X-Daemon-Hop', 'private');
      res.setHeader('Keep-Alive', 'timeout=5');
      res.setHeader('Upgrade', 'tcp');
      res.setHeader('Api-Version', '1.41');
      res.end('OK');
    };
    const response = await request(proxy.socketPath, 'GET', '/containers/json', {
      headers: {
        Connection: 'X-Client-Hop',
        'X-Client-Hop': 'secret',
        'Proxy-Authorization': 'Basic eA==',
        TE: 'trailers',
        'X-End-To-End': 'kept',
      },
    });
    const seen = daemon.requests[0]!.headers;
    for (const name of ['x-client-hop', 'proxy-authorization', 'te', 'upgrade'])
      assert.equal(seen[name], undefined, name);
    assert.equal(seen['x-end-to-end'], 'kept');
    assert.equal(response.headers['x-daemon-hop'], undefined);
    assert.equal(response.headers['upgrade'], undefined);
    assert.notEqual(response.headers['keep-alive'], 'timeout=5');
    assert.equal(response.headers['api-version'], '1.41');
  });

  it('reuses keep-alive connections to the daemon', async () => {
    const before = daemon.connections();
    for (let i = 0; i < 5; i++) await request(proxy.socketPath, 'GET', '/_ping');
    assert.ok(daemon.connections() - before <= 1, `opened ${daemon.connections() - before} connections`);
  });

  it('honours a W3C traceparent: same trace, new span', async () => {
    const incoming = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await request(proxy.socketPath, 'GET', '/_ping', { headers: { traceparent: incoming } });
    const forwarded = String(daemon.requests[0]!.headers.traceparent);
    assert.match(forwarded, /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    assert.notEqual(forwarded, incoming);
  });

  it('cuts the client off when the daemon dies mid-stream', async () => {
    daemon.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":"start"}\n');
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request({ socketPath: proxy.socketPath, path: '/events', agent: false }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('clean end'));
        res.on('error', () => resolve('error'));
        res.on('aborted', () => resolve('error'));
      });
      req.on('error', () => resolve('error'));
      req.end();
    });
    assert.equal(outcome, 'error');
  });

  it('streams without buffering: each chunk reaches the client as it is written', async () => {
    let push: (() => void) | undefined;
    daemon.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      push = () => res.write('{"Type":"container"}\n');
    };
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.request({ socketPath: proxy.socketPath, path: '/events', agent: false }, (res) => {
        assert.equal(res.statusCode, 200);
        push!();
        res.once('data', (chunk: Buffer) => {
          resolve(chunk.toString());
          req.destroy();
        });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(got, '{"Type":"container"}\n');
  });

  it('tears the upstream request down when the client leaves a stream', async () => {
    let daemonSideClosed = false;
    daemon.handle = (_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
      res.on('close', () => (daemonSideClosed = true));
    };
    await new Promise<void>((resolve) => {
      const req = http.request({ socketPath: proxy.socketPath, path: '/events', agent: false }, () => {
        req.destroy();
        resolve();
      });
      req.on('error', () => undefined);
      req.end();
    });
    for (let i = 0; i < 500 && (!daemonSideClosed || proxy.proxy.inFlight.size > 0); i++) await sleep(10);
    assert.equal(daemonSideClosed, true);
    assert.equal(proxy.proxy.inFlight.size, 0);
  });
});

describe('upstream faults', () => {
  it('answers 502 with the Docker-style message when the daemon is unreachable', async () => {
    const proxy = await startTestProxy(ALLOW_ALL_GETS, '/nonexistent/docker.sock');
    try {
      const response = await request(proxy.socketPath, 'GET', '/_ping');
      assert.equal(response.status, 502);
      assert.deepEqual(JSON.parse(response.body), { message: 'upstream Docker socket unreachable' });
    } finally {
      await proxy.close();
    }
  });

  it('answers 504 after upstream.request_timeout, but never times out a stream', async () => {
    const daemon = await startFakeDaemon((req, res) => {
      if (req.url === '/events') {
        res.writeHead(200);
        res.flushHeaders();
        setTimeout(() => res.end('{"late":true}\n'), 400);
      }
      // /containers/json: never answered
    });
    const proxy = await startTestProxy(ALLOW_ALL_GETS + 'upstream:\n  request_timeout: 200ms\n', daemon.socketPath);
    try {
      const slow = await request(proxy.socketPath, 'GET', '/containers/json');
      assert.equal(slow.status, 504);
      assert.deepEqual(JSON.parse(slow.body), { message: 'upstream request timed out' });
      const stream = await request(proxy.socketPath, 'GET', '/events');
      assert.equal(stream.status, 200);
      assert.equal(stream.body, '{"late":true}\n');
    } finally {
      await proxy.close();
      await daemon.close();
    }
  });
});

describe('raw-socket sanity', () => {
  it('keeps a connection alive across allowed requests', async () => {
    const daemon = await startFakeDaemon();
    const proxy = await startTestProxy(ALLOW_ALL_GETS, daemon.socketPath);
    try {
      const twice = 'GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n'.repeat(2);
      const { text } = await sendRaw(proxy.socketPath, twice, 5_000, 2);
      assert.equal(text.match(/HTTP\/1\.1 200/g)?.length, 2);
    } finally {
      await proxy.close();
      await daemon.close();
    }
  });
});
