/**
 * What owner isolation must do with a request (sockguard-config.md §10, security-notes.md §11), decided
 * on the method and the normalized (decoded, cleaned, version-stripped) path, never on the raw target:
 * - create: stamp the owner label into the body (or the build's `labels` query);
 * - list / prune / events: inject the owner label filter into `filters` (lists are post-filtered too;
 *   `/system/df` takes no filter, and the image list under allow_unowned_images cannot be expressed as
 *   one: both are only post-filtered);
 * - per-resource: resolve the reference through the daemon, check its owner, forward with the full ID;
 *   updates whose body carries labels are also stamped, and embedded references are checked;
 * - global: the endpoint has no owned object (ping, version, info, swarm, plugins, registry reads);
 * - unsupported: anything else; the proxy denies it (an endpoint we cannot scope is never forwarded).
 * Templates follow dockerd's routers, including which parameters are greedy (route-pattern.ts).
 */
import { compileRoutePattern, type RoutePattern } from './route-pattern.js';

export type ResourceKind =
  'container' | 'exec' | 'image' | 'network' | 'volume' | 'service' | 'task' | 'secret' | 'config' | 'node';

/** Bodies (or, for builds, the `labels` query) the owner label is stamped into. */
export type StampKind = 'container' | 'network' | 'volume' | 'service' | 'secret' | 'config' | 'node' | 'build';

/** Bodies whose embedded references (referencesInBody) must be owner-checked too. */
export type ReferenceBody = 'container-create' | 'network-connect' | 'service-spec';

export type ListKind =
  | 'containers'
  | 'images'
  | 'networks'
  | 'volumes'
  | 'services'
  | 'tasks'
  | 'secrets'
  | 'configs'
  | 'nodes'
  | 'system-df';

/** Where a per-resource request names its target. */
export type ResourceTarget =
  | {
      readonly from: 'path';
      readonly reference: string;
      /** The literal normalized path around the reference (rewriteResourcePath). */
      readonly before: string;
      readonly after: string;
    }
  /** `POST /commit?container=`: the first value. `GET /images/get?names=`: every value. */
  | { readonly from: 'query'; readonly parameter: 'container' | 'names' };

export type OwnedRequest =
  | { readonly kind: 'create'; readonly stamp: StampKind; readonly references?: ReferenceBody }
  | {
      readonly kind: 'list';
      readonly list: ListKind;
      /** The filter the owner label goes into; absent for /system/df, which is filtered on the response only. */
      readonly filterKey?: 'label' | 'node.label';
    }
  | { readonly kind: 'prune'; readonly filterKey: 'label' }
  | { readonly kind: 'events'; readonly filterKey: 'label' }
  | {
      readonly kind: 'per-resource';
      readonly resource: ResourceKind;
      readonly target: ResourceTarget;
      /**
       * Forward with the resolved full ID (a rename between check and use cannot change the target).
       * Not for images: push, tag, save and untag act on the name the client gave.
       */
      readonly forwardFullId: boolean;
      readonly stamp?: StampKind;
      readonly references?: ReferenceBody;
    }
  | { readonly kind: 'global'; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

type Outcome =
  | { readonly kind: 'create'; readonly stamp: StampKind; readonly references?: ReferenceBody }
  | Extract<OwnedRequest, { kind: 'list' | 'prune' | 'events' | 'global' }>
  | {
      readonly kind: 'per-resource';
      readonly resource: ResourceKind;
      readonly stamp?: StampKind;
      readonly references?: ReferenceBody;
      readonly query?: 'container' | 'names';
    };

interface Route {
  readonly pattern: RoutePattern;
  readonly outcome: Outcome;
}

const route = (method: string, template: string, outcome: Outcome): Route => ({
  pattern: compileRoutePattern(method, template),
  outcome,
});
const routes = (methods: readonly string[], template: string, outcome: Outcome) =>
  methods.map((m) => route(m, template, outcome));

const create = (stamp: StampKind, references?: ReferenceBody): Outcome =>
  references ? { kind: 'create', stamp, references } : { kind: 'create', stamp };
const list = (l: ListKind, filterKey: 'label' | 'node.label' | null = 'label'): Outcome =>
  filterKey ? { kind: 'list', list: l, filterKey } : { kind: 'list', list: l };
const prune: Outcome = { kind: 'prune', filterKey: 'label' };
const on = (
  resource: ResourceKind,
  extra: Omit<Extract<Outcome, { kind: 'per-resource' }>, 'kind' | 'resource'> = {},
) => ({ kind: 'per-resource', resource, ...extra }) as const;
const global = (reason: string): Outcome => ({ kind: 'global', reason });

const CONTAINER_ACTIONS: readonly (readonly [string, string])[] = [
  ['GET', 'json'],
  ['GET', 'top'],
  ['GET', 'logs'],
  ['GET', 'changes'],
  ['GET', 'export'],
  ['GET', 'stats'],
  ['GET', 'attach/ws'],
  ['GET', 'archive'],
  ['HEAD', 'archive'],
  ['PUT', 'archive'],
  ['POST', 'resize'],
  ['POST', 'start'],
  ['POST', 'stop'],
  ['POST', 'restart'],
  ['POST', 'kill'],
  ['POST', 'update'],
  ['POST', 'rename'],
  ['POST', 'pause'],
  ['POST', 'unpause'],
  ['POST', 'attach'],
  ['POST', 'wait'],
  ['POST', 'exec'],
];

const NO_LABELS_ON_PLUGINS = 'plugins carry no labels; they are shared by every owner';
const SWARM_WIDE = 'swarm membership and settings are cluster-wide';

// Literal templates come before parameterised ones that could also match them (`/containers/json`
// before `/containers/{ref*}`), as in dockerd's routers.
const ROUTES: readonly Route[] = [
  // Containers
  route('GET', '/containers/json', list('containers')),
  route('POST', '/containers/create', create('container', 'container-create')),
  route('POST', '/containers/prune', prune),
  ...CONTAINER_ACTIONS.map(([method, action]) => route(method, `/containers/{ref*}/${action}`, on('container'))),
  route('DELETE', '/containers/{ref*}', on('container')),
  route('POST', '/commit', on('container', { query: 'container' })),
  // Exec instances belong to their container (GET /exec/{id}/json -> ContainerID).
  route('POST', '/exec/{ref*}/start', on('exec')),
  route('POST', '/exec/{ref*}/resize', on('exec')),
  route('GET', '/exec/{ref*}/json', on('exec')),
  // Images
  route('GET', '/images/json', list('images')),
  route('GET', '/images/search', global('registry search reads no local image')),
  route('GET', '/images/get', on('image', { query: 'names' })),
  route('POST', '/images/create', global('pulled and imported images carry no owner label')),
  route('POST', '/images/load', global('loaded images carry no owner label')),
  route('POST', '/images/prune', prune),
  route('POST', '/build', create('build')),
  route('POST', '/build/prune', global('the build cache carries no owner label')),
  ...['get', 'history', 'json', 'attestations'].map((a) => route('GET', `/images/{ref*}/${a}`, on('image'))),
  ...['push', 'tag'].map((a) => route('POST', `/images/{ref*}/${a}`, on('image'))),
  route('DELETE', '/images/{ref*}', on('image')),
  route('GET', '/distribution/{ref*}/json', global('a registry lookup reads no local object')),
  // Networks
  route('GET', '/networks', list('networks')),
  route('POST', '/networks/create', create('network')),
  route('POST', '/networks/prune', prune),
  route('POST', '/networks/{ref*}/connect', on('network', { references: 'network-connect' })),
  route('POST', '/networks/{ref*}/disconnect', on('network', { references: 'network-connect' })),
  ...routes(['GET', 'DELETE'], '/networks/{ref*}', on('network')),
  // Volumes
  route('GET', '/volumes', list('volumes')),
  route('POST', '/volumes/create', create('volume')),
  route('POST', '/volumes/prune', prune),
  ...routes(['GET', 'PUT', 'DELETE'], '/volumes/{ref*}', on('volume')),
  // Swarm objects
  route('GET', '/services', list('services')),
  route('POST', '/services/create', create('service', 'service-spec')),
  route('POST', '/services/{ref}/update', on('service', { stamp: 'service', references: 'service-spec' })),
  ...routes(['GET', 'DELETE'], '/services/{ref}', on('service')),
  route('GET', '/services/{ref}/logs', on('service')),
  route('GET', '/tasks', list('tasks')),
  route('GET', '/tasks/{ref}', on('task')),
  route('GET', '/tasks/{ref}/logs', on('task')),
  route('GET', '/secrets', list('secrets')),
  route('POST', '/secrets/create', create('secret')),
  route('POST', '/secrets/{ref}/update', on('secret', { stamp: 'secret' })),
  ...routes(['GET', 'DELETE'], '/secrets/{ref}', on('secret')),
  route('GET', '/configs', list('configs')),
  route('POST', '/configs/create', create('config')),
  route('POST', '/configs/{ref}/update', on('config', { stamp: 'config' })),
  ...routes(['GET', 'DELETE'], '/configs/{ref}', on('config')),
  route('GET', '/nodes', list('nodes', 'node.label')),
  route('POST', '/nodes/{ref}/update', on('node', { stamp: 'node' })),
  ...routes(['GET', 'DELETE'], '/nodes/{ref}', on('node')),
  route('GET', '/swarm', global(SWARM_WIDE)),
  ...['init', 'join', 'leave', 'update', 'unlock'].map((a) => route('POST', `/swarm/${a}`, global(SWARM_WIDE))),
  route('GET', '/swarm/unlockkey', global(SWARM_WIDE)),
  // Plugins
  route('GET', '/plugins', global(NO_LABELS_ON_PLUGINS)),
  route('GET', '/plugins/privileges', global(NO_LABELS_ON_PLUGINS)),
  route('POST', '/plugins/pull', global(NO_LABELS_ON_PLUGINS)),
  route('POST', '/plugins/create', global(NO_LABELS_ON_PLUGINS)),
  ...['enable', 'disable', 'push', 'upgrade', 'set'].map((a) =>
    route('POST', `/plugins/{ref*}/${a}`, global(NO_LABELS_ON_PLUGINS)),
  ),
  route('GET', '/plugins/{ref*}/json', global(NO_LABELS_ON_PLUGINS)),
  route('DELETE', '/plugins/{ref*}', global(NO_LABELS_ON_PLUGINS)),
  // System
  route('GET', '/_ping', global('daemon liveness')),
  route('HEAD', '/_ping', global('daemon liveness')),
  route('GET', '/version', global('daemon version')),
  route('GET', '/info', global('daemon-wide counters and settings')),
  route('POST', '/auth', global('registry credential check')),
  route('GET', '/events', { kind: 'events', filterKey: 'label' }),
  route('GET', '/system/df', list('system-df', null)),
  route('POST', '/session', global('BuildKit session tunnel; builds are stamped through /build')),
  route('POST', '/grpc', global('BuildKit control tunnel; builds are stamped through /build')),
];

function toRequest(outcome: Outcome, reference: string | undefined, before: string, after: string): OwnedRequest {
  if (outcome.kind !== 'per-resource') return outcome;
  const { query, ...rest } = outcome;
  const target: ResourceTarget =
    query !== undefined ? { from: 'query', parameter: query } : { from: 'path', reference: reference!, before, after };
  return { ...rest, target, forwardFullId: outcome.resource !== 'image' };
}

export interface ClassifyOptions {
  /**
   * ownership.allow_unowned_images: the image list then shows unlabelled images too, which no label
   * filter can express, so it is filtered on the response only.
   */
  readonly allowUnownedImages: boolean;
}

export function classifyOwnedRequest(method: string, normalizedPath: string, options: ClassifyOptions): OwnedRequest {
  for (const r of ROUTES) {
    const m = r.pattern.match(method, normalizedPath);
    if (m === undefined) continue;
    if (r.outcome.kind === 'list' && r.outcome.list === 'images' && options.allowUnownedImages) {
      return { kind: 'list', list: 'images' };
    }
    return toRequest(r.outcome, m.reference, m.before, m.after);
  }
  return {
    kind: 'unsupported',
    reason: `owner isolation has no rule for ${method} ${normalizedPath}; it is not forwarded`,
  };
}
