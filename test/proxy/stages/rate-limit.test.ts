import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import type { FakeHandler } from '../../helpers/fake-daemon.js';
import { sleep } from '../fixture.js';
import { send, startClientProxy, waitForExchanges, type ClientProxy } from './client-proxy.js';

const profile = (limits: string, mode = '') => `
rules:
  - match: { method: GET, path: /_ping }
    action: allow
clients:
  default_profile: limited
  profiles:
    - name: limited
      ${mode}
      rules:
        - match: { method: GET, path: /_ping }
          action: allow
        - match: { method: POST, path: /containers/*/attach }
          action: allow
      limits:
${limits}
`;

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

async function metric(proxy: ClientProxy, name: string, labels: Record<string, string>): Promise<number> {
  const found = (await proxy.proxy.metrics.registry.getSingleMetric(name)?.get())?.values.find((v) =>
    Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  );
  return found?.value ?? 0;
}

/** A daemon that holds GET /_ping until released, answering everything else at once. */
function holdingDaemon(): { handle: FakeHandler; held: http.ServerResponse[]; releaseAll(): void } {
  const held: http.ServerResponse[] = [];
  return {
    held,
    handle: (req, res) => {
      if (req.url.endsWith('/_ping')) held.push(res);
      else res.end('OK');
    },
    releaseAll: () => held.splice(0).forEach((res) => res.end('OK')),
  };
}

/** Starts a request and resolves once the daemon holds it (count = expected holds). */
async function untilHeld(hold: { held: unknown[] }, count: number): Promise<void> {
  for (let i = 0; i < 500 && hold.held.length < count; i++) await sleep(5);
  assert.equal(hold.held.length, count, 'requests held by the daemon');
}

describe('rate limit: token bucket', () => {
  it('exactly burst requests pass; the rest are 429 with the reference body and Retry-After', async () => {
    const proxy = await startClientProxy(profile('        rate: { tokens_per_second: 1, burst: 3 }'), {
      now: () => 1_000,
    });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push(await send(proxy.endpoint, 'GET', '/_ping'));
      assert.deepEqual(
        statuses.map((r) => r.status),
        [200, 200, 200, 429, 429],
      );
      assert.deepEqual(json(statuses[3]!.body), { reason: 'rate_limit_exceeded', retry_after_seconds: 1 });
      assert.equal(statuses[3]!.headers['retry-after'], '1');
      assert.equal(proxy.daemon.requests.length, 3);
      await waitForExchanges(proxy, 5);
      assert.equal(proxy.exchanges[4]?.result?.reasonCode, 'rate_limit_exceeded');
      assert.equal(
        await metric(proxy, 'sockguard_throttle_requests_total', {
          mode: 'enforce',
          profile: 'limited',
          reason_code: 'rate_limit_exceeded',
        }),
        2,
      );
    } finally {
      await proxy.close();
    }
  });

  it('denied requests spend tokens too (the limit sits before the rules); health does not', async () => {
    const proxy = await startClientProxy(
      profile('        rate: { tokens_per_second: 1, burst: 2 }') + 'health: { enabled: true }\n',
      { now: () => 0 },
    );
    try {
      assert.equal((await send(proxy.endpoint, 'GET', '/health')).status, 200);
      assert.equal((await send(proxy.endpoint, 'GET', '/containers/json')).status, 403);
      assert.equal((await send(proxy.endpoint, 'GET', '/containers/json')).status, 403);
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 429);
    } finally {
      await proxy.close();
    }
  });

  it('endpoint costs take more tokens for the paths they name', async () => {
    const proxy = await startClientProxy(
      profile(
        '        rate:\n          tokens_per_second: 1\n          burst: 4\n          endpoint_costs: [{ path: /_ping, methods: [GET], cost: 3 }]',
      ),
      { now: () => 0 },
    );
    try {
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 200);
      const second = await send(proxy.endpoint, 'GET', '/_ping');
      assert.equal(second.status, 429);
      assert.deepEqual(json(second.body), { reason: 'rate_limit_exceeded', retry_after_seconds: 2 });
    } finally {
      await proxy.close();
    }
  });

  it('under a warn profile a limited request is forwarded and counted with mode warn', async () => {
    const proxy = await startClientProxy(profile('        rate: { tokens_per_second: 1, burst: 1 }', 'mode: warn'), {
      now: () => 0,
    });
    try {
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 200);
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 200);
      assert.equal(proxy.daemon.requests.length, 2);
      await waitForExchanges(proxy, 2);
      assert.equal(proxy.exchanges[1]?.wouldDeny?.reasonCode, 'rate_limit_exceeded');
      assert.equal(
        await metric(proxy, 'sockguard_throttle_requests_total', {
          mode: 'warn',
          profile: 'limited',
          reason_code: 'rate_limit_exceeded',
        }),
        1,
      );
    } finally {
      await proxy.close();
    }
  });
});

describe('rate limit: concurrency', () => {
  it('max_inflight caps one client; the slot comes back when its request finishes', async () => {
    const hold = holdingDaemon();
    const proxy = await startClientProxy(profile('        concurrency: { max_inflight: 1 }'), {
      handle: hold.handle,
    });
    try {
      const first = send(proxy.endpoint, 'GET', '/_ping');
      await untilHeld(hold, 1);
      assert.equal(await metric(proxy, 'sockguard_inflight_requests', { profile: 'limited' }), 1);
      const refused = await send(proxy.endpoint, 'GET', '/_ping');
      assert.equal(refused.status, 429);
      assert.deepEqual(json(refused.body), { reason: 'concurrency_cap' });
      assert.equal(refused.headers['retry-after'], undefined);
      hold.releaseAll();
      assert.equal((await first).status, 200);
      await waitForExchanges(proxy, 2);
      const next = send(proxy.endpoint, 'GET', '/_ping');
      await untilHeld(hold, 1);
      hold.releaseAll();
      assert.equal((await next).status, 200);
    } finally {
      await proxy.close();
    }
  });

  it('the global cap keeps a floor per priority', async () => {
    const hold = holdingDaemon();
    const yaml = profile('        priority: low').replace(
      'clients:\n',
      'clients:\n  global_concurrency: { max_inflight: 2 }\n',
    );
    const proxy = await startClientProxy(yaml, { handle: hold.handle });
    try {
      const first = send(proxy.endpoint, 'GET', '/_ping');
      await untilHeld(hold, 1);
      const refused = await send(proxy.endpoint, 'GET', '/_ping');
      assert.equal(refused.status, 429);
      assert.deepEqual(json(refused.body), { reason: 'priority_floor' });
      hold.releaseAll();
      await first;
    } finally {
      await proxy.close();
    }
  });

  const endings: {
    name: string;
    run: (proxy: ClientProxy, hold: ReturnType<typeof holdingDaemon>) => Promise<void>;
  }[] = [
    {
      name: 'the client aborts while the daemon has not answered',
      run: async (proxy, hold) => {
        const sockets = [0, 1].map(() => {
          const socket = net.connect({ path: (proxy.endpoint as { socketPath: string }).socketPath });
          socket.on('error', () => undefined);
          socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
          return socket;
        });
        await untilHeld(hold, 2);
        for (const socket of sockets) socket.destroy();
        // The daemon never answers these: the slots must come back with the client alone.
        hold.held.splice(0);
      },
    },
    {
      name: 'the upstream dies mid-request',
      run: async (proxy, hold) => {
        const answers = [send(proxy.endpoint, 'GET', '/_ping'), send(proxy.endpoint, 'GET', '/_ping')];
        await untilHeld(hold, 2);
        for (const res of hold.held.splice(0)) res.socket?.destroy();
        for (const answer of answers) await answer.catch(() => undefined);
      },
    },
    {
      name: 'the rules deny after admission',
      run: async (proxy) => {
        for (let i = 0; i < 2; i++) assert.equal((await send(proxy.endpoint, 'GET', '/info')).status, 403);
      },
    },
    {
      name: 'a hijacked tunnel closes',
      run: async (proxy) => {
        const socket = net.connect({ path: (proxy.endpoint as { socketPath: string }).socketPath });
        socket.on('error', () => undefined);
        socket.write(
          'POST /containers/abc/attach?stream=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
        );
        await new Promise((resolve) => socket.once('data', resolve));
        socket.destroy();
      },
    },
  ];
  for (const ending of endings) {
    it(`slots never leak: ${ending.name}`, async () => {
      const hold = holdingDaemon();
      const proxy = await startClientProxy(profile('        concurrency: { max_inflight: 2 }'), {
        handle: hold.handle,
      });
      try {
        await ending.run(proxy, hold);
        for (let i = 0; i < 200 && proxy.proxy.inFlight.size > 0; i++) await sleep(10);
        await sleep(20);
        assert.equal(await metric(proxy, 'sockguard_inflight_requests', { profile: 'limited' }), 0);
        // The whole cap is available again: two held at once, a third refused.
        const again = [send(proxy.endpoint, 'GET', '/_ping'), send(proxy.endpoint, 'GET', '/_ping')];
        await untilHeld(hold, 2);
        assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 429);
        hold.releaseAll();
        assert.deepEqual(
          (await Promise.all(again)).map((r) => r.status),
          [200, 200],
        );
      } finally {
        await proxy.close();
      }
    });
  }
});
