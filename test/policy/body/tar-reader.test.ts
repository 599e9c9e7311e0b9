import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectCompression, readTar } from '../../../src/policy/body/tar-reader.js';
import { concat, paxRecords, tar, tarEntry } from './tar-builder.js';

function entries(bytes: Uint8Array) {
  const result = readTar(bytes);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.entries.map((e) => ({ name: e.name, type: e.type, linkname: e.linkname, mode: e.mode }));
}

function problem(bytes: Uint8Array): string {
  const result = readTar(bytes);
  assert.equal(result.ok, false);
  return result.ok ? '' : result.problem;
}

test('archives written by GNU tar (PAX and GNU long names) read as tar -tv lists them', () => {
  const long = 'd'.repeat(120);
  for (const fixture of ['gnu-tar-pax-format.tar', 'gnu-tar-gnu-format.tar']) {
    const bytes = readFileSync(new URL(`./fixtures/${fixture}`, import.meta.url));
    assert.deepEqual(
      entries(bytes).map((e) => [e.name, e.type, e.linkname]),
      [
        ['./', 'dir', ''],
        ['./link', 'symlink', '../../etc'],
        [`./${long}/`, 'dir', ''],
        [`./${long}/file`, 'file', ''],
      ],
      fixture,
    );
  }
});

test('entry types, modes and data', () => {
  const result = readTar(
    tar(
      { name: 'f', content: 'hello' },
      { name: 'suid', mode: 0o4755 },
      { name: 'd/', type: '5' },
      { name: 'l', type: '2', linkname: '/etc' },
      { name: 'h', type: '1', linkname: 'f' },
      { name: 'c', type: '3' },
      { name: 'b', type: '4' },
      { name: 'p', type: '6' },
      { name: 'v', type: 'V' },
      { name: 'old', type: '\0' },
      { name: 'olddir/', type: '\0' },
    ),
  );
  assert.ok(result.ok);
  assert.equal(new TextDecoder().decode(result.entries[0]!.data), 'hello');
  assert.deepEqual(
    result.entries.map((e) => [e.name, e.type, e.mode & 0o7000]),
    [
      ['f', 'file', 0],
      ['suid', 'file', 0o4000],
      ['d/', 'dir', 0],
      ['l', 'symlink', 0],
      ['h', 'hardlink', 0],
      ['c', 'char', 0],
      ['b', 'block', 0],
      ['p', 'fifo', 0],
      ['v', 'other', 0],
      ['old', 'file', 0],
      ['olddir/', 'dir', 0],
    ],
  );
});

test('ustar prefixes, PAX path/linkpath/size and GNU long names override the header name', () => {
  const pax = paxRecords({ path: 'pax/name', linkpath: '../../outside' });
  assert.deepEqual(
    entries(
      tar(
        { name: 'file', prefix: 'some/dir' },
        { name: 'PaxHeader', type: 'x', content: pax },
        { name: 'short', type: '2', linkname: 'short-target' },
        { name: '././@LongLink', type: 'L', content: 'gnu/long/name\0', format: 'gnu' },
        { name: 'truncated', format: 'gnu' },
        { name: 'gnuprefix', prefix: 'ignored', format: 'gnu' },
        { name: 'v7', format: 'v7' },
      ),
    ).map((e) => [e.name, e.linkname]),
    [
      ['some/dir/file', ''],
      ['pax/name', '../../outside'],
      ['gnu/long/name', ''],
      ['gnuprefix', ''],
      ['v7', ''],
    ],
  );
  const sized = readTar(
    tar({ name: 'p', type: 'x', content: paxRecords({ size: '3' }) }, { name: 'f', content: 'abc', sizeField: 0 }),
  );
  assert.ok(sized.ok);
  assert.equal(new TextDecoder().decode(sized.entries[0]!.data), 'abc');
});

test('global PAX headers are not applied to later entries (Go and dockerd skip them)', () => {
  const names = entries(tar({ name: 'g', type: 'g', content: paxRecords({ path: 'evil' }) }, { name: 'real' }));
  assert.deepEqual(
    names.map((e) => e.name),
    ['real'],
  );
});

test('a link header carries no data whatever its size field says (Go handleRegularFile)', () => {
  // A symlink claiming 512 bytes of data, followed directly by the next header: Go reads that header.
  const bytes = concat(
    tarEntry({ name: 'l', type: '2', linkname: 'x', sizeField: 512 }),
    tarEntry({ name: 'hidden', type: '3' }),
    new Uint8Array(1024),
  );
  assert.deepEqual(
    entries(bytes).map((e) => e.name),
    ['l', 'hidden'],
  );
});

test('an archive without end blocks ends cleanly at a header boundary', () => {
  assert.deepEqual(
    entries(tarEntry({ name: 'a', content: 'x' })).map((e) => e.name),
    ['a'],
  );
  assert.deepEqual(entries(new Uint8Array()), []);
});

test('what cannot be read byte by byte is an error', () => {
  assert.match(problem(tar({ name: 'a', badChecksum: true })), /checksum/);
  assert.match(problem(tarEntry({ name: 'a', content: 'x' }).subarray(0, 600)), /truncated tar entry/);
  assert.match(problem(tarEntry({ name: 'a' }).subarray(0, 100)), /truncated tar header/);
  assert.match(problem(tar({ name: 'a', content: 'x', sizeField: 100_000 })), /truncated/);
  assert.match(problem(tar({ name: 'x', type: 'x', content: '5 a=b\n' })), /malformed PAX/);
  assert.match(problem(tar({ name: 'x', type: 'x', content: '7 path\n' })), /malformed PAX/);
  assert.match(problem(tar({ name: 'x', type: 'x', content: paxRecords({ size: '-1' }) }, { name: 'f' })), /PAX size/);
  assert.match(problem(new Uint8Array(700)), /truncated tar end-of-archive/);
  const zeroThenData = concat(new Uint8Array(512), tarEntry({ name: 'after' }));
  assert.match(problem(zeroThenData), /end-of-archive/);
  const badNumber = tarEntry({ name: 'a' });
  badNumber[124] = 0x39; // '9' is not octal
  assert.match(problem(badNumber), /checksum|invalid number/);
});

test('compression is detected by magic number, never undone', () => {
  assert.equal(detectCompression(Uint8Array.from([0x1f, 0x8b, 8])), 'gzip');
  assert.equal(detectCompression(new TextEncoder().encode('BZh91AY')), 'bzip2');
  assert.equal(detectCompression(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])), 'xz');
  assert.equal(detectCompression(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.equal(detectCompression(tar({ name: 'a' })), undefined);
  assert.equal(detectCompression(new Uint8Array()), undefined);
});
