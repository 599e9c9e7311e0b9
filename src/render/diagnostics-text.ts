/**
 * The human lint report: for each finding `file:line:col  severity  message  code` and a code
 * frame under it, then a summary line such as `✖ 3 problems (1 error, 2 warnings)`. Colour only
 * when asked (the command decides: a TTY and no NO_COLOR).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic, Severity } from '../policy/diagnostic.js';
import { renderCodeFrame } from './code-frame.js';
import { countSeverities, type FileDiagnostics } from './diagnostics-json.js';

export interface TextReportOptions {
  color?: boolean;
  /** When set and exceeded by the warning count, the report says so. */
  maxWarnings?: number;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function severityLabel(chalk: ChalkInstance, severity: Severity): string {
  if (severity === 'error') return chalk.red('error');
  if (severity === 'warning') return chalk.yellow('warning');
  return chalk.blue('info');
}

function renderFinding(chalk: ChalkInstance, file: string, source: string | undefined, d: Diagnostic): string {
  const location = d.range ? `${file}:${d.range.start.line}:${d.range.start.col}` : file;
  const header = `${chalk.bold(location)}  ${severityLabel(chalk, d.severity)}  ${d.message}  ${chalk.dim(d.code)}`;
  const frame =
    source !== undefined && d.range
      ? renderCodeFrame(source, d.range, { color: chalk.level > 0, severity: d.severity })
      : '';
  return frame === '' ? header : `${header}\n${frame}`;
}

/** The summary line alone. */
export function renderSummary(diagnostics: readonly Diagnostic[], color = false): string {
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const { errorCount, warningCount, infoCount } = countSeverities(diagnostics);
  const info = infoCount > 0 ? `${infoCount} info` : '';
  if (errorCount + warningCount === 0) return chalk.green(`✔ no problems${info ? ` (${info})` : ''}`);
  const parts = [plural(errorCount, 'error'), plural(warningCount, 'warning'), ...(info ? [info] : [])];
  const line = `✖ ${plural(errorCount + warningCount + infoCount, 'problem')} (${parts.join(', ')})`;
  return errorCount > 0 ? chalk.red.bold(line) : chalk.yellow.bold(line);
}

export function renderDiagnosticsText(files: readonly FileDiagnostics[], options: TextReportOptions = {}): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const blocks = files.flatMap(({ file, source, diagnostics }) =>
    diagnostics.map((d) => renderFinding(chalk, file, source, d)),
  );
  const all = files.flatMap((f) => f.diagnostics);
  const lines = [...blocks, renderSummary(all, options.color)];
  const { warningCount } = countSeverities(all);
  if (options.maxWarnings !== undefined && warningCount > options.maxWarnings) {
    lines.push(
      chalk.red(`✖ ${plural(warningCount, 'warning')}, more than --max-warnings ${options.maxWarnings} allows`),
    );
  }
  return lines.join('\n\n');
}
