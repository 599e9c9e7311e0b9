/**
 * The Docker Engine API endpoints a rule path can be checked against: the spec catalog
 * (src/policy/docker-endpoints.json, API 1.56) plus the daemon routes the spec leaves out
 * (shared/reference/docker-engine-api/catalog-meta.json `daemonRoutesNotInSpec`). Podman's
 * `/libpod/...` API is not catalogued, so paths under it are never judged here.
 */
import endpoints from '../policy/docker-endpoints.json' with { type: 'json' };
import { editDistance } from '../policy/schema-dsl.js';
import { compileTemplate, globMatchesTemplate, type PathTemplate } from './glob-language.js';

export interface CatalogEndpoint {
  method: string;
  /** The path template, e.g. `/containers/{id}/json`. */
  path: string;
  /** The template as a glob (`{id}` becomes `*`), for suggestions. */
  glob: string;
  /** True for requests that change nothing on the daemon (per the spec). */
  readOnly: boolean;
  template: PathTemplate;
}

/** Daemon routes missing from the spec (`/debug/pprof/` is cleaned to `/debug/pprof`). */
const UNDOCUMENTED_ROUTES: readonly { method: string; path: string }[] = [
  { method: 'POST', path: '/build/cancel' },
  { method: 'GET', path: '/containers/{name}/checkpoints' },
  { method: 'POST', path: '/containers/{name}/checkpoints' },
  { method: 'DELETE', path: '/containers/{name}/checkpoints/{checkpoint}' },
  { method: 'GET', path: '/debug/vars' },
  { method: 'GET', path: '/debug/pprof' },
  { method: 'GET', path: '/debug/pprof/{name}' },
  { method: 'POST', path: '/grpc' },
];

const toGlob = (template: string): string => template.replace(/\{[^}]*\}/g, '*');

/**
 * Parameters that can hold a `/` in a request that succeeds: image and plugin references
 * (`library/alpine`, `vieux/sshfs`). Container, exec, network and volume routes are greedy too
 * (`pathParamsMayContainSlash`), but no such name contains `/`, so an extra segment only reaches
 * a lookup that fails (security-notes.md D8) and is not an endpoint a rule should aim at.
 */
const REFERENCE_ROOTS = new Set(['images', 'plugins', 'distribution']);
const valuesMayContainSlash = (path: string, routeAllowsSlash: boolean): boolean =>
  routeAllowsSlash && REFERENCE_ROOTS.has(path.slice(1).split('/')[0] ?? '');

export const ENGINE_ENDPOINTS: readonly CatalogEndpoint[] = [
  ...endpoints.map((e) => ({
    method: e.method,
    path: e.path,
    glob: toGlob(e.path),
    readOnly: e.readOnly,
    template: compileTemplate(e.path, valuesMayContainSlash(e.path, e.pathParamsMayContainSlash)),
  })),
  ...UNDOCUMENTED_ROUTES.map((r) => ({
    method: r.method,
    path: r.path,
    glob: toGlob(r.path),
    readOnly: r.method === 'GET',
    template: compileTemplate(r.path, false),
  })),
];

const firstSegmentOf = (path: string): string => path.slice(1).split('/')[0] ?? '';

const BY_FIRST_SEGMENT = new Map<string, CatalogEndpoint[]>();
for (const endpoint of ENGINE_ENDPOINTS) {
  const key = firstSegmentOf(endpoint.path);
  BY_FIRST_SEGMENT.set(key, [...(BY_FIRST_SEGMENT.get(key) ?? []), endpoint]);
}

/** True for paths outside the Engine API catalog (Podman's libpod API). */
export function isOutsideCatalog(pattern: string): boolean {
  return pattern === '/libpod' || pattern.startsWith('/libpod/') || pattern.startsWith('/libpod*');
}

const CACHE_LIMIT = 20_000;
const matchCache = new Map<string, readonly CatalogEndpoint[]>();

/** The catalog endpoints (any method) whose path the glob can match; the glob must start with `/`. */
export function endpointsMatchedBy(pattern: string): readonly CatalogEndpoint[] {
  let found = matchCache.get(pattern);
  if (found) return found;
  const first = firstSegmentOf(pattern);
  const candidates = first.includes('*') ? ENGINE_ENDPOINTS : (BY_FIRST_SEGMENT.get(first) ?? []);
  found = candidates.filter((e) => globMatchesTemplate(pattern, e.template));
  if (matchCache.size >= CACHE_LIMIT) matchCache.clear();
  matchCache.set(pattern, found);
  return found;
}

const SUGGESTIONS: readonly string[] = [
  ...new Set([...ENGINE_ENDPOINTS.map((e) => e.glob), ...[...BY_FIRST_SEGMENT.keys()].map((s) => `/${s}/**`)]),
];

/** The catalog path (as a glob) closest to a pattern that matches nothing, if one is close enough. */
export function closestEndpointGlob(pattern: string): string | undefined {
  const limit = Math.max(2, Math.floor(pattern.length / 5));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of SUGGESTIONS) {
    // The length difference is a lower bound of the distance: skip the quadratic work.
    if (Math.abs(candidate.length - pattern.length) >= bestDistance) continue;
    const distance = editDistance(pattern, candidate, bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
