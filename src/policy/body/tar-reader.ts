/**
 * A bounded reader for the tar archives dockerd unpacks (build contexts, `docker cp` uploads, image
 * and plugin archives), following Go's archive/tar: ustar prefixes, PAX `path`/`linkpath`/`size`
 * records, GNU long names and old GNU sparse headers. Anything it cannot account for byte by byte
 * (bad checksum, truncated data, malformed PAX) is an error, never a guess: an inspector that
 * misreads an archive would judge a different file list than the daemon unpacks.
 */

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarEntry {
  name: string;
  linkname: string;
  type: TarEntryType;
  /** Permission and set-id bits (mode & 0o7777). */
  mode: number;
  size: number;
  data: Uint8Array;
}

export type TarResult = { ok: true; entries: TarEntry[] } | { ok: false; problem: string };

export type Compression = 'gzip' | 'bzip2' | 'xz' | 'zstd';

const BLOCK = 512;
const text = new TextDecoder('utf-8');

/** The compression dockerd's DecompressStream would detect and undo (we never decompress). */
export function detectCompression(bytes: Uint8Array): Compression | undefined {
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x1f, 0x8b)) return 'gzip';
  if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  return undefined;
}

function field(block: Uint8Array, start: number, length: number): string {
  const slice = block.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return text.decode(nul < 0 ? slice : slice.subarray(0, nul));
}

/** Go's parseNumeric: base-256 when the high bit is set, otherwise octal padded with NUL/space. */
function numeric(block: Uint8Array, start: number, length: number): number | undefined {
  const slice = block.subarray(start, start + length);
  if (slice[0]! & 0x80) {
    if (slice[0] === 0xff) return undefined; // negative
    let value = slice[0]! & 0x7f;
    for (let i = 1; i < slice.length; i++) value = value * 256 + slice[i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const digits = text.decode(slice).replace(/^[ \0]+|[ \0]+$/g, '');
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) return undefined;
  return parseInt(digits, 8);
}

function checksumOk(block: Uint8Array): boolean {
  const stored = numeric(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function isZero(block: Uint8Array): boolean {
  return block.every((b) => b === 0);
}

function parsePax(data: Uint8Array): Map<string, string> | undefined {
  const records = new Map<string, string>();
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    if (space <= 0) return undefined;
    const lengthText = text.decode(rest.subarray(0, space));
    if (!/^[1-9][0-9]*$/.test(lengthText)) return undefined;
    const length = parseInt(lengthText, 10);
    if (length > rest.length || rest[length - 1] !== 0x0a) return undefined;
    const record = text.decode(rest.subarray(space + 1, length - 1));
    const eq = record.indexOf('=');
    if (eq <= 0) return undefined;
    records.set(record.slice(0, eq), record.slice(eq + 1));
    rest = rest.subarray(length);
  }
  return records;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '7': 'file',
  S: 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

export function readTar(bytes: Uint8Array): TarResult {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Map<string, string> | undefined;
  let longName: string | undefined;
  let longLink: string | undefined;
  const fail = (problem: string): TarResult => ({ ok: false, problem: `${problem} (at byte ${offset})` });

  while (offset < bytes.length) {
    if (offset + BLOCK > bytes.length) return fail('truncated tar header');
    const block = bytes.subarray(offset, offset + BLOCK);
    if (isZero(block)) {
      // End of archive: a second zero block (or the end of the data) must follow.
      const next = bytes.subarray(offset + BLOCK, offset + 2 * BLOCK);
      if (next.length > 0 && next.length < BLOCK) return fail('truncated tar end-of-archive block');
      if (next.length > 0 && !isZero(next)) return fail('a tar end-of-archive block is followed by data');
      return { ok: true, entries };
    }
    if (!checksumOk(block)) return fail('tar header checksum mismatch');
    const typeflag = String.fromCharCode(block[156]!);
    let size = numeric(block, 124, 12);
    const mode = numeric(block, 100, 8);
    if (size === undefined || mode === undefined) return fail('invalid number in a tar header');
    let dataStart = offset + BLOCK;
    if (typeflag === 'S' && block[482] !== 0) {
      // Old GNU sparse: extension blocks precede the data.
      for (;;) {
        if (dataStart + BLOCK > bytes.length) return fail('truncated GNU sparse header');
        const isExtended = bytes[dataStart + 504] !== 0;
        dataStart += BLOCK;
        if (!isExtended) break;
      }
    }
    if (pax?.has('size')) {
      const paxSize = pax.get('size')!;
      if (!/^[0-9]+$/.test(paxSize)) return fail('invalid PAX size');
      size = parseInt(paxSize, 10);
    }
    // Go's handleRegularFile: links, devices, directories and FIFOs carry no data whatever their size
    // field says, so the next header starts right after this one.
    if (HEADER_ONLY.has(typeflag)) size = 0;
    const dataEnd = dataStart + size;
    if (!Number.isSafeInteger(dataEnd) || dataEnd > bytes.length) return fail('truncated tar entry data');
    const data = bytes.subarray(dataStart, dataEnd);
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (next > bytes.length) return fail('truncated tar entry padding');

    if (typeflag === 'x') {
      pax = parsePax(data);
      if (!pax) return fail('malformed PAX header');
      offset = next;
      continue;
    }
    if (typeflag === 'g') {
      // Go returns global headers as entries and does not apply them to later files; dockerd skips them.
      if (!parsePax(data)) return fail('malformed PAX global header');
      offset = next;
      continue;
    }
    if (typeflag === 'L' || typeflag === 'K') {
      const value = text.decode(data.indexOf(0) < 0 ? data : data.subarray(0, data.indexOf(0)));
      if (typeflag === 'L') longName = value;
      else longLink = value;
      offset = next;
      continue;
    }

    const magic = field(block, 257, 6);
    const ustar = magic === 'ustar' && text.decode(block.subarray(263, 265)) === '00';
    const star = ustar && field(block, 508, 4) === 'tar';
    let name = field(block, 0, 100);
    const prefix = ustar ? field(block, 345, star ? 131 : 155) : '';
    if (prefix !== '') name = `${prefix}/${name}`;
    name = pax?.get('path') ?? longName ?? name;
    const linkname = pax?.get('linkpath') ?? longLink ?? field(block, 157, 100);
    let type: TarEntryType = TYPES[typeflag] ?? 'other';
    if (typeflag === '\0') type = name.endsWith('/') ? 'dir' : 'file';
    entries.push({ name, linkname, type, mode: mode & 0o7777, size, data });
    pax = undefined;
    longName = undefined;
    longLink = undefined;
    offset = next;
  }
  return { ok: true, entries };
}
