import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archivePath, entryBelowSymlink } from '../../../src/policy/body/archive-symlinks.js';
import { readTar } from '../../../src/policy/body/tar-reader.js';
import { tar, type TarSpec } from './tar-builder.js';

const below = (...specs: TarSpec[]) => {
  const result = readTar(tar(...specs));
  assert.ok(result.ok);
  const found = entryBelowSymlink(result.entries);
  return found === undefined ? undefined : [found.entry.name, found.link];
};

test('archive paths are cleaned relative to the unpack root', () => {
  assert.equal(archivePath('./Dockerfile'), 'Dockerfile');
  assert.equal(archivePath('/a//b/../c/'), 'a/c');
  assert.equal(archivePath('./'), '.');
  assert.equal(archivePath('../x'), '../x');
});

test('an entry below a symlink of the same archive is found, in any order and spelling', () => {
  assert.deepEqual(below({ name: 'd', type: '2', linkname: '.' }, { name: 'd/f' }), ['d/f', 'd']);
  assert.deepEqual(below({ name: './a/b/c' }, { name: 'a/b', type: '2', linkname: '/' }), ['./a/b/c', 'a/b']);
  assert.equal(below({ name: 'd', type: '2', linkname: '.' }, { name: 'dd/f' }), undefined);
  assert.equal(below({ name: 'd/', type: '5' }, { name: 'd/f' }), undefined);
  assert.equal(below({ name: 'f' }), undefined);
});

test('deep names and many links cost linear time', () => {
  const deep = 'a/'.repeat(5_000) + 'f';
  const entries = [
    ...Array.from({ length: 2000 }, (_, i) => ({
      name: `l${i}`,
      linkname: '.',
      type: 'symlink' as const,
      mode: 0,
      size: 0,
      data: new Uint8Array(),
    })),
    ...Array.from({ length: 200 }, () => ({
      name: deep,
      linkname: '',
      type: 'file' as const,
      mode: 0,
      size: 0,
      data: new Uint8Array(),
    })),
  ];
  const started = performance.now();
  assert.equal(entryBelowSymlink(entries), undefined);
  assert.ok(performance.now() - started < 2000);
});
