/**
 * Compiling rule lists and deciding requests (sockguard-config.md §3.2). One evaluator serves
 * lint, test, migrate --verify and serve, so an offline decision is by construction the proxy's.
 *
 * Performance: rules are bucketed by the first path segment they can match. Each bucket holds, in
 * original order, the rules fixed to that segment plus the rules that can match any first segment,
 * so a request scans only its candidates while first-match order is preserved exactly.
 */
import { NO_MATCHING_ALLOW_RULE, type Rule } from './defaults.js';
import { compileGlob, type CompiledGlob } from './glob.js';
import { methodBit, methodMatches, parseMethodSet, type MethodSet } from './methods.js';

export type RuleReasonCode = 'matched_allow_rule' | 'matched_deny_rule' | 'no_matching_allow_rule';

export interface CompiledRule {
  /** 0-based position in the rule list. */
  readonly index: number;
  readonly rule: Rule;
  readonly methods: MethodSet;
  readonly glob: CompiledGlob;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  candidatesFor(normalizedPath: string): readonly CompiledRule[];
}

export interface RuleDecision {
  decision: 'allow' | 'deny';
  reasonCode: RuleReasonCode;
  reason: string;
  /** The deciding rule, absent when none matched. */
  matched?: CompiledRule;
}

function firstSegmentOfPath(path: string): string {
  const end = path.indexOf('/', 1);
  return end < 0 ? path.slice(1) : path.slice(1, end);
}

export function compileRules(rules: readonly Rule[]): CompiledRuleSet {
  const compiled: CompiledRule[] = rules.map((rule, index) => ({
    index,
    rule,
    methods: parseMethodSet(rule.match.method),
    glob: compileGlob(rule.match.path),
  }));
  const anySegment = compiled.filter((r) => r.glob.firstSegment === undefined);
  const buckets = new Map<string, CompiledRule[]>();
  for (const rule of compiled) {
    const key = rule.glob.firstSegment;
    if (key === undefined || buckets.has(key)) continue;
    buckets.set(
      key,
      compiled.filter((r) => r.glob.firstSegment === key || r.glob.firstSegment === undefined),
    );
  }
  return {
    rules: compiled,
    candidatesFor: (normalizedPath) => buckets.get(firstSegmentOfPath(normalizedPath)) ?? anySegment,
  };
}

/** Decides one request: `normalizedPath` from normalizePath, `method` as received. */
export function evaluateRules(ruleSet: CompiledRuleSet, method: string, normalizedPath: string): RuleDecision {
  const upper = method.toUpperCase();
  const bit = methodBit(upper);
  for (const candidate of ruleSet.candidatesFor(normalizedPath)) {
    if (!methodMatches(candidate.methods, upper, bit) || !candidate.glob.test(normalizedPath)) continue;
    const { action, reason } = candidate.rule;
    if (action === 'allow')
      return { decision: 'allow', reasonCode: 'matched_allow_rule', reason: reason ?? '', matched: candidate };
    const text = reason ?? '';
    return {
      decision: 'deny',
      reasonCode: text === NO_MATCHING_ALLOW_RULE ? 'no_matching_allow_rule' : 'matched_deny_rule',
      reason: text,
      matched: candidate,
    };
  }
  return { decision: 'deny', reasonCode: 'no_matching_allow_rule', reason: NO_MATCHING_ALLOW_RULE };
}
