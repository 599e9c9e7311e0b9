/**
 * Refuses a request-target dockerd would read differently from what we would match (fragments,
 * backslashes, unclean paths, API versions below 1.24: canonicalRequest's TargetError) with 400.
 * It runs right after the client gates, so a client the CIDR ACL turns away learns nothing about
 * which targets we refuse. Pinned by test/proxy/request-framing.test.ts.
 */
import type { Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';

function judge(exchange: Exchange): StageResult {
  const problem = exchange.targetRefusal;
  return problem === undefined ? undefined : dockerError(400, problem, 'request_target_invalid');
}

export const requestTargetStage: Stage = { name: 'request-target', run: judge };
