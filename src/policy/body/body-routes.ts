/**
 * Which requests carry a body an inspector judges, by method and normalized path (the same
 * version-stripped path the rules match, security-notes.md §4), and how much of it may be read.
 * The proxy buffers exactly these bodies and never the streams of other routes; bodies over the
 * limit are refused with 413, never forwarded uninspected (security-notes.md §8, CVE-2026-34040).
 */
import { compileGlob, type CompiledGlob } from '../glob.js';

/** JSON request bodies (container create, service specs, ...). Real ones are a few KiB. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
/** Tar bodies read whole for inspection (build contexts, `docker cp` uploads, image and plugin archives). */
export const MAX_ARCHIVE_BODY_BYTES = 512 * 1024 * 1024;

export type BodyRouteId =
  | 'container-create'
  | 'container-update'
  | 'container-start'
  | 'exec-create'
  | 'exec-start'
  | 'image-pull'
  | 'build'
  | 'container-archive'
  | 'image-load'
  | 'volume-create'
  | 'network-create'
  | 'network-connect'
  | 'network-disconnect'
  | 'service-write'
  | 'secret-create'
  | 'config-create'
  | 'plugin-privileges'
  | 'plugin-set'
  | 'plugin-create'
  | 'swarm-init'
  | 'swarm-join'
  | 'swarm-update'
  | 'swarm-unlock'
  | 'node-update'
  | 'libpod-write';

/** json: a JSON document; tar: an archive; none: judged from query and headers only (never buffered). */
export type BodyKind = 'json' | 'tar' | 'none';

export interface BodyRoute {
  readonly id: BodyRouteId;
  /** The literal first path segment (every route pattern has one), for indexing. */
  readonly firstSegment: string;
  readonly method: string;
  readonly glob: CompiledGlob;
  readonly kind: BodyKind;
  readonly maxBytes: number;
}

function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end < 0 ? path.slice(1) : path.slice(1, end);
}

const route = (id: BodyRouteId, method: string, pattern: string, kind: BodyKind): BodyRoute => ({
  id,
  firstSegment: firstSegment(pattern),
  method,
  glob: compileGlob(pattern),
  kind,
  maxBytes: kind === 'tar' ? MAX_ARCHIVE_BODY_BYTES : kind === 'json' ? MAX_JSON_BODY_BYTES : 0,
});

const BODY_ROUTES: readonly BodyRoute[] = [
  route('container-create', 'POST', '/containers/create', 'json'),
  route('container-update', 'POST', '/containers/*/update', 'json'),
  route('container-start', 'POST', '/containers/*/start', 'json'),
  route('exec-create', 'POST', '/containers/*/exec', 'json'),
  // A hijacked stream follows the start body; the re-check uses the daemon's exec inspect instead.
  route('exec-start', 'POST', '/exec/*/start', 'none'),
  // fromSrc=- streams an image tarball as the body; it is judged by allow_imports, never buffered.
  route('image-pull', 'POST', '/images/create', 'none'),
  route('build', 'POST', '/build', 'tar'),
  route('container-archive', 'PUT', '/containers/*/archive', 'tar'),
  route('image-load', 'POST', '/images/load', 'tar'),
  route('volume-create', 'POST', '/volumes/create', 'json'),
  route('network-create', 'POST', '/networks/create', 'json'),
  route('network-connect', 'POST', '/networks/*/connect', 'json'),
  route('network-disconnect', 'POST', '/networks/*/disconnect', 'json'),
  route('service-write', 'POST', '/services/create', 'json'),
  route('service-write', 'POST', '/services/*/update', 'json'),
  route('secret-create', 'POST', '/secrets/create', 'json'),
  route('config-create', 'POST', '/configs/create', 'json'),
  route('plugin-privileges', 'POST', '/plugins/pull', 'json'),
  route('plugin-privileges', 'POST', '/plugins/*/upgrade', 'json'),
  route('plugin-set', 'POST', '/plugins/*/set', 'json'),
  route('plugin-create', 'POST', '/plugins/create', 'tar'),
  route('swarm-init', 'POST', '/swarm/init', 'json'),
  route('swarm-join', 'POST', '/swarm/join', 'json'),
  route('swarm-update', 'POST', '/swarm/update', 'json'),
  route('swarm-unlock', 'POST', '/swarm/unlock', 'json'),
  route('node-update', 'POST', '/nodes/*/update', 'json'),
  // Podman's libpod writes: the Go proxy inspects them, this toolkit does not yet (the libpod_* groups
  // are marked unimplemented), so they are refused unless blind writes are acknowledged.
  ...[
    '/libpod/containers/create',
    '/libpod/containers/*/exec',
    '/libpod/containers/*/update',
    '/libpod/exec/*/start',
    '/libpod/pods/create',
    '/libpod/volumes/create',
    '/libpod/networks/create',
    '/libpod/networks/*/connect',
    '/libpod/secrets/create',
    '/libpod/images/pull',
    '/libpod/images/import',
    '/libpod/images/load',
    '/libpod/build',
    '/libpod/play/kube',
    '/libpod/kube/play',
    '/libpod/kube/apply',
    '/libpod/manifests/create',
    '/libpod/manifests/*',
  ].map((pattern) => route('libpod-write', 'POST', pattern, 'none')),
  route('libpod-write', 'PUT', '/libpod/manifests/*', 'none'),
  route('libpod-write', 'PUT', '/libpod/containers/*/archive', 'none'),
];

const byFirstSegment = new Map<string, BodyRoute[]>();
for (const r of BODY_ROUTES) byFirstSegment.set(r.firstSegment, [...(byFirstSegment.get(r.firstSegment) ?? []), r]);

export function findBodyRoute(method: string, normalizedPath: string): BodyRoute | undefined {
  return byFirstSegment
    .get(firstSegment(normalizedPath))
    ?.find((r) => r.method === method && r.glob.test(normalizedPath));
}

/**
 * Whether the proxy must buffer this request's body before judging it, for any policy. Streams of
 * other routes (attach, exec start, image import, logs) must never be buffered.
 */
export function requiresBody(method: string, normalizedPath: string): boolean {
  const r = findBodyRoute(method, normalizedPath);
  return r !== undefined && r.kind !== 'none';
}

/** The most body bytes an inspector reads for this request; undefined when it reads none. */
export function maxBodyBytes(method: string, normalizedPath: string): number | undefined {
  const r = findBodyRoute(method, normalizedPath);
  return r === undefined || r.kind === 'none' ? undefined : r.maxBytes;
}
