/**
 * Owner isolation for one offline request (sockguard-config.md §10): what serve's ownership stage
 * does with a request the rules and the body inspector allowed: the same steps serve runs
 * (ownedRequestSteps), driven without a daemon. What needs no daemon is decided here: an endpoint owner
 * isolation cannot scope (403 owner_policy_denied_access), a query or body serve cannot read, a
 * reference no lookup could name (400 owner_request_invalid), a client-chosen owner label (403); the
 * forwarded query of lists, prunes and events (owner filter injected) and of builds (owner label), and
 * the stamped body of creates. Every object serve would look up is listed: whether it belongs to the
 * owner is for the daemon to say at request time, so offline that is a gap, never a decision.
 */
import { encodePath, type ParsedTarget } from '../policy/canonical-path.js';
import type { OwnedReference } from '../policy/ownership/body-references.js';
import { classifyOwnedRequest, type OwnedRequest, type StampKind } from '../policy/ownership/classify-owned-request.js';
import { ownedRequestSteps, type OwnershipSettings } from '../policy/ownership/owned-request-steps.js';
import type { OwnerDenial } from '../policy/ownership/owner-verdict.js';

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
  checks: OwnedReference[];
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

/** The notes on how owner isolation handles the request, whatever the daemon would answer. */
function handlingNotes(request: OwnedRequest): string[] {
  if (request.kind === 'global') return [`owner isolation forwards it unchanged: ${request.reason}`];
  if (request.kind === 'list' && request.filterKey === undefined) {
    return ['no owner filter can express this list: serve filters the response to the owner instead'];
  }
  return [];
}

/** The notes of a request serve would forward once its lookups pass. */
function grantNotes(request: OwnedRequest, checks: readonly OwnedReference[], settings: OwnershipSettings): string[] {
  const notes: string[] = [];
  if (request.kind === 'per-resource') {
    if (request.resource === 'exec') notes.push("an exec instance is checked through its container's owner label");
    if (request.forwardFullId) {
      notes.push('serve forwards the request with the full ID its lookup resolved, not the name given');
    }
  }
  if (checks.length > 0) {
    const unowned =
      settings.allowUnownedImages && checks.some((c) => c.resource === 'image')
        ? ' (images without the label pass: allow_unowned_images)'
        : '';
    notes.push(
      `serve looks up ${checks.length === 1 ? 'this object' : 'these objects'} in the daemon for every request and denies with 403 owner_policy_denied_access unless labelled ${settings.labelKey}=${settings.owner}${unowned}, 502 if the lookup fails; offline there is no daemon, so allow assumes they are owned`,
    );
  }
  return notes;
}

function stampedFields(request: OwnedRequest): string[] {
  if (request.kind !== 'create' && request.kind !== 'per-resource') return [];
  return request.stamp === undefined ? [] : STAMPED_FIELDS[request.stamp];
}

export function judgeOwnership(
  settings: OwnershipSettings,
  method: string,
  target: ParsedTarget,
  body: Uint8Array | undefined,
): OwnershipReport {
  const request = classifyOwnedRequest(method, target.normalizedPath, settings);
  const steps = ownedRequestSteps(
    {
      method,
      normalizedPath: target.normalizedPath,
      decodedPath: target.decodedPath,
      rawQuery: target.rawQuery,
      body,
    },
    settings,
  );
  // Offline every object is taken as owned, and no full ID is resolved.
  const checks: OwnedReference[] = [];
  let step = steps.next();
  while (!step.done) {
    const { resource, reference, source, ifMissing } = step.value;
    checks.push({ resource, reference, source, ifMissing });
    step = steps.next(undefined);
  }
  const outcome = step.value;
  const base = { owner: settings.owner, labelKey: settings.labelKey, handling: request.kind, checks };
  // A denial keeps the checks yielded before it.
  if (!outcome.ok) return { ...base, decision: 'deny', denial: outcome, stamped: [], notes: handlingNotes(request) };
  const received = encodePath(target.decodedPath) + (target.rawQuery !== undefined ? `?${target.rawQuery}` : '');
  return {
    ...base,
    decision: 'allow',
    ...(outcome.forwardTarget !== received ? { forwardTarget: outcome.forwardTarget } : {}),
    stamped: stampedFields(request),
    ...(outcome.body !== undefined && body !== undefined ? { forwardBody: decoder.decode(outcome.body) } : {}),
    notes: [...handlingNotes(request), ...grantNotes(request, checks, settings)],
  };
}
