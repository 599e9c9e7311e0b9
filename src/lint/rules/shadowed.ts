/**
 * A rule that an earlier rule fully covers (every method it lists and every path it matches), so
 * first-match evaluation never reaches it. Containment is decided exactly on the glob languages
 * (glob-language.ts), e.g. `/containers/**` covers `/containers/*\/json`.
 *
 * Only single earlier rules are considered (not unions). Exact duplicates and rules after a
 * catch-all have their own rules. Earlier candidates come from a trie over literal prefix segments,
 * as in the evaluator: a rule can only be covered by one whose literal prefix is a prefix of its
 * own, so large policies compare each rule with a handful of others.
 */
import { literalPrefixSegments } from '../../policy/evaluate.js';
import { compileGlob } from '../../policy/glob.js';
import { methodSetCovers } from '../../policy/methods.js';
import { globCovers } from '../glob-language.js';
import type { ScopedRule } from '../lint-context.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { hasPatternDefect } from '../pattern-defects.js';
import { outcomeOfShadowing } from '../shadowing.js';
import { isCatchAll } from './after-catch-all.js';
import { duplicateKey } from './duplicate.js';

interface Candidate {
  rule: ScopedRule;
  test: (path: string) => boolean;
}

interface TrieNode {
  rules: Candidate[];
  children: Map<string, TrieNode>;
}

/** The earliest rule among the trie nodes along `segments` that covers `rule`. */
function findCover(root: TrieNode, segments: readonly string[], rule: ScopedRule): ScopedRule | undefined {
  let best: ScopedRule | undefined;
  const scan = (node: TrieNode): void => {
    for (const candidate of node.rules) {
      if (best && candidate.rule.index >= best.index) return;
      if (!methodSetCovers(candidate.rule.methods, rule.methods)) continue;
      if (globCovers(candidate.rule.path, rule.path, candidate.test)) {
        best = candidate.rule;
        return;
      }
    }
  };
  let node: TrieNode | undefined = root;
  scan(root);
  for (const segment of segments) {
    node = node.children.get(segment);
    if (!node) break;
    scan(node);
  }
  return best;
}

function insert(root: TrieNode, segments: readonly string[], candidate: Candidate): void {
  let node = root;
  for (const segment of segments) {
    let child = node.children.get(segment);
    if (!child) {
      child = { rules: [], children: new Map() };
      node.children.set(segment, child);
    }
    node = child;
  }
  node.rules.push(candidate);
}

export default defineRule({
  id: 'shadowed',
  family: 'rule',
  severity: 'warning',
  summary: 'Rule is fully covered by an earlier rule and never applies',
  help: 'Rules are evaluated top-down and the first match wins. When an earlier rule matches every method and every path a later rule matches, the later rule is never reached. If the later rule is an exception (for example a deny for one endpoint under an allowed tree), move it above the broader rule; otherwise delete it.',
  check: (context) =>
    context.scopes.flatMap((scope) => {
      const findings: LintFinding[] = [];
      const root: TrieNode = { rules: [], children: new Map() };
      const seen = new Set<string>();
      for (const rule of scope.rules) {
        if (hasPatternDefect(rule.path)) continue;
        const key = duplicateKey(rule);
        const segments = literalPrefixSegments(rule.path);
        if (!seen.has(key)) {
          const cover = findCover(root, segments, rule);
          if (cover) {
            const name = context.describe(scope, cover.index);
            const outcome = outcomeOfShadowing(cover, rule, context.label(scope, cover.index));
            findings.push({
              message: `${context.label(scope, rule.index)} is covered by ${name}: "${cover.method} ${cover.path}" matches every request this rule matches; ${outcome.consequence}`,
              pointer: `${rule.pointer}/match/path`,
              severity: outcome.severity,
            });
          }
        }
        seen.add(key);
        // Rules after a catch-all are after-catch-all's to report.
        if (isCatchAll(rule)) break;
        insert(root, segments, { rule, test: compileGlob(rule.path).test });
      }
      return findings;
    }),
});
