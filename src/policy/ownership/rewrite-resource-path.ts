/**
 * Forwarding a per-resource request with the full ID the owner check resolved (security-notes.md §11):
 * the daemon then acts on the object that was checked, even if a name or prefix comes to mean another
 * object in between. The rest of the request is kept: the version prefix, the path around the
 * reference (a trailing `/` included) and every query parameter.
 */
import { encodePath } from '../canonical-path.js';
import type { ResourceTarget } from './classify-owned-request.js';
import { invalidRequest, lookupFailed, type OwnerDenial } from './owner-verdict.js';
import { findParameters, replaceParameter, splitQuery } from './query-parameters.js';

/** Container, network, exec and swarm IDs, and volume names: nothing that could change the path's shape. */
const FULL_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const VERSION_PREFIX = /^(?:\/v[0-9.]+)?$/;

type PathTarget = Extract<ResourceTarget, { from: 'path' }>;

/**
 * The forward target (encoded path plus the query as sent) with the reference replaced by `fullId`.
 * `decodedPath` is the request's decoded path (canonicalRequest's, version prefix included). A
 * daemon answer that is not an ID is a failed lookup (502).
 */
export function rewriteResourcePath(
  request: { readonly decodedPath: string; readonly rawQuery?: string | undefined },
  target: PathTarget,
  fullId: string,
): { ok: true; forwardTarget: string } | OwnerDenial {
  if (!FULL_ID.test(fullId)) return lookupFailed();
  const routed = target.before + target.reference + target.after;
  const path = request.decodedPath;
  const trailing = path.endsWith(routed + '/') ? '/' : '';
  const prefix = path.slice(0, path.length - routed.length - trailing.length);
  if (!path.endsWith(routed + trailing) || !VERSION_PREFIX.test(prefix)) {
    return invalidRequest('the request path does not name the checked resource');
  }
  const rewritten = encodePath(prefix + target.before + fullId + target.after + trailing);
  return { ok: true, forwardTarget: rewritten + (request.rawQuery !== undefined ? `?${request.rawQuery}` : '') };
}

/**
 * The references a query-borne target names: `POST /commit?container=` (the first value, as dockerd
 * reads it; a repeated parameter is refused) or `GET /images/get?names=` (every value).
 */
export function readQueryReferences(
  rawQuery: string | undefined,
  parameter: Extract<ResourceTarget, { from: 'query' }>['parameter'],
): { ok: true; references: string[] } | OwnerDenial {
  const split = splitQuery(rawQuery);
  if (!split.ok) return invalidRequest(split.problem);
  const values = findParameters(split.parameters, parameter).map((p) => p.value);
  if (parameter === 'container' && values.length !== 1) {
    return invalidRequest('the container parameter must be given exactly once');
  }
  return { ok: true, references: values };
}

/** `POST /commit`: the `container` parameter replaced by the resolved full ID. */
export function rewriteQueryReference(
  rawQuery: string | undefined,
  parameter: 'container',
  fullId: string,
): { ok: true; rawQuery: string } | OwnerDenial {
  if (!FULL_ID.test(fullId)) return lookupFailed();
  const split = splitQuery(rawQuery);
  if (!split.ok) return invalidRequest(split.problem);
  if (findParameters(split.parameters, parameter).length !== 1) {
    return invalidRequest(`the ${parameter} parameter must be given exactly once`);
  }
  return { ok: true, rawQuery: replaceParameter(split.parameters, parameter, fullId) };
}
