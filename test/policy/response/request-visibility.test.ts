import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequestVisibility } from '../../../src/policy/response/request-visibility.js';
import { compileVisibility, type VisibilitySettings } from '../../../src/policy/response/visibility.js';

const OWNER = { labelKey: 'owner', owner: 'alice', allowUnownedImages: true };

function visibility(settings: VisibilitySettings, owner = false) {
  const compiled = compileVisibility(settings, owner ? OWNER : undefined);
  if (!compiled.ok) throw new Error(compiled.problem);
  return compiled.visibility;
}

/** A daemon that knows a few objects; records every lookup. */
function daemon(objects: Record<string, { status: number; body: unknown }>) {
  const asked: string[] = [];
  const lookup = async (path: string) => {
    asked.push(path);
    const found = objects[path];
    return found ? { status: found.status, body: JSON.stringify(found.body) } : { status: 404, body: '{}' };
  };
  return { asked, lookup };
}

const prodImage = { status: 200, body: { Id: 'sha256:1', RepoTags: ['app:1'], Config: { Labels: { env: 'prod' } } } };
const devImage = { status: 200, body: { Id: 'sha256:2', RepoTags: ['tool:1'], Config: { Labels: { env: 'dev' } } } };

const cases: {
  name: string;
  settings: VisibilitySettings;
  owner?: boolean;
  request: { method: string; normalizedPath: string; rawQuery?: string; body?: string };
  verdict: { ok: boolean; status?: number; rawQuery?: string };
  lookups: number;
}[] = [
  {
    name: 'an owner scope alone is left to ownership (no lookup)',
    settings: {},
    owner: true,
    request: { method: 'POST', normalizedPath: '/containers/x/start' },
    verdict: { ok: true },
    lookups: 0,
  },
  {
    name: 'an inspect is left to the response filter (no second lookup)',
    settings: { visible_resource_labels: ['env=prod'] },
    request: { method: 'GET', normalizedPath: '/images/tool:1/json' },
    verdict: { ok: true },
    lookups: 0,
  },
  {
    name: 'every image named by /images/get must be visible',
    settings: { visible_resource_labels: ['env=prod'] },
    request: { method: 'GET', normalizedPath: '/images/get', rawQuery: 'names=app:1&names=tool:1' },
    verdict: { ok: false, status: 404 },
    lookups: 2,
  },
  {
    name: 'an image push by a visible name passes',
    settings: { image_patterns: ['app:*'] },
    request: { method: 'POST', normalizedPath: '/images/app:1/push' },
    verdict: { ok: true },
    lookups: 1,
  },
  {
    name: 'an inspect answer of an unexpected shape is a lookup failure',
    settings: { visible_resource_labels: ['env'] },
    request: { method: 'DELETE', normalizedPath: '/volumes/odd' },
    verdict: { ok: false, status: 502 },
    lookups: 1,
  },
  {
    name: 'a reference dockerd would not look up is 400',
    settings: { visible_resource_labels: ['env'] },
    request: { method: 'DELETE', normalizedPath: '/containers/a/../b' },
    verdict: { ok: false, status: 400 },
    lookups: 0,
  },
  {
    name: 'an unreadable filters parameter is 400',
    settings: { visible_resource_labels: ['env'] },
    request: { method: 'GET', normalizedPath: '/containers/json', rawQuery: 'filters=%7B' },
    verdict: { ok: false, status: 400 },
    lookups: 0,
  },
  {
    name: "a create body's image is not checked (unlabelled images stay usable), its containers are",
    settings: { visible_resource_labels: ['env=prod'] },
    request: {
      method: 'POST',
      normalizedPath: '/containers/create',
      body: JSON.stringify({ Image: 'tool:1', HostConfig: { Links: ['db:db'] } }),
    },
    verdict: { ok: true },
    lookups: 1,
  },
  {
    name: 'a create body that cannot be read is 400',
    settings: { visible_resource_labels: ['env=prod'] },
    request: { method: 'POST', normalizedPath: '/containers/create', body: '{' },
    verdict: { ok: false, status: 400 },
    lookups: 0,
  },
  {
    name: 'node lists get node.label',
    settings: { visible_resource_labels: ['env=prod'] },
    request: { method: 'GET', normalizedPath: '/nodes' },
    verdict: { ok: true, rawQuery: `filters=${encodeURIComponent('{"node.label":{"env=prod":true}}')}` },
    lookups: 0,
  },
];

for (const c of cases) {
  test(`request visibility: ${c.name}`, async () => {
    const { asked, lookup } = daemon({
      '/images/app:1/json': prodImage,
      '/images/tool:1/json': devImage,
      '/volumes/odd': { status: 200, body: { Name: 'odd', Labels: ['not', 'a', 'map'] } },
    });
    const { body, ...rest } = c.request;
    const request = { ...rest, ...(body !== undefined ? { body: new TextEncoder().encode(body) } : {}) };
    const verdict = await checkRequestVisibility(request, visibility(c.settings, c.owner), lookup);
    assert.equal(verdict.ok, c.verdict.ok, JSON.stringify(verdict));
    if (!verdict.ok) assert.equal(verdict.status, c.verdict.status);
    if (verdict.ok && c.verdict.rawQuery !== undefined) assert.equal(verdict.rawQuery, c.verdict.rawQuery);
    assert.equal(asked.length, c.lookups, asked.join(', '));
  });
}
