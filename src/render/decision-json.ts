/**
 * The JSON of one offline decision: the object `sockguard match -o json` prints
 * (sockguard-config.md §3.7), plus our extensions `matched_rule.line` (where the rule is written,
 * absent for default and compat rules) and `profile` (only when a profile was asked for).
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

export interface MatchJson {
  config: string;
  method: string;
  path: string;
  normalized_path: string;
  decision: 'allow' | 'deny';
  reason?: string;
  compat_mode?: true;
  profile?: string;
  matched_rule?: MatchedRuleJson;
}

export interface MatchJsonContext {
  /** The config path as given, or a label for the built-in default policy. */
  config: string;
  compatMode: boolean;
}

export function toMatchJson(report: RequestReport, context: MatchJsonContext): MatchJson {
  const { matched } = report;
  return {
    config: context.config,
    method: report.method,
    path: report.path,
    normalized_path: report.normalizedPath,
    decision: report.decision,
    ...(report.reason !== '' ? { reason: report.reason } : {}),
    ...(context.compatMode ? { compat_mode: true as const } : {}),
    ...(report.profile !== undefined ? { profile: report.profile } : {}),
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
  };
}
