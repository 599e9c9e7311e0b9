/**
 * The JSON of one offline decision: the object `sockguard match -o json` prints
 * (sockguard-config.md §3.7), unchanged for a plain rule decision to allow, plus our extensions,
 * each omitted when empty:
 * - `matched_rule.line`: where the deciding rule is written (absent for default and compat rules);
 * - `status`, `reason_code` (denials only): the HTTP status serve answers with and the reason code
 *   of §13.3, from the rules (`matched_deny_rule`, `no_matching_allow_rule`), a client gate
 *   (`client_ip_not_allowed`, `listener_profile_not_allowed`, ...) or body inspection
 *   (`request_body_policy_denied` 403, `request_body_inspection_failed` 400/403,
 *   `request_body_too_large` 413); `reason` is then the gate's or the inspector's text;
 * - `profile`: the profile whose rules decided (given by hand or resolved from the client);
 * - `profile_selected_by`: `flag` (given by hand), `client_certificate`, `unix_peer`, `source_ip`,
 *   `default_profile`, or `none` (the client resolved to the root policy);
 * - `profile_mode`: `warn` or `audit` when the profile does not enforce (serve forwards denials);
 * - `body`: the request-body inspector's verdict, when one ran: `{inspector, decision, status?,
 *   reason_code?, reason?, bytes?, notes?}`;
 * - `notes`: what the offline decision could not check or had to assume.
 */
import type { RequestReport } from '../cases/explain-request.js';

export interface MatchedRuleJson {
  /** 1-based. */
  index: number;
  method: string;
  path: string;
  action: 'allow' | 'deny';
  line?: number;
}

export interface BodyJson {
  inspector: string;
  decision: 'allow' | 'deny';
  status?: number;
  reason_code?: string;
  reason?: string;
  bytes?: number;
  notes?: string[];
}

export interface MatchJson {
  config: string;
  method: string;
  path: string;
  normalized_path: string;
  decision: 'allow' | 'deny';
  reason?: string;
  compat_mode?: true;
  status?: number;
  reason_code?: string;
  profile?: string;
  profile_selected_by?: string;
  profile_mode?: 'warn' | 'audit';
  matched_rule?: MatchedRuleJson;
  body?: BodyJson;
  notes?: string[];
}

export interface MatchJsonContext {
  /** The config path as given, or a label for the built-in default policy. */
  config: string;
  compatMode: boolean;
}

const nonEmpty = (notes: readonly string[]) => (notes.length > 0 ? { notes: [...notes] } : {});

function toBodyJson(body: NonNullable<RequestReport['body']>): BodyJson {
  return {
    inspector: body.inspector,
    decision: body.decision,
    ...(body.status !== undefined ? { status: body.status } : {}),
    ...(body.reasonCode !== undefined ? { reason_code: body.reasonCode } : {}),
    ...(body.reason !== undefined ? { reason: body.reason } : {}),
    ...(body.bytes !== undefined ? { bytes: body.bytes } : {}),
    ...nonEmpty(body.notes),
  };
}

export function toMatchJson(report: RequestReport, context: MatchJsonContext): MatchJson {
  const { matched } = report;
  const denied = report.decision === 'deny';
  return {
    config: context.config,
    method: report.method,
    path: report.path,
    normalized_path: report.normalizedPath,
    decision: report.decision,
    ...(report.reason !== '' ? { reason: report.reason } : {}),
    ...(context.compatMode ? { compat_mode: true as const } : {}),
    ...(denied && report.status !== undefined ? { status: report.status } : {}),
    ...(denied ? { reason_code: report.reasonCode } : {}),
    ...(report.profile !== undefined ? { profile: report.profile } : {}),
    ...(report.profileSelectedBy !== undefined ? { profile_selected_by: report.profileSelectedBy } : {}),
    ...(report.profileMode !== undefined ? { profile_mode: report.profileMode } : {}),
    ...(matched
      ? {
          matched_rule: {
            index: matched.index,
            method: matched.method,
            path: matched.path,
            action: matched.action,
            ...(matched.origin.kind === 'file' ? { line: matched.origin.line } : {}),
          },
        }
      : {}),
    ...(report.body ? { body: toBodyJson(report.body) } : {}),
    ...nonEmpty(report.notes),
  };
}
