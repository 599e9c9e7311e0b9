/**
 * `sockguard lint`'s core: the loader's diagnostics (YAML, schema, cross-field validation) plus
 * every semantic rule of rule-registry.ts, each finding positioned in the source and sorted by
 * position. Pure: text in, diagnostics out.
 */
import type { Diagnostic } from '../policy/diagnostic.js';
import { loadPolicy, type LoadedPolicy } from '../policy/load.js';
import { createLintContext, type LintOptions } from './lint-context.js';
import type { LintFinding, LintRule } from './lint-rule.js';
import { LINT_RULES } from './rule-registry.js';

export type { LintOptions } from './lint-context.js';

function toDiagnostic(rule: LintRule, finding: LintFinding, loaded: LoadedPolicy): Diagnostic {
  const range = loaded.sourceMap.rangeOf(finding.pointer);
  return {
    code: rule.code,
    severity: finding.severity ?? rule.severity,
    message: finding.message,
    pointer: finding.pointer,
    ...(loaded.file !== undefined ? { file: loaded.file } : {}),
    ...(range ? { range } : {}),
    ...(finding.suggestion !== undefined ? { suggestion: finding.suggestion } : {}),
  };
}

/** Orders by source position; findings without one come first. Stable for equal positions. */
function byPosition(a: Diagnostic, b: Diagnostic): number {
  const line = (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0);
  return line !== 0 ? line : (a.range?.start.col ?? 0) - (b.range?.start.col ?? 0);
}

export function lintPolicy(loaded: LoadedPolicy, options: LintOptions = {}): Diagnostic[] {
  const context = createLintContext(loaded, options);
  const findings = LINT_RULES.flatMap((rule: LintRule) =>
    rule.check(context).map((finding) => toDiagnostic(rule, finding, loaded)),
  );
  return [...loaded.diagnostics, ...findings].sort(byPosition);
}

/** Loads and lints a policy text; the entry point benchmarks time. */
export function lintPolicyText(text: string, options: LintOptions & { file?: string } = {}): Diagnostic[] {
  const { file, ...lintOptions } = options;
  return lintPolicy(loadPolicy(text, file !== undefined ? { file } : {}), lintOptions);
}
