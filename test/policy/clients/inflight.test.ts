import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InflightCounter, priorityThreshold, type Priority } from '../../../src/policy/clients/inflight.js';

test('priorityThreshold: floor of low 50 %, normal 80 %, high 100 % of the global cap; high gets at least 1', () => {
  const cases: [Priority, number, number][] = [
    ['low', 10, 5],
    ['normal', 10, 8],
    ['high', 10, 10],
    ['low', 3, 1],
    ['normal', 3, 2],
    ['normal', 4, 3],
    ['low', 1, 0],
    ['normal', 1, 0],
    ['high', 1, 1],
    ['low', 9, 4],
    ['normal', 9, 7],
  ];
  for (const [priority, max, expected] of cases)
    assert.equal(priorityThreshold(priority, max), expected, `${priority} of ${max}`);
});

test('InflightCounter admits below the cap, never counts a refusal, and forgets keys at zero', () => {
  const counter = new InflightCounter();
  assert.equal(counter.tryAcquire('a', 2), true);
  assert.equal(counter.tryAcquire('a', 2), true);
  assert.equal(counter.tryAcquire('a', 2), false);
  assert.equal(counter.count('a'), 2);
  assert.equal(counter.tryAcquire('b', 2), true);
  assert.equal(counter.total(), 3);
  counter.release('a');
  assert.equal(counter.tryAcquire('a', 2), true);
  counter.release('a');
  counter.release('a');
  counter.release('b');
  assert.equal(counter.total(), 0);
  // Releasing more than acquired never goes negative.
  counter.release('a');
  assert.equal(counter.count('a'), 0);
  counter.acquire('c');
  counter.acquire('c');
  assert.equal(counter.count('c'), 2);
});
