/**
 * The contract between a source translator (old proxy settings -> Sockguard policy) and the
 * `migrate` command. Translators are pure; every warning they emit names where in the old
 * configuration it comes from (`origin`) and which parity differences it announces (`explains`).
 */
import type { PolicyDocument } from '../policy/schema.js';

export type SourceKind = 'tecnativa' | 'linuxserver' | 'wollomatic' | 'elevennotes' | 'cetusguard';

/** The part of a parity row a warning needs to decide whether it explains that difference. */
export interface DifferenceView {
  method: string;
  /** Raw request-target as sent (path plus optional ?query). */
  target: string;
  /** Catalog operationId, when the request is an instance of a catalog endpoint. */
  endpoint?: string;
  change: 'tightened' | 'loosened';
  /** How the request was generated: a catalog endpoint instance, or a probe of an old-proxy quirk. */
  request: { family: 'catalog' | 'quirk'; template?: string; quirk?: string };
  /** The new side's view: the normalized path it judged, or why serve rejects the target outright. */
  new: { normalizedPath?: string; rejected?: string; ruleIndex?: number };
}

export interface MigrationWarning {
  /** Stable code: `migrate/<id>` for every source, `migrate/<source>/<id>` for one source's quirk. */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /**
   * Where the old configuration said it: `env:CONTAINERS`, `arg:3`, `label:traefik:socket-proxy.allow.get`,
   * `rules-file:/etc/cetusguard/rules.list:4`, `image`, `ports:0`, `volumes:1`, or `service`.
   */
  origin?: string;
  /** True for each parity difference this warning announces. */
  explains?: (row: DifferenceView) => boolean;
}

/** A place where intent is ambiguous; the non-interactive run takes `safeDefault`. */
export interface TranslationChoice {
  id: string;
  question: string;
  options: readonly { value: string; label: string; effect: string }[];
  safeDefault: string;
}

export interface TranslateOptions {
  /** Keep read-exfiltration endpoints the old setup exposed (sets the insecure acknowledgement). */
  keepExfiltration: boolean;
  /** Answers to choices by id; an absent answer means the safe default. */
  answers: Readonly<Record<string, string>>;
}

export interface Translation {
  source: SourceKind;
  policy: PolicyDocument;
  /** Origin comment for each rule of `policy.rules`, same order. */
  ruleOrigins: readonly string[];
  warnings: readonly MigrationWarning[];
  choices: readonly TranslationChoice[];
  /** Answers actually applied, by choice id (safe defaults included). */
  applied: Readonly<Record<string, string>>;
}
