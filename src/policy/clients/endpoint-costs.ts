/**
 * `limits.rate.endpoint_costs[]` (sockguard-config.md §9): how many tokens a request takes. The
 * first entry whose methods (case-insensitive, empty = any) and glob (over the normalized path, the
 * rule dialect) match decides; anything else costs 1.
 */
import { compileGlob, type CompiledGlob } from '../glob.js';

export interface EndpointCostDocument {
  path?: string;
  methods?: readonly string[];
  cost?: number;
}

export interface EndpointCost {
  readonly glob: CompiledGlob;
  /** Upper-cased method names; empty matches every method. */
  readonly methods: ReadonlySet<string>;
  readonly cost: number;
}

export function compileEndpointCosts(entries: readonly EndpointCostDocument[] | undefined): EndpointCost[] {
  return (entries ?? []).map((entry) => ({
    glob: compileGlob(entry.path ?? ''),
    methods: new Set((entry.methods ?? []).map((m) => m.trim().toUpperCase())),
    // A cost below 1 would let a client through for free; the schema forbids it, this keeps it so.
    cost: Math.max(1, entry.cost ?? 1),
  }));
}

export function costOf(costs: readonly EndpointCost[], method: string, normalizedPath: string): number {
  const upper = method.toUpperCase();
  for (const entry of costs) {
    if (entry.methods.size > 0 && !entry.methods.has(upper)) continue;
    if (entry.glob.test(normalizedPath)) return entry.cost;
  }
  return 1;
}
