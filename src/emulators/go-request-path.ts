/**
 * `r.URL.Path` of a Go net/http request as a string a translated Go regex can match: the escaped
 * path decoded once (`%2F` becomes `/`, `+` stays `+`), then read the way Go's regexp reads a
 * string, rune by rune with every byte of an invalid UTF-8 sequence counting as one U+FFFD
 * (utf8.DecodeRuneInString). wollomatic matches this path as is; CetusGuard cleans it first
 * (peers.md §0, §3.3, §5.4).
 */
import { cleanPath } from '../policy/canonical-path.js';
import { parseGoRequestUrl } from './go-request-url.js';

export type GoRequestPath = { kind: 'bad-request'; reason: string } | { kind: 'parsed'; path: string };

/** Decodes `%XX` escapes of an already validated escaped path into bytes. */
function unescapeBytes(escapedPath: string): Uint8Array {
  const raw = new TextEncoder().encode(escapedPath);
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25) {
      out.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else out.push(raw[i]!);
  }
  return Uint8Array.from(out);
}

/** Go's utf8.DecodeRune accept ranges for the first continuation byte after each lead byte. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Bytes as Go's regexp sees them: valid UTF-8 sequences as code points, each other byte as U+FFFD. */
export function decodeGoString(bytes: Uint8Array): string {
  let out = '';
  const decoder = new TextDecoder();
  for (let i = 0; i < bytes.length;) {
    if (bytes[i]! < 0x80) {
      out += String.fromCharCode(bytes[i]!);
      i++;
      continue;
    }
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += '\ufffd';
      i++;
    } else {
      out += decoder.decode(bytes.subarray(i, i + n));
      i += n;
    }
  }
  return out;
}

/** `r.URL.Path` of an origin-form target, or the 400 Go's server answers before any handler runs. */
export function parseGoRequestPath(target: string): GoRequestPath {
  const url = parseGoRequestUrl(target);
  if (url.kind === 'bad-request') return url;
  return { kind: 'parsed', path: decodeGoString(unescapeBytes(url.escapedPath)) };
}

/**
 * Go's ServeMux cleanPath as CetusGuard applies it (peers.md §5.4): empty is `/`, a missing leading
 * `/` is added, path.Clean, and a trailing `/` is put back (except for the root).
 */
export function cleanServeMuxPath(p: string): string {
  if (p === '') return '/';
  const rooted = p.startsWith('/') ? p : '/' + p;
  const cleaned = cleanPath(rooted);
  return rooted.endsWith('/') && cleaned !== '/' ? cleaned + '/' : cleaned;
}
