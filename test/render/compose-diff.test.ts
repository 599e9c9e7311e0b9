import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch } from 'diff';
import { renderComposeDiff } from '../../src/render/compose-diff.js';

const BEFORE = 'services:\n  proxy:\n    image: tecnativa/docker-socket-proxy\n    restart: always\n';
const AFTER = 'services:\n  proxy:\n    image: codeswhat/sockguard:1.7\n    restart: always\n';

test('one unified patch per changed file, named as given on both sides', () => {
  assert.equal(
    renderComposeDiff([{ file: 'deploy/compose.yml', before: BEFORE, after: AFTER }]),
    [
      '--- deploy/compose.yml',
      '+++ deploy/compose.yml',
      '@@ -1,4 +1,4 @@',
      ' services:',
      '   proxy:',
      '-    image: tecnativa/docker-socket-proxy',
      '+    image: codeswhat/sockguard:1.7',
      '     restart: always',
      '',
    ].join('\n'),
  );
});

test('the patch applies to the original and yields the rewritten file', () => {
  const patch = renderComposeDiff([{ file: 'compose.yml', before: BEFORE, after: AFTER }]);
  assert.equal(applyPatch(BEFORE, patch), AFTER);
});

test('unchanged files and an empty change list give no output', () => {
  assert.equal(renderComposeDiff([]), '');
  assert.equal(renderComposeDiff([{ file: 'a.yml', before: BEFORE, after: BEFORE }]), '');
});

test('several files are concatenated in order', () => {
  const patch = renderComposeDiff([
    { file: 'a.yml', before: BEFORE, after: AFTER },
    { file: 'b.yml', before: 'x: 1\n', after: 'x: 2\n' },
  ]);
  assert.deepEqual(
    patch.split('\n').filter((line) => line.startsWith('---')),
    ['--- a.yml', '--- b.yml'],
  );
});

test('a missing final newline is marked, as diff -u does', () => {
  assert.match(renderComposeDiff([{ file: 'a.yml', before: 'x: 1', after: 'x: 2' }]), /\\ No newline at end of file/);
});

test('colour only when asked: red removals, green additions, cyan hunk headers', () => {
  const ESC = '\u001b';
  const plain = renderComposeDiff([{ file: 'a.yml', before: BEFORE, after: AFTER }]);
  assert.ok(!plain.includes(ESC));
  const coloured = renderComposeDiff([{ file: 'a.yml', before: BEFORE, after: AFTER }], { color: true });
  assert.ok(coloured.includes(`${ESC}[31m-    image: tecnativa/`));
  assert.ok(coloured.includes(`${ESC}[32m+    image: codeswhat/`));
  assert.ok(coloured.includes(`${ESC}[36m@@ -1,4 +1,4 @@`));
  // Stripping the colour gives back the plain patch.
  assert.equal(coloured.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), ''), plain);
});

test('context lines follow the option', () => {
  const long = Array.from({ length: 20 }, (_, i) => `k${i}: ${i}`).join('\n') + '\n';
  const changed = long.replace('k10: 10', 'k10: ten');
  const patch = renderComposeDiff([{ file: 'a.yml', before: long, after: changed }], { context: 1 });
  assert.match(patch, /@@ -10,3 \+10,3 @@/);
});
