/**
 * Owner isolation for one request as a sequence of steps (sockguard-config.md §10), with the daemon
 * left to whoever drives it: serve looks each object up (authorizeOwnedRequest), `sockguard test`
 * records it and assumes it is owned (src/cases/judge-ownership.ts). In order:
 * 1. classify on the normalized path (an unsupported endpoint is denied);
 * 2. lists, prunes and events get the owner label filter;
 * 3. every object the request acts on or refers to is yielded for a fresh lookup, in serve's order:
 *    the path target (an exec instance through its container), a query target (`/commit?container=`,
 *    `/images/get?names=`), and the references inside the body or the build query;
 * 4. creates and relabelling updates get the owner label stamped;
 * 5. the forward target carries the full ID the driver resolved for the checked target.
 * The first denial wins; a malformed reference is refused before it is yielded.
 */
import { encodePath } from '../canonical-path.js';
import {
  referencesInBody,
  referencesInBuildQuery,
  type OwnedReference,
  type ReferenceList,
} from './body-references.js';
import { buildLookupPath } from './check-ownership.js';
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

/** An object to look up afresh: it must carry the owner label. */
export interface OwnerCheck extends OwnedReference {
  /** `GET` path of its inspect (buildLookupPath). */
  readonly lookupPath: string;
}

/** What the steps decided once every check was answered. */
export interface OwnedRequestPlan {
  readonly ok: true;
  /** What to send upstream: the encoded path (full IDs in place) and the query (owner filter, build labels). */
  readonly forwardTarget: string;
  /** A stamped body to send instead of the received one (as application/json, with its own length). */
  readonly body?: Uint8Array;
  /** How the request was classified (list kinds tell the proxy which response to post-filter). */
  readonly request: OwnedRequest;
}

/**
 * Yields each check and takes back the full ID the driver resolved for it (undefined: not found but
 * allowed, or not looked up); returns the plan or the first denial.
 */
export type OwnedRequestSteps = Generator<OwnerCheck, OwnedRequestPlan | OwnerDenial, string | undefined>;

/**
 * Whether the steps read this request's body (to stamp it or check its references): a caller that
 * did not buffer it must not run them, or an empty body would be judged and stamped instead.
 */
export function readsBody(request: OwnedRequest): boolean {
  if (request.kind === 'create') return request.stamp !== 'build';
  return request.kind === 'per-resource' && (request.stamp !== undefined || request.references !== undefined);
}

class Denied extends Error {
  constructor(readonly denial: OwnerDenial) {
    super(denial.message);
  }
}

function orDeny<T extends { ok: true }>(result: T | OwnerDenial): T {
  if (!result.ok) throw new Denied(result);
  return result;
}

/** The check for one reference; a reference no inspect could name is refused here. */
function checkOf(ref: OwnedReference): OwnerCheck {
  return { ...ref, lookupPath: orDeny(buildLookupPath(ref.resource, ref.reference)).path };
}

export function* ownedRequestSteps(input: OwnedRequestInput, settings: OwnershipSettings): OwnedRequestSteps {
  if (settings.owner === '') throw new Error('ownedRequestSteps needs ownership.owner');
  const request = classifyOwnedRequest(input.method, input.normalizedPath, settings);
  let path = encodePath(input.decodedPath);
  let query = input.rawQuery;
  let body: Uint8Array | undefined;
  const stamp = (kind: Exclude<StampKind, 'build'>) =>
    orDeny(stampOwnerLabel(kind, input.body ?? new Uint8Array(), settings.owner, settings.labelKey)).body;
  function* checkAll(list: ReferenceList): Generator<OwnerCheck, void, string | undefined> {
    for (const ref of orDeny(list).references) yield checkOf(ref);
  }
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
          yield* checkAll(referencesInBuildQuery(query, referenceOptions));
          query = orDeny(stampBuildLabels(query, settings.owner, settings.labelKey)).rawQuery;
          break;
        }
        if (request.references)
          yield* checkAll(referencesInBody(request.references, input.body ?? '', referenceOptions));
        body = stamp(request.stamp);
        break;
      case 'per-resource': {
        const { target, resource } = request;
        if (target.from === 'path') {
          const id = yield checkOf({ resource, reference: target.reference, source: 'path', ifMissing: 'refuse' });
          if (request.forwardFullId && id !== undefined) {
            path = orDeny(rewriteResourcePath({ decodedPath: input.decodedPath }, target, id)).forwardTarget;
          }
        } else {
          const references = orDeny(readQueryReferences(query, target.parameter)).references;
          const ids: (string | undefined)[] = [];
          for (const reference of references) {
            ids.push(yield checkOf({ resource, reference, source: `?${target.parameter}=`, ifMissing: 'refuse' }));
          }
          if (target.parameter === 'container' && ids[0] !== undefined) {
            query = orDeny(rewriteQueryReference(query, 'container', ids[0])).rawQuery;
          }
        }
        if (request.references)
          yield* checkAll(referencesInBody(request.references, input.body ?? '', referenceOptions));
        if (request.stamp !== undefined && request.stamp !== 'build') body = stamp(request.stamp);
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
    request,
  };
}
