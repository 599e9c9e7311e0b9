/**
 * Visibility on the request side (sockguard-config.md §7, §17: after the rules and body inspection,
 * before ownership), for this client's scope (root or profile): a request that acts on a hidden
 * resource is answered 404 `resource not found` and never forwarded, and lists, prunes and events get
 * the label selectors injected into their filters (checkRequestVisibility). Inspects and lists are
 * also filtered on the response (response-filter.ts).
 * Pinned by test/proxy/visibility.test.ts.
 */
import { MAX_FILTERED_RESPONSE_BYTES } from '../../policy/response/response-routes.js';
import type { CompiledVisibility } from '../../policy/response/visibility.js';
import {
  checkRequestVisibility,
  constrainsRequests,
  VISIBILITY_LOOKUP_FAILED_MESSAGE,
} from '../../policy/response/request-visibility.js';
import { createDaemonLookup, DaemonRequestError } from '../daemon-request.js';
import { readBodyOf, replaceUpstreamQuery, upstreamQueryOf, type Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';
import { selectResponsePolicy } from '../../policy/response/response-scopes.js';
import type { Upstream } from '../upstream.js';

/**
 * Runs for everything forwarded, including what a warn/audit profile's rules would deny. Synchronous
 * when this scope constrains no requests (no daemon lookup to await).
 */
function enforceVisibility(exchange: Exchange, upstream: Upstream): StageResult | Promise<StageResult> {
  const scope = selectResponsePolicy(exchange.policy.response, exchange.profile);
  if (scope === undefined) {
    return dockerError(500, 'visibility profile could not be resolved', 'visibility_profile_unresolved');
  }
  const visibility = scope.visibility;
  if (visibility === undefined || !constrainsRequests(visibility)) return undefined;
  return checkVisibility(exchange, upstream, visibility);
}

async function checkVisibility(
  exchange: Exchange,
  upstream: Upstream,
  visibility: CompiledVisibility,
): Promise<StageResult> {
  try {
    const verdict = await checkRequestVisibility(
      {
        method: exchange.req.method ?? '',
        normalizedPath: exchange.target.normalizedPath,
        rawQuery: upstreamQueryOf(exchange),
        body: readBodyOf(exchange),
      },
      visibility,
      createDaemonLookup(upstream, MAX_FILTERED_RESPONSE_BYTES),
    );
    if (!verdict.ok)
      return { ...dockerError(verdict.status, verdict.message, verdict.reasonCode), reason: verdict.message };
    if (verdict.rawQuery !== undefined) replaceUpstreamQuery(exchange, verdict.rawQuery);
    return undefined;
  } catch (error) {
    if (!(error instanceof DaemonRequestError)) throw error;
    return {
      ...dockerError(502, VISIBILITY_LOOKUP_FAILED_MESSAGE, 'visibility_policy_lookup_failed'),
      reason: `${VISIBILITY_LOOKUP_FAILED_MESSAGE}: ${error.message}`,
    };
  }
}

export function createVisibilityStage(upstream: Upstream): Stage {
  return { name: 'visibility', run: (exchange) => enforceVisibility(exchange, upstream) };
}
