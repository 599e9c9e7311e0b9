/**
 * Human output of `sockguard test --request`: the labels of `sockguard match` (sockguard-config.md
 * §3.7), one block per request, plus where the deciding rule was written and why serve would refuse
 * a non-canonical target.
 */
import type { RequestReport } from '../cases/explain-request.js';
import type { RuleOrigin } from '../cases/rule-origin.js';

/**
 * The few styles the reports use. A chalk instance fits; the command passes one only on a colour
 * terminal, so plain runs never load chalk (start-up time).
 */
export interface Paint {
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

export const PLAIN: Paint = { green: (t) => t, red: (t) => t, yellow: (t) => t, dim: (t) => t };

export interface DecisionTextOptions {
  /** The config path as given, or a label for the built-in default policy. */
  config: string;
  compatMode: boolean;
  paint: Paint;
}

/** "file:line", "default policy" or "compat rule generated from CONTAINERS=1". */
export function describeOrigin(origin: RuleOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.file}:${origin.line}`;
    case 'default':
      return 'default policy';
    case 'compat':
      if (origin.variables.length === 0) return 'compat rule: final deny';
      return `compat rule generated from ${origin.variables
        .map((v) => (v.value === undefined ? `${v.name} (unset, on by default)` : `${v.name}=${v.value}`))
        .join(', ')}`;
  }
}

const LABEL_WIDTH = 'Normalized path: '.length;
const line = (label: string, value: string): string => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

function formatReport(report: RequestReport, paint: Paint): string[] {
  const verdict = report.decision === 'allow' ? paint.green('ALLOW') : paint.red('DENY');
  const { matched } = report;
  const rule = matched
    ? `#${matched.index} ${matched.action} ${matched.method} ${matched.path} (${describeOrigin(matched.origin)})`
    : 'none (default deny)';
  return [
    line('Decision', verdict),
    line('Method', report.method),
    line('Path', report.path),
    line('Normalized path', report.normalizedPath),
    ...(report.apiVersion !== undefined ? [line('API version', `${report.apiVersion} (stripped)`)] : []),
    ...(report.profile !== undefined ? [line('Profile', report.profile)] : []),
    line('Matched rule', rule),
    line('Reason', report.reason === '' ? report.reasonCode : `${report.reasonCode} (${report.reason})`),
    ...(report.refusedByServe !== undefined
      ? [line('Note', paint.yellow(`sockguard serve answers 400 to this target: ${report.refusedByServe}`))]
      : []),
  ];
}

export function formatDecisions(reports: readonly RequestReport[], options: DecisionTextOptions): string {
  const header = [
    line('Config', options.config),
    ...(options.compatMode ? [line('Mode', 'tecnativa compatibility')] : []),
  ];
  return [header, ...reports.map((r) => formatReport(r, options.paint))].map((block) => block.join('\n')).join('\n\n');
}
