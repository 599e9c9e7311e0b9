import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closestEndpointGlob,
  endpointsMatchedBy,
  ENGINE_ENDPOINTS,
  isOutsideCatalog,
} from '../../src/lint/endpoint-catalog.js';

const matched = (pattern: string) => endpointsMatchedBy(pattern).map((e) => `${e.method} ${e.path}`);

test('every catalog endpoint is matched by its own glob', () => {
  for (const endpoint of ENGINE_ENDPOINTS) {
    assert.ok(matched(endpoint.glob).includes(`${endpoint.method} ${endpoint.path}`), endpoint.path);
  }
});

test('endpointsMatchedBy: specific names match templates; image references may span segments', () => {
  const cases: [pattern: string, expected: string[]][] = [
    ['/containers/json', ['GET /containers/json', 'DELETE /containers/{id}']],
    ['/containers/my-app/json', ['GET /containers/{id}/json']],
    // An image reference may contain `/`, so this is also an image named "library/alpine/json".
    ['/images/library/alpine/json', ['GET /images/{name}/json', 'DELETE /images/{name}']],
    ['/images/registry.example:5000/team/app/push', ['POST /images/{name}/push', 'DELETE /images/{name}']],
    // Container names never contain `/`: an extra segment only reaches a failing lookup.
    ['/containers/a/b/json', []],
    ['/containers/*/jsn', []],
    ['/grpc', ['POST /grpc']],
    ['/debug/pprof/heap', ['GET /debug/pprof/{name}']],
    ['/_ping', ['GET /_ping', 'HEAD /_ping']],
  ];
  for (const [pattern, expected] of cases) assert.deepEqual(matched(pattern), expected, pattern);
  assert.equal(matched('/**').length, ENGINE_ENDPOINTS.length);
  assert.equal(
    matched('/containers/**').length,
    ENGINE_ENDPOINTS.filter((e) => e.path.startsWith('/containers')).length,
  );
});

test('closestEndpointGlob suggests near misses only', () => {
  const cases: [pattern: string, suggestion: string | undefined][] = [
    ['/containers/*/jsn', '/containers/*/json'],
    ['/contaners/json', '/containers/json'],
    ['/volume/*', '/volumes/*'],
    ['/contaners/**', '/containers/**'],
    ['/foo/bar/baz/qux', undefined],
  ];
  for (const [pattern, suggestion] of cases) assert.equal(closestEndpointGlob(pattern), suggestion, pattern);
});

test("Podman's libpod API is outside the catalog", () => {
  for (const p of ['/libpod', '/libpod/containers/json', '/libpod/**', '/libpod*']) assert.ok(isOutsideCatalog(p), p);
  for (const p of ['/libpodx', '/containers/libpod']) assert.ok(!isOutsideCatalog(p), p);
});
