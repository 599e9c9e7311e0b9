/**
 * Compiling rule lists and deciding requests (sockguard-config.md §3.2). One evaluator serves
 * lint, test, migrate --verify and serve, so an offline decision is by construction the proxy's.
 *
 * Performance: each rule sits in a segment trie at the node of its literal prefix (the leading
 * segments without `*`), since it can only match paths that start with those segments. A request
 * walks the trie along its own segments; every visited node holds its rules in original order, and
 * the lowest-index match across those lists is the first match of the whole list. So large
 * policies scan only the rules that could apply, and first-match order is preserved exactly.
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
  /** Rule lists (each in rule order) whose literal prefix is a prefix of the path's segments. */
  candidateLists(normalizedPath: string): readonly (readonly CompiledRule[])[];
}

export interface RuleDecision {
  decision: 'allow' | 'deny';
  reasonCode: RuleReasonCode;
  reason: string;
  /** The deciding rule, absent when none matched. */
  matched?: CompiledRule;
}

interface TrieNode {
  rules: CompiledRule[];
  children: Map<string, TrieNode>;
}

/** Leading segments of a pattern that contain no wildcard; [] for patterns without a leading `/`. */
export function literalPrefixSegments(pattern: string): string[] {
  if (!pattern.startsWith('/')) return [];
  const segments = pattern.slice(1).split('/');
  const prefix: string[] = [];
  for (const segment of segments) {
    if (segment.includes('*')) break;
    prefix.push(segment);
  }
  return prefix;
}

export function compileRules(rules: readonly Rule[]): CompiledRuleSet {
  const compiled: CompiledRule[] = rules.map((rule, index) => ({
    index,
    rule,
    methods: parseMethodSet(rule.match.method),
    glob: compileGlob(rule.match.path),
  }));
  const root: TrieNode = { rules: [], children: new Map() };
  for (const rule of compiled) {
    let node = root;
    for (const segment of literalPrefixSegments(rule.rule.match.path)) {
      let child = node.children.get(segment);
      if (!child) {
        child = { rules: [], children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.rules.push(rule);
  }
  return {
    rules: compiled,
    candidateLists: (normalizedPath) => {
      const lists: CompiledRule[][] = root.rules.length > 0 ? [root.rules] : [];
      let node: TrieNode | undefined = root;
      let start = 1;
      while (node && start <= normalizedPath.length) {
        const end = normalizedPath.indexOf('/', start);
        const segment = normalizedPath.slice(start, end < 0 ? undefined : end);
        node = node.children.get(segment);
        if (node && node.rules.length > 0) lists.push(node.rules);
        if (end < 0) break;
        start = end + 1;
      }
      return lists;
    },
  };
}

/** Decides one request: `normalizedPath` from normalizePath, `method` as received. */
export function evaluateRules(ruleSet: CompiledRuleSet, method: string, normalizedPath: string): RuleDecision {
  const upper = method.toUpperCase();
  const bit = methodBit(upper);
  let first: CompiledRule | undefined;
  for (const list of ruleSet.candidateLists(normalizedPath)) {
    for (const candidate of list) {
      if (first && candidate.index >= first.index) break;
      if (methodMatches(candidate.methods, upper, bit) && candidate.glob.test(normalizedPath)) {
        first = candidate;
        break;
      }
    }
  }
  if (first) {
    const candidate = first;
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
