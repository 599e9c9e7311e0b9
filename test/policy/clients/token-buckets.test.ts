import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBuckets } from '../../../src/policy/clients/token-buckets.js';

type Step = [atMs: number, cost: number, expected: true | number];

/** Runs cost-taking steps against one client; `expected` is true (taken) or the Retry-After seconds. */
function run(settings: { tokensPerSecond: number; burst: number }, steps: Step[]) {
  const buckets = new TokenBuckets(settings);
  steps.forEach(([at, cost, expected], i) => {
    const result = buckets.take('client', cost, at);
    assert.deepEqual(
      result,
      expected === true ? { ok: true } : { ok: false, retryAfterSeconds: expected },
      `step ${i} at ${at} ms`,
    );
  });
}

test('a bucket starts full: burst requests pass at once, the next waits', () => {
  run({ tokensPerSecond: 1, burst: 3 }, [
    [0, 1, true],
    [0, 1, true],
    [0, 1, true],
    [0, 1, 1],
    [0, 1, 1],
  ]);
});

test('refill is continuous and capped at burst', () => {
  run({ tokensPerSecond: 2, burst: 2 }, [
    [0, 1, true],
    [0, 1, true],
    [0, 1, 1], // needs 0.5 s: rounded up to 1
    [499, 1, 1],
    [500, 1, true],
    [500, 1, 1],
    // A long idle period refills to burst, not beyond.
    [60_000, 1, true],
    [60_000, 1, true],
    [60_000, 1, 1],
  ]);
});

test('Retry-After is the whole seconds until the cost is available, at least 1', () => {
  run({ tokensPerSecond: 1, burst: 10 }, [
    [0, 10, true],
    [0, 10, 10],
    [0, 3, 3],
    [2500, 3, 1], // 2.5 tokens: 0.5 s short
    [2500, 10, 8], // 7.5 s short: 8
    [3000, 3, true],
  ]);
  run({ tokensPerSecond: 10, burst: 10 }, [
    [0, 10, true],
    [0, 1, 1], // 0.1 s: still 1
    [100, 1, true],
  ]);
  // 0.1 + 0.2 tokens must not turn an exact 1 s wait into 2 s.
  run({ tokensPerSecond: 10, burst: 20 }, [
    [0, 20, true],
    [10, 1, 1],
    [30, 10, 1],
  ]);
});

test('a refused request takes nothing; costs take several tokens', () => {
  run({ tokensPerSecond: 1, burst: 5 }, [
    [0, 4, true],
    [0, 2, 1],
    [0, 1, true],
    [0, 1, 1],
  ]);
});

test('clients have separate buckets', () => {
  const buckets = new TokenBuckets({ tokensPerSecond: 1, burst: 1 });
  assert.equal(buckets.take('a', 1, 0).ok, true);
  assert.equal(buckets.take('a', 1, 0).ok, false);
  assert.equal(buckets.take('b', 1, 0).ok, true);
});

test('a clock going backwards refills nothing', () => {
  run({ tokensPerSecond: 1, burst: 1 }, [
    [10_000, 1, true],
    [5_000, 1, 1],
    [10_500, 1, 1],
    [11_000, 1, true],
  ]);
});

test('memory: refilled buckets are dropped, and beyond maxBuckets the least recently used goes', () => {
  const buckets = new TokenBuckets({ tokensPerSecond: 1, burst: 2 }, 3);
  for (const key of ['a', 'b', 'c']) buckets.take(key, 2, 0);
  assert.equal(buckets.size, 3);
  // Over the cap: 'a' (least recently used) is forgotten and would start full again.
  buckets.take('d', 1, 100);
  assert.equal(buckets.size, 3);
  assert.equal(buckets.take('a', 2, 100).ok, true);
  // 'b' was evicted by 'a'; 'c' and 'd' remain and are still empty.
  assert.equal(buckets.take('c', 1, 100).ok, false);
  // After burst/tps = 2 s untouched, a bucket is full again and indistinguishable from a new one.
  buckets.take('e', 1, 2_099);
  assert.equal(buckets.size, 3, 'nothing refilled yet (1999 ms): e took the place of the least recently used');
  buckets.take('e', 1, 2_100);
  assert.equal(buckets.size, 1, 'c, d and a refilled and were dropped');
});

test('memory stays bounded under a flood of distinct clients', () => {
  const buckets = new TokenBuckets({ tokensPerSecond: 1, burst: 1 }, 100);
  for (let i = 0; i < 10_000; i++) buckets.take(`ip:${i}`, 1, i);
  assert.ok(buckets.size <= 100);
});
