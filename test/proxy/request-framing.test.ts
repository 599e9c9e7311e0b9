/**
 * Requests that a daemon would read differently from what we judged, or that could carry a second,
 * unjudged request: each one is refused and the daemon receives nothing it did not judge
 * (security-notes.md §3, §5, §6, §7).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, sendRaw, startTestProxy, type TestProxy } from './fixture.js';

const H = 'Host: docker\r\n';

const REFUSED: readonly { name: string; raw: string; status: number }[] = [
  { name: 'raw # in the target', raw: `GET /_ping#/../containers/json HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'encoded dot segments', raw: `GET /containers/%2e%2e/_ping HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'raw dot segments', raw: `GET /v1.41/images/../containers/json HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'double slash', raw: `GET //containers/json HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'backslash', raw: `GET /containers\\json HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'encoded backslash', raw: `GET /containers%5Cjson HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'encoded NUL', raw: `GET /_ping%00 HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'absolute-form target', raw: `GET http://docker/_ping HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'API version below 1.24', raw: `GET /v1.23/containers/json HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'lower-case method', raw: `get /_ping HTTP/1.1\r\n${H}\r\n`, status: 400 },
  {
    name: 'Content-Length with Transfer-Encoding',
    raw: `POST /containers/create HTTP/1.1\r\n${H}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nXPOST /containers/x/kill HTTP/1.1\r\n\r\n`,
    status: 400,
  },
  {
    name: 'duplicate Content-Length',
    raw: `POST /containers/create HTTP/1.1\r\n${H}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x`,
    status: 400,
  },
  {
    name: 'Transfer-Encoding other than chunked',
    raw: `POST /containers/create HTTP/1.1\r\n${H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
    status: 400,
  },
  { name: 'bare LF line endings', raw: `GET /_ping HTTP/1.1\n${H.trim()}\n\n`, status: 400 },
  { name: 'a body on GET', raw: `GET /_ping HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhello`, status: 400 },
  {
    name: 'a chunked body on GET',
    raw: `GET /_ping HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    status: 400,
  },
  {
    name: 'a form-encoded body (dockerd would read parameters from it)',
    raw: `POST /containers/create HTTP/1.1\r\n${H}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nname=evil`,
    status: 400,
  },
  { name: 'HEAD where only GET is allowed', raw: `HEAD /containers/json HTTP/1.1\r\n${H}\r\n`, status: 403 },
  { name: 'OPTIONS (dockerd answers any path)', raw: `OPTIONS /_ping HTTP/1.1\r\n${H}\r\n`, status: 403 },
  { name: 'CONNECT', raw: `CONNECT docker:2375 HTTP/1.1\r\n${H}\r\n`, status: 400 },
];

describe('request framing and canonical targets', () => {
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
  });

  for (const { name, raw, status } of REFUSED) {
    it(`refuses ${name} with ${status} and forwards nothing`, async () => {
      // A HEAD answer announces a body it does not carry: take what arrives in a short while.
      const { text } = await sendRaw(proxy.socketPath, raw, raw.startsWith('HEAD') ? 500 : 5_000, 1);
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${status} `), text);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      if (body !== '') assert.equal(typeof JSON.parse(body.split('\n')[0]!).message, 'string');
      assert.equal(daemon.requests.length, 0, JSON.stringify(daemon.requests.map((r) => r.url)));
    });
  }

  // Optimistic upgrade smuggling (security-notes.md §6): an Upgrade on a route that does not hijack
  // must not become a raw pipe, or the pipelined request behind it reaches the daemon unjudged.
  for (const [route, first] of [
    ['GET /_ping', `GET /_ping HTTP/1.1\r\n${H}`],
    ['POST /containers/x/start', `POST /containers/x/start HTTP/1.1\r\n${H}Content-Length: 0\r\n`],
  ] as const) {
    it(`does not tunnel an Upgrade on ${route}: the pipelined request behind it never reaches the daemon`, async () => {
      const smuggled = `POST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`;
      const { text, closed } = await sendRaw(
        proxy.socketPath,
        `${first}Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n${smuggled}`,
        5_000,
      );
      assert.match(text, /^HTTP\/1\.1 200 /);
      assert.equal(text.match(/HTTP\/1\.1/g)?.length, 1, 'exactly one response');
      assert.match(text, /\r\nConnection: close\r\n/);
      assert.equal(closed, true);
      assert.equal(daemon.requests.length, 1);
      assert.equal(daemon.requests[0]!.upgrade, false, 'forwarded as plain HTTP');
      assert.equal(daemon.requests[0]!.headers.upgrade, undefined);
    });
  }

  it('judges each pipelined request on a kept-alive connection on its own', async () => {
    const { text } = await sendRaw(
      proxy.socketPath,
      `GET /_ping HTTP/1.1\r\n${H}\r\nPOST /containers/x/kill HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`,
      5_000,
      2,
    );
    assert.match(text, /^HTTP\/1\.1 200 [\s\S]*HTTP\/1\.1 403 /);
    assert.deepEqual(
      daemon.requests.map((r) => r.url),
      ['/_ping'],
    );
  });
});
