/**
 * The shape of one lint rule: a stable id (its file name under rules/), a diagnostic code in one of
 * three families, the help text editors and SARIF viewers show, and a check over the lint context.
 *
 * Families: `rule/` findings about one entry of a rule list, `exposure/` what a rule list lets
 * clients reach, `policy/` the policy as a whole (listeners, profiles, defaults).
 */
import type { Severity } from '../policy/diagnostic.js';
import type { LintContext } from './lint-context.js';

export type LintFamily = 'rule' | 'exposure' | 'policy';

/** What a rule reports; the runner adds the code, file and source range. */
export interface LintFinding {
  message: string;
  /** JSON pointer of the node to underline (a rule's `match/path` for path findings). */
  pointer: string;
  /** Overrides the rule's usual severity for this finding. */
  severity?: Severity;
  suggestion?: string;
}

export interface LintRule<Code extends string = string> {
  /** kebab-case, equal to the module's file name. */
  readonly id: string;
  /** `<family>/<id>`. */
  readonly code: Code;
  /** The usual severity (some findings raise or lower it, e.g. when an acknowledgement is set). */
  readonly severity: Severity;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters and what to write instead (SARIF help, `--format sarif`). */
  readonly help: string;
  check(context: LintContext): LintFinding[];
}

/** Declares a rule; keeps the literal code type so the registry yields a closed union of codes. */
export function defineRule<const Id extends string, const Family extends LintFamily>(
  rule: Omit<LintRule<`${Family}/${Id}`>, 'id' | 'code'> & { id: Id; family: Family },
): LintRule<`${Family}/${Id}`> {
  const { family, ...rest } = rule;
  return { ...rest, code: `${family}/${rule.id}` };
}
