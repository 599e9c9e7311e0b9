import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJsonTree, stringifyJsonTree, type JsonNode } from '../../../src/policy/response/json-tree.js';
import {
  applyEdit,
  blankText,
  EACH_ITEM,
  EACH_VALUE,
  emptyList,
  emptyMap,
  isHostPath,
  nullOut,
  redactBindSource,
  redactMountSource,
  redactText,
  ShapeMismatch,
  prefixEdits,
  zeroNumber,
  type Edit,
  type TreePath,
} from '../../../src/policy/response/tree-edits.js';

function tree(text: string): JsonNode {
  const parsed = parseJsonTree(text);
  assert.ok(parsed.ok);
  return parsed.value;
}

function edit(text: string, path: TreePath, e: Edit): { out: string; changed: boolean } {
  const root = tree(text);
  const changed = applyEdit(root, { path, edit: e });
  return { out: stringifyJsonTree(root), changed };
}

describe('applyEdit', () => {
  const cases: [string, string, TreePath, Edit, string, boolean][] = [
    ['redactText', '{"a":"/host"}', ['a'], redactText, '{"a":"<redacted>"}', true],
    ['redactText leaves an empty string', '{"a":""}', ['a'], redactText, '{"a":""}', false],
    ['blankText', '{"a":"10.0.0.2"}', ['a'], blankText, '{"a":""}', true],
    ['zeroNumber', '{"a":24}', ['a'], zeroNumber, '{"a":0}', true],
    ['zeroNumber on 0', '{"a":0}', ['a'], zeroNumber, '{"a":0}', false],
    ['emptyList', '{"a":["x"]}', ['a'], emptyList, '{"a":[]}', true],
    ['emptyMap', '{"a":{"k":"v"}}', ['a'], emptyMap, '{"a":{}}', true],
    ['nullOut', '{"a":{"Address":"/run/containerd.sock"}}', ['a'], nullOut, '{"a":null}', true],
    ['a missing key', '{"b":1}', ['a'], redactText, '{"b":1}', false],
    ['a null leaf', '{"a":null}', ['a'], emptyList, '{"a":null}', false],
    ['a null on the way', '{"a":null}', ['a', 'b'], redactText, '{"a":null}', false],
    [
      'every array item',
      '{"m":[{"S":"/x"},{"S":"/y"},{}]}',
      ['m', EACH_ITEM, 'S'],
      redactText,
      '{"m":[{"S":"<redacted>"},{"S":"<redacted>"},{}]}',
      true,
    ],
    [
      'every object value',
      '{"d":{"U":"/a","L":"/b"}}',
      ['d', EACH_VALUE],
      redactText,
      '{"d":{"U":"<redacted>","L":"<redacted>"}}',
      true,
    ],
    ['a list as the document', '[{"a":"x"},{"a":"y"}]', [EACH_ITEM, 'a'], blankText, '[{"a":""},{"a":""}]', true],
  ];
  for (const [name, input, path, e, expected, changed] of cases) {
    it(name, () => assert.deepEqual(edit(input, path, e), { out: expected, changed }));
  }

  const mismatches: [string, string, TreePath, Edit][] = [
    ['a string where an array is expected', '{"Env":"A=1"}', ['Env'], emptyList],
    ['an array where an object is expected on the way', '{"Config":[]}', ['Config', 'Env'], emptyList],
    ['a number where a string is expected', '{"Source":1}', ['Source'], redactText],
    ['a string where a number is expected', '{"IPPrefixLen":"24"}', ['IPPrefixLen'], zeroNumber],
    ['an object where an array is iterated', '{"Mounts":{}}', ['Mounts', EACH_ITEM, 'Source'], redactText],
    ['an array where object values are iterated', '{"Networks":[]}', ['Networks', EACH_VALUE, 'IPAddress'], blankText],
    ['a list item that is not an object', '{"Mounts":["x"]}', ['Mounts', EACH_ITEM, 'Source'], redactText],
  ];
  for (const [name, input, path, e] of mismatches) {
    it(`refuses ${name}`, () => assert.throws(() => edit(input, path, e), ShapeMismatch));
  }

  it('prefixEdits() prefixes paths', () => {
    assert.deepEqual(
      prefixEdits(['a', EACH_ITEM], [{ path: ['b'], edit: redactText }]).map((e) => e.path),
      [['a', EACH_ITEM, 'b']],
    );
  });
});

describe('redactBindSource', () => {
  const cases: [string, string][] = [
    ['/srv/data:/data', '<redacted>:/data'],
    ['/srv/data:/data:ro,z', '<redacted>:/data:ro,z'],
    ['named:/data', 'named:/data'],
    ['named:/data:ro', 'named:/data:ro'],
    ['C:\\data:C:\\in', '<redacted>:C:\\in'],
    ['\\\\server\\share:/x', '<redacted>:/x'],
  ];
  for (const [bind, expected] of cases) {
    it(`${bind} -> ${expected}`, () => {
      assert.equal(edit(JSON.stringify([bind]), [EACH_ITEM], redactBindSource).out, JSON.stringify([expected]));
    });
  }
});

describe('redactMountSource', () => {
  const cases: [string, string][] = [
    ['{"Type":"bind","Source":"/srv","Target":"/x"}', '{"Type":"bind","Source":"<redacted>","Target":"/x"}'],
    ['{"Type":"volume","Source":"data","Target":"/x"}', '{"Type":"volume","Source":"data","Target":"/x"}'],
    [
      '{"Type":"volume","Source":"/var/lib/docker/volumes/x","Target":"/x"}',
      '{"Type":"volume","Source":"<redacted>","Target":"/x"}',
    ],
    ['{"Type":"tmpfs","Target":"/x"}', '{"Type":"tmpfs","Target":"/x"}'],
    ['{"Type":"bind","Source":"","Target":"/x"}', '{"Type":"bind","Source":"","Target":"/x"}'],
  ];
  for (const [mount, expected] of cases) {
    it(mount, () => assert.equal(edit(`[${mount}]`, [EACH_ITEM], redactMountSource).out, `[${expected}]`));
  }

  it('refuses a Source that is not a string', () => {
    assert.throws(() => edit('[{"Type":"bind","Source":7}]', [EACH_ITEM], redactMountSource), ShapeMismatch);
  });
});

describe('isHostPath', () => {
  it('recognises POSIX, UNC and drive paths only', () => {
    assert.deepEqual(['/a', '\\\\srv\\x', 'c:/x', 'D:\\x', 'name', 'c:', ''].map(isHostPath), [
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
