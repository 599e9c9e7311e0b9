/**
 * Findings from probe requests (sockguard-config.md §8.3): each allowed probe is attributed to the
 * rule that allowed it, so the finding sits on that rule and names exactly what it exposes.
 */
import type { StartupProblemKind } from '../policy/compile.js';
import { evaluateRules } from '../policy/evaluate.js';
import { formatProbes, type Probe } from '../policy/probes.js';
import type { LintContext, RuleScope } from './lint-context.js';
import type { LintFinding } from './lint-rule.js';

export interface AllowedProbes<P extends Probe = Probe> {
  /** The rule's name, e.g. `rule 3` or `rule 2 of profile "ci"`. */
  name: string;
  pointer: string;
  probes: P[];
}

/** The probes the scope allows, grouped by the rule that allows them (in rule order). */
export function allowedProbesByRule<P extends Probe>(
  context: LintContext,
  scope: RuleScope,
  probes: readonly P[],
): AllowedProbes<P>[] {
  if (!scope.ruleSet) return [];
  const byRule = new Map<number, P[]>();
  for (const probe of probes) {
    const verdict = evaluateRules(scope.ruleSet, probe.method, probe.path);
    if (verdict.decision !== 'allow' || !verdict.matched) continue;
    const index = verdict.matched.index;
    byRule.set(index, [...(byRule.get(index) ?? []), probe]);
  }
  return [...byRule.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, allowed]) => ({ ...context.locateMatch(scope, index), probes: allowed }));
}

/**
 * One finding per allowing rule for each startup problem of `kind` (the Go proxy refuses to start
 * with any of them). `explain` says why these endpoints matter and how to fix it.
 */
export function startupProblemFindings(
  context: LintContext,
  kind: StartupProblemKind,
  explain: (probes: readonly Probe[], scope: RuleScope) => string,
): LintFinding[] {
  return (context.compiled?.startupProblems ?? [])
    .filter((problem) => problem.kind === kind)
    .flatMap((problem) => {
      const scope = context.scopes.find((s) => s.profile === problem.profile) ?? context.scopes[0]!;
      return allowedProbesByRule(context, scope, problem.probes).map((group) => ({
        message: `${group.name} allows ${formatProbes(group.probes)}: ${explain(group.probes, scope)}`,
        pointer: group.pointer,
      }));
    });
}
