/**
 * The report of `sockguard migrate`, per migrated proxy:
 *
 *   proxy `dockerproxy` (ghcr.io/tecnativa/docker-socket-proxy:latest) → Sockguard
 *     source    Tecnativa, newest release assumed: moving tag `latest` ...
 *     policy    ./sockguard.yaml (not written: add --out)
 *     <the policy text, unless written>
 *     warnings  grouped by severity: `file:line:col  severity  message  code` and a code frame
 *     choices   each ambiguous intent and the answer taken
 *     lint      findings on the generated policy
 *     compose   the unified diff of the compose rewrite
 *     parity    the summary line (unexplained groups always; the full table with --verify)
 *   next steps: the exact commands that write the policy and apply the change
 *
 * and its JSON form for `--json`, a contract pinned by golden tests:
 *
 *   { "input": [ warnings about the compose input, same shape as plan warnings ],
 *     "plans": [ { "service", "source", "image"?, "repository"?, "forced",
 *                  "release": { "version"?, "era"?, "assumed", "note" },
 *                  "policy": { "path", "written", "text" },
 *                  "choices": [ { "id", "question", "options": [ { "value", "label", "effect" } ], "safe_default", "applied" } ],
 *                  "warnings": [ { "code", "severity", "message", "origin"?, "file"?, "range"? } ],
 *                  "lint": [ { "code", "severity", "message", "pointer", "range"? } ],
 *                  "compose": { "files": [...], "written": bool, "diff": "..." },
 *                  "parity": { "summary", "groups"?, "differences"? } | { "unavailable": "..." } } ],
 *     "next": [ "sockguard migrate ..." ] }
 *
 * `groups` and `differences` are present with `--verify` only.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { LocatedWarning } from '../migrate/located-warning.js';
import type { MigrationPlan } from '../migrate/migration-plan.js';
import type { Diagnostic, Severity, SourceRange } from '../policy/diagnostic.js';
import { renderCodeFrame } from './code-frame.js';
import { renderComposeDiff } from './compose-diff.js';
import type { Paint } from './decision-text.js';
import {
  formatParitySummary,
  formatParityTable,
  groupParityDifferences,
  toParityJson,
  type ParityJson,
} from './parity-table.js';

export interface MigrationReportOptions {
  color?: boolean;
  /** `--verify`: the full parity table (text) and every difference (JSON). */
  verify?: boolean;
  /** File texts by name as warnings cite them, for code frames (compose files, env files, `--args`). */
  sources?: ReadonlyMap<string, string>;
  /** Policy paths that were written (`--out`). */
  writtenPolicies?: ReadonlySet<string>;
  /** Whether the compose change was applied (`--write`). */
  composeWritten?: boolean;
  /** What to run next, exactly. */
  next?: readonly string[];
  /** Findings about the input itself (recovered YAML, unset variables), shown before the plans. */
  input?: readonly Diagnostic[];
}

const SOURCE_NAMES = {
  tecnativa: 'Tecnativa',
  linuxserver: 'LinuxServer',
  wollomatic: 'wollomatic',
  elevennotes: '11notes',
  cetusguard: 'CetusGuard',
} as const;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

function severityLabel(chalk: ChalkInstance, severity: Severity): string {
  if (severity === 'error') return chalk.red('error');
  if (severity === 'warning') return chalk.yellow('warning');
  return chalk.blue('info');
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : by + line))
    .join('\n');
}

function locationOf(file: string | undefined, range: SourceRange | undefined): string {
  if (file === undefined) return '(no position)';
  return range ? `${file}:${range.start.line}:${range.start.col}` : file;
}

function renderFinding(
  chalk: ChalkInstance,
  finding: { file?: string; range?: SourceRange; severity: Severity; message: string; code: string },
  source: string | undefined,
  withFrame = true,
): string {
  const header = `${chalk.bold(locationOf(finding.file, finding.range))}  ${severityLabel(chalk, finding.severity)}  ${finding.message}  ${chalk.dim(finding.code)}`;
  const frame =
    withFrame && source !== undefined && finding.range
      ? renderCodeFrame(source, finding.range, { color: chalk.level > 0, severity: finding.severity })
      : '';
  return frame === '' ? header : `${header}\n${frame}`;
}

function renderWarnings(
  chalk: ChalkInstance,
  warnings: readonly LocatedWarning[],
  sources: ReadonlyMap<string, string>,
): string[] {
  if (warnings.length === 0) return [`${chalk.bold('warnings')}  none`];
  const counts = SEVERITIES.map((s) => [s, warnings.filter((w) => w.severity === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const lines = [
    `${chalk.bold('warnings')}  ${counts.map(([s, n]) => (s === 'info' ? `${n} info` : plural(n, s))).join(', ')}`,
  ];
  // Several warnings about one line (often the image) show its code frame once, under the last of them.
  const ordered = SEVERITIES.flatMap((severity) => warnings.filter((w) => w.severity === severity));
  const placeOf = (w: LocatedWarning | undefined): string | undefined =>
    w?.range && `${w.file}:${w.range.start.line}:${w.range.start.col}`;
  ordered.forEach((warning, i) => {
    const source = warning.file === undefined ? undefined : sources.get(warning.file);
    const framed = placeOf(warning) === undefined || placeOf(warning) !== placeOf(ordered[i + 1]);
    lines.push('', indent(renderFinding(chalk, warning, source, framed)));
  });
  return lines;
}

function renderLint(chalk: ChalkInstance, plan: MigrationPlan): string[] {
  if (plan.lint.length === 0)
    return [`${chalk.bold('lint')}      ${chalk.green('✔ no problems')} in the generated policy`];
  const lines = [
    `${chalk.bold('lint')}      ${plural(plan.lint.length, 'finding')} in the generated policy (no errors)`,
  ];
  for (const finding of plan.lint) lines.push('', indent(renderFinding(chalk, finding, plan.policyText)));
  return lines;
}

function renderChoices(chalk: ChalkInstance, plan: MigrationPlan): string[] {
  if (plan.choices.length === 0) return [];
  const lines = [chalk.bold('choices')];
  for (const { choice, applied } of plan.choices) {
    const option = choice.options.find((o) => o.value === applied);
    const how = applied === choice.safeDefault ? 'the safe default' : 'as answered';
    lines.push(
      `  ${choice.question}`,
      `    → ${option?.label ?? applied}, ${how}: ${option?.effect ?? ''}`.trimEnd(),
      ...choice.options.filter((o) => o.value !== applied).map((o) => chalk.dim(`      or ${o.label}: ${o.effect}`)),
    );
  }
  lines.push(chalk.dim('  (run with --interactive to choose)'));
  return lines;
}

function paintOf(chalk: ChalkInstance): Paint {
  return { green: chalk.green, red: chalk.red, yellow: chalk.yellow, dim: chalk.dim };
}

function renderParity(chalk: ChalkInstance, plan: MigrationPlan, verify: boolean): string[] {
  const { parity } = plan;
  if (parity.kind === 'unavailable')
    return [`${chalk.bold('parity')}    ${chalk.yellow(`not checked: ${parity.reason}`)}`];
  const { rows, summary } = parity.result;
  const unexplained = summary.unexplained.tightened + summary.unexplained.loosened;
  if (verify)
    return [formatParityTable(rows, summary, paintOf(chalk)).replace(/^parity: /, `${chalk.bold('parity')}    `)];
  const line = formatParitySummary(summary).replace(/^parity: /, `${chalk.bold('parity')}    `);
  if (unexplained === 0)
    return [line, chalk.dim('          (--verify prints every difference and the warning that announces it)')];
  const groups = groupParityDifferences(rows).filter((g) => g.explainedBy.length === 0);
  return [
    chalk.red(line),
    chalk.red.bold(
      `          ${plural(unexplained, 'difference')} no warning announces (a translator bug, please report it):`,
    ),
    ...groups.map((g) =>
      chalk.red(
        `            ${g.change} ${g.count}× ${g.endpoint}, e.g. ${g.example.request.method} ${g.example.request.target}`,
      ),
    ),
  ];
}

function describeRelease(plan: MigrationPlan): string {
  const name = SOURCE_NAMES[plan.detection.source];
  const how = plan.detection.forced ? ' (forced by --source/--from)' : '';
  const assumed = plan.release.assumed ? ', newest release assumed' : '';
  const hint = plan.release.assumed && plan.detection.image === undefined ? ' (pass --image to pin the release)' : '';
  return `${name}${how}${assumed}: ${plan.release.note}${hint}`;
}

function renderPlan(chalk: ChalkInstance, plan: MigrationPlan, options: MigrationReportOptions): string {
  const sources = options.sources ?? new Map<string, string>();
  const image = plan.detection.image !== undefined ? ` (${plan.detection.image})` : '';
  const written = options.writtenPolicies?.has(plan.policyPath) ?? false;
  const lines = [
    chalk.bold(`proxy ${plan.name}${image} → Sockguard`),
    `${chalk.bold('source')}    ${describeRelease(plan)}`,
    `${chalk.bold('policy')}    ${plan.policyPath} ${written ? chalk.green('(written)') : chalk.dim('(not written: add --out)')}`,
  ];
  if (!written) lines.push('', indent(plan.policyText.trimEnd(), '    '));
  lines.push('', ...renderWarnings(chalk, plan.warnings, sources));
  const choices = renderChoices(chalk, plan);
  if (choices.length > 0) lines.push('', ...choices);
  lines.push('', ...renderLint(chalk, plan));
  if (plan.composeChanges.length > 0) {
    const state = options.composeWritten
      ? chalk.green('(applied, .bak kept)')
      : chalk.dim('(not applied: add --write)');
    const files = plan.composeChanges.map((c) => c.file).join(', ');
    lines.push(
      '',
      `${chalk.bold('compose')}   ${files} ${state}`,
      '',
      renderComposeDiff(plan.composeChanges, { color: chalk.level > 0 }).trimEnd(),
    );
  }
  lines.push('', ...renderParity(chalk, plan, options.verify ?? false));
  return lines.join('\n');
}

export function renderMigrationReport(plans: readonly MigrationPlan[], options: MigrationReportOptions = {}): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const blocks = plans.map((plan) => renderPlan(chalk, plan, options));
  const input = options.input ?? [];
  if (input.length > 0) {
    const sources = options.sources ?? new Map<string, string>();
    const findings = input.map((d) => renderFinding(chalk, d, d.file === undefined ? undefined : sources.get(d.file)));
    blocks.unshift([chalk.bold('input'), ...findings.map((f) => `\n${indent(f)}`)].join('\n'));
  }
  const next = options.next ?? [];
  if (next.length > 0) blocks.push([chalk.bold('next steps'), ...next.map((step) => `  ${step}`)].join('\n'));
  return blocks.join('\n\n' + chalk.dim('─'.repeat(72)) + '\n\n');
}

export interface MigrationWarningJson {
  code: string;
  severity: Severity;
  message: string;
  origin?: string;
  file?: string;
  range?: SourceRange;
}

export interface MigrationPlanJson {
  service: string;
  source: string;
  image?: string;
  repository?: string;
  forced: boolean;
  release: { version?: string; era?: string; assumed: boolean; note: string };
  policy: { path: string; written: boolean; text: string };
  choices: {
    id: string;
    question: string;
    options: { value: string; label: string; effect: string }[];
    safe_default: string;
    applied: string;
  }[];
  warnings: MigrationWarningJson[];
  lint: { code: string; severity: Severity; message: string; pointer: string; range?: SourceRange }[];
  compose: { files: string[]; written: boolean; diff: string };
  parity: ParityJson | Pick<ParityJson, 'summary'> | { unavailable: string };
}

export interface MigrationJson {
  /** Findings about the input (compose warnings); the same shape as plan warnings. */
  input: MigrationWarningJson[];
  plans: MigrationPlanJson[];
  next: string[];
}

export function toWarningJson(warning: LocatedWarning | Diagnostic): MigrationWarningJson {
  return {
    code: warning.code,
    severity: warning.severity,
    message: warning.message,
    ...('origin' in warning && warning.origin !== undefined ? { origin: warning.origin } : {}),
    ...(warning.file !== undefined ? { file: warning.file } : {}),
    ...(warning.range !== undefined ? { range: warning.range } : {}),
  };
}

function toLintJson(finding: Diagnostic): MigrationPlanJson['lint'][number] {
  return {
    code: finding.code,
    severity: finding.severity,
    message: finding.message,
    pointer: finding.pointer,
    ...(finding.range ? { range: finding.range } : {}),
  };
}

export function toMigrationPlanJson(plan: MigrationPlan, options: MigrationReportOptions = {}): MigrationPlanJson {
  const { parity, detection, release } = plan;
  return {
    service: plan.name,
    source: detection.source,
    ...(detection.image !== undefined ? { image: detection.image } : {}),
    ...(detection.repository !== undefined ? { repository: detection.repository } : {}),
    forced: detection.forced,
    release: {
      ...(release.version !== undefined ? { version: release.version } : {}),
      ...(release.era !== undefined ? { era: release.era } : {}),
      assumed: release.assumed,
      note: release.note,
    },
    policy: {
      path: plan.policyPath,
      written: options.writtenPolicies?.has(plan.policyPath) ?? false,
      text: plan.policyText,
    },
    choices: plan.choices.map(({ choice, applied }) => ({
      id: choice.id,
      question: choice.question,
      options: choice.options.map((o) => ({ value: o.value, label: o.label, effect: o.effect })),
      safe_default: choice.safeDefault,
      applied,
    })),
    warnings: plan.warnings.map(toWarningJson),
    lint: plan.lint.map(toLintJson),
    compose: {
      files: plan.composeChanges.map((c) => c.file),
      written: options.composeWritten ?? false,
      diff: renderComposeDiff(plan.composeChanges),
    },
    parity:
      parity.kind === 'unavailable'
        ? { unavailable: parity.reason }
        : options.verify
          ? toParityJson(parity.result.rows, parity.result.summary)
          : { summary: parity.result.summary },
  };
}

export function toMigrationJson(plans: readonly MigrationPlan[], options: MigrationReportOptions = {}): MigrationJson {
  return {
    input: (options.input ?? []).map((d) => toWarningJson(d)),
    plans: plans.map((plan) => toMigrationPlanJson(plan, options)),
    next: [...(options.next ?? [])],
  };
}
