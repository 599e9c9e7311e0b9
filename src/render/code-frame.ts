/**
 * A code frame like modern linters print: the lines around a source range with line numbers, a
 * `>` on the range's lines and carets under the range. Columns are 1-based UTF-16 units (as in
 * Diagnostic ranges); tabs in the source are kept in the marker line so carets stay aligned.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity, SourceRange } from '../policy/diagnostic.js';

export interface CodeFrameOptions {
  color?: boolean;
  /** Colours the carets. */
  severity?: Severity;
  /** Lines shown before and after the range. */
  contextLines?: number;
  /** Lines of a long range that are shown before it is cut. */
  maxRangeLines?: number;
}

function caretColor(chalk: ChalkInstance, severity: Severity | undefined): ChalkInstance {
  if (severity === 'error') return chalk.red;
  if (severity === 'warning') return chalk.yellow;
  return chalk.blue;
}

/** The frame, or '' when the range lies outside the source. */
export function renderCodeFrame(source: string, range: SourceRange, options: CodeFrameOptions = {}): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const context = options.contextLines ?? 1;
  const lines = source.split(/\r?\n/);
  const startLine = range.start.line;
  // A range that ends at column 1 of a later line ends at the end of the line before.
  let endLine = range.end.line;
  let endCol = range.end.col;
  if (endLine > startLine && endCol === 1) {
    endLine -= 1;
    endCol = (lines[endLine - 1]?.length ?? 0) + 1;
  }
  if (startLine < 1 || startLine > lines.length) return '';
  endLine = Math.min(Math.max(endLine, startLine), lines.length);
  const shownEnd = Math.min(endLine, startLine + (options.maxRangeLines ?? 3) - 1);
  const first = Math.max(1, startLine - context);
  const last = Math.min(lines.length, (shownEnd < endLine ? shownEnd : endLine) + context);
  const width = String(last).length;
  const carets = caretColor(chalk, options.severity);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    const inRange = n >= startLine && n <= shownEnd;
    const gutter = chalk.dim(`${String(n).padStart(width)} |`);
    out.push(`${inRange ? chalk.red.bold('>') : ' '} ${gutter}${text === '' ? '' : ` ${text}`}`);
    if (!inRange) continue;
    const from = n === startLine ? range.start.col : text.search(/\S|$/) + 1;
    const to = n === endLine ? endCol : text.length + 1;
    const pad = text.slice(0, from - 1).replace(/[^\t]/g, ' ');
    const underline = '^'.repeat(Math.max(1, to - from));
    out.push(`  ${chalk.dim(`${' '.repeat(width)} |`)} ${pad}${carets(underline)}`);
    if (n === shownEnd && shownEnd < endLine)
      out.push(`  ${chalk.dim(`${' '.repeat(width)} |`)} ${pad}${chalk.dim('...')}`);
  }
  return out.join('\n');
}
