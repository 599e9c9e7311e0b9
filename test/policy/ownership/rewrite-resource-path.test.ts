import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  readQueryReferences,
  rewriteQueryReference,
  rewriteResourcePath,
} from '../../../src/policy/ownership/rewrite-resource-path.js';

const FULL = 'a'.repeat(64);
const target = (reference: string, before = '/containers/', after = '/json') =>
  ({ from: 'path', reference, before, after }) as const;

describe('rewriteResourcePath', () => {
  const cases: [string, string | undefined, ReturnType<typeof target>, string, string][] = [
    ['a name', undefined, target('web'), `/containers/web/json`, `/containers/${FULL}/json`],
    [
      'a version prefix and the query',
      'size=1&x=%2F',
      target('a1'),
      '/v1.41/containers/a1/json',
      `/v1.41/containers/${FULL}/json?size=1&x=%2F`,
    ],
    ['a trailing slash', undefined, target('web'), '/containers/web/json/', `/containers/${FULL}/json/`],
    ['a greedy reference', undefined, target('a/b'), '/containers/a/b/json', `/containers/${FULL}/json`],
    ['a volume name', undefined, target('data', '/volumes/', ''), '/volumes/data', '/volumes/data'],
    [
      'a reference with bytes that need encoding',
      undefined,
      target('wéb', '/containers/', '/start'),
      '/containers/wéb/start',
      `/containers/${FULL}/start`,
    ],
  ];
  for (const [name, rawQuery, t, decodedPath, expected] of cases) {
    it(name, () => {
      const id = t.before === '/volumes/' ? 'data' : FULL;
      assert.deepEqual(rewriteResourcePath({ decodedPath, rawQuery }, t, id), { ok: true, forwardTarget: expected });
    });
  }

  it('refuses a path that does not name the target', () => {
    const result = rewriteResourcePath({ decodedPath: '/containers/other/json' }, target('web'), FULL);
    assert.ok(!result.ok);
    assert.equal(result.status, 400);
    const prefixed = rewriteResourcePath({ decodedPath: '/x/containers/web/json' }, target('web'), FULL);
    assert.equal(prefixed.ok, false);
  });

  it('refuses a resolved ID that could change the path (a 502: the daemon answered nonsense)', () => {
    for (const bad of ['', '../x', 'a/b', 'a?b', '-x', 'a b', 'a%2F']) {
      const result = rewriteResourcePath({ decodedPath: '/containers/web/json' }, target('web'), bad);
      assert.ok(!result.ok, bad);
      assert.equal(result.status, 502);
    }
  });
});

describe('query targets', () => {
  it('commit: exactly one container parameter, replaced in place', () => {
    assert.deepEqual(readQueryReferences('container=web&repo=x', 'container'), { ok: true, references: ['web'] });
    assert.deepEqual(rewriteQueryReference('repo=x&container=web&tag=1', 'container', FULL), {
      ok: true,
      rawQuery: `repo=x&container=${FULL}&tag=1`,
    });
    for (const q of ['repo=x', 'container=a&container=b', 'container=a;b']) {
      assert.equal(readQueryReferences(q, 'container').ok, false, q);
    }
    assert.equal(rewriteQueryReference('container=a&container=b', 'container', FULL).ok, false);
  });

  it('image save: every names value', () => {
    assert.deepEqual(readQueryReferences('names=a%3A1&names=b&platform=x', 'names'), {
      ok: true,
      references: ['a:1', 'b'],
    });
    assert.deepEqual(readQueryReferences(undefined, 'names'), { ok: true, references: [] });
  });
});
