import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEndpointCosts, costOf } from '../../../src/policy/clients/endpoint-costs.js';

test('costOf: first matching entry by method and glob over the normalized path, else 1', () => {
  const costs = compileEndpointCosts([
    { path: '/build', methods: ['post'], cost: 10 },
    { path: '/images/create', methods: [' POST '], cost: 5 },
    { path: '/containers/*/exec', cost: 3 },
    { path: '/containers/**', methods: ['POST', 'DELETE'], cost: 2 },
    { path: '/containers/*/exec', methods: ['POST'], cost: 99 },
  ]);
  const cases: [string, string, number][] = [
    ['POST', '/build', 10],
    ['post', '/build', 10],
    ['GET', '/build', 1],
    ['POST', '/images/create', 5],
    ['POST', '/containers/abc/exec', 3],
    ['GET', '/containers/abc/exec', 3],
    ['DELETE', '/containers/abc', 2],
    ['POST', '/containers', 2],
    ['GET', '/containers/json', 1],
    ['GET', '/_ping', 1],
    ['POST', '/build/x', 1],
  ];
  for (const [method, path, cost] of cases) assert.equal(costOf(costs, method, path), cost, `${method} ${path}`);
});

test('costOf: no entries cost 1; a cost below 1 never makes a request free', () => {
  assert.equal(costOf(compileEndpointCosts(undefined), 'POST', '/build'), 1);
  assert.equal(costOf(compileEndpointCosts([{ path: '/build', cost: 0 }]), 'POST', '/build'), 1);
  // An empty path matches nothing.
  assert.equal(costOf(compileEndpointCosts([{ cost: 7 }]), 'GET', '/'), 1);
});
