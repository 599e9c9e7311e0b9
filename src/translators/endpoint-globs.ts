/**
 * Which Sockguard globs carry the intent of an old path prefix such as `/containers` or
 * `/containers/{id}/change` (a HAProxy regex prefix whose id class becomes a `*` segment): the Engine API
 * endpoints (src/policy/docker-endpoints.json plus dockerd's undocumented `/grpc`) whose path begins
 * with it, as one glob when they form a section (`/containers/**`, `/_ping`) or one glob each
 * otherwise (`/containers/{id}/changes`), and the write methods dockerd serves there. Podman's `/libpod`
 * API mirrors Docker's paths; its own roots (`pods`, `play`, `generate`, `manifests`, ...) are not
 * catalogued and are kept as written. A prefix no endpoint begins with has no globs (`/pods/{id}/start`).
 */
import endpoints from '../policy/docker-endpoints.json' with { type: 'json' };
import { STANDARD_METHODS } from '../policy/methods.js';

export interface EndpointGlobs {
  globs: readonly string[];
  /** Methods other than GET and HEAD that dockerd (or Podman) serves on those paths, in standard order. */
  writeMethods: readonly string[];
}

const LIBPOD = '/libpod';

/** dockerd's BuildKit gRPC route, missing from the spec (catalog-meta.json `daemonRoutesNotInSpec`). */
const UNDOCUMENTED_ROUTES = [{ method: 'POST', path: '/grpc' }];

/** Podman roots outside the Docker catalog: their methods are the usual REST set. */
const PODMAN_WRITE_METHODS = ['POST', 'PUT', 'DELETE'];

const ROUTES = [...endpoints, ...UNDOCUMENTED_ROUTES].map((e) => ({
  method: e.method,
  glob: e.path.replace(/\{[^}]*\}/g, '*'),
}));

const inStandardOrder = (methods: Iterable<string>): string[] => {
  const set = new Set(methods);
  return STANDARD_METHODS.filter((m) => set.has(m));
};

function findDockerGlobs(prefix: string): EndpointGlobs | undefined {
  const under = ROUTES.filter((route) => route.glob.startsWith(prefix));
  if (under.length === 0) return undefined;
  const paths = [...new Set(under.map((route) => route.glob))];
  const globs = paths.every((path) => path === prefix)
    ? [prefix]
    : paths.every((path) => path === prefix || path.startsWith(`${prefix}/`))
      ? [`${prefix}/**`]
      : paths;
  const writeMethods = inStandardOrder(under.map((route) => route.method).filter((m) => m !== 'GET' && m !== 'HEAD'));
  return { globs, writeMethods };
}

/** Globs for an old path prefix (see the module header); undefined when no endpoint begins with it. */
export function findEndpointGlobs(prefix: string): EndpointGlobs | undefined {
  if (!prefix.startsWith(`${LIBPOD}/`)) return findDockerGlobs(prefix);
  const mirrored = findDockerGlobs(prefix.slice(LIBPOD.length));
  if (mirrored) return { globs: mirrored.globs.map((glob) => LIBPOD + glob), writeMethods: mirrored.writeMethods };
  // A Podman-only root (`/libpod/pods`) is a section; a deeper path (`/libpod/pods/*/start`) one endpoint.
  const isRoot = !prefix.includes('*') && prefix.split('/').length === 3;
  return { globs: [isRoot ? `${prefix}/**` : prefix], writeMethods: PODMAN_WRITE_METHODS };
}
