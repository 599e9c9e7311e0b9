/**
 * The responses sockguard may rewrite: successful JSON reads of known shapes (sockguard-config.md §7).
 * The proxy buffers exactly these (isRedactableRoute in redact-response.ts) and streams everything else untouched; streams
 * (logs, attach, events, exec, build progress, exports) are never among them. Lists and inspects also
 * name the shape visibility filters them by.
 */
import { compileRoutePattern, type RoutePattern } from '../ownership/route-pattern.js';
import type { ResponseShape } from './redaction-rules.js';
import type { InspectShape, ListShape } from './visibility.js';

/** The most response bytes buffered for filtering or redaction; beyond it the proxy answers 502. */
export const MAX_FILTERED_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface ResponseRoute {
  readonly shape: ResponseShape;
  readonly list?: ListShape;
  readonly inspect?: InspectShape;
}

interface Entry extends ResponseRoute {
  readonly pattern: RoutePattern;
}

const get = (template: string, route: ResponseRoute): Entry => ({
  pattern: compileRoutePattern('GET', template),
  ...route,
});

// Literal templates come before the parameterised ones that could also match them.
const ENTRIES: readonly Entry[] = [
  get('/containers/json', { shape: 'container-list', list: 'containers' }),
  get('/containers/{ref*}/json', { shape: 'container-inspect', inspect: 'container' }),
  get('/images/json', { shape: 'image-list', list: 'images' }),
  get('/images/{ref*}/json', { shape: 'image-inspect', inspect: 'image' }),
  get('/networks', { shape: 'network-list', list: 'networks' }),
  get('/networks/{ref*}', { shape: 'network-inspect', inspect: 'network' }),
  get('/volumes', { shape: 'volume-list', list: 'volumes' }),
  get('/volumes/{ref*}', { shape: 'volume-inspect', inspect: 'volume' }),
  get('/services', { shape: 'service-list', list: 'services' }),
  get('/services/{ref}', { shape: 'service-inspect', inspect: 'service' }),
  get('/tasks', { shape: 'task-list', list: 'tasks' }),
  get('/tasks/{ref}', { shape: 'task-inspect', inspect: 'task' }),
  get('/secrets', { shape: 'secret-list', list: 'secrets' }),
  get('/secrets/{ref}', { shape: 'secret-inspect', inspect: 'secret' }),
  get('/configs', { shape: 'config-list', list: 'configs' }),
  get('/configs/{ref}', { shape: 'config-inspect', inspect: 'config' }),
  get('/plugins', { shape: 'plugin-list' }),
  get('/plugins/{ref*}/json', { shape: 'plugin-inspect' }),
  get('/nodes', { shape: 'node-list', list: 'nodes' }),
  get('/nodes/{ref}', { shape: 'node-inspect', inspect: 'node' }),
  get('/swarm', { shape: 'swarm' }),
  get('/swarm/unlockkey', { shape: 'swarm-unlockkey' }),
  get('/info', { shape: 'info' }),
  get('/system/df', { shape: 'system-df', list: 'system-df' }),
];

export function findResponseRoute(method: string, normalizedPath: string): ResponseRoute | undefined {
  const entry = ENTRIES.find((e) => e.pattern.match(method, normalizedPath) !== undefined);
  if (entry === undefined) return undefined;
  const { pattern: _pattern, ...route } = entry;
  return route;
}
