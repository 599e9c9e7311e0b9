/**
 * The request pipeline: an ordered list of small stages, each of which either lets the exchange go
 * on (returns undefined) or answers it (returns a Reply), followed by the forwarder. The order is the
 * Go proxy's middleware order (sockguard-config.md §17):
 *
 *   client gates (CIDR ACL, profile, listener admission, container labels) -> request target
 *   -> browser origin (TCP) -> health, readiness, metrics -> rate limit -> in-band admin -> request framing -> rules
 *   -> attestation statements -> request body -> body inspection -> visibility -> ownership
 *   -> forward (response filter) / hijack
 *
 * The client gates set `exchange.client` and `exchange.profile`, which the later stages judge by.
 * Ownership runs after the body stage has buffered the body into `exchange.body` (the body stage's
 * `plan` chooses per route, planOwnedBodies makes sure ownership's bodies are buffered). Visibility
 * and ownership may override what is forwarded (`exchange.upstreamTarget`, `exchange.body`), each
 * starting from what the one before left.
 */
import type { Exchange } from './exchange.js';
import type { Reply } from './reply.js';

export type StageResult = Reply | undefined;

export interface Stage {
  /** Short kebab name, used in error logs. */
  readonly name: string;
  run(exchange: Exchange): StageResult | Promise<StageResult>;
}

/** Runs the stages in order; the first Reply ends the pipeline. */
export async function runStages(stages: readonly Stage[], exchange: Exchange): Promise<Reply | undefined> {
  for (const stage of stages) {
    const result = stage.run(exchange);
    // Most stages answer synchronously: skip the microtask turn an await would cost.
    const reply = result instanceof Promise ? await result : result;
    if (reply !== undefined) return reply;
  }
  return undefined;
}
