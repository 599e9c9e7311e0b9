/**
 * Request-body inspection for requests the rules allowed (sockguard-config.md §8): the `request_body`
 * of the resolved client profile (a profile without one gets all zero values, §8.1) or the root
 * one, compiled with the policy version, judged by the same core as `sockguard test --body`. The body stage buffers exactly the bodies the core needs (up to its per-route limit,
 * 413 beyond) and streams the rest; a denial answers like a rule deny and nothing reaches the daemon.
 * `POST /exec/{id}/start` is re-checked against the daemon's own exec inspect when exec commands are
 * restricted. Under a warn/audit profile a body denial is forwarded and logged as would_deny.
 */
import { maxBodyBytes } from '../../policy/body/body-routes.js';
import { inspectRequestBody, parseExecInspection, type ExecProcess } from '../../policy/body/inspect-request-body.js';
import type { CompiledBodyPolicy } from '../../policy/body/compile-body-policy.js';
import { readBodyOf, type Exchange } from '../exchange.js';
import { ExecLookupError, fetchExecInspection } from '../exec-inspection.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';
import { denyUnderMode } from '../rollout-mode.js';
import type { Upstream } from '../upstream.js';
import type { BodyPlan } from './request-body.js';
import { denyReply } from './rules.js';

const EXEC_START = /^\/exec\/([^/]+)\/start$/;

/** The body policy that judges this exchange: its profile's, or the root one. */
export function bodyPolicyOf(exchange: Exchange): CompiledBodyPolicy {
  return exchange.policy.requests.bodyPolicyOf(exchange.profile);
}

/** Buffers what the policy's inspectors read (up to their limit); other requests follow `fallback`. */
export function planInspectedBodies(fallback: (exchange: Exchange) => BodyPlan): (exchange: Exchange) => BodyPlan {
  return (exchange) => {
    const method = exchange.req.method ?? '';
    const path = exchange.target.normalizedPath;
    const limit = maxBodyBytes(method, path);
    if (limit !== undefined && bodyPolicyOf(exchange).requiresBody(method, path))
      return { mode: 'buffer', maxBytes: limit };
    return fallback(exchange);
  };
}

type Lookup = { ok: true; process: ExecProcess | undefined } | { ok: false; reply: StageResult };

/** The exec instance `POST /exec/{id}/start` re-checks, when exec commands are restricted. */
function execToLookUp(exchange: Exchange): string | undefined {
  if (exchange.req.method !== 'POST' || bodyPolicyOf(exchange).exec.templates === undefined) return undefined;
  return EXEC_START.exec(exchange.target.normalizedPath)?.[1];
}

async function lookUpExec(upstream: Upstream, execId: string): Promise<Lookup> {
  try {
    const process = parseExecInspection(await fetchExecInspection(upstream, execId));
    if (process !== undefined) return { ok: true, process };
    return { ok: false, reply: lookupFailure('the daemon answered with an unreadable exec inspect') };
  } catch (error) {
    if (error instanceof ExecLookupError) return { ok: false, reply: lookupFailure(error.message) };
    throw error;
  }
}

function lookupFailure(problem: string): StageResult {
  const reason = `exec start re-check: looking up the exec instance failed: ${problem}`;
  return {
    ...dockerError(502, `sockguard could not look up the exec instance to check it (${problem})`, 'exec_lookup_failed'),
    reason,
  };
}

function judgeBody(exchange: Exchange, execProcess: ExecProcess | undefined): StageResult {
  const body = readBodyOf(exchange);
  const verdict = inspectRequestBody(
    {
      method: exchange.req.method ?? '',
      normalizedPath: exchange.target.normalizedPath,
      ...(exchange.target.apiVersion !== undefined ? { apiVersion: exchange.target.apiVersion } : {}),
      ...(exchange.target.rawQuery !== undefined ? { query: exchange.target.rawQuery } : {}),
      headers: exchange.req.headers,
      ...(body !== undefined ? { body } : {}),
    },
    bodyPolicyOf(exchange),
    execProcess !== undefined ? { execInspection: execProcess } : {},
  );
  if (verdict.ok) return undefined;
  return denyUnderMode(exchange, denyReply(exchange, verdict.status, verdict.reasonCode, verdict.reason));
}

export function createBodyInspectionStage(upstream: Upstream): Stage {
  return {
    name: 'body-inspection',
    // Synchronous unless an exec start must be re-checked against the daemon.
    run(exchange: Exchange): StageResult | Promise<StageResult> {
      if (exchange.rules?.decision !== 'allow') return undefined;
      const execId = execToLookUp(exchange);
      if (execId === undefined) return judgeBody(exchange, undefined);
      return lookUpExec(upstream, execId).then((lookup) =>
        lookup.ok ? judgeBody(exchange, lookup.process) : lookup.reply,
      );
    },
  };
}
