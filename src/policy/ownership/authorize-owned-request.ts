/**
 * Owner isolation for one request against the daemon: the steps of owned-request-steps.ts, each
 * yielded object looked up afresh through an injected lookup (the I/O stays in the proxy) and checked
 * for the owner label. An exec instance belongs to its container; a named volume dockerd would create
 * without labels is returned in `createVolumes` for the proxy to create with the owner label first.
 * Nothing is forwarded unless every check passed; the first denial wins.
 */
import { buildLookupPath, checkOwnership, readOwnedResource, type OwnerLookup } from './check-ownership.js';
import {
  ownedRequestSteps,
  type OwnedRequestInput,
  type OwnedRequestPlan,
  type OwnerCheck,
  type OwnershipSettings,
} from './owned-request-steps.js';
import type { OwnerDenial } from './owner-verdict.js';

export type { OwnedRequestInput, OwnershipSettings } from './owned-request-steps.js';

/** `GET <path>` to the daemon (path as buildLookupPath returns it); the status and body it answered. */
export type DaemonLookup = (path: string) => Promise<{ readonly status: number; readonly body: Uint8Array | string }>;

export interface OwnershipGrant extends OwnedRequestPlan {
  /** Named volumes dockerd would create without labels: create each with the owner label first. */
  readonly createVolumes: readonly string[];
}

export type OwnershipDecision = OwnershipGrant | OwnerDenial;

type Resolved = { ok: true; id: string | undefined } | OwnerDenial;

/** Looks a check up and judges it; the resolved full ID (undefined when allowed missing). */
async function resolveCheck(
  check: OwnerCheck,
  settings: OwnershipSettings,
  lookup: DaemonLookup,
  createVolumes: string[],
): Promise<Resolved> {
  const answer = await lookup(check.lookupPath);
  let found: OwnerLookup = readOwnedResource(check.resource, answer.status, answer.body);
  if (check.resource === 'exec' && found.status === 'found') {
    // An exec instance belongs to its container: the container's labels decide.
    const execId = found.resource.id;
    const containerPath = buildLookupPath('container', found.resource.containerId!);
    if (!containerPath.ok) return containerPath;
    const container = await lookup(containerPath.path);
    found = readOwnedResource('container', container.status, container.body);
    if (found.status === 'found') found = { status: 'found', resource: { ...found.resource, id: execId } };
  }
  const verdict = checkOwnership(check, found, settings);
  if (!verdict.ok) return verdict;
  if (verdict.createVolume) createVolumes.push(check.reference);
  return { ok: true, id: found.status === 'found' ? found.resource.id : undefined };
}

export async function authorizeOwnedRequest(
  input: OwnedRequestInput,
  settings: OwnershipSettings,
  lookup: DaemonLookup,
): Promise<OwnershipDecision> {
  const createVolumes: string[] = [];
  const steps = ownedRequestSteps(input, settings);
  let step = steps.next();
  while (!step.done) {
    const resolved = await resolveCheck(step.value, settings, lookup, createVolumes);
    if (!resolved.ok) return resolved;
    step = steps.next(resolved.id);
  }
  return step.value.ok ? { ...step.value, createVolumes } : step.value;
}
