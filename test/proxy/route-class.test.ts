import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyRoute, firstQueryValue, isTrueQueryValue } from '../../src/proxy/route-class.js';
import { templateRoute } from '../../src/proxy/route-template.js';

describe('classifyRoute', () => {
  const table: {
    method: string;
    path: string;
    query?: string;
    hijack?: string;
    streaming: boolean;
    unbounded: boolean;
    bulk?: boolean;
  }[] = [
    { method: 'POST', path: '/containers/abc/attach', hijack: 'attach', streaming: true, unbounded: true },
    { method: 'POST', path: '/exec/abc/start', hijack: 'exec-start', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/abc/attach/ws', hijack: 'attach-ws', streaming: true, unbounded: true },
    // Never tunnelled: BuildKit tunnels, multi-segment names, other methods.
    { method: 'POST', path: '/session', streaming: false, unbounded: false },
    { method: 'POST', path: '/grpc', streaming: false, unbounded: false },
    // A link alias names a container across segments; dockerd still hijacks.
    { method: 'POST', path: '/containers/web/db/attach', hijack: 'attach', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/web/db/export', streaming: true, unbounded: false },
    { method: 'POST', path: '/exec/a/b/start', streaming: false, unbounded: false },
    { method: 'GET', path: '/containers/abc/attach', streaming: false, unbounded: false },
    { method: 'POST', path: '/containers/abc/start', streaming: false, unbounded: false },
    { method: 'GET', path: '/events', streaming: true, unbounded: true },
    { method: 'GET', path: '/events', query: 'since=1&until=2', streaming: true, unbounded: false },
    { method: 'GET', path: '/containers/abc/logs', query: 'follow=1', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/abc/logs', query: 'follow=on', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/abc/logs', query: 'follow=0', streaming: false, unbounded: false },
    { method: 'GET', path: '/containers/abc/logs', query: 'follow=1&follow=0', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/abc/stats', streaming: true, unbounded: true },
    { method: 'GET', path: '/containers/abc/stats', query: 'stream=false', streaming: false, unbounded: false },
    { method: 'GET', path: '/containers/abc/export', streaming: true, unbounded: false },
    { method: 'GET', path: '/images/proxytest/busybox:latest/get', streaming: true, unbounded: false },
    { method: 'POST', path: '/containers/abc/wait', streaming: true, unbounded: true },
    { method: 'PUT', path: '/containers/abc/archive', streaming: true, unbounded: false, bulk: true },
    { method: 'POST', path: '/images/load', streaming: true, unbounded: false, bulk: true },
    { method: 'GET', path: '/containers/json', streaming: false, unbounded: false },
  ];
  for (const row of table) {
    it(`${row.method} ${row.path}${row.query ? '?' + row.query : ''}`, () => {
      const route = classifyRoute(row.method, row.path, row.query);
      assert.equal(route.hijack, row.hijack);
      assert.equal(route.streaming, row.streaming);
      assert.equal(route.unbounded, row.unbounded);
      assert.equal(route.bulkUpload, row.bulk ?? false);
    });
  }

  it('reads query parameters as dockerd does (first value, Go booleans)', () => {
    assert.equal(firstQueryValue('a=1&a=2', 'a'), '1');
    assert.equal(firstQueryValue('x=1&%66ollow=yes', 'follow'), 'yes');
    assert.equal(firstQueryValue('follow', 'follow'), '');
    assert.equal(firstQueryValue(undefined, 'follow'), undefined);
    for (const falsy of ['', '0', 'no', 'FALSE', ' none ']) assert.equal(isTrueQueryValue(falsy), false, falsy);
    for (const truthy of ['1', 'true', 'on', 'x']) assert.equal(isTrueQueryValue(truthy), true, truthy);
  });
});

describe('templateRoute', () => {
  const table: [string, string][] = [
    ['/containers/json', '/containers/json'],
    ['/containers/0123abcd/json', '/containers/{id}/json'],
    ['/containers/abc/attach/ws', '/containers/{id}/attach/ws'],
    ['/images/proxytest/busybox:latest/json', '/images/{name}/json'],
    ['/images/json', '/images/json'],
    ['/_ping', '/_ping'],
    ['/no/such/route', 'other'],
  ];
  for (const [path, route] of table) it(`${path} -> ${route}`, () => assert.equal(templateRoute(path), route));
});
