/**
 * What the HAProxy-based images (Tecnativa, LinuxServer HAProxy tags) match a request on:
 * `path,url_dec` — the request path up to the first `?`, percent-decoded by HAProxy's `url_decode()`
 * — and `METH_GET`. No dot-segment or `//` cleaning happens anywhere (peers.md §1.3, §1.4, §2.3).
 */

import { assertOriginFormRequest } from './origin-form.js';
import type { EmulatedRequest } from './types.js';

export interface HaproxyParserOptions {
  /**
   * HAProxy ≥ 2.8.2 and the fixed older branches reject `#` in the request-target (CVE-2023-45539,
   * 2023); images built before that keep it as part of the path.
   */
  rejectsHashInTarget: boolean;
  /**
   * HAProxy 3.x refuses `CONNECT` with an origin-form target (src/h1.c, URI_PARSER_FORMAT_ABSPATH:
   * CONNECT needs authority-form). Not assumed for the 2.2 and 2.8 images.
   */
  rejectsConnectWithPath: boolean;
}

/** Anything but printable ASCII (0x21–0x7E). */
const NOT_PRINTABLE_ASCII = /[^!-~]/;

/**
 * Why HAProxy answers 400 before any rule runs, or undefined. Its HTTP/1 request-line parser
 * (src/h1.c, state H1_MSG_RQURI) accepts bytes 0x21–0x7E in the URI; controls, DEL and space end
 * or break the request line, and non-ASCII bytes are refused unless
 * `option accept-unsafe-violations-in-http-request` is set, which neither image sets.
 * Throws (caller bug) unless the request is origin-form with a token method.
 */
export function findHaproxyParseError(request: EmulatedRequest, options: HaproxyParserOptions): string | undefined {
  assertOriginFormRequest(request);
  const { target } = request;
  if (NOT_PRINTABLE_ASCII.test(target)) {
    const char = [...target].find((c) => NOT_PRINTABLE_ASCII.test(c)) as string;
    const code = char.codePointAt(0) as number;
    const what =
      code >= 0x80
        ? `non-ASCII character ${JSON.stringify(char)}`
        : `control character or space U+${code.toString(16).padStart(4, '0')}`;
    return `HAProxy's HTTP/1 parser rejects ${what} in the request-target`;
  }
  if (options.rejectsHashInTarget && target.includes('#')) {
    return "HAProxy's HTTP/1 parser rejects `#` in the request-target";
  }
  if (options.rejectsConnectWithPath && request.method === 'CONNECT') {
    return "HAProxy's HTTP/1 parser rejects CONNECT with an origin-form target (authority-form required)";
  }
  return undefined;
}

/** HAProxy's `path` fetch for an origin-form target: everything before the first `?`. */
export function extractHaproxyPath(target: string): string {
  const queryStart = target.indexOf('?');
  return queryStart < 0 ? target : target.slice(0, queryStart);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * HAProxy's `url_decode(path, in_form=0)` (src/tools.c): `%XX` becomes the byte XX (any byte, `%2F`
 * and `%00` included); a `%` not followed by two hex digits aborts the conversion, so the `url_dec`
 * converter fails (undefined). `+` stays `+` until a literal `?`, which a path never contains.
 * Bytes are returned one per UTF-16 code unit (latin-1 style), so a decoded byte ≥ 0x80 can never
 * equal an ASCII regex character.
 */
export function decodeHaproxyUrl(path: string): string | undefined {
  if (!path.includes('%')) return path;
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char !== '%') {
      out += char;
      continue;
    }
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high < 0 || low < 0) return undefined;
    out += String.fromCharCode((high << 4) | low);
    i += 2;
  }
  return out;
}

/** HAProxy's predefined ACL `METH_GET` is `method GET HEAD`; method names compare case-sensitively. */
export function isMethGet(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}
