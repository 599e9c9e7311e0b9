/**
 * What a Go `net/http` server makes of an origin-form request-target: the request line is refused
 * for spaces and control bytes, `url.ParseRequestURI` refuses invalid `%` escapes (both answered
 * 400 before any handler runs), and otherwise `r.URL` carries the decoded path, the client's own
 * escaping where Go accepts it (`EscapedPath`), and the raw query. `r.URL.String()` is what 11notes
 * matches (peers.md §4.1). Semantics follow Go's net/url: parse, setPath, EscapedPath,
 * validEncodedPath, shouldEscape(encodePath), escape.
 */

import { assertOriginFormTarget } from './origin-form.js';

export type GoRequestUrl =
  | { kind: 'bad-request'; reason: string }
  | {
      kind: 'parsed';
      /** `r.URL.EscapedPath()`. */
      escapedPath: string;
      /** `r.URL.RawQuery`, exactly as sent. */
      rawQuery: string;
      /** `r.URL.ForceQuery`: the target ended in a lone `?`. */
      forceQuery: boolean;
      /** `r.URL.String()` for an origin-form request: escaped path, then `?` + raw query when present. */
      urlString: string;
    };

const HEX_DIGITS = '0123456789ABCDEF';
const utf8 = new TextEncoder();

function isAlphanumeric(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** Go `shouldEscape(c, encodePath)`: unreserved and `$&+,/:;=@` stay; `?` and everything else is escaped. */
function shouldEscapeInPath(byte: number): boolean {
  if (isAlphanumeric(byte)) return false;
  return !'-_.~$&+,/:;=@'.includes(String.fromCharCode(byte));
}

/** Go `validEncodedPath`: sub-delims, `:`, `@`, `[`, `]` and `%` are accepted as the client wrote them. */
function isValidEncodedPath(bytes: Uint8Array): boolean {
  return bytes.every((byte) => "!$&'()*+,;=:@[]%".includes(String.fromCharCode(byte)) || !shouldEscapeInPath(byte));
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** Go `unescape(s, encodePath)`: `%XX` to its byte, `+` kept; a bad escape is an error (the 3 bytes Go reports). */
function unescapePath(bytes: Uint8Array): Uint8Array | string {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte !== 0x25) {
      out.push(byte);
      continue;
    }
    const high = hexValue(bytes[i + 1]);
    const low = hexValue(bytes[i + 2]);
    if (high < 0 || low < 0) return new TextDecoder().decode(bytes.subarray(i, i + 3));
    out.push((high << 4) | low);
    i += 2;
  }
  return Uint8Array.from(out);
}

/** Go `escape(s, encodePath)`: upper-case `%XX` for every byte shouldEscape picks. */
function escapePath(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += shouldEscapeInPath(byte)
      ? `%${HEX_DIGITS[byte >> 4] as string}${HEX_DIGITS[byte & 15] as string}`
      : String.fromCharCode(byte);
  }
  return out;
}

/** Space, controls and DEL: the bytes Go's server refuses in a request-target. */
const REFUSED_BYTE = /[^!-~\u0080-\uffff]/;
/** Printable ASCII that Go's validEncodedPath accepts as the client wrote it (`%` included). */
const VALID_ENCODED_PATH = /^[A-Za-z0-9\-_.~$&+,/:;=@!'()*[\]%]*$/;
/** A `%` not followed by two hex digits. */
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

/** `r.URL.EscapedPath()` for the path part of the target, or the invalid escape Go reports. */
function escapeRequestPath(rawPath: string): { escapedPath: string } | { badEscape: string } {
  // Fast path: printable ASCII Go accepts as written, with well-formed escapes, is its own EscapedPath.
  if (VALID_ENCODED_PATH.test(rawPath) && !BAD_ESCAPE.test(rawPath)) return { escapedPath: rawPath };
  const rawBytes = utf8.encode(rawPath);
  const decoded = unescapePath(rawBytes);
  if (typeof decoded === 'string') return { badEscape: decoded };
  // EscapedPath returns RawPath (the client's form) when it is a valid encoding of Path, else escape(Path);
  // RawPath is empty exactly when the client's form already equals escape(Path), which is valid too.
  return { escapedPath: isValidEncodedPath(rawBytes) ? rawPath : escapePath(decoded) };
}

/**
 * Parses a request-target the way Go's HTTP/1 server and `url.ParseRequestURI` do; the result does
 * not depend on the method, so callers may memoize it per target.
 */
export function parseGoRequestUrl(target: string): GoRequestUrl {
  assertOriginFormTarget(target);
  // A space ends the request-target on the wire, leaving an unparseable HTTP version; control
  // bytes fail `net/url: invalid control character in URL`. Both are 400 Bad Request.
  if (REFUSED_BYTE.test(target)) {
    return { kind: 'bad-request', reason: 'Go net/http refuses a space or control character in the request-target' };
  }
  const queryStart = target.indexOf('?');
  const forceQuery = queryStart === target.length - 1;
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  const rawQuery = queryStart < 0 || forceQuery ? '' : target.slice(queryStart + 1);

  const path = escapeRequestPath(rawPath);
  if ('badEscape' in path) {
    return {
      kind: 'bad-request',
      reason: `Go url.ParseRequestURI: invalid URL escape ${JSON.stringify(path.badEscape)}`,
    };
  }
  const urlString = forceQuery || rawQuery !== '' ? `${path.escapedPath}?${rawQuery}` : path.escapedPath;
  return { kind: 'parsed', escapedPath: path.escapedPath, rawQuery, forceQuery, urlString };
}
