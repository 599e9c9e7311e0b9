import { test } from 'node:test';
import assert from 'node:assert/strict';
import endpoints from '../../src/policy/docker-endpoints.json' with { type: 'json' };
import { STANDARD_METHODS } from '../../src/policy/methods.js';
import { READ_EXFILTRATION_PROBES } from '../../src/policy/probes.js';
import { buildCorpus, CORPUS_SLASH_IDS, VERSION_PREFIXES, type CorpusRequest } from '../../src/verify/corpus.js';

const corpus = buildCorpus();
const keyOf = (r: { method: string; target: string }): string => `${r.method} ${r.target}`;
const byKey = new Map(corpus.map((r) => [keyOf(r), r]));

test('the corpus is deterministic: same requests, same order, every build', () => {
  assert.deepEqual(buildCorpus(), corpus);
});

test('the corpus size stays within 10k-50k requests', () => {
  assert.ok(corpus.length >= 10_000 && corpus.length <= 50_000, `corpus has ${corpus.length} requests`);
});

test('each (method, target) pair appears once', () => {
  assert.equal(byKey.size, corpus.length);
});

test('every request is origin-form with a standard method', () => {
  for (const r of corpus) {
    assert.ok(r.target.startsWith('/'), r.target);
    assert.ok(STANDARD_METHODS.includes(r.method), r.method);
  }
});

test('every catalog endpoint appears with every version-prefix form, under its operationId', () => {
  for (const endpoint of endpoints) {
    const literal = endpoint.path.split('{')[0]!;
    for (const prefix of VERSION_PREFIXES) {
      const hit = corpus.find(
        (r) =>
          r.family === 'catalog' &&
          r.endpoint === endpoint.operationId &&
          r.method === endpoint.method &&
          r.template === endpoint.path &&
          r.target.startsWith(prefix + literal) &&
          (prefix !== '' || !/^\/v1\.4[15]\//.test(r.target)),
      );
      assert.ok(hit, `${endpoint.method} ${prefix}${endpoint.path} (${endpoint.operationId}) is missing`);
    }
  }
});

test('every path template is sent with all nine methods; endpoint is set only for catalog method+path pairs', () => {
  const catalog = new Set(endpoints.map((e) => `${e.method} ${e.path}`));
  for (const path of new Set(endpoints.map((e) => e.path))) {
    const rows = corpus.filter((r) => r.family === 'catalog' && r.template === path);
    assert.deepEqual(new Set(rows.map((r) => r.method)), new Set(STANDARD_METHODS), path);
    for (const r of rows) assert.equal(r.endpoint !== undefined, catalog.has(`${r.method} ${path}`), keyOf(r));
  }
});

test('path parameters get concrete ids; slash-capable ones also get image references', () => {
  const has = (method: string, target: string) => byKey.get(`${method} ${target}`)?.family === 'catalog';
  assert.ok(has('POST', '/v1.45/containers/4f66ad0b1c2d/start'));
  assert.ok(has('GET', '/v1.41/containers/web-1/json'));
  assert.ok(has('DELETE', '/containers/My_App.2'));
  for (const ref of CORPUS_SLASH_IDS) assert.ok(has('GET', `/v1.41/images/${ref}/json`), ref);
  // `/services/{id}` is not `{x:.*}` in the daemon: no slash ids there.
  assert.ok(has('GET', '/services/web-1'));
  assert.ok(!byKey.has('GET /services/registry:5000/org/app:1.0'));
  assert.ok(corpus.every((r) => r.family !== 'catalog' || !r.target.includes('{')));
});

// The probes the brief and peers.md §0/§1.4/§4.1 name.
const QUIRKS: [string, CorpusRequest['quirk']][] = [
  ['/containersfoo', 'prefix-extension'],
  ['/versionfoo', 'prefix-extension'],
  ['/containers/4f66ad0b1c2d/startfoo', 'prefix-extension'],
  ['/containers/4f66ad0b1c2d/start/x', 'prefix-extension'],
  ['/containers/jsonfoo', 'prefix-extension'],
  ['/INFO', 'case'],
  ['/Containers/json', 'case'],
  ['/v1.41/CONTAINERS/JSON', 'case'],
  ['/containers/json/', 'trailing-slash'],
  ['/containers/json?x=/secrets', 'query-path'],
  ['/info?x=/containers/x/archive', 'query-path'],
  ['/containers/4f66ad0b1c2d/attach%2Fws', 'encoded'],
  ['/swarm/%75nlockkey', 'encoded'],
  ['/images%2Fget', 'encoded'],
  ['/v1.41/%63ontainers/json', 'encoded'],
  ['/containers%252Fjson', 'encoded'],
  ['/containers/my-secrets-app/json', 'keyword-name'],
  ['/containers/../secrets', 'dot-segment'],
  ['/v1.41/_ping/x/../../containers/4f66ad0b1c2d/archive', 'dot-segment'],
  ['/containers/%2e%2e/secrets', 'dot-segment'],
  ['//containers', 'dot-segment'],
  ['/v1../containers/json', 'version-prefix'],
  ['/V1.41/containers/json', 'version-prefix'],
  ['/v1.23/containers/json', 'version-prefix'],
  ['/api/v1.41/_ping', 'version-prefix'],
  ['/libpod/containers/json', 'libpod'],
  ['/v4.0.0/libpod/containers/json', 'libpod'],
  ['/moby.buildkit.v1.Control/Solve', 'buildkit'],
  ['/grpc', 'buildkit'],
  ['/debug/pprof/', 'daemon-route'],
  ['/containers/%zz/json', 'malformed'],
  ['/containers/json#x', 'malformed'],
  ['/containers/sockguard-test/archive', 'sockguard-probe'],
  ['/libpod/generate/kube', 'sockguard-probe'],
];

for (const [target, quirk] of QUIRKS) {
  test(`quirk probe ${target} is sent with every method as ${quirk}`, () => {
    for (const method of STANDARD_METHODS) {
      const r = byKey.get(`${method} ${target}`);
      assert.ok(r, `${method} ${target} is missing`);
      assert.equal(r.family, 'quirk');
      assert.equal(r.quirk, quirk);
    }
  });
}

test('catalog requests are never relabelled as quirks (POST /session is an endpoint)', () => {
  assert.equal(byKey.get('POST /session')?.family, 'catalog');
  assert.equal(byKey.get('POST /session')?.endpoint, 'Session');
});

test('every sockguard startup probe is in the corpus with its own method', () => {
  for (const probe of READ_EXFILTRATION_PROBES)
    assert.ok(byKey.has(keyOf({ method: probe.method, target: probe.path })));
});

test('quirk variants of a catalog path keep its template and, for its own method, its operationId', () => {
  const r = byKey.get('POST /v1.45/CONTAINERS/4F66AD0B1C2D/START');
  assert.deepEqual(r, {
    method: 'POST',
    target: '/v1.45/CONTAINERS/4F66AD0B1C2D/START',
    family: 'quirk',
    endpoint: 'ContainerStart',
    template: '/containers/{id}/start',
    quirk: 'case',
  });
});
