/**
 * Parity between an old proxy and the new policy over a request corpus.
 *
 *   const result = compareDecisions(buildCorpus(), compileTecnativa(settings), newPolicyDecider(compiled), warnings);
 *   result.summary            // {total, identical, tightened, loosened, unexplained: {tightened, loosened}}
 *   unexplained(result.rows)  // what `--strict` fails on
 *
 * The old side is any function from a request to `{allow, reason}` (every src/emulators decider
 * fits). The new side is `newPolicyDecider`, which takes the path `serve` takes: the strict
 * `canonicalRequest` first (a target serve answers with 400 counts as denied, and the row says so),
 * then `evaluateRules` on the normalized path. `tightened` = old allowed, new denies; `loosened` =
 * old denied, new allows.
 *
 * Explanations: every difference must be announced by a warning or it is unexplained. A warning
 * (a translator's MigrationWarning, or any object with a `code`) explains the differences its
 * `explains` predicate accepts. The predicate only ever sees differences, as a `ParityDifference`:
 * `method`, `target`, `endpoint` and `change` (`tightened` | `loosened`) at the top, so predicates
 * written against the translator contract's `DifferenceView` fit, plus the whole corpus request
 * (`quirk`, `template`, `family`) and both verdicts (`new.rejected`, `new.normalizedPath`):
 *
 *   { code: 'migrate/tecnativa/prefix-match',
 *     explains: (d) => d.change === 'tightened' && d.request.quirk === 'prefix-extension' }
 *
 * A warning without `explains` explains nothing. src/verify/explanations.ts has ready-made
 * predicates (strict canonicalisation, startup probes).
 *
 * Not visible here: request-body inspection (a body-sensitive write the rules allow may still be
 * denied by serve), client identity (profiles, CIDRs, labels) and the old proxies' own client checks.
 */
import { canonicalRequest, TargetError, type TargetProblem } from '../policy/canonical-path.js';
import { UnknownProfileError, type CompiledPolicy } from '../policy/compile.js';
import { evaluateRules } from '../policy/evaluate.js';
import type { CorpusRequest } from './corpus.js';

export type Change = 'identical' | 'tightened' | 'loosened';

export interface Verdict {
  allow: boolean;
  /** Why, in the decider's own terms (the old proxy's rule, the new policy's rule or rejection). */
  reason: string;
  /** The status the proxy answers by itself when it denies (403, 405, 400). */
  status?: number;
}

export interface NewVerdict extends Verdict {
  /** 0-based index of the deciding rule, absent when no rule matched or serve rejected the target. */
  ruleIndex?: number;
  /** The path the rules judged; absent when serve rejected the target. */
  normalizedPath?: string;
  /** Why serve answers 400 before any rule runs (strict canonicalisation). */
  rejected?: TargetProblem;
}

export type OldDecider = (request: CorpusRequest) => Verdict;
export type NewDecider = (request: CorpusRequest) => NewVerdict;

export interface ParityRow {
  request: CorpusRequest;
  old: Verdict;
  new: NewVerdict;
  change: Change;
  /** Codes of the warnings that explain this difference, in warning order; [] when identical or unexplained. */
  explainedBy: readonly string[];
}

export interface ParitySummary {
  total: number;
  identical: number;
  tightened: number;
  loosened: number;
  /** Differences no warning explains (`--strict` fails when either is non-zero). */
  unexplained: { tightened: number; loosened: number };
}

export interface ParityResult {
  rows: ParityRow[];
  summary: ParitySummary;
}

const NOTHING: readonly string[] = Object.freeze([]);

/** Status serve answers a target with when canonicalisation rejects it. */
const REJECTED_STATUS = 400;
/** Status of a rule denial. */
const DENIED_STATUS = 403;

/** What an explanation predicate sees: one difference, flat fields first (see the module header). */
export interface ParityDifference {
  method: string;
  target: string;
  endpoint?: string;
  change: Exclude<Change, 'identical'>;
  request: CorpusRequest;
  old: Verdict;
  new: NewVerdict;
}

export interface ExplainingWarning {
  code: string;
  /** True for the differences this warning announces. */
  explains?: (difference: ParityDifference) => boolean;
}

export function classifyChange(oldAllow: boolean, newAllow: boolean): Change {
  if (oldAllow === newAllow) return 'identical';
  return oldAllow ? 'tightened' : 'loosened';
}

/** serve's canonicalisation of one target: the path the rules judge, or the 400 it answers instead. */
function canonicalise(target: string): { normalizedPath: string } | NewVerdict {
  try {
    return { normalizedPath: canonicalRequest(target).normalizedPath };
  } catch (error) {
    if (!(error instanceof TargetError)) throw error;
    return {
      allow: false,
      status: REJECTED_STATUS,
      reason: `rejected by serve before the rules (400): ${error.message}`,
      rejected: error.problem,
    };
  }
}

/** The new policy's decision for one request, exactly as serve reaches it (root rules, or one profile's). */
export function newPolicyDecider(compiled: CompiledPolicy, profile?: string): NewDecider {
  const ruleSet = profile === undefined ? compiled.root : compiled.profiles.get(profile);
  if (!ruleSet) throw new UnknownProfileError(profile!);
  // Reason texts per rule, built once: `rule #3 (allow GET /containers/**)`, plus the rule's reason.
  const reasons = ruleSet.rules.map((compiledRule) => {
    const { action, match, reason } = compiledRule.rule;
    const text = `rule #${compiledRule.index + 1} (${action} ${match.method} ${match.path})`;
    return reason ? `${text}: ${reason}` : text;
  });
  // The corpus sends each target with every method in a row: canonicalise once per run of targets.
  let lastTarget: string | undefined;
  let lastCanonical: ReturnType<typeof canonicalise> = { normalizedPath: '/' };
  return (request) => {
    if (request.target !== lastTarget) {
      lastTarget = request.target;
      lastCanonical = canonicalise(request.target);
    }
    if ('allow' in lastCanonical) return lastCanonical;
    const { normalizedPath } = lastCanonical;
    const { decision, matched, reason } = evaluateRules(ruleSet, request.method, normalizedPath);
    if (!matched) return { allow: false, status: DENIED_STATUS, reason: `no rule matched: ${reason}`, normalizedPath };
    const allow = decision === 'allow';
    return {
      allow,
      ...(allow ? {} : { status: DENIED_STATUS }),
      reason: reasons[matched.index]!,
      ruleIndex: matched.index,
      normalizedPath,
    };
  };
}

export function summarizeParity(rows: readonly ParityRow[]): ParitySummary {
  const summary: ParitySummary = {
    total: rows.length,
    identical: 0,
    tightened: 0,
    loosened: 0,
    unexplained: { tightened: 0, loosened: 0 },
  };
  for (const row of rows) {
    if (row.change === 'identical') {
      summary.identical++;
      continue;
    }
    summary[row.change]++;
    if (row.explainedBy.length === 0) summary.unexplained[row.change]++;
  }
  return summary;
}

/** Judges every request with both deciders; differences are explained by `warnings` (module header). */
export function compareDecisions(
  corpus: readonly CorpusRequest[],
  oldDecide: OldDecider,
  newDecide: NewDecider,
  warnings: readonly ExplainingWarning[] = [],
): ParityResult {
  const rows: ParityRow[] = corpus.map((request) => {
    const oldVerdict = oldDecide(request);
    const newVerdict = newDecide(request);
    const change = classifyChange(oldVerdict.allow, newVerdict.allow);
    const row: ParityRow = { request, old: oldVerdict, new: newVerdict, change, explainedBy: NOTHING };
    if (change !== 'identical') row.explainedBy = explain(row, warnings);
    return row;
  });
  return { rows, summary: summarizeParity(rows) };
}

/** Codes of the warnings that explain a row, in warning order ([] for an identical row). */
export function explain(row: ParityRow, warnings: readonly ExplainingWarning[]): string[] {
  if (row.change === 'identical' || warnings.length === 0) return [];
  const { request } = row;
  const difference: ParityDifference = {
    method: request.method,
    target: request.target,
    ...(request.endpoint !== undefined ? { endpoint: request.endpoint } : {}),
    change: row.change,
    request,
    old: row.old,
    new: row.new,
  };
  const codes: string[] = [];
  for (const warning of warnings) {
    if (warning.explains?.(difference) === true && !codes.includes(warning.code)) codes.push(warning.code);
  }
  return codes;
}

/** Differences no warning explains: `--strict` exits 1 when this is non-empty. */
export function unexplained(rows: readonly ParityRow[]): ParityRow[] {
  return rows.filter((row) => row.change !== 'identical' && row.explainedBy.length === 0);
}
