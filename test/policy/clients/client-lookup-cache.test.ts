import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientLookupCache } from '../../../src/policy/clients/client-lookup-cache.js';

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  let now = 0;
  const calls: string[] = [];
  let fail = false;
  const cache = new ClientLookupCache<string>({
    ...options,
    now: () => now,
    resolve: async (key) => {
      const call = calls.push(key);
      await new Promise((r) => setImmediate(r));
      if (fail) throw new Error('daemon down');
      return `container-of-${key}-${call}`;
    },
  });
  return { cache, calls, advance: (ms: number) => (now += ms), failNext: (f: boolean) => (fail = f) };
}

test('concurrent lookups for one address share a single daemon call', async () => {
  const { cache, calls } = setup();
  const results = await Promise.all([cache.lookup('10.0.0.1'), cache.lookup('10.0.0.1'), cache.lookup('10.0.0.2')]);
  assert.deepEqual(results, ['container-of-10.0.0.1-1', 'container-of-10.0.0.1-1', 'container-of-10.0.0.2-2']);
  assert.deepEqual(calls, ['10.0.0.1', '10.0.0.2']);
});

test('results live ttlMs (10 s by default), then are looked up again', async () => {
  const { cache, calls, advance } = setup();
  await cache.lookup('a');
  advance(9_999);
  await cache.lookup('a');
  assert.equal(calls.length, 1);
  advance(1);
  assert.equal(await cache.lookup('a'), 'container-of-a-2');
});

test('failures are not cached', async () => {
  const { cache, calls, failNext } = setup();
  failNext(true);
  await assert.rejects(cache.lookup('a'), /daemon down/);
  failNext(false);
  assert.equal(await cache.lookup('a'), 'container-of-a-2');
  assert.equal(calls.length, 2);
});

test('at most maxEntries addresses are kept: expired first, then the oldest', async () => {
  const { cache, calls, advance } = setup({ maxEntries: 2, ttlMs: 1000 });
  await cache.lookup('a');
  advance(10);
  await cache.lookup('b');
  await cache.lookup('c');
  assert.equal(cache.size, 2);
  await cache.lookup('b');
  assert.equal(calls.length, 3, 'b is still cached');
  await cache.lookup('a');
  assert.equal(calls.length, 4, 'a was the oldest and went');
  advance(2000);
  await cache.lookup('d');
  assert.equal(cache.size, 1, 'expired entries are dropped when storing');
});
