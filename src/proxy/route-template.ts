/**
 * The `route` label of the request metrics: the Engine API catalog path the request matches
 * (`/containers/{id}/json`), so label cardinality stays bounded whatever ids and names clients send
 * (sockguard-config.md §15). Anything outside the catalog is `other`.
 */
import endpoints from '../policy/docker-endpoints.json' with { type: 'json' };

interface Template {
  path: string;
  pattern: RegExp;
  /** Literal characters: more specific templates are tried first. */
  weight: number;
}

// Image and plugin names may contain "/"; container, exec, network and volume ids may not.
const MULTI_SEGMENT = new Set(['name']);

const TEMPLATES: readonly Template[] = [...new Set((endpoints as readonly { path: string }[]).map((e) => e.path))]
  .map((path) => {
    const source = path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const param = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (param === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        return MULTI_SEGMENT.has(param) ? '.+' : '[^/]+';
      })
      .join('');
    return { path, pattern: new RegExp(`^${source}$`), weight: path.replace(/\{[^}]+\}/g, '').length };
  })
  .sort((a, b) => b.weight - a.weight);

/** Paths seen recently; cleared when full, so a client cycling through ids cannot grow it. */
const CACHE_LIMIT = 2048;
const cache = new Map<string, string>();

export function templateRoute(normalizedPath: string): string {
  let route = cache.get(normalizedPath);
  if (route === undefined) {
    route = TEMPLATES.find((t) => t.pattern.test(normalizedPath))?.path ?? 'other';
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(normalizedPath, route);
  }
  return route;
}
