import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonTree, stringifyJsonTree, type JsonNode } from '../../../src/policy/response/json-tree.js';
import { ShapeMismatch } from '../../../src/policy/response/tree-edits.js';
import {
  compileVisibility,
  constrainsVisibility,
  filterListResponse,
  isVisible,
  mergeVisibilitySettings,
  formatSelectorFilters,
  type CompiledVisibility,
  type ListShape,
  type OwnerScope,
  type VisibilitySettings,
} from '../../../src/policy/response/visibility.js';
import { readFixture } from './response-fixtures.js';

function compiled(settings: VisibilitySettings, owner?: OwnerScope): CompiledVisibility {
  const result = compileVisibility(settings, owner);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.visibility;
}

function tree(text: string | Buffer): JsonNode {
  const parsed = parseJsonTree(typeof text === 'string' ? text : new Uint8Array(text));
  assert.ok(parsed.ok);
  return parsed.value;
}

function filtered(shape: ListShape, text: string, v: CompiledVisibility): unknown {
  return JSON.parse(stringifyJsonTree(filterListResponse(shape, tree(text), v).tree));
}

const ALICE: OwnerScope = { labelKey: 'owner', owner: 'alice', allowUnownedImages: false };

describe('compileVisibility', () => {
  it('refuses empty patterns and selectors without a key', () => {
    for (const settings of [
      { name_patterns: [''] },
      { image_patterns: ['ok', ''] },
      { visible_resource_labels: ['=x'] },
      { visible_resource_labels: [''] },
    ]) {
      assert.equal(compileVisibility(settings).ok, false, JSON.stringify(settings));
    }
  });

  it('reads `key` and `key=value` selectors (the value may contain =) and gives them back as filter values', () => {
    const v = compiled({ visible_resource_labels: ['team', 'env=a=b'] });
    assert.deepEqual(v.selectors, [{ key: 'team' }, { key: 'env', value: 'a=b' }]);
    assert.deepEqual(formatSelectorFilters(v), ['team', 'env=a=b']);
  });

  it('knows when nothing is constrained', () => {
    assert.equal(constrainsVisibility(compiled({})), false);
    assert.equal(constrainsVisibility(compiled({}, ALICE)), true);
    assert.equal(constrainsVisibility(compiled({ image_patterns: ['x'] })), true);
  });

  it('merges a profile over the root: selectors and patterns of both, without repeats', () => {
    assert.deepEqual(
      mergeVisibilitySettings(
        { visible_resource_labels: ['a'], name_patterns: ['web-*'] },
        { visible_resource_labels: ['a', 'b=1'], image_patterns: ['ghcr.io/**'] },
      ),
      { visible_resource_labels: ['a', 'b=1'], name_patterns: ['web-*'], image_patterns: ['ghcr.io/**'] },
    );
  });
});

const container = (names: string[], image: string, labels: Record<string, string> | null) =>
  JSON.stringify({ Id: 'c', Names: names, Image: image, Labels: labels });

describe('container lists', () => {
  const list = `[${[
    container(['/web-1'], 'ghcr.io/org/web:1', { owner: 'alice', team: 'a' }),
    container(['/db'], 'postgres:16', { owner: 'alice' }),
    container(['/web-2'], 'ghcr.io/org/web:2', { owner: 'bob', team: 'a' }),
    container(['/other'], 'busybox', null),
    container(['/db/web-alias', '/x'], 'busybox', { owner: 'alice' }),
  ].join(',')}]`;
  const names = (v: CompiledVisibility) =>
    (filtered('containers', list, v) as { Names: string[] }[]).map((c) => c.Names.at(-1));

  const cases: [string, VisibilitySettings, OwnerScope | undefined, string[]][] = [
    ['no constraint', {}, undefined, ['/web-1', '/db', '/web-2', '/other', '/x']],
    ['owner scope', {}, ALICE, ['/web-1', '/db', '/x']],
    ['a key selector', { visible_resource_labels: ['team'] }, undefined, ['/web-1', '/web-2']],
    ['selectors are ANDed', { visible_resource_labels: ['team', 'owner=bob'] }, undefined, ['/web-2']],
    ['name patterns are ORed', { name_patterns: ['web-*', 'db'] }, undefined, ['/web-1', '/db', '/web-2']],
    ['a link alias never matches a name pattern', { name_patterns: ['web-alias'] }, undefined, []],
    ['the leading slash is not part of the name', { name_patterns: ['/web-*'] }, undefined, []],
    ['image patterns: * stops at /', { image_patterns: ['ghcr.io/*'] }, undefined, []],
    ['image patterns: ** crosses /', { image_patterns: ['ghcr.io/**'] }, undefined, ['/web-1', '/web-2']],
    ['name and image lists are ANDed', { name_patterns: ['web-*'], image_patterns: ['**:2'] }, undefined, ['/web-2']],
    ['all axes together', { visible_resource_labels: ['team=a'], name_patterns: ['web-*'] }, ALICE, ['/web-1']],
  ];
  for (const [name, settings, owner, expected] of cases) {
    it(name, () => assert.deepEqual(names(compiled(settings, owner)), expected));
  }

  it('inspect uses Name and Config.Image', () => {
    const inspect = tree(readFixture('container-inspect.json'));
    assert.equal(isVisible('container', inspect, compiled({ name_patterns: ['sg-*'] })), true);
    assert.equal(isVisible('container', inspect, compiled({ name_patterns: ['web'] })), false);
    assert.equal(isVisible('container', inspect, compiled({ image_patterns: ['proxytest/busybox:*'] })), true);
    assert.equal(isVisible('container', inspect, compiled({}, ALICE)), false, 'no label under the key "owner"');
    assert.equal(isVisible('container', inspect, compiled({}, { ...ALICE, labelKey: 'com.sockguard.owner' })), true);
    assert.equal(
      isVisible('container', inspect, compiled({}, { ...ALICE, labelKey: 'com.sockguard.owner', owner: 'bob' })),
      false,
    );
  });
});

describe('image lists', () => {
  const list = JSON.stringify([
    { Id: 'i1', RepoTags: ['ghcr.io/org/app:1'], Labels: { owner: 'alice' } },
    { Id: 'i2', RepoTags: ['busybox:latest'], Labels: null },
    { Id: 'i3', RepoTags: ['ghcr.io/org/app:2'], Labels: { owner: 'bob' } },
    { Id: 'i4', RepoTags: null, Labels: {} },
  ]);
  const ids = (v: CompiledVisibility) => (filtered('images', list, v) as { Id: string }[]).map((i) => i.Id);

  it('names are the last component of the tags, image references the whole tag', () => {
    assert.deepEqual(ids(compiled({ name_patterns: ['app:*'] })), ['i1', 'i3']);
    assert.deepEqual(ids(compiled({ image_patterns: ['app:*'] })), []);
    assert.deepEqual(ids(compiled({ image_patterns: ['ghcr.io/org/app:1'] })), ['i1']);
  });

  it('an untagged image matches no pattern', () => {
    assert.deepEqual(ids(compiled({ name_patterns: ['**'] })), ['i1', 'i2', 'i3']);
  });

  it('unowned images are visible only with allow_unowned_images; another owner never', () => {
    assert.deepEqual(ids(compiled({}, ALICE)), ['i1']);
    assert.deepEqual(ids(compiled({}, { ...ALICE, allowUnownedImages: true })), ['i1', 'i2', 'i4']);
  });
});

describe('other kinds', () => {
  const owned = { owner: 'alice' };
  const foreign = { owner: 'bob' };
  const cases: [ListShape, string, (labels: object) => unknown][] = [
    ['networks', 'Name', (l) => ({ Name: 'n', Labels: l })],
    ['services', 'Spec.Name', (l) => ({ ID: 's', Spec: { Name: 's', Labels: l } })],
    ['tasks', 'Spec.ContainerSpec', (l) => ({ ID: 't', Labels: {}, Spec: { ContainerSpec: { Labels: l } } })],
    ['secrets', 'Spec', (l) => ({ ID: 's', Spec: { Name: 's', Labels: l } })],
    ['configs', 'Spec', (l) => ({ ID: 'c', Spec: { Name: 'c', Labels: l } })],
    ['nodes', 'Spec', (l) => ({ ID: 'n', Spec: { Labels: l } })],
  ];
  for (const [shape, where, make] of cases) {
    it(`${shape}: owner scope reads the labels under ${where}; name and image patterns do not apply`, () => {
      const list = JSON.stringify([make(owned), make(foreign)]);
      assert.equal((filtered(shape, list, compiled({}, ALICE)) as unknown[]).length, 1);
      assert.deepEqual(
        filtered(shape, list, compiled({ name_patterns: ['nothing'], image_patterns: ['x'] })),
        JSON.parse(list),
      );
    });
  }

  it('volumes: the list is wrapped in {Volumes, Warnings}', () => {
    const v = compiled({}, { ...ALICE, labelKey: 'com.sockguard.owner', owner: 'bob' });
    assert.deepEqual(filtered('volumes', readFixture('volume-list.json').toString(), v), {
      Volumes: [],
      Warnings: null,
    });
    assert.deepEqual(filtered('volumes', '{"Volumes":null,"Warnings":null}', v), { Volumes: null, Warnings: null });
  });

  it('/system/df: both the API 1.41 and the 1.52+ layouts', () => {
    const v = compiled({}, { labelKey: 'com.sockguard.owner', owner: 'bob', allowUnownedImages: false });
    const old = filtered('system-df', readFixture('system-df.json').toString(), v) as Record<string, unknown[]>;
    assert.deepEqual([old['Images']!.length, old['Containers']!.length, old['Volumes']!.length], [0, 0, 0]);
    const now = filtered('system-df', readFixture('system-df-api-1.56.json').toString(), v) as Record<
      string,
      { Items: unknown[] }
    >;
    assert.deepEqual(
      [now['ImageUsage']!.Items.length, now['ContainerUsage']!.Items.length, now['VolumeUsage']!.Items.length],
      [0, 0, 0],
    );
  });

  it('reports whether anything was removed', () => {
    const list = tree(JSON.stringify([{ Labels: owned }]));
    assert.equal(filterListResponse('networks', list, compiled({}, ALICE)).changed, false);
    assert.equal(filterListResponse('networks', list, compiled({}, { ...ALICE, owner: 'bob' })).changed, true);
  });
});

describe('unexpected shapes are errors, not visible resources', () => {
  const v = compiled({ visible_resource_labels: ['a'] });
  const cases: [ListShape, string][] = [
    ['containers', '{"Id":"x"}'],
    ['containers', '["x"]'],
    ['containers', '[{"Labels":["a"]}]'],
    ['containers', '[{"Labels":{"a":1}}]'],
    ['volumes', '{"Volumes":{}}'],
    ['system-df', '{"ContainerUsage":[]}'],
  ];
  for (const [shape, text] of cases) {
    it(`${shape}: ${text}`, () => assert.throws(() => filterListResponse(shape, tree(text), v), ShapeMismatch));
  }

  it('name lists that are not strings', () => {
    assert.throws(
      () => filterListResponse('containers', tree('[{"Names":[1]}]'), compiled({ name_patterns: ['x'] })),
      ShapeMismatch,
    );
  });
});
