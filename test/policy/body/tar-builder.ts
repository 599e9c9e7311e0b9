/** Builds tar archives byte by byte for the archive tests, including malformed ones. */

export interface TarSpec {
  name: string;
  /** Typeflag character: '0' file, '1' hardlink, '2' symlink, '3' char, '4' block, '5' dir, 'x' PAX, 'L' GNU long name... */
  type?: string;
  mode?: number;
  content?: string | Uint8Array;
  linkname?: string;
  /** Written into the size field instead of the content length (for desync tests). */
  sizeField?: number;
  prefix?: string;
  /** 'ustar' (default), 'gnu' or 'v7' header magic. */
  format?: 'ustar' | 'gnu' | 'v7';
  /** Corrupts the header checksum. */
  badChecksum?: boolean;
}

const BLOCK = 512;
const encoder = new TextEncoder();

function put(block: Uint8Array, offset: number, length: number, text: string): void {
  block.set(encoder.encode(text).subarray(0, length), offset);
}

function octal(block: Uint8Array, offset: number, length: number, value: number): void {
  put(block, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

export function tarEntry(spec: TarSpec): Uint8Array {
  const content = typeof spec.content === 'string' ? encoder.encode(spec.content) : (spec.content ?? new Uint8Array());
  const header = new Uint8Array(BLOCK);
  put(header, 0, 100, spec.name);
  octal(header, 100, 8, spec.mode ?? 0o644);
  octal(header, 108, 8, 0);
  octal(header, 116, 8, 0);
  octal(header, 124, 12, spec.sizeField ?? content.length);
  octal(header, 136, 12, 0);
  header[156] = (spec.type ?? '0').charCodeAt(0);
  put(header, 157, 100, spec.linkname ?? '');
  const format = spec.format ?? 'ustar';
  if (format === 'ustar') {
    put(header, 257, 6, 'ustar\0');
    put(header, 263, 2, '00');
    put(header, 345, 155, spec.prefix ?? '');
  } else if (format === 'gnu') {
    put(header, 257, 8, 'ustar  \0');
  }
  header.fill(0x20, 148, 156);
  let sum = header.reduce((a, b) => a + b, 0);
  if (spec.badChecksum) sum += 1;
  put(header, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  const padded = new Uint8Array(Math.ceil(content.length / BLOCK) * BLOCK);
  padded.set(content);
  return concat(header, padded);
}

export function paxRecords(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([key, value]) => {
      const body = ` ${key}=${value}\n`;
      let length = body.length + 1;
      while (`${length}${body}`.length !== length) length++;
      return `${length}${body}`;
    })
    .join('');
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A complete archive with the two zero blocks at the end. */
export function tar(...entries: TarSpec[]): Uint8Array {
  return concat(...entries.map(tarEntry), new Uint8Array(2 * BLOCK));
}
