import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import endpoints from '../../../src/policy/docker-endpoints.json' with { type: 'json' };
import { classifyOwnedRequest, type OwnedRequest } from '../../../src/policy/ownership/classify-owned-request.js';

const STRICT = { allowUnownedImages: false };

function summary(r: OwnedRequest): string {
  switch (r.kind) {
    case 'create':
      return `create ${r.stamp}${r.references ? ` refs:${r.references}` : ''}`;
    case 'list':
      return `list ${r.list}${r.filterKey ? ` ${r.filterKey}` : ''}`;
    case 'per-resource':
      return [
        r.resource + (r.target.from === 'query' ? `?${r.target.parameter}` : ''),
        r.stamp ? 'stamp' : '',
        r.references ? `refs:${r.references}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    default:
      return r.kind;
  }
}

/** Every catalog endpoint, classified on purpose. A new catalog entry fails until it is added here. */
const EXPECTED: Record<string, string> = {
  'GET /containers/json': 'list containers label',
  'POST /containers/create': 'create container refs:container-create',
  'GET /containers/{id}/json': 'container',
  'GET /containers/{id}/top': 'container',
  'GET /containers/{id}/logs': 'container',
  'GET /containers/{id}/changes': 'container',
  'GET /containers/{id}/export': 'container',
  'GET /containers/{id}/stats': 'container',
  'POST /containers/{id}/resize': 'container',
  'POST /containers/{id}/start': 'container',
  'POST /containers/{id}/stop': 'container',
  'POST /containers/{id}/restart': 'container',
  'POST /containers/{id}/kill': 'container',
  'POST /containers/{id}/update': 'container',
  'POST /containers/{id}/rename': 'container',
  'POST /containers/{id}/pause': 'container',
  'POST /containers/{id}/unpause': 'container',
  'POST /containers/{id}/attach': 'container',
  'GET /containers/{id}/attach/ws': 'container',
  'POST /containers/{id}/wait': 'container',
  'DELETE /containers/{id}': 'container',
  'GET /containers/{id}/archive': 'container',
  'HEAD /containers/{id}/archive': 'container',
  'PUT /containers/{id}/archive': 'container',
  'POST /containers/prune': 'prune',
  'GET /images/json': 'list images label',
  'POST /build': 'create build',
  'POST /build/prune': 'global',
  'POST /images/create': 'global',
  'GET /images/{name}/json': 'image',
  'GET /images/{name}/attestations': 'image',
  'GET /images/{name}/history': 'image',
  'POST /images/{name}/push': 'image',
  'POST /images/{name}/tag': 'image',
  'DELETE /images/{name}': 'image',
  'GET /images/search': 'global',
  'POST /images/prune': 'prune',
  'POST /auth': 'global',
  'GET /info': 'global',
  'GET /version': 'global',
  'GET /_ping': 'global',
  'HEAD /_ping': 'global',
  'POST /commit': 'container?container',
  'GET /events': 'events',
  'GET /system/df': 'list system-df',
  'GET /images/{name}/get': 'image',
  'GET /images/get': 'image?names',
  'POST /images/load': 'global',
  'POST /containers/{id}/exec': 'container',
  'POST /exec/{id}/start': 'exec',
  'POST /exec/{id}/resize': 'exec',
  'GET /exec/{id}/json': 'exec',
  'GET /volumes': 'list volumes label',
  'POST /volumes/create': 'create volume',
  'GET /volumes/{name}': 'volume',
  'PUT /volumes/{name}': 'volume',
  'DELETE /volumes/{name}': 'volume',
  'POST /volumes/prune': 'prune',
  'GET /networks': 'list networks label',
  'GET /networks/{id}': 'network',
  'DELETE /networks/{id}': 'network',
  'POST /networks/create': 'create network',
  'POST /networks/{id}/connect': 'network refs:network-connect',
  'POST /networks/{id}/disconnect': 'network refs:network-connect',
  'POST /networks/prune': 'prune',
  'GET /plugins': 'global',
  'GET /plugins/privileges': 'global',
  'POST /plugins/pull': 'global',
  'GET /plugins/{name}/json': 'global',
  'DELETE /plugins/{name}': 'global',
  'POST /plugins/{name}/enable': 'global',
  'POST /plugins/{name}/disable': 'global',
  'POST /plugins/{name}/upgrade': 'global',
  'POST /plugins/create': 'global',
  'POST /plugins/{name}/push': 'global',
  'POST /plugins/{name}/set': 'global',
  'GET /nodes': 'list nodes node.label',
  'GET /nodes/{id}': 'node',
  'DELETE /nodes/{id}': 'node',
  'POST /nodes/{id}/update': 'node stamp',
  'GET /swarm': 'global',
  'POST /swarm/init': 'global',
  'POST /swarm/join': 'global',
  'POST /swarm/leave': 'global',
  'POST /swarm/update': 'global',
  'GET /swarm/unlockkey': 'global',
  'POST /swarm/unlock': 'global',
  'GET /services': 'list services label',
  'POST /services/create': 'create service refs:service-spec',
  'GET /services/{id}': 'service',
  'DELETE /services/{id}': 'service',
  'POST /services/{id}/update': 'service stamp refs:service-spec',
  'GET /services/{id}/logs': 'service',
  'GET /tasks': 'list tasks label',
  'GET /tasks/{id}': 'task',
  'GET /tasks/{id}/logs': 'task',
  'GET /secrets': 'list secrets label',
  'POST /secrets/create': 'create secret',
  'GET /secrets/{id}': 'secret',
  'DELETE /secrets/{id}': 'secret',
  'POST /secrets/{id}/update': 'secret stamp',
  'GET /configs': 'list configs label',
  'POST /configs/create': 'create config',
  'GET /configs/{id}': 'config',
  'DELETE /configs/{id}': 'config',
  'POST /configs/{id}/update': 'config stamp',
  'GET /distribution/{name}/json': 'global',
  'POST /session': 'global',
};

describe('classifyOwnedRequest covers the whole Engine API catalog', () => {
  const catalog = (endpoints as readonly { method: string; path: string }[]).map((e) => `${e.method} ${e.path}`);

  for (const key of catalog) {
    it(key, () => {
      const [method, template] = key.split(' ') as [string, string];
      const path = template.replace(/\{[^}]+\}/g, 'abc123');
      const classified = classifyOwnedRequest(method, path, STRICT);
      assert.notEqual(classified.kind, 'unsupported', `${key} is not classified`);
      assert.equal(summary(classified), EXPECTED[key], `${key} has no expectation, or another one`);
    });
  }

  it('has no expectation for an endpoint the catalog lacks', () => {
    assert.deepEqual(
      Object.keys(EXPECTED).filter((k) => !catalog.includes(k)),
      [],
    );
  });

  it('gives every global endpoint a reason', () => {
    for (const key of catalog) {
      const [method, template] = key.split(' ') as [string, string];
      const c = classifyOwnedRequest(method, template.replace(/\{[^}]+\}/g, 'x'), STRICT);
      if (c.kind === 'global') assert.ok(c.reason.length > 10, key);
    }
  });
});

describe('classifyOwnedRequest reads references the way dockerd routes them', () => {
  const cases: [string, string, string | undefined, string?, string?][] = [
    ['GET', '/containers/abc/json', 'abc', '/containers/', '/json'],
    ['GET', '/containers/a/b/json', 'a/b', '/containers/', '/json'],
    ['POST', '/containers/json/start', 'json', '/containers/', '/start'],
    ['GET', '/containers/create/json', 'create', '/containers/', '/json'],
    ['DELETE', '/containers/a/b', 'a/b', '/containers/', ''],
    ['GET', '/containers/x/attach/ws', 'x', '/containers/', '/attach/ws'],
    ['POST', '/containers/x/exec', 'x', '/containers/', '/exec'],
    ['POST', '/exec/e1/start', 'e1', '/exec/', '/start'],
    ['GET', '/exec/a/b/json', 'a/b', '/exec/', '/json'],
    ['GET', '/images/ghcr.io/org/app:1/json', 'ghcr.io/org/app:1', '/images/', '/json'],
    ['DELETE', '/images/ghcr.io/org/app@sha256:0123', 'ghcr.io/org/app@sha256:0123', '/images/', ''],
    ['GET', '/images/app/get', 'app', '/images/', '/get'],
    ['GET', '/networks/a/b', 'a/b', '/networks/', ''],
    ['POST', '/networks/n1/connect', 'n1', '/networks/', '/connect'],
    ['GET', '/volumes/v1', 'v1', '/volumes/', ''],
    ['PUT', '/volumes/v1', 'v1', '/volumes/', ''],
    ['GET', '/services/s1', 's1', '/services/', ''],
    ['POST', '/services/s1/update', 's1', '/services/', '/update'],
    ['GET', '/tasks/t1/logs', 't1', '/tasks/', '/logs'],
    ['POST', '/secrets/s1/update', 's1', '/secrets/', '/update'],
    ['GET', '/nodes/n1', 'n1', '/nodes/', ''],
  ];
  for (const [method, path, reference, before, after] of cases) {
    it(`${method} ${path} -> ${reference}`, () => {
      const c = classifyOwnedRequest(method, path, STRICT);
      assert.ok(c.kind === 'per-resource', JSON.stringify(c));
      assert.deepEqual(c.target, { from: 'path', reference, before, after });
    });
  }

  it('decides list versus inspect on the normalized path, never on a query', () => {
    // GET /containers/json?all=1&x=/json: the proxy passes the path without the query.
    assert.equal(classifyOwnedRequest('GET', '/containers/json', STRICT).kind, 'list');
  });

  const unsupported: [string, string][] = [
    ['HEAD', '/containers/x/json'],
    ['GET', '/services/a/b'],
    ['GET', '/secrets/a/b'],
    ['POST', '/containers/x/unknown'],
    ['GET', '/libpod/containers/json'],
    ['get', '/containers/json'],
    ['GET', '/Containers/json'],
    ['GET', '/v1.41/containers/json'],
  ];
  for (const [method, path] of unsupported) {
    it(`${method} ${path} is unsupported (denied)`, () => {
      const c = classifyOwnedRequest(method, path, STRICT);
      assert.equal(c.kind, 'unsupported');
    });
  }

  it('forwards with the full ID everywhere but images (push, tag and save need the name)', () => {
    const image = classifyOwnedRequest('POST', '/images/app/tag', STRICT);
    const container = classifyOwnedRequest('POST', '/containers/app/start', STRICT);
    assert.ok(image.kind === 'per-resource' && container.kind === 'per-resource');
    assert.equal(image.forwardFullId, false);
    assert.equal(container.forwardFullId, true);
  });

  it('lists images without a label filter under allow_unowned_images (post-filtered only)', () => {
    assert.deepEqual(classifyOwnedRequest('GET', '/images/json', { allowUnownedImages: true }), {
      kind: 'list',
      list: 'images',
    });
    assert.equal(summary(classifyOwnedRequest('POST', '/images/prune', { allowUnownedImages: true })), 'prune');
  });
});
