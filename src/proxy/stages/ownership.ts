/**
 * Owner isolation in serve (sockguard-config.md §10, security-notes.md §11), after the rules and body
 * inspection allowed a request and before it is forwarded or tunnelled (attach and exec start are
 * checked like everything else). authorizeOwnedRequest judges it with fresh lookups through the
 * upstream; a denial answers with its own status (403 foreign, 404 unknown, 400 unreadable, 502 lookup
 * failed) and nothing reaches the daemon. A grant creates the named volumes dockerd would otherwise
 * create unlabelled (each with the owner label, and the answer must show it is ours: a volume of the
 * same name created meanwhile by another owner is not), then overrides what is forwarded: the target
 * with full IDs and owner filters, and the stamped body.
 * Pinned by test/proxy/ownership.test.ts and test/integration/serve-ownership.test.ts.
 */
import { authorizeOwnedRequest, type OwnershipSettings } from '../../policy/ownership/authorize-owned-request.js';
import { classifyOwnedRequest } from '../../policy/ownership/classify-owned-request.js';
import { readsBody } from '../../policy/ownership/owned-request-steps.js';
import { deniedAccess, lookupFailed, type OwnerDenial } from '../../policy/ownership/owner-verdict.js';
import { isJsonObject, parseJsonTree } from '../../policy/response/json-tree.js';
import { MAX_FILTERED_RESPONSE_BYTES } from '../../policy/response/response-routes.js';
import { createDaemonLookup, DaemonRequestError, LOOKUP_TIMEOUT_MS, requestFromDaemon } from '../daemon-request.js';
import { readBodyOf, upstreamQueryOf, upstreamTargetOf, type Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';
import type { Upstream } from '../upstream.js';
import type { BodyPlan } from './request-body.js';

/** An inspect larger than the biggest response we would filter is not one we can read. */
const MAX_OWNER_LOOKUP_BYTES = MAX_FILTERED_RESPONSE_BYTES;
/** The most body bytes buffered for a create or update that ownership must stamp or read. */
export const MAX_OWNED_BODY_BYTES = 4 * 1024 * 1024;

/** Buffers the bodies owner isolation reads, whatever `fallback` would do with them. */
export function planOwnedBodies(fallback: (exchange: Exchange) => BodyPlan): (exchange: Exchange) => BodyPlan {
  return (exchange) => {
    const plan = fallback(exchange);
    const settings = exchange.policy.ownership;
    if (plan.mode === 'buffer' || settings === undefined) return plan;
    const request = classifyOwnedRequest(exchange.req.method ?? '', exchange.target.normalizedPath, settings);
    return readsBody(request) ? { mode: 'buffer', maxBytes: MAX_OWNED_BODY_BYTES } : plan;
  };
}

function denialReply(denial: OwnerDenial, reason = denial.message): StageResult {
  return { ...dockerError(denial.status, denial.message, denial.reasonCode), reason };
}

/** Creates one named volume with the owner label; a denial when it cannot be made ours. */
async function createOwnedVolume(
  upstream: Upstream,
  name: string,
  settings: OwnershipSettings,
): Promise<OwnerDenial | undefined> {
  const body = Buffer.from(JSON.stringify({ Name: name, Labels: { [settings.labelKey]: settings.owner } }));
  let answer;
  try {
    answer = await requestFromDaemon(
      upstream,
      { method: 'POST', path: '/volumes/create', body },
      { timeoutMs: LOOKUP_TIMEOUT_MS, maxBytes: MAX_OWNER_LOOKUP_BYTES },
    );
  } catch (error) {
    if (error instanceof DaemonRequestError) throw new DaemonRequestError(`POST /volumes/create: ${error.message}`);
    throw error;
  }
  if (answer.status !== 201 && answer.status !== 200) {
    throw new DaemonRequestError(`POST /volumes/create answered ${answer.status}`);
  }
  // dockerd answers a create for an existing name with the existing volume: it must be ours.
  const parsed = parseJsonTree(answer.body);
  const labels = parsed.ok && isJsonObject(parsed.value) ? parsed.value.get('Labels') : undefined;
  const owner = isJsonObject(labels) ? labels.get(settings.labelKey) : undefined;
  if (owner === settings.owner) return undefined;
  return deniedAccess(`access to volume ${JSON.stringify(name)} denied: it is not owned by this client`);
}

async function enforceOwnership(
  exchange: Exchange,
  upstream: Upstream,
  settings: OwnershipSettings,
): Promise<StageResult> {
  const { target, body } = exchange;
  const method = exchange.req.method ?? '';
  if (body.kind === 'stream' && readsBody(classifyOwnedRequest(method, target.normalizedPath, settings))) {
    // planOwnedBodies buffers these; never stamp or judge a body we did not read.
    return denialReply(deniedAccess('owner isolation needs the request body, which was not buffered'));
  }
  try {
    const decision = await authorizeOwnedRequest(
      {
        method,
        normalizedPath: target.normalizedPath,
        decodedPath: target.decodedPath,
        // The query as forwarded so far (visibility may have injected its label selectors).
        rawQuery: upstreamQueryOf(exchange),
        body: readBodyOf(exchange),
      },
      settings,
      createDaemonLookup(upstream, MAX_OWNER_LOOKUP_BYTES),
    );
    if (!decision.ok) return denialReply(decision);
    for (const name of decision.createVolumes) {
      const denial = await createOwnedVolume(upstream, name, settings);
      if (denial !== undefined) return denialReply(denial);
    }
    if (decision.forwardTarget !== upstreamTargetOf(exchange)) exchange.upstreamTarget = decision.forwardTarget;
    if (decision.body !== undefined) exchange.body = { kind: 'buffered', data: Buffer.from(decision.body) };
    return undefined;
  } catch (error) {
    if (error instanceof DaemonRequestError) {
      return denialReply(lookupFailed(), `owner policy lookup failed: ${error.message}`);
    }
    throw error;
  }
}

export function createOwnershipStage(upstream: Upstream): Stage {
  return {
    name: 'ownership',
    run(exchange) {
      // Everything that reaches this stage is forwarded, including what a warn/audit profile's rules
      // would deny: owner isolation holds for all of it. Synchronous when ownership is off.
      const settings = exchange.policy.ownership;
      return settings === undefined ? undefined : enforceOwnership(exchange, upstream, settings);
    },
  };
}
