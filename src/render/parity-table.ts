/**
 * Parity reports of `sockguard migrate`: the one-line summary printed on every run, the grouped
 * table of differences for `--verify` (one line per endpoint × change × explanation, with a count
 * and one example request; unexplained groups also show both sides' reasons) and the JSON shape for
 * `--json` (summary, the same groups, and every differing request; identical ones are only counted).
 */
import type { Change, ParityRow, ParitySummary } from '../verify/parity.js';
import { PLAIN, type Paint } from './decision-text.js';

export interface ParityGroup {
  /** `GET /containers/{id}/logs (ContainerLogs)` for catalog requests, `quirk:case GET` for quirk probes. */
  endpoint: string;
  change: Exclude<Change, 'identical'>;
  /** Warning codes; [] when unexplained. */
  explainedBy: readonly string[];
  count: number;
  /** The first row of the group in corpus order. */
  example: ParityRow;
}

export interface ParityVerdictJson {
  allow: boolean;
  reason: string;
  status?: number;
  /** 1-based index of the deciding rule (new side only). */
  rule?: number;
  normalized_path?: string;
}

export interface ParityRequestJson {
  method: string;
  target: string;
  family: 'catalog' | 'quirk';
  endpoint?: string;
  template?: string;
  quirk?: string;
}

export interface ParityDifferenceJson {
  request: ParityRequestJson;
  change: Exclude<Change, 'identical'>;
  old: ParityVerdictJson;
  new: ParityVerdictJson;
  explained_by: string[];
}

export interface ParityJson {
  summary: ParitySummary;
  groups: {
    endpoint: string;
    change: Exclude<Change, 'identical'>;
    explained_by: string[];
    count: number;
    example: ParityRequestJson;
  }[];
  differences: ParityDifferenceJson[];
}

const count = (n: number): string => n.toLocaleString('en-US');

function describeShare(total: number, unexplained: number): string {
  if (total === 0) return '';
  if (unexplained === 0) return ' (explained)';
  return ` (${count(total - unexplained)} explained)`;
}

/** `parity: 41,234 requests — 40,100 identical, 1,100 tightened (explained), 34 loosened (explained), 0 unexplained` */
export function formatParitySummary(summary: ParitySummary): string {
  const unexplained = summary.unexplained.tightened + summary.unexplained.loosened;
  return (
    `parity: ${count(summary.total)} request${summary.total === 1 ? '' : 's'} — ${count(summary.identical)} identical, ` +
    `${count(summary.tightened)} tightened${describeShare(summary.tightened, summary.unexplained.tightened)}, ` +
    `${count(summary.loosened)} loosened${describeShare(summary.loosened, summary.unexplained.loosened)}, ` +
    `${count(unexplained)} unexplained`
  );
}

function labelOf(row: ParityRow): string {
  const { request } = row;
  if (request.family === 'quirk') return `quirk:${request.quirk ?? 'other'} ${request.method}`;
  const endpoint = request.endpoint !== undefined ? ` (${request.endpoint})` : '';
  return `${request.method} ${request.template ?? request.target}${endpoint}`;
}

/** Groups the differences: unexplained first, then loosened before tightened, then corpus order. */
export function groupParityDifferences(rows: readonly ParityRow[]): ParityGroup[] {
  const groups = new Map<string, ParityGroup & { first: number }>();
  rows.forEach((row, index) => {
    if (row.change === 'identical') return;
    const endpoint = labelOf(row);
    const key = `${endpoint}\u0000${row.change}\u0000${row.explainedBy.join(',')}`;
    const group = groups.get(key);
    if (group) group.count++;
    else
      groups.set(key, {
        endpoint,
        change: row.change,
        explainedBy: row.explainedBy,
        count: 1,
        example: row,
        first: index,
      });
  });
  const rank = (g: ParityGroup): number => (g.explainedBy.length === 0 ? 0 : 2) + (g.change === 'loosened' ? 0 : 1);
  return [...groups.values()]
    .sort((a, b) => rank(a) - rank(b) || a.first - b.first)
    .map(({ first: _first, ...group }) => group);
}

const describeVerdict = (verdict: { allow: boolean; reason: string }): string =>
  `${verdict.allow ? 'allowed' : 'denied'} (${verdict.reason})`;

function padRows(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** The summary line, then one line per group of differences; unexplained groups also show both reasons. */
export function formatParityTable(rows: readonly ParityRow[], summary: ParitySummary, paint: Paint = PLAIN): string {
  const lines = [formatParitySummary(summary)];
  const groups = groupParityDifferences(rows);
  if (groups.length === 0) return lines.join('\n');
  const cells = [
    ['change', 'count', 'endpoint', 'explained by', 'example'],
    ...groups.map((g) => [
      g.change,
      count(g.count),
      g.endpoint,
      g.explainedBy.length > 0 ? g.explainedBy.join(', ') : 'UNEXPLAINED',
      `${g.example.request.method} ${g.example.request.target}`,
    ]),
  ];
  const [header, ...body] = padRows(cells);
  lines.push('', paint.dim(header!));
  groups.forEach((group, i) => {
    const text = body[i]!;
    if (group.explainedBy.length > 0) {
      lines.push(text);
      return;
    }
    lines.push(
      paint.red(text),
      `    old: ${describeVerdict(group.example.old)}`,
      `    new: ${describeVerdict(group.example.new)}`,
    );
  });
  return lines.join('\n');
}

function toRequestJson(row: ParityRow): ParityRequestJson {
  const { method, target, family, endpoint, template, quirk } = row.request;
  return {
    method,
    target,
    family,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(template !== undefined ? { template } : {}),
    ...(quirk !== undefined ? { quirk } : {}),
  };
}

function toVerdictJson(verdict: ParityRow['new']): ParityVerdictJson {
  return {
    allow: verdict.allow,
    reason: verdict.reason,
    ...(verdict.status !== undefined && !verdict.allow ? { status: verdict.status } : {}),
    ...(verdict.ruleIndex !== undefined ? { rule: verdict.ruleIndex + 1 } : {}),
    ...(verdict.normalizedPath !== undefined ? { normalized_path: verdict.normalizedPath } : {}),
  };
}

/** The `parity` member of `migrate --json`. */
export function toParityJson(rows: readonly ParityRow[], summary: ParitySummary): ParityJson {
  return {
    summary,
    groups: groupParityDifferences(rows).map((g) => ({
      endpoint: g.endpoint,
      change: g.change,
      explained_by: [...g.explainedBy],
      count: g.count,
      example: toRequestJson(g.example),
    })),
    differences: rows.flatMap((row) =>
      row.change === 'identical'
        ? []
        : [
            {
              request: toRequestJson(row),
              change: row.change,
              old: toVerdictJson(row.old),
              new: toVerdictJson(row.new),
              explained_by: [...row.explainedBy],
            },
          ],
    ),
  };
}
