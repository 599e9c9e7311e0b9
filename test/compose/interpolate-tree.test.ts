import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateTree } from '../../src/compose/interpolate-tree.js';
import { parseYamlTree, type TreeNode } from '../../src/compose/yaml-tree.js';

function interpolated(
  text: string,
  env: Record<string, string> = {},
): { root: TreeNode; diagnostics: ReturnType<typeof interpolateTree> } {
  const root = parseYamlTree('f.yml', text).documents[0];
  assert.ok(root);
  return { root, diagnostics: interpolateTree(root, (name) => env[name]) };
}

const valueAt = (root: TreeNode, key: string): unknown => {
  const node = root.kind === 'map' ? root.entries.get(key)?.value : undefined;
  return node?.kind === 'scalar'
    ? node.value
    : node?.kind === 'seq'
      ? node.items.map((i) => (i.kind === 'scalar' ? i.value : i))
      : node;
};

test('interpolateTree: string values change, keys and typed scalars do not', () => {
  const { root } = interpolated('${K}: $V\nn: 1\nlist: [$V, "${V}x"]\n', { K: 'key', V: 'v' });
  assert.equal(valueAt(root, '${K}'), 'v');
  assert.equal(valueAt(root, 'n'), '1');
  assert.deepEqual(valueAt(root, 'list'), ['v', 'vx']);
});

test('interpolateTree: a value shared through an alias is interpolated and reported once', () => {
  const { root, diagnostics } = interpolated('a: &a ${NOPE}\nb: *a\n');
  assert.equal(valueAt(root, 'b'), '');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.pointer]),
    [['compose/unset-variable', '/a']],
  );
});

test('interpolateTree: positions point at the expression on one line, at the whole value otherwise', () => {
  const oneLine = interpolated("a: 'x ${NOPE}'\n").diagnostics[0]?.range;
  assert.deepEqual(oneLine, { start: { line: 1, col: 7 }, end: { line: 1, col: 14 } });
  const escaped = interpolated('a: "\\t${NOPE}"\n').diagnostics[0]?.range;
  assert.deepEqual(escaped, { start: { line: 1, col: 4 }, end: { line: 1, col: 15 } });
  const folded = interpolated('a: >\n  x\n  ${NOPE}\n').diagnostics[0]?.range?.start;
  assert.deepEqual(folded, { line: 1, col: 4 });
});
