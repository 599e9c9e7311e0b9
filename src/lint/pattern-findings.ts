/**
 * Shared shape of the rules that judge a rule path by itself (version prefix, regex syntax, ...):
 * a detector over the pattern text, reported at the rule's `match.path` node.
 */
import { eachRule, type LintContext } from './lint-context.js';
import type { LintFinding } from './lint-rule.js';

export interface PatternProblem {
  /** What is wrong and why, and what to write instead (the rule's label is prepended). */
  message: string;
  suggestion?: string;
}

export type PatternDetector = (pattern: string) => PatternProblem | undefined;

export function findPatternProblems(context: LintContext, detect: PatternDetector): LintFinding[] {
  return eachRule(context).flatMap(({ scope, rule }) => {
    const problem = detect(rule.path);
    if (!problem) return [];
    return [
      {
        message: `${context.label(scope, rule.index)}: ${problem.message}`,
        pointer: `${rule.pointer}/match/path`,
        ...(problem.suggestion !== undefined ? { suggestion: problem.suggestion } : {}),
      },
    ];
  });
}
