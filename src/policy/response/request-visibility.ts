/**
 * Visibility on the request side (sockguard-config.md §7, §17: the visibility layer runs before
 * ownership). The response filter hides what a client may not see in lists and inspects; this keeps it
 * from acting on it or learning about it another way:
 * - a request that acts on one resource (start, stop, exec, logs, delete, ...; by name, ID or ID prefix,
 *   an exec instance through its container, `/commit?container=`, `/images/get?names=`) looks the
 *   resource up afresh and answers 404 `resource not found` when it is hidden, as an inspect would;
 * - so do the containers, networks, volumes, secrets and configs a body refers to (`container:<ref>`
 *   namespace joins, links, volumes-from, named volumes, endpoint networks, service secrets): joining a
 *   hidden container's PID namespace is acting on it. Images are not: a selector-scoped client could
 *   otherwise not create a container from any unlabelled image;
 * - lists, prunes and events get the label selectors injected into their `filters` (a prune then never
 *   removes what the client cannot see, and events, a stream that is never filtered, only report
 *   visible objects); name and image patterns cannot be expressed as filters and apply to lists and
 *   inspects through the response filter only.
 * Only the selectors and patterns are judged here; the owner scope is ownership's. A reference the
 * daemon does not know passes (dockerd answers its own 404); a lookup that fails or cannot be read is
 * 502 `visibility policy lookup failed`, never a pass. The proxy does the I/O through `lookup`.
 */
import type { DaemonLookup } from '../ownership/authorize-owned-request.js';
import { buildLookupPath } from '../ownership/check-ownership.js';
import { referencesInBody } from '../ownership/body-references.js';
import { classifyOwnedRequest, type OwnedRequest, type ResourceKind } from '../ownership/classify-owned-request.js';
import { addFilterValues } from '../ownership/owner-filter.js';
import { readQueryReferences } from '../ownership/rewrite-resource-path.js';
import { isJsonObject, parseJsonTree } from './json-tree.js';
import { HIDDEN_MESSAGE } from './redact-response.js';
import { findResponseRoute } from './response-routes.js';
import { ShapeMismatch } from './tree-edits.js';
import { formatSelectorFilters, INSPECT_VIEWS, isResourceVisible, type CompiledVisibility } from './visibility.js';

export const VISIBILITY_LOOKUP_FAILED_MESSAGE = 'visibility policy lookup failed';

export type VisibilityVerdict =
  /** `rawQuery`: the query to forward instead (selectors injected into `filters`). */
  | { readonly ok: true; readonly rawQuery?: string }
  | {
      readonly ok: false;
      readonly status: 400 | 404 | 502;
      readonly message: string;
      readonly reasonCode:
        'visibility_filter_invalid' | 'visibility_policy_hid_resource' | 'visibility_policy_lookup_failed';
    };

const PASS: VisibilityVerdict = Object.freeze({ ok: true });
const HIDDEN: VisibilityVerdict = Object.freeze({
  ok: false,
  status: 404,
  message: HIDDEN_MESSAGE,
  reasonCode: 'visibility_policy_hid_resource',
});
const LOOKUP_FAILED: VisibilityVerdict = Object.freeze({
  ok: false,
  status: 502,
  message: VISIBILITY_LOOKUP_FAILED_MESSAGE,
  reasonCode: 'visibility_policy_lookup_failed',
});

function invalid(message: string): VisibilityVerdict {
  return { ok: false, status: 400, message, reasonCode: 'visibility_filter_invalid' };
}

/** Whether the visibility constrains anything besides the owner scope (which ownership enforces). */
export function constrainsRequests(v: CompiledVisibility): boolean {
  return v.selectors.length > 0 || v.namePatterns.length > 0 || v.imagePatterns.length > 0;
}

/** Looks one reference up and judges what the daemon answered. */
async function checkReference(
  resource: ResourceKind,
  reference: string,
  v: CompiledVisibility,
  lookup: DaemonLookup,
): Promise<VisibilityVerdict> {
  const path = buildLookupPath(resource, reference);
  if (!path.ok) return invalid(path.message);
  const answer = await lookup(path.path);
  if (answer.status === 404) return PASS;
  if (answer.status !== 200) return LOOKUP_FAILED;
  const parsed = parseJsonTree(answer.body);
  if (!parsed.ok || !isJsonObject(parsed.value)) return LOOKUP_FAILED;
  if (resource === 'exec') {
    // An exec instance is as visible as its container.
    const containerId = parsed.value.get('ContainerID');
    if (typeof containerId !== 'string' || containerId === '') return LOOKUP_FAILED;
    return checkReference('container', containerId, v, lookup);
  }
  try {
    return isResourceVisible(INSPECT_VIEWS[resource], parsed.value, v) ? PASS : HIDDEN;
  } catch (error) {
    if (error instanceof ShapeMismatch) return LOOKUP_FAILED;
    throw error;
  }
}

/** Checks the non-image references of a create, update or connect body. */
async function checkBodyReferences(
  classified: OwnedRequest,
  body: Uint8Array | undefined,
  v: CompiledVisibility,
  lookup: DaemonLookup,
): Promise<VisibilityVerdict> {
  if ((classified.kind !== 'create' && classified.kind !== 'per-resource') || classified.references === undefined) {
    return PASS;
  }
  if (body === undefined) return invalid('the request body was not read, so its references cannot be checked');
  // Cross-owner sharing is ownership's setting: visibility always checks `container:<ref>`.
  const references = referencesInBody(classified.references, body, { allowCrossOwnerNamespaceSharing: false });
  if (!references.ok) return invalid(references.message);
  for (const { resource, reference } of references.references) {
    if (resource === 'image') continue;
    const verdict = await checkReference(resource, reference, v, lookup);
    if (!verdict.ok) return verdict;
  }
  return PASS;
}

export async function checkRequestVisibility(
  request: {
    readonly method: string;
    readonly normalizedPath: string;
    readonly rawQuery?: string | undefined;
    /** The buffered body (an empty one when there is none); undefined when it was streamed. */
    readonly body?: Uint8Array | undefined;
  },
  v: CompiledVisibility,
  lookup: DaemonLookup,
): Promise<VisibilityVerdict> {
  if (!constrainsRequests(v)) return PASS;
  // allowUnownedImages only changes how the image list is filtered for owners; visibility injects its
  // selectors wherever a label filter exists.
  const classified = classifyOwnedRequest(request.method, request.normalizedPath, { allowUnownedImages: false });
  switch (classified.kind) {
    case 'list':
    case 'prune':
    case 'events': {
      if (classified.filterKey === undefined || v.selectors.length === 0) return PASS;
      const rewritten = addFilterValues(request.rawQuery, classified.filterKey, formatSelectorFilters(v));
      return rewritten.ok ? { ok: true, rawQuery: rewritten.rawQuery } : invalid(rewritten.problem);
    }
    case 'create':
      return checkBodyReferences(classified, request.body, v, lookup);
    case 'per-resource': {
      const { target, resource } = classified;
      // An inspect is judged on the daemon's own answer by the response filter: no second lookup.
      if (findResponseRoute(request.method, request.normalizedPath)?.inspect !== undefined) return PASS;
      const targets =
        target.from === 'path'
          ? { ok: true as const, references: [target.reference] }
          : readQueryReferences(request.rawQuery, target.parameter);
      if (!targets.ok) return invalid(targets.message);
      for (const reference of targets.references) {
        const verdict = await checkReference(resource, reference, v, lookup);
        if (!verdict.ok) return verdict;
      }
      return checkBodyReferences(classified, request.body, v, lookup);
    }
    default:
      return PASS;
  }
}
