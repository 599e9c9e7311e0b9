/** Judge, then read: bodies are read only for allowed requests, bounded, and forwarded whole. */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DRAIN_UNREAD_BODY_MAX_BYTES, DRAIN_UNREAD_BODY_TIMEOUT_MS } from '../../src/proxy/client-response.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, request, sendRaw, sleep, startTestProxy, type TestProxy } from './fixture.js';

const H = 'Host: docker\r\n';
const LIMIT = 1024;
/**
 * The buffer limit under test is the one for bodies no inspector reads (rename); archive uploads
 * stream because this policy's archive rules need no entry checks (body inspection has its own
 * limits, test/proxy/body-inspection.test.ts).
 */
const POLICY = `${ALLOW_ALL_GETS.replace(
  'rules:\n',
  'rules:\n  - match: { method: POST, path: "/containers/*/rename" }\n    action: allow\n',
)}request_body:
  container_archive: { allow_setid: true, allow_device_nodes: true, allow_escaping_links: true }
`;

describe('request bodies', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(POLICY, daemon.socketPath, {
      bodyLimits: { maxBytes: LIMIT, timeoutMs: 300 },
    });
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
  });

  it('forwards a chunked body as one body with an exact Content-Length', async () => {
    const { text } = await sendRaw(
      proxy.socketPath,
      `POST /containers/create HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      5_000,
      1,
    );
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.equal(daemon.requests.length, 1);
    const seen = daemon.requests[0]!;
    assert.equal(seen.body.toString(), '{}');
    assert.equal(seen.headers['content-length'], '2');
    assert.equal(seen.headers['transfer-encoding'], undefined);
  });

  it('refuses a declared body over the limit with 413 and forwards nothing', async () => {
    const response = await request(proxy.socketPath, 'POST', '/containers/x/rename?name=y', {
      body: 'x'.repeat(LIMIT + 1),
    });
    assert.equal(response.status, 413);
    assert.deepEqual(JSON.parse(response.body), { message: 'request body too large' });
    assert.equal(daemon.requests.length, 0);
  });

  it('enforces the limit while a chunked body streams', async () => {
    const chunk = 'x'.repeat(600);
    const { text } = await sendRaw(
      proxy.socketPath,
      `POST /containers/x/rename?name=y HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.equal(daemon.requests.length, 0);
  });

  it('gives up on a slow body with 408 and never contacts the daemon', async () => {
    const { text } = await sendRaw(
      proxy.socketPath,
      `POST /containers/create HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\n{"a"`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 408 /);
    assert.equal(daemon.connections() > 0 ? daemon.requests.length : 0, 0);
  });

  // An early answer (here a rule deny) reads and discards a small body, as Go's server does, so the
  // client can finish sending and read the answer; the body is framed by the parser, so a request
  // hidden in it is never read as one, and the connection serves the next request.
  it('discards the small body of a denied request and keeps the connection', async () => {
    const smuggled = `GET /_ping HTTP/1.1\r\n${H}\r\n`;
    const next = `GET /_ping HTTP/1.1\r\n${H}\r\n`;
    const { text, closed } = await sendRaw(
      proxy.socketPath,
      `POST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: ${smuggled.length}\r\n\r\n${smuggled}${next}`,
      1_000,
      2,
    );
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+) /gm)].map((m) => m[1]);
    assert.deepEqual(statuses, ['403', '200'], 'the deny, then the pipelined request; the body is not a request');
    assert.doesNotMatch(text, /\r\nConnection: close\r\n/);
    assert.equal(closed, false);
    assert.deepEqual(
      daemon.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /_ping'],
    );
  });

  it('closes instead of draining a denied body over the drain limit', async () => {
    const { text, closed } = await sendRaw(
      proxy.socketPath,
      `POST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: ${DRAIN_UNREAD_BODY_MAX_BYTES + 1}\r\n\r\nGET /`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 403 /);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.equal(closed, true);
    assert.equal(daemon.requests.length, 0);
  });

  it('closes instead of waiting for a denied body held back for 100 Continue', async () => {
    const { text, closed } = await sendRaw(
      proxy.socketPath,
      `POST /containers/x/kill HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 5\r\n\r\n`,
      5_000,
    );
    assert.match(text, /^HTTP\/1\.1 403 /);
    assert.doesNotMatch(text, /100 Continue/);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.equal(closed, true);
  });

  it('closes a connection whose drained body stops arriving', async () => {
    const started = Date.now();
    const { text, closed } = await sendRaw(
      proxy.socketPath,
      `POST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nabc`,
      DRAIN_UNREAD_BODY_TIMEOUT_MS + 3_000,
    );
    assert.match(text, /^HTTP\/1\.1 403 /);
    assert.equal(closed, true);
    assert.ok(Date.now() - started >= DRAIN_UNREAD_BODY_TIMEOUT_MS - 100, 'held for the drain timeout');
    assert.equal(daemon.requests.length, 0);
  });

  // Node answers `Expect: 100-continue` by itself unless a checkContinue handler exists; the proxy
  // installs one so the client sends its body only after the rules allowed the request.
  it('answers 100 Continue only after judging', async () => {
    const outcome = async (target: string) =>
      new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
        let continued = false;
        const req = http.request({
          socketPath: proxy.socketPath,
          method: 'POST',
          path: target,
          headers: { Expect: '100-continue', 'Content-Type': 'application/json', 'Content-Length': '2' },
          agent: false,
        });
        req.on('continue', () => {
          continued = true;
          req.end('{}');
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }));
        });
        req.on('error', reject);
        req.flushHeaders();
      });
    assert.deepEqual(await outcome('/containers/x/kill'), { continued: false, status: 403 });
    assert.equal(daemon.requests.length, 0);
    assert.deepEqual(await outcome('/containers/create'), { continued: true, status: 200 });
    assert.equal(daemon.requests.length, 1);
    assert.equal(daemon.requests[0]!.headers.expect, undefined, 'the daemon never sees Expect');
    assert.equal(daemon.requests[0]!.body.toString(), '{}');
  });

  it('streams a bulk upload (archive PUT) past the buffer limit after judging', async () => {
    const body = Buffer.alloc(LIMIT * 8, 7);
    const response = await request(proxy.socketPath, 'PUT', '/containers/x/archive?path=/tmp', {
      headers: { 'Content-Type': 'application/x-tar' },
      body,
    });
    assert.equal(response.status, 200);
    assert.equal(daemon.requests[0]!.body.length, body.length);
  });

  it('cuts a bulk upload that stalls, upstream request included', async () => {
    const { closed } = await sendRaw(
      proxy.socketPath,
      `PUT /containers/x/archive?path=/tmp HTTP/1.1\r\n${H}Content-Type: application/x-tar\r\nContent-Length: 100000\r\n\r\npartial`,
      1_500,
    );
    assert.equal(closed, true, 'client connection closed');
    for (let i = 0; i < 500 && proxy.proxy.inFlight.size > 0; i++) await sleep(10);
    assert.equal(proxy.proxy.inFlight.size, 0, 'exchange finished');
  });

  it('closes a connection whose client stops sending headers', { timeout: 10_000 }, async () => {
    const started = Date.now();
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ path: proxy.socketPath }, () => socket.write('GET /_ping HTTP/1.1\r\nHost: d'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
    });
    assert.equal(closed, true);
    assert.ok(Date.now() - started < 8_000, `closed after ${Date.now() - started} ms`);
    assert.equal(daemon.requests.length, 0);
  });
});
