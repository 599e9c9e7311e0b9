/**
 * Request-target canonicalisation. dockerd percent-decodes the path exactly once (Go net/http),
 * routes on the decoded string and answers 301 for anything path.Clean would change
 * (security-notes.md D2, D3). The policy is judged on the same once-decoded path, and `serve`
 * forwards exactly that path re-encoded, so the daemon routes the string we judged.
 */

export type TargetProblem =
  | 'not-origin-form'
  | 'bad-escape'
  | 'bad-utf8'
  | 'fragment'
  | 'backslash'
  | 'control-character'
  | 'unclean-path'
  | 'api-version-too-old';

export class TargetError extends Error {
  constructor(
    readonly problem: TargetProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

const VERSION_PREFIX = /^\/v(\d+(?:\.\d+)?(?:\.\d+)?)(?=\/)/;
/** API versions below 1.24 let `POST /containers/{id}/start` carry a HostConfig (security-notes.md §4). */
export const MIN_API_VERSION = '1.24';
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(segment);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Strips one `/vN[.N[.N]]` prefix that is followed by `/`. Lower-case `v` only. */
export function stripVersionPrefix(p: string): { path: string; apiVersion?: string } {
  const match = VERSION_PREFIX.exec(p);
  if (!match) return { path: p };
  return { path: p.slice(match[0].length), apiVersion: match[1]! };
}

/**
 * The Go project's NormalizePath over an already-decoded path: clean only when needed (which also
 * drops a trailing `/`), then strip one version prefix. No further decoding.
 */
export function normalizePath(decodedPath: string): { path: string; apiVersion?: string } {
  const cleaned = decodedPath === '' ? '/' : needsClean(decodedPath) ? cleanPath(decodedPath) : decodedPath;
  return stripVersionPrefix(cleaned);
}

/** Cheap test for whether path.Clean would change a rooted path (the common case is "no"). */
function needsClean(p: string): boolean {
  if (!p.startsWith('/')) return true;
  if (p.length > 1 && p.endsWith('/')) return true;
  return p.includes('//') || p.includes('/./') || p.includes('/../') || p.endsWith('/.') || p.endsWith('/..');
}

/** Percent-decodes once, like Go's url.PathUnescape: `+` stays `+`, a bad escape is an error. */
export function decodePathOnce(raw: string): string {
  // eslint-disable-next-line no-control-regex
  if (!raw.includes('%') && /^[\u0000-\u007f]*$/.test(raw)) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (ch === 0x25) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new TargetError('bad-escape', `invalid percent-escape "${raw.slice(i, i + 3)}" in the request path`);
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (ch < 0x100) {
      // Node hands request-targets over as latin1: one char per byte on the wire.
      bytes.push(ch);
    } else {
      const codePoint = raw.codePointAt(i)!;
      for (const b of encoder.encode(String.fromCodePoint(codePoint))) bytes.push(b);
      if (codePoint > 0xffff) i++;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new TargetError('bad-utf8', 'the request path decodes to bytes that are not UTF-8');
  }
}

const UNRESERVED_PATH = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;
const ALL_UNRESERVED_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/** Encodes a decoded path so that one decode by dockerd yields exactly that path. */
export function encodePath(decodedPath: string): string {
  // The common case (nothing to escape) is the path itself: one regex test instead of one per character.
  if (ALL_UNRESERVED_PATH.test(decodedPath)) return decodedPath;
  let out = '';
  for (const ch of decodedPath) {
    if (UNRESERVED_PATH.test(ch)) out += ch;
    else for (const b of encoder.encode(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export interface ParsedTarget {
  /** Path as sent, still percent-encoded. */
  rawPath: string;
  /** Query string as sent, without `?` (undefined when there is none). */
  rawQuery?: string;
  /** Path decoded once, as dockerd routes it. */
  decodedPath: string;
  /** Cleaned, version-stripped path the rules are matched against. */
  normalizedPath: string;
  apiVersion?: string;
}

/** Splits and decodes a request-target the way Go's server does, for offline decisions. */
export function parseTarget(target: string): ParsedTarget {
  if (!target.startsWith('/')) {
    throw new TargetError('not-origin-form', `the request path must start with "/", got "${target}"`);
  }
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const decodedPath = decodePathOnce(rawPath);
  const { path, apiVersion } = normalizePath(decodedPath);
  return {
    rawPath,
    ...(q < 0 ? {} : { rawQuery: target.slice(q + 1) }),
    decodedPath,
    normalizedPath: path,
    ...(apiVersion !== undefined ? { apiVersion } : {}),
  };
}

/** Compares dotted versions component-wise (dockerd's own comparison, errors count as 0). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export interface CanonicalRequest extends ParsedTarget {
  /** Exactly what goes upstream: the judged path re-encoded, plus the query as sent. */
  forwardTarget: string;
}

/**
 * The strict form used by the proxy. Anything dockerd would interpret differently from what we
 * match is refused instead of forwarded (security-notes.md §2-§4): fragments, backslashes,
 * control characters, paths path.Clean would change (other than a trailing `/`, which dockerd 404s)
 * and API versions old enough to take a HostConfig on start. Pinned by test/policy/canonical-path.test.ts.
 */
export function canonicalRequest(target: string): CanonicalRequest {
  if (target.includes('#')) throw new TargetError('fragment', 'a request-target must not contain "#"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(target)) {
    throw new TargetError('control-character', 'the request-target contains a space or control character');
  }
  const parsed = parseTarget(target);
  if (parsed.decodedPath.includes('\\')) {
    throw new TargetError('backslash', 'the request path contains a backslash (raw or %5C)');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(parsed.decodedPath)) {
    throw new TargetError('control-character', 'the request path decodes to a control character');
  }
  const withoutTrailing =
    parsed.decodedPath.length > 1 && parsed.decodedPath.endsWith('/')
      ? parsed.decodedPath.slice(0, -1)
      : parsed.decodedPath;
  // needsClean is the cheap screen normalizePath trusts too: when it says no, path.Clean is a no-op.
  if (needsClean(withoutTrailing) && cleanPath(withoutTrailing) !== withoutTrailing) {
    throw new TargetError(
      'unclean-path',
      `the request path "${parsed.decodedPath}" is not canonical (it has "//", "." or ".." segments once decoded); dockerd would redirect it`,
    );
  }
  if (parsed.apiVersion !== undefined && compareApiVersions(parsed.apiVersion, MIN_API_VERSION) < 0) {
    throw new TargetError(
      'api-version-too-old',
      `API version ${parsed.apiVersion} is below ${MIN_API_VERSION}; old versions let a start request carry host configuration`,
    );
  }
  const forwardTarget = encodePath(parsed.decodedPath) + (parsed.rawQuery !== undefined ? '?' + parsed.rawQuery : '');
  return { ...parsed, forwardTarget };
}
