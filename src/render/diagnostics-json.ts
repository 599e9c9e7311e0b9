/**
 * The machine-readable lint report (`sockguard lint --format json` / `--json`). The shape is a
 * contract, pinned by golden files:
 *
 *   [ { "file": "policy.yaml", "errorCount": 1, "warningCount": 0, "infoCount": 0,
 *       "diagnostics": [ { "code": "rule/shadowed", "severity": "error", "message": "...",
 *                          "pointer": "/rules/2/match/path",
 *                          "range": { "start": { "line": 6, "col": 33 }, "end": { "line": 6, "col": 51 } },
 *                          "suggestion": "..." } ] } ]
 *
 * One entry per file, in the order given; `range` (1-based, end exclusive) and `suggestion` are
 * present when known.
 */
import type { Diagnostic, Severity, SourceRange } from '../policy/diagnostic.js';

/** One linted file: its name as given, its text (for code frames) and its findings. */
export interface FileDiagnostics {
  file: string;
  source?: string;
  diagnostics: readonly Diagnostic[];
}

export interface SeverityCounts {
  errorCount: number;
  warningCount: number;
  infoCount: number;
}

export interface LintJsonDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  pointer: string;
  range?: SourceRange;
  suggestion?: string;
}

export interface LintJsonFile extends SeverityCounts {
  file: string;
  diagnostics: LintJsonDiagnostic[];
}

export function countSeverities(diagnostics: readonly Diagnostic[]): SeverityCounts {
  const count = (severity: Severity): number => diagnostics.filter((d) => d.severity === severity).length;
  return { errorCount: count('error'), warningCount: count('warning'), infoCount: count('info') };
}

export function toLintJson(files: readonly FileDiagnostics[]): LintJsonFile[] {
  return files.map(({ file, diagnostics }) => ({
    file,
    ...countSeverities(diagnostics),
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      pointer: d.pointer,
      ...(d.range ? { range: d.range } : {}),
      ...(d.suggestion !== undefined ? { suggestion: d.suggestion } : {}),
    })),
  }));
}

/** The report as indented JSON (no trailing newline). */
export function renderDiagnosticsJson(files: readonly FileDiagnostics[]): string {
  return JSON.stringify(toLintJson(files), null, 2);
}
