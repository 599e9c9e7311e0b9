/**
 * Human output of `sockguard test --request`: the labels of `sockguard match` (sockguard-config.md
 * §3.7), one block per request, plus where the deciding rule was written, who the client was and
 * which profile it got, the body inspector's verdict, and why serve would refuse a non-canonical
 * target or what the offline decision had to assume.
 */
import type { RequestReport } from '../cases/explain-request.js';
import type { ClientInput } from '../policy/clients/judge-client.js';
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

/** "source IP 10.0.0.5", "unix peer uid 1000 gid 1000", "certificate CN=ci, SPIFFE ID spiffe://..". */
export function describeClient(client: ClientInput): string | undefined {
  const parts: string[] = [];
  if (client.sourceIp !== undefined) parts.push(`source IP ${client.sourceIp}`);
  if (client.unixPeer !== undefined) {
    const { uid, gid, pid } = client.unixPeer;
    parts.push(`unix peer uid ${uid} gid ${gid}${pid !== 0 ? ` pid ${pid}` : ''}`);
  }
  const cert = client.certificate;
  if (cert) {
    const names = [
      ...(cert.commonName !== undefined ? [`CN=${cert.commonName}`] : []),
      ...cert.dnsNames.map((n) => `DNS ${n}`),
      ...cert.ipAddresses.map((n) => `IP ${n}`),
      ...cert.uriSans.map((n) => (n.toLowerCase().startsWith('spiffe://') ? `SPIFFE ID ${n}` : `URI ${n}`)),
    ];
    parts.push(`certificate ${[...names, `SPKI sha256:${cert.spkiSha256}`].join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

const SELECTED_BY: Record<string, string> = {
  client_certificate: 'selected by clients.client_certificate_profiles',
  unix_peer: 'selected by clients.unix_peer_profiles',
  source_ip: 'selected by clients.source_ip_profiles',
  default_profile: 'clients.default_profile: no selector matched',
};

function describeProfile(report: RequestReport): string | undefined {
  const mode = report.profileMode !== undefined ? `, ${report.profileMode} mode` : '';
  if (report.profile === undefined) {
    return report.profileSelectedBy === 'none'
      ? 'none: the root policy (no selector matched and no clients.default_profile)'
      : undefined;
  }
  const how = report.profileSelectedBy !== undefined ? SELECTED_BY[report.profileSelectedBy] : undefined;
  return how !== undefined || mode !== ''
    ? `${report.profile} (${[how, mode.slice(2)].filter(Boolean).join(', ')})`
    : report.profile;
}

const LABEL_WIDTH = 'Normalized path: '.length;
const line = (label: string, value: string): string => `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;

function describeRule(report: RequestReport): string {
  const { matched } = report;
  if (matched)
    return `#${matched.index} ${matched.action} ${matched.method} ${matched.path} (${describeOrigin(matched.origin)})`;
  return report.reasonCode === 'no_matching_allow_rule'
    ? 'none (default deny)'
    : 'not reached (refused before the rules)';
}

function describeBody(body: NonNullable<RequestReport['body']>): string {
  const size = body.bytes !== undefined ? ` (${body.bytes} bytes)` : '';
  return body.decision === 'allow'
    ? `${body.inspector}: allowed${size}`
    : `${body.inspector}: denied${size}, ${body.status} ${body.reasonCode}`;
}

const IF_MISSING = {
  refuse: '404 if missing',
  allow: 'passes if missing',
  'create-volume': 'created with the owner label if missing',
} as const;

function describeOwnership(ownership: NonNullable<RequestReport['ownership']>): string[] {
  const head = `${ownership.handling} (owner ${ownership.owner}, label ${ownership.labelKey})`;
  if (ownership.denial) {
    return [line('Ownership', `${head}: denied, ${ownership.denial.status} ${ownership.denial.reasonCode}`)];
  }
  return [
    line('Ownership', head),
    ...(ownership.forwardTarget !== undefined ? [line('Forwarded as', ownership.forwardTarget)] : []),
    ...(ownership.stamped.length > 0
      ? [line('Owner label', `${ownership.labelKey}=${ownership.owner} stamped into ${ownership.stamped.join(', ')}`)]
      : []),
    ...(ownership.forwardBody !== undefined ? [line('Forwarded body', ownership.forwardBody)] : []),
    ...ownership.checks.map((c) =>
      line('Owner check', `${c.resource} ${JSON.stringify(c.reference)} (${c.source}; ${IF_MISSING[c.ifMissing]})`),
    ),
  ];
}

function describeResponse(response: NonNullable<RequestReport['response']>): string[] {
  const outcome =
    response.outcome === 'unchanged' || response.outcome === 'rewritten'
      ? `${response.upstreamStatus} from the daemon: ${response.outcome}`
      : `${response.upstreamStatus} from the daemon: ${response.outcome}, ${response.status} ${response.reasonCode} (${response.body}${response.detail !== undefined ? `: ${response.detail}` : ''})`;
  return [
    line('Response', outcome),
    ...(response.outcome === 'rewritten' && response.body !== undefined
      ? [line('Response body', response.body.trimEnd())]
      : []),
  ];
}

function formatReport(report: RequestReport, paint: Paint): string[] {
  const verdict = report.decision === 'allow' ? paint.green('ALLOW') : paint.red('DENY');
  const status = report.decision === 'deny' && report.status !== undefined ? ` (${report.status})` : '';
  const client = report.client ? describeClient(report.client) : undefined;
  const profile = describeProfile(report);
  const notes = [
    ...report.notes,
    ...(report.body?.notes ?? []),
    ...(report.ownership?.notes ?? []),
    ...(report.response?.notes ?? []),
    ...(report.refusedByServe !== undefined
      ? [`sockguard serve answers 400 to this target: ${report.refusedByServe}`]
      : []),
  ];
  return [
    line('Decision', `${verdict}${status}`),
    line('Method', report.method),
    line('Path', report.path),
    line('Normalized path', report.normalizedPath),
    ...(report.apiVersion !== undefined ? [line('API version', `${report.apiVersion} (stripped)`)] : []),
    ...(client !== undefined ? [line('Client', client)] : []),
    ...(report.client?.listener !== undefined ? [line('Listener', report.client.listener)] : []),
    ...(profile !== undefined ? [line('Profile', profile)] : []),
    line('Matched rule', describeRule(report)),
    ...(report.body ? [line('Body', describeBody(report.body))] : []),
    ...(report.ownership ? describeOwnership(report.ownership) : []),
    line('Reason', report.reason === '' ? report.reasonCode : `${report.reasonCode} (${report.reason})`),
    ...(report.response ? describeResponse(report.response) : []),
    ...notes.map((note) => line('Note', paint.yellow(note))),
  ];
}

export function formatDecisions(reports: readonly RequestReport[], options: DecisionTextOptions): string {
  const header = [
    line('Config', options.config),
    ...(options.compatMode ? [line('Mode', 'tecnativa compatibility')] : []),
  ];
  return [header, ...reports.map((r) => formatReport(r, options.paint))].map((block) => block.join('\n')).join('\n\n');
}
