/** Shutdown drains and cuts what it must, and a proxy leaves no sockets or timers behind. */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { startFakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, NO_REDACTION, request, sendRaw, sleep, startTestProxy } from './fixture.js';

const TRACKED = ['PipeWrap', 'TCPWrap', 'PipeServerWrap', 'TCPServerWrap', 'Timeout'];

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo())
    if (TRACKED.includes(name)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe('lifecycle', () => {
  it('leaves no sockets or timers after traffic of every kind and a shutdown', async () => {
    await sleep(50);
    const baseline = countResources();
    const daemon = await startFakeDaemon((req, res) => {
      if (req.url === '/events') {
        res.writeHead(200);
        res.flushHeaders();
      } else if (req.url === '/containers/json') {
        // never answered: the request timeout fires
      } else res.end('OK');
    });
    const proxy = await startTestProxy(ALLOW_ALL_GETS + 'upstream:\n  request_timeout: 100ms\n', daemon.socketPath);
    const keepAlive = new http.Agent({ keepAlive: true });
    for (let i = 0; i < 3; i++) await request(proxy.socketPath, 'GET', '/_ping', { agent: keepAlive });
    assert.equal((await request(proxy.socketPath, 'GET', '/containers/json')).status, 504);
    assert.equal((await request(proxy.socketPath, 'POST', '/containers/x/kill')).status, 403);
    await sendRaw(
      proxy.socketPath,
      'POST /containers/a/attach HTTP/1.1\r\nHost: d\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhi',
      100,
    );
    const stream = net.connect({ path: proxy.socketPath });
    stream.on('error', () => undefined);
    stream.write('GET /events HTTP/1.1\r\nHost: d\r\n\r\n');
    await sleep(100);
    assert.ok(proxy.proxy.inFlight.size >= 1, 'the events stream is in flight');

    const started = Date.now();
    await proxy.close();
    assert.ok(Date.now() - started < 1_000, 'an unbounded stream does not hold up shutdown');
    keepAlive.destroy();
    stream.destroy();
    await daemon.close();
    await sleep(100);
    assert.deepEqual(countResources(), baseline);
  });

  it('lets a bounded request in flight finish during shutdown', async () => {
    const daemon = await startFakeDaemon((_req, res) => setTimeout(() => res.end('late but whole'), 200));
    const proxy = await startTestProxy(ALLOW_ALL_GETS + NO_REDACTION, daemon.socketPath);
    const pending = request(proxy.socketPath, 'GET', '/containers/json');
    await sleep(50);
    const closing = proxy.proxy.shutdown(5_000);
    const response = await pending;
    await closing;
    assert.equal(response.status, 200);
    assert.equal(response.body, 'late but whole');
    await daemon.close();
  });
});
