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
 * - `ownership` (ownership.owner set and the request got that far): `{owner, label_key, handling
 *   (create, list, prune, events, per-resource, global, unsupported), decision, status?, reason_code?,
 *   reason?, forward_target?, stamped?, forward_body?, checks?: [{resource, reference, source,
 *   if_missing (refuse, allow, create-volume)}], notes?}`;
 * - `response` (--response, request allowed): `{upstream_status, outcome (unchanged, rewritten,
 *   hidden, rejected), status, reason_code?, body?, detail?, notes?}`;
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

export interface OwnershipJson {
  owner: string;
  label_key: string;
  handling: string;
  decision: 'allow' | 'deny';
  status?: number;
  reason_code?: string;
  reason?: string;
  forward_target?: string;
  stamped?: string[];
  forward_body?: string;
  checks?: { resource: string; reference: string; source: string; if_missing: string }[];
  notes?: string[];
}

export interface ResponseJson {
  upstream_status: number;
  outcome: 'unchanged' | 'rewritten' | 'hidden' | 'rejected';
  status: number;
  reason_code?: string;
  body?: string;
  detail?: string;
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
  ownership?: OwnershipJson;
  response?: ResponseJson;
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

function toOwnershipJson(ownership: NonNullable<RequestReport['ownership']>): OwnershipJson {
  const { denial } = ownership;
  return {
    owner: ownership.owner,
    label_key: ownership.labelKey,
    handling: ownership.handling,
    decision: ownership.decision,
    ...(denial ? { status: denial.status, reason_code: denial.reasonCode, reason: denial.message } : {}),
    ...(ownership.forwardTarget !== undefined ? { forward_target: ownership.forwardTarget } : {}),
    ...(ownership.stamped.length > 0 ? { stamped: [...ownership.stamped] } : {}),
    ...(ownership.forwardBody !== undefined ? { forward_body: ownership.forwardBody } : {}),
    ...(ownership.checks.length > 0
      ? {
          checks: ownership.checks.map((c) => ({
            resource: c.resource,
            reference: c.reference,
            source: c.source,
            if_missing: c.ifMissing,
          })),
        }
      : {}),
    ...nonEmpty(ownership.notes),
  };
}

function toResponseJson(response: NonNullable<RequestReport['response']>): ResponseJson {
  return {
    upstream_status: response.upstreamStatus,
    outcome: response.outcome,
    status: response.status,
    ...(response.reasonCode !== undefined ? { reason_code: response.reasonCode } : {}),
    ...(response.body !== undefined ? { body: response.body } : {}),
    ...(response.detail !== undefined ? { detail: response.detail } : {}),
    ...nonEmpty(response.notes),
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
    ...(report.ownership ? { ownership: toOwnershipJson(report.ownership) } : {}),
    ...(report.response ? { response: toResponseJson(report.response) } : {}),
    ...nonEmpty(report.notes),
  };
}
