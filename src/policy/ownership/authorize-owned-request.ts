/**
 * Owner isolation for one request, start to finish (sockguard-config.md §10, security-notes.md §11),
 * with the daemon behind an injected lookup so that the I/O stays in the proxy and `sockguard test`
 * can run it against recorded answers. In order:
 * 1. classify on the normalized path (an unsupported endpoint is denied);
 * 2. lists, prunes and events get the owner label filter (the proxy also post-filters list responses
 *    with an owner-scoped visibility, see response/visibility.ts);
 * 3. every object the request acts on or refers to is looked up afresh and must carry the owner label:
 *    the path target (an exec instance through its container), a query target (`/commit?container=`,
 *    `/images/get?names=`), and the references inside the body or the build query;
 * 4. creates and relabelling updates get the owner label stamped;
 * 5. the request is forwarded with the full ID of the checked target.
 * The first denial wins; nothing is forwarded unless every check passed.
 */
import { encodePath } from '../canonical-path.js';
import {
  referencesInBody,
  referencesInBuildQuery,
  type OwnedReference,
  type ReferenceList,
} from './body-references.js';
import { buildLookupPath, checkOwnership, readOwnedResource, type OwnerLookup } from './check-ownership.js';
import { classifyOwnedRequest, type OwnedRequest, type StampKind } from './classify-owned-request.js';
import { injectOwnerFilter } from './owner-filter.js';
import { stampBuildLabels, stampOwnerLabel } from './owner-label.js';
import { deniedAccess, type OwnerDenial } from './owner-verdict.js';
import { readQueryReferences, rewriteQueryReference, rewriteResourcePath } from './rewrite-resource-path.js';

export interface OwnershipSettings {
  readonly owner: string;
  readonly labelKey: string;
  readonly allowUnownedImages: boolean;
  readonly allowCrossOwnerNamespaceSharing: boolean;
}

export interface OwnedRequestInput {
  readonly method: string;
  /** Cleaned, version-stripped (what the rules matched). */
  readonly normalizedPath: string;
  /** Decoded once, version prefix kept (canonicalRequest's), for forwarding. */
  readonly decodedPath: string;
  readonly rawQuery?: string | undefined;
  /** The buffered request body, for creates, updates and network connects. */
  readonly body?: Uint8Array | undefined;
}

/** `GET <path>` to the daemon (path as buildLookupPath returns it); the status and body it answered. */
export type DaemonLookup = (path: string) => Promise<{ readonly status: number; readonly body: Uint8Array | string }>;

export interface OwnershipGrant {
  readonly ok: true;
  /** What to send upstream: the encoded path (full IDs in place) and the query (owner filter, build labels). */
  readonly forwardTarget: string;
  /** A stamped body to send instead of the received one (as application/json, with its own length). */
  readonly body?: Uint8Array;
  /** Named volumes dockerd would create without labels: create each with the owner label first. */
  readonly createVolumes: readonly string[];
  /** How the request was classified (list kinds tell the proxy which response to post-filter). */
  readonly request: OwnedRequest;
}

export type OwnershipDecision = OwnershipGrant | OwnerDenial;

class Denied extends Error {
  constructor(readonly denial: OwnerDenial) {
    super(denial.message);
  }
}

function orDeny<T extends { ok: true }>(result: T | OwnerDenial): T {
  if (!result.ok) throw new Denied(result);
  return result;
}

/** Looks a reference up and checks it; returns the resolved full ID (undefined when allowed missing). */
async function checkReference(
  ref: Pick<OwnedReference, 'resource' | 'reference'> & Partial<Pick<OwnedReference, 'ifMissing'>>,
  settings: OwnershipSettings,
  lookup: DaemonLookup,
  createVolumes: string[],
): Promise<string | undefined> {
  const answer = await lookup(orDeny(buildLookupPath(ref.resource, ref.reference)).path);
  let found: OwnerLookup = readOwnedResource(ref.resource, answer.status, answer.body);
  if (ref.resource === 'exec' && found.status === 'found') {
    // An exec instance belongs to its container: the container's labels decide.
    const execId = found.resource.id;
    const container = await lookup(orDeny(buildLookupPath('container', found.resource.containerId!)).path);
    found = readOwnedResource('container', container.status, container.body);
    if (found.status === 'found') found = { status: 'found', resource: { ...found.resource, id: execId } };
  }
  const verdict = orDeny(checkOwnership(ref, found, settings));
  if (verdict.createVolume) createVolumes.push(ref.reference);
  return found.status === 'found' ? found.resource.id : undefined;
}

function stampedBody(kind: Exclude<StampKind, 'build'>, input: OwnedRequestInput, settings: OwnershipSettings) {
  return orDeny(stampOwnerLabel(kind, input.body ?? new Uint8Array(), settings.owner, settings.labelKey)).body;
}

export async function authorizeOwnedRequest(
  input: OwnedRequestInput,
  settings: OwnershipSettings,
  lookup: DaemonLookup,
): Promise<OwnershipDecision> {
  if (settings.owner === '') throw new Error('authorizeOwnedRequest needs ownership.owner');
  const request = classifyOwnedRequest(input.method, input.normalizedPath, settings);
  let path = encodePath(input.decodedPath);
  let query = input.rawQuery;
  let body: Uint8Array | undefined;
  const createVolumes: string[] = [];
  const check = (ref: Parameters<typeof checkReference>[0]) => checkReference(ref, settings, lookup, createVolumes);
  const checkAll = async (list: ReferenceList) => {
    for (const ref of orDeny(list).references) await check(ref);
  };
  const referenceOptions = { allowCrossOwnerNamespaceSharing: settings.allowCrossOwnerNamespaceSharing };

  try {
    switch (request.kind) {
      case 'unsupported':
        return deniedAccess(request.reason);
      case 'global':
        break;
      case 'list':
      case 'prune':
      case 'events':
        if (request.filterKey !== undefined) {
          query = orDeny(injectOwnerFilter(query, settings.labelKey, settings.owner, request.filterKey)).rawQuery;
        }
        break;
      case 'create':
        if (request.stamp === 'build') {
          await checkAll(referencesInBuildQuery(query, referenceOptions));
          query = orDeny(stampBuildLabels(query, settings.owner, settings.labelKey)).rawQuery;
          break;
        }
        if (request.references)
          await checkAll(referencesInBody(request.references, input.body ?? '', referenceOptions));
        body = stampedBody(request.stamp, input, settings);
        break;
      case 'per-resource': {
        const { target, resource } = request;
        if (target.from === 'path') {
          const id = await check({ resource, reference: target.reference });
          if (request.forwardFullId && id !== undefined) {
            const rewritten = orDeny(rewriteResourcePath({ decodedPath: input.decodedPath }, target, id));
            path = rewritten.forwardTarget;
          }
        } else {
          const references = orDeny(readQueryReferences(query, target.parameter)).references;
          const ids: (string | undefined)[] = [];
          for (const reference of references) ids.push(await check({ resource, reference }));
          if (target.parameter === 'container' && ids[0] !== undefined) {
            query = orDeny(rewriteQueryReference(query, 'container', ids[0])).rawQuery;
          }
        }
        if (request.references)
          await checkAll(referencesInBody(request.references, input.body ?? '', referenceOptions));
        if (request.stamp !== undefined && request.stamp !== 'build')
          body = stampedBody(request.stamp, input, settings);
        break;
      }
    }
  } catch (error) {
    if (error instanceof Denied) return error.denial;
    throw error;
  }
  return {
    ok: true,
    forwardTarget: path + (query !== undefined ? `?${query}` : ''),
    ...(body !== undefined ? { body } : {}),
    createVolumes,
    request,
  };
}
