/**
 * Reports of `sockguard test --cases`: test-runner text (a ✓/✗ line per case with its location,
 * the failure reasons, a summary) and the machine-readable JSON shape.
 */
import type { Diagnostic } from '../policy/diagnostic.js';
import type { SuiteResult } from '../cases/run-suite.js';
import { toMatchJson, type MatchJson } from './decision-json.js';
import type { Paint } from './decision-text.js';

export interface CasesReportOptions {
  /** The suite file as given. */
  suite: string;
  /** The config path as given, or a label for the built-in default policy. */
  config: string;
  compatMode: boolean;
}

export interface CaseJson {
  name: string;
  line: number;
  request: string;
  expect: 'allow' | 'deny';
  rule?: number | string;
  profile?: string;
  passed: boolean;
  failures: string[];
  /** The decision, absent when the case could not be decided. */
  result?: MatchJson;
}

export interface CasesJson {
  suite: string;
  config: string;
  compat_mode?: true;
  passed: number;
  failed: number;
  cases: CaseJson[];
}

/** One line per diagnostic: `file:line:col: severity: message [code]`. */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.range ? `:${d.range.start.line}:${d.range.start.col}` : '';
  return `${d.file ?? '<input>'}${where}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function formatCasesText(result: SuiteResult, options: CasesReportOptions & { paint: Paint }): string {
  const { paint } = options;
  const lines = [
    `${options.suite} against ${options.config}${options.compatMode ? ' (tecnativa compatibility)' : ''}`,
    '',
  ];
  for (const { case: c, failures } of result.results) {
    const where = paint.dim(`${options.suite}:${c.line}`);
    if (failures.length === 0) lines.push(`  ${paint.green('✓')} ${c.name}  ${where}`);
    else {
      lines.push(`  ${paint.red('✗')} ${c.name}  ${where}`);
      lines.push(`      ${c.request.method} ${c.request.target}`);
      for (const failure of failures) lines.push(`      ${paint.red(failure)}`);
    }
  }
  const summary = `${result.passed} passed, ${result.failed} failed`;
  lines.push('', result.failed > 0 ? paint.red(summary) : paint.green(summary));
  return lines.join('\n');
}

export function toCasesJson(result: SuiteResult, options: CasesReportOptions): CasesJson {
  return {
    suite: options.suite,
    config: options.config,
    ...(options.compatMode ? { compat_mode: true as const } : {}),
    passed: result.passed,
    failed: result.failed,
    cases: result.results.map(({ case: c, report, failures }) => ({
      name: c.name,
      line: c.line,
      request: `${c.request.method} ${c.request.target}`,
      expect: c.expect,
      ...(c.rule !== undefined ? { rule: c.rule } : {}),
      ...(c.profile !== undefined ? { profile: c.profile } : {}),
      passed: failures.length === 0,
      failures,
      ...(report ? { result: toMatchJson(report, options) } : {}),
    })),
  };
}
