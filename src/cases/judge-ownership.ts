/**
 * Owner isolation for one offline request (sockguard-config.md §10): what serve's ownership stage
 * does with a request the rules and the body inspector allowed, through the same pure pieces as
 * authorizeOwnedRequest, minus the daemon. What needs no daemon is decided here: an endpoint owner
 * isolation cannot scope (403 owner_policy_denied_access), a query or body serve cannot read, a
 * reference no lookup could name (400 owner_request_invalid), a client-chosen owner label (403); the
 * forwarded query of lists, prunes and events (owner filter injected) and of builds (owner label), and
 * the stamped body of creates. Every object serve would look up is listed: whether it belongs to the
 * owner is for the daemon to say at request time, so offline that is a gap, never a decision.
 */
import { encodePath, type ParsedTarget } from '../policy/canonical-path.js';
import type { OwnershipSettings } from '../policy/ownership/authorize-owned-request.js';
import {
  referencesInBody,
  referencesInBuildQuery,
  type OwnedReference,
  type ReferenceList,
} from '../policy/ownership/body-references.js';
import { buildLookupPath } from '../policy/ownership/check-ownership.js';
import { classifyOwnedRequest, type OwnedRequest, type StampKind } from '../policy/ownership/classify-owned-request.js';
import { injectOwnerFilter } from '../policy/ownership/owner-filter.js';
import { stampBuildLabels, stampOwnerLabel } from '../policy/ownership/owner-label.js';
import { deniedAccess, type OwnerDenial } from '../policy/ownership/owner-verdict.js';
import { readQueryReferences } from '../policy/ownership/rewrite-resource-path.js';

/** An object serve looks up afresh and requires to carry the owner label. */
export interface OwnerCheck {
  resource: OwnedReference['resource'];
  reference: string;
  /** Where the request names it: `path`, `?container=`, or a body field such as `Image`. */
  source: string;
  /** What serve does when the daemon does not know it (OwnedReference.ifMissing; the target: refuse). */
  ifMissing: OwnedReference['ifMissing'];
}

export interface OwnershipReport {
  owner: string;
  labelKey: string;
  /** How owner isolation handles the request (classifyOwnedRequest). */
  handling: OwnedRequest['kind'];
  decision: 'allow' | 'deny';
  /** Set for a denial. */
  denial?: OwnerDenial;
  /** What serve sends upstream when ownership changes the target (owner filter, build labels). */
  forwardTarget?: string;
  /** Where the owner label is stamped: body fields, or the build's `labels` query. */
  stamped: string[];
  /** The stamped body serve forwards instead of the one given (only when a body was given). */
  forwardBody?: string;
  /** Objects serve checks with a fresh daemon lookup, in serve's order. */
  checks: OwnerCheck[];
  notes: string[];
}

const STAMPED_FIELDS: Record<StampKind, string[]> = {
  container: ['Labels'],
  network: ['Labels'],
  volume: ['Labels'],
  secret: ['Labels'],
  config: ['Labels'],
  node: ['Labels'],
  service: ['Labels', 'TaskTemplate.ContainerSpec.Labels'],
  build: ['labels query parameter'],
};

const decoder = new TextDecoder();

class Refused extends Error {
  constructor(readonly denial: OwnerDenial) {
    super(denial.message);
  }
}

function orRefuse<T extends { ok: true }>(result: T | OwnerDenial): T {
  if (!result.ok) throw new Refused(result);
  return result;
}

export function judgeOwnership(
  settings: OwnershipSettings,
  method: string,
  target: ParsedTarget,
  body: Uint8Array | undefined,
): OwnershipReport {
  const request = classifyOwnedRequest(method, target.normalizedPath, settings);
  const report: OwnershipReport = {
    owner: settings.owner,
    labelKey: settings.labelKey,
    handling: request.kind,
    decision: 'allow',
    stamped: [],
    checks: [],
    notes: [],
  };
  const path = encodePath(target.decodedPath);
  const check = (ref: OwnerCheck) => {
    // A reference no inspect could name is refused before any lookup (buildLookupPath).
    orRefuse(buildLookupPath(ref.resource, ref.reference));
    report.checks.push(ref);
  };
  const checkAll = (list: ReferenceList) => {
    for (const { resource, reference, source, ifMissing } of orRefuse(list).references) {
      check({ resource, reference, source, ifMissing });
    }
  };
  const options = { allowCrossOwnerNamespaceSharing: settings.allowCrossOwnerNamespaceSharing };
  const stamp = (kind: Exclude<StampKind, 'build'>) => {
    const stamped = orRefuse(stampOwnerLabel(kind, body ?? new Uint8Array(), settings.owner, settings.labelKey));
    report.stamped = STAMPED_FIELDS[kind];
    if (body !== undefined) report.forwardBody = decoder.decode(stamped.body);
  };
  try {
    switch (request.kind) {
      case 'unsupported':
        throw new Refused(deniedAccess(request.reason));
      case 'global':
        report.notes.push(`owner isolation forwards it unchanged: ${request.reason}`);
        break;
      case 'list':
      case 'prune':
      case 'events':
        if (request.filterKey === undefined) {
          report.notes.push('no owner filter can express this list: serve filters the response to the owner instead');
        } else {
          const query = orRefuse(
            injectOwnerFilter(target.rawQuery, settings.labelKey, settings.owner, request.filterKey),
          ).rawQuery;
          report.forwardTarget = `${path}?${query}`;
        }
        break;
      case 'create':
        if (request.stamp === 'build') {
          checkAll(referencesInBuildQuery(target.rawQuery, options));
          const query = orRefuse(stampBuildLabels(target.rawQuery, settings.owner, settings.labelKey)).rawQuery;
          report.stamped = STAMPED_FIELDS.build;
          report.forwardTarget = `${path}?${query}`;
          break;
        }
        if (request.references) checkAll(referencesInBody(request.references, body ?? '', options));
        stamp(request.stamp);
        break;
      case 'per-resource': {
        const { target: named, resource } = request;
        if (named.from === 'path') {
          check({ resource, reference: named.reference, source: 'path', ifMissing: 'refuse' });
        } else {
          for (const reference of orRefuse(readQueryReferences(target.rawQuery, named.parameter)).references) {
            check({ resource, reference, source: `?${named.parameter}=`, ifMissing: 'refuse' });
          }
        }
        if (resource === 'exec') report.notes.push("an exec instance is checked through its container's owner label");
        if (request.references) checkAll(referencesInBody(request.references, body ?? '', options));
        if (request.stamp !== undefined && request.stamp !== 'build') stamp(request.stamp);
        if (request.forwardFullId) {
          report.notes.push('serve forwards the request with the full ID its lookup resolved, not the name given');
        }
        break;
      }
    }
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    return { ...report, decision: 'deny', denial: error.denial };
  }
  if (report.checks.length > 0) {
    const unowned =
      settings.allowUnownedImages && report.checks.some((c) => c.resource === 'image')
        ? ' (images without the label pass: allow_unowned_images)'
        : '';
    report.notes.push(
      `serve looks up ${report.checks.length === 1 ? 'this object' : 'these objects'} in the daemon for every request and denies with 403 owner_policy_denied_access unless labelled ${settings.labelKey}=${settings.owner}${unowned}, 502 if the lookup fails; offline there is no daemon, so allow assumes they are owned`,
    );
  }
  return report;
}
