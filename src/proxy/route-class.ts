/**
 * What kind of Engine API route a request addresses, decided on the normalized path (never on the raw
 * target, security-notes.md §8/§11): whether it may hijack the connection, whether its response may
 * stay open indefinitely (no request timeout, sockguard-config.md §5), and whether its body is a bulk
 * upload that is streamed after judging instead of buffered.
 */

export type HijackKind = 'attach' | 'exec-start' | 'attach-ws';

export interface RouteClass {
  /** Set only for the routes a daemon really hijacks (security-notes.md §6); nothing else is ever tunnelled. */
  readonly hijack: HijackKind | undefined;
  /** The response is a stream: exempt from upstream.request_timeout. */
  readonly streaming: boolean;
  /** The stream has no natural end (events, follow, stats, attach): cut at once on shutdown. */
  readonly unbounded: boolean;
  /** The request body is a bulk upload (tar, image): streamed to the daemon once the request is judged. */
  readonly bulkUpload: boolean;
}

const SEGMENT = '[^/]+';
/**
 * dockerd routes container and image names greedily (`{name:.*}`): a link alias makes
 * `/containers/web/db/attach` the attach route of container `web/db` (security-notes.md D8), so such
 * names are matched across segments too. Exec ids never contain "/".
 */
const ANY = '.+';

interface RoutePattern {
  method: string;
  pattern: RegExp;
  /** The literal first path segment. */
  segment: string;
}

function route(method: string, path: string): RoutePattern {
  const source = path.replaceAll('{id}', SEGMENT).replaceAll('{name}', ANY);
  return { method, pattern: new RegExp(`^${source}$`), segment: path.split('/')[1]! };
}

function matchesAny(routes: readonly RoutePattern[], method: string, path: string): boolean {
  return routes.some((r) => r.method === method && r.pattern.test(path));
}

// Hijack routes: the Engine API's attach and exec start (plus their libpod twins, as the Go proxy).
// POST /grpc and /session are BuildKit tunnels and are deliberately not tunnelled (security-notes.md §6).
const HIJACKS: readonly (RoutePattern & { kind: HijackKind })[] = [
  { ...route('POST', '/containers/{name}/attach'), kind: 'attach' },
  { ...route('POST', '/libpod/containers/{name}/attach'), kind: 'attach' },
  { ...route('POST', '/exec/{id}/start'), kind: 'exec-start' },
  { ...route('POST', '/libpod/exec/{id}/start'), kind: 'exec-start' },
  { ...route('GET', '/containers/{name}/attach/ws'), kind: 'attach-ws' },
];

// Streams whose end the daemon decides regardless of the query (sockguard-config.md §5 exemptions).
const BOUNDED_STREAMS: readonly RoutePattern[] = [
  route('POST', '/build'),
  route('POST', '/images/create'),
  route('POST', '/images/{name}/push'),
  route('POST', '/images/load'),
  route('GET', '/images/{name}/get'),
  route('GET', '/images/get'),
  route('POST', '/plugins/pull'),
  route('POST', '/plugins/{name}/push'),
  route('POST', '/plugins/{name}/upgrade'),
  route('POST', '/plugins/create'),
  route('GET', '/containers/{name}/export'),
  route('GET', '/containers/{name}/archive'),
  route('HEAD', '/containers/{name}/archive'),
  route('PUT', '/containers/{name}/archive'),
  route('POST', '/libpod/build'),
  route('POST', '/libpod/images/load'),
  route('POST', '/libpod/images/import'),
  route('GET', '/libpod/containers/{name}/export'),
  route('GET', '/libpod/containers/{name}/archive'),
  route('PUT', '/libpod/containers/{name}/archive'),
];

const WAITS: readonly RoutePattern[] = [
  route('POST', '/containers/{name}/wait'),
  route('POST', '/libpod/containers/{name}/wait'),
];

const LOGS: readonly RoutePattern[] = [
  route('GET', '/containers/{name}/logs'),
  route('GET', '/services/{id}/logs'),
  route('GET', '/tasks/{id}/logs'),
  route('GET', '/libpod/containers/{name}/logs'),
];

const STATS: readonly RoutePattern[] = [
  route('GET', '/containers/{name}/stats'),
  route('GET', '/libpod/containers/{name}/stats'),
];

const BULK_UPLOADS: readonly RoutePattern[] = [
  route('PUT', '/containers/{name}/archive'),
  route('POST', '/build'),
  route('POST', '/images/create'),
  route('POST', '/images/load'),
  route('POST', '/plugins/create'),
  route('PUT', '/libpod/containers/{name}/archive'),
  route('POST', '/libpod/build'),
  route('POST', '/libpod/images/load'),
  route('POST', '/libpod/images/import'),
];

/** dockerd's boolean query values (security-notes.md D10): only "", 0, no, false, none are false. */
export function isTrueQueryValue(value: string): boolean {
  return !['', '0', 'no', 'false', 'none'].includes(value.trim().toLowerCase());
}

/** The first value of a query parameter, as dockerd's r.Form.Get reads it; undefined when absent. */
export function firstQueryValue(rawQuery: string | undefined, name: string): string | undefined {
  if (rawQuery === undefined) return undefined;
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (decodeQueryComponent(key) !== name) continue;
    return eq < 0 ? '' : decodeQueryComponent(pair.slice(eq + 1));
  }
  return undefined;
}

function decodeQueryComponent(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

const PLAIN: RouteClass = Object.freeze({ hijack: undefined, streaming: false, unbounded: false, bulkUpload: false });

/** First path segments that any special route starts with; everything else is plain (fast path). */
const SPECIAL_SEGMENTS = new Set(
  [...HIJACKS, ...BOUNDED_STREAMS, ...WAITS, ...LOGS, ...STATS, ...BULK_UPLOADS].map((r) => r.segment).concat('events'),
);

export function classifyRoute(method: string, normalizedPath: string, rawQuery: string | undefined): RouteClass {
  const end = normalizedPath.indexOf('/', 1);
  if (!SPECIAL_SEGMENTS.has(end < 0 ? normalizedPath.slice(1) : normalizedPath.slice(1, end))) return PLAIN;
  const hijack = HIJACKS.find((r) => r.method === method && r.pattern.test(normalizedPath))?.kind;
  let unbounded = hijack !== undefined || matchesAny(WAITS, method, normalizedPath);
  if (method === 'GET' && normalizedPath === '/events') unbounded = firstQueryValue(rawQuery, 'until') === undefined;
  if (matchesAny(LOGS, method, normalizedPath)) {
    const follow = firstQueryValue(rawQuery, 'follow');
    unbounded = follow !== undefined && isTrueQueryValue(follow);
  }
  if (matchesAny(STATS, method, normalizedPath)) {
    const stream = firstQueryValue(rawQuery, 'stream');
    unbounded = stream === undefined || isTrueQueryValue(stream);
  }
  const events = method === 'GET' && normalizedPath === '/events';
  return {
    hijack,
    streaming: unbounded || events || matchesAny(BOUNDED_STREAMS, method, normalizedPath),
    unbounded,
    bulkUpload: matchesAny(BULK_UPLOADS, method, normalizedPath),
  };
}
