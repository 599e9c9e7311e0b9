/**
 * The owner check of one referenced object (security-notes.md §11). The proxy does the I/O:
 * 1. `buildLookupPath(resource, reference)`: the inspect to send to the daemon (a fresh one for every
 *    request: a name, a full ID and any unique ID prefix are the same object, D21, and only the daemon
 *    knows which one a reference means right now);
 * 2. `readOwnedResource(resource, status, body)`: its full ID and labels (an exec instance yields its
 *    container, whose lookup then stands for the exec);
 * 3. `checkOwnership(reference, lookup, scope)`: allow, or the denial to answer with;
 * 4. forward with the full ID (rewrite-resource-path.ts).
 */
import { cleanPath, encodePath } from '../canonical-path.js';
import { isJsonObject, parseJsonTree } from '../response/json-tree.js';
import { ShapeMismatch } from '../response/tree-edits.js';
import { readLabels, VIEWS, type OwnerScope, type ResourceView } from '../response/visibility.js';
import type { OwnedReference } from './body-references.js';
import type { ResourceKind } from './classify-owned-request.js';
import { deniedAccess, invalidRequest, lookupFailed, notFound, type OwnerDenial } from './owner-verdict.js';

interface KindFacts {
  /** The inspect path, around the encoded reference. */
  readonly lookup: readonly [string, string];
  /** dockerd's parameter for this kind is greedy (the reference may contain `/`). */
  readonly greedy: boolean;
  readonly idField: string;
  readonly view?: ResourceView;
}

const KINDS: Record<ResourceKind, KindFacts> = {
  container: { lookup: ['/containers/', '/json'], greedy: true, idField: 'Id', view: VIEWS.containerInspect },
  exec: { lookup: ['/exec/', '/json'], greedy: true, idField: 'ID' },
  image: { lookup: ['/images/', '/json'], greedy: true, idField: 'Id', view: VIEWS.imageInspect },
  network: { lookup: ['/networks/', ''], greedy: true, idField: 'Id', view: VIEWS.network },
  volume: { lookup: ['/volumes/', ''], greedy: true, idField: 'Name', view: VIEWS.volume },
  service: { lookup: ['/services/', ''], greedy: false, idField: 'ID', view: VIEWS.service },
  task: { lookup: ['/tasks/', ''], greedy: false, idField: 'ID', view: VIEWS.task },
  secret: { lookup: ['/secrets/', ''], greedy: false, idField: 'ID', view: VIEWS.secret },
  config: { lookup: ['/configs/', ''], greedy: false, idField: 'ID', view: VIEWS.config },
  node: { lookup: ['/nodes/', ''], greedy: false, idField: 'ID', view: VIEWS.node },
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The (unversioned, encoded) path of the inspect that resolves a reference, or a 400 when the
 * reference could not name one object in that path: empty, control characters, a `/` where dockerd
 * takes one segment, or `.`/`..`/empty segments that dockerd would redirect instead of looking up.
 * A container reference may carry the leading `/` of its name (`Links: ["/db:db"]`).
 */
export function buildLookupPath(resource: ResourceKind, reference: string): { ok: true; path: string } | OwnerDenial {
  const facts = KINDS[resource];
  const name = resource === 'container' && reference.startsWith('/') ? reference.slice(1) : reference;
  const path = facts.lookup[0] + name + facts.lookup[1];
  if (name === '' || CONTROL.test(name) || (!facts.greedy && name.includes('/')) || cleanPath(path) !== path) {
    return invalidRequest(`${JSON.stringify(reference)} is not a valid ${resource} reference`);
  }
  return { ok: true, path: encodePath(path) };
}

export interface OwnedResource {
  /** The full ID (for volumes, the name) to forward with. */
  readonly id: string;
  readonly labels: ReadonlyMap<string, string>;
  /** Exec instances only: the container to check instead. */
  readonly containerId?: string;
}

export type OwnerLookup = { status: 'found'; resource: OwnedResource } | { status: 'missing' } | { status: 'failed' };

/**
 * Reads the daemon's answer to buildLookupPath: 404 is `missing`; any other non-200, an unparseable
 * body or one without an ID (or, for an exec, a container ID) is `failed`.
 */
export function readOwnedResource(resource: ResourceKind, status: number, body: Uint8Array | string): OwnerLookup {
  if (status === 404) return { status: 'missing' };
  if (status !== 200) return { status: 'failed' };
  const parsed = parseJsonTree(body);
  if (!parsed.ok || !isJsonObject(parsed.value)) return { status: 'failed' };
  const facts = KINDS[resource];
  const document = parsed.value;
  const id = document.get(facts.idField);
  if (typeof id !== 'string' || id === '') return { status: 'failed' };
  if (resource === 'exec') {
    const containerId = document.get('ContainerID');
    if (typeof containerId !== 'string' || containerId === '') return { status: 'failed' };
    return { status: 'found', resource: { id, labels: new Map(), containerId } };
  }
  try {
    return { status: 'found', resource: { id, labels: readLabels(facts.view!, document) } };
  } catch (error) {
    if (error instanceof ShapeMismatch) return { status: 'failed' };
    throw error;
  }
}

export type OwnershipVerdict = { ok: true; createVolume?: true } | OwnerDenial;

/**
 * Whether the owner may act on a looked-up object. A reference the daemon does not know is answered
 * 404 (as dockerd would) unless the reference says otherwise (OwnedReference.ifMissing). Images
 * without an owner label pass when allow_unowned_images is set; an image labelled for another owner
 * never does. For an exec instance, pass the lookup of its container (an exec carries no labels, so
 * its own lookup is always denied).
 */
export function checkOwnership(
  target: Pick<OwnedReference, 'resource' | 'reference'> & Partial<Pick<OwnedReference, 'ifMissing'>>,
  lookup: OwnerLookup,
  scope: OwnerScope,
): OwnershipVerdict {
  const { resource, reference } = target;
  if (lookup.status === 'failed') return lookupFailed();
  if (lookup.status === 'missing') {
    if (target.ifMissing === 'allow') return { ok: true };
    if (target.ifMissing === 'create-volume') return { ok: true, createVolume: true };
    return notFound(`No such ${resource}: ${reference}`);
  }
  const owner = lookup.resource.labels.get(scope.labelKey);
  if (owner === scope.owner) return { ok: true };
  if (resource === 'image' && owner === undefined && scope.allowUnownedImages) return { ok: true };
  return deniedAccess(`access to ${resource} ${JSON.stringify(reference)} denied: it is not owned by this client`);
}
