/**
 * Allow rules from the regex allowlists of the Go proxies that compile every value as
 * `"^" + value + "$"` (wollomatic `-allow<METHOD>`, CetusGuard rules; peers.md §3.3, §5.3).
 *
 * Each regex becomes one rule per glob of convertRegexToGlobs (an alternation becomes several
 * rules, a method list one `GET,HEAD` rule). The brute force over the parity corpus
 * (classifyGlob) then decides what is announced, each warning explaining exactly its rows:
 *
 * - `migrate/regex-not-exact`: the globs and the regex disagree on an Engine API catalog request.
 * - `migrate/regex-odd-request-forms`: they disagree only on unusual forms (trailing `/`, version
 *   prefixes Sockguard does not strip, Podman paths, encodings); one warning for all regexes.
 * - `migrate/half-anchored-alternation`: a top-level `a|b` leaves the first alternative anchored only
 *   at the start and the last only at the end. By default the rules anchor every alternative, as the
 *   proxies' READMEs promise (tighter); answering `reproduce` keeps the old matching as far as globs
 *   can spell it. Either way the warning lists what the old proxy let through.
 */
import { globCovers } from '../lint/glob-language.js';
import { hasPatternDefect } from '../lint/pattern-defects.js';
import { compileGoRegex } from '../peers/go-regex.js';
import { canonicalRequest, TargetError } from '../policy/canonical-path.js';
import { compileGlob, type CompiledGlob } from '../policy/glob.js';
import { classifyGlob, type GlobComparison } from '../verify/classify-glob.js';
import { sharedCorpus, type CorpusRequest } from '../verify/corpus.js';
import { parsePathRegex } from './regex-ir.js';
import { convertRegexToGlobs } from './regex-to-glob.js';
import { resolveChoice } from './resolve-choice.js';
import { createAllow, type TranslatedRule } from './translated-rule.js';
import type { DifferenceView, MigrationWarning, TranslateOptions, TranslationChoice } from './types.js';

/** One allowlist regex of the old proxy. */
export interface AllowRegex {
  /** Methods it allows, matched exactly. */
  methods: readonly string[];
  /** The text the proxy wraps as `"^" + value + "$"` (CetusGuard: after `%VARIABLE%` expansion). */
  value: string;
  /** The setting as the user wrote it, for messages: `-allowGET=/v1\..{2}/events`, `GET %API_PREFIX_INFO%`. */
  setting: string;
  /** Origin comment for its rules. */
  comment: string;
  origin: string;
}

export interface RegexAllowInput {
  /** The proxy's name in messages. */
  proxy: string;
  /** The path the proxy matches for a raw request-target; undefined when it answers 400 before matching. */
  subjectOf: (target: string) => string | undefined;
  regexes: readonly AllowRegex[];
}

export interface RegexAllowRules {
  rules: TranslatedRule[];
  warnings: MigrationWarning[];
  choices: TranslationChoice[];
  applied: Record<string, string>;
}

export const HALF_ANCHORED_ALTERNATION = 'half-anchored-alternation';
const ANCHOR = 'anchor';
const REPRODUCE = 'reproduce';

const MAX_EXAMPLES = 5;

/** A distinct target of the parity corpus with serve's view of it. */
interface CorpusTarget {
  target: string;
  catalog: boolean;
  /** The path the rules judge; undefined when serve rejects the target (400). */
  normalizedPath: string | undefined;
}

/** The parity corpus and its distinct targets, built once: every regex of every translation is checked over them. */
let corpus: { requests: readonly CorpusRequest[]; targets: CorpusTarget[]; catalog: Set<string> } | undefined;

function getCorpus(): NonNullable<typeof corpus> {
  if (corpus) return corpus;
  const requests = sharedCorpus();
  const targets: CorpusTarget[] = [];
  const seen = new Set<string>();
  for (const { target, family } of requests) {
    if (seen.has(target)) continue;
    seen.add(target);
    let normalizedPath: string | undefined;
    try {
      normalizedPath = canonicalRequest(target).normalizedPath;
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
    }
    targets.push({ target, catalog: family === 'catalog', normalizedPath });
  }
  const catalog = new Set(targets.filter((t) => t.catalog).map((t) => t.target));
  corpus = { requests, targets, catalog };
  return corpus;
}

/** Subjects per target, per subject function (each proxy passes one module-level function). */
const subjects = new WeakMap<(target: string) => string | undefined, Map<string, string | undefined>>();

function memoizeSubject(subjectOf: RegexAllowInput['subjectOf']): (target: string) => string | undefined {
  let memo = subjects.get(subjectOf);
  if (!memo) {
    memo = new Map();
    subjects.set(subjectOf, memo);
  }
  const known = memo;
  return (target) => {
    if (known.has(target)) return known.get(target);
    const subject = subjectOf(target);
    known.set(target, subject);
    return subject;
  };
}

type Matcher = (target: string) => boolean;

/** The proxy's decision for one regex on a raw target; undefined when JavaScript cannot reproduce the Go regex. */
function compileMatcher(expression: string, subjectOf: (target: string) => string | undefined): Matcher | undefined {
  const compiled = compileGoRegex(expression);
  if (!compiled.ok) return undefined;
  const { regex } = compiled;
  return (target) => {
    const subject = subjectOf(target);
    return subject !== undefined && regex.test(subject);
  };
}

/** `^a|b$`: the value's top-level alternation escapes the anchors the proxy adds. */
function hasTopLevelAlternation(value: string): boolean {
  const parsed = parsePathRegex(value);
  if (!parsed.ok) return false;
  const { node } = parsed;
  return node.t === 'alt' || (node.t === 'seq' && node.items.length === 1 && node.items[0]!.t === 'alt');
}

const quote = (targets: readonly string[], count: number): string =>
  targets.join(', ') + (count > targets.length ? ` (${count} in all)` : '');

/** Distinct corpus targets the predicate holds for: the first few and how many. */
function findTargets(predicate: (target: CorpusTarget) => boolean): { examples: string[]; count: number } {
  const examples: string[] = [];
  let count = 0;
  for (const target of getCorpus().targets) {
    if (!predicate(target)) continue;
    if (count++ < MAX_EXAMPLES) examples.push(target.target);
  }
  return { examples, count };
}

interface HalfAnchored {
  regex: AllowRegex;
  /** Globs for the value as the proxy compiled it. */
  reproduced: string[];
  /** Targets the old regex allowed that the anchored one refuses. */
  leak: { examples: string[]; count: number };
  /** The old regex allowed every path (some alternative reproduces as `/**`). */
  everything: boolean;
  old: Matcher | undefined;
  anchored: Matcher | undefined;
}

const globsOf = (value: string): string[] => convertToRuleGlobs(value).globs;

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The regexes whose top-level alternation changes what they match, with what it let through. */
function findHalfAnchored(input: RegexAllowInput, subjectOf: (target: string) => string | undefined): HalfAnchored[] {
  return input.regexes.flatMap((regex): HalfAnchored[] => {
    if (!hasTopLevelAlternation(regex.value)) return [];
    const old = compileMatcher(`^${regex.value}$`, subjectOf);
    const anchored = compileMatcher(`^(?:${regex.value})$`, subjectOf);
    const reproduced = globsOf(regex.value);
    const anchoredGlobs = globsOf(`(?:${regex.value})`);
    const byAnchoredGlobs = anchoredGlobs.map(compileGlob);
    const escapes = (t: CorpusTarget): boolean =>
      old !== undefined && anchored !== undefined && old(t.target) && !anchored(t.target);
    // Alternatives that bring their own anchors (`^/a$|^/b$`) lose nothing by grouping.
    if (findTargets(escapes).count === 0 && sameSet(reproduced, anchoredGlobs)) return [];
    // What anchoring takes away: requests serve accepts that the anchored rules deny.
    const leak = findTargets(
      (t) => t.normalizedPath !== undefined && escapes(t) && !byAnchoredGlobs.some((g) => g.test(t.normalizedPath!)),
    );
    return [{ regex, reproduced, leak, everything: reproduced.includes('/**'), old, anchored }];
  });
}

function createAnchorChoice(found: readonly HalfAnchored[]): TranslationChoice {
  const list = found.map((h) => h.regex.setting).join('; ');
  return {
    id: HALF_ANCHORED_ALTERNATION,
    question: `The proxy compiles each value as "^" + value + "$" without a group, so in ${list} the first alternative is anchored only at the start, the last only at the end and middle ones not at all. Anchor every alternative, or reproduce the old matching?`,
    options: [
      {
        value: ANCHOR,
        label: 'Anchor every alternative (what the README promises)',
        effect: 'each alternative must match the whole path; paths the missing anchors let through are denied',
      },
      {
        value: REPRODUCE,
        label: 'Reproduce the old matching',
        effect: `keep allowing what the old proxy allowed: ${found.map((h) => h.reproduced.join(', ')).join('; ')}`,
      },
    ],
    safeDefault: ANCHOR,
  };
}

function createHalfAnchoredWarning(proxy: string, h: HalfAnchored, anchored: boolean): MigrationWarning {
  const { regex, leak } = h;
  const methods = regex.methods.join(',');
  const what = h.everything
    ? `so ${proxy} allowed ${methods} on every path`
    : leak.count > 0
      ? `so ${proxy} also allowed ${methods} ${quote(leak.examples, leak.count)}`
      : 'so it matched more than each alternative says';
  const base = { code: 'migrate/half-anchored-alternation', severity: 'warning' as const, origin: regex.origin };
  const start = `${regex.setting} is compiled as "^" + value + "$" without a group: its first alternative is anchored only at the start, its last only at the end and any middle one not at all, ${what}.`;
  if (!anchored) {
    return {
      ...base,
      message: `${start} The new rules reproduce that (${h.reproduced.join(', ')}), as chosen; group the alternation, (a|b), to anchor it.`,
    };
  }
  const { old, anchored: anchoredMatch } = h;
  return {
    ...base,
    message: `${start} The new rules anchor every alternative, as the README promises; answer ${HALF_ANCHORED_ALTERNATION}=${REPRODUCE} to keep the old matching.`,
    ...(old && anchoredMatch
      ? {
          explains: (row: DifferenceView) =>
            row.change === 'tightened' &&
            regex.methods.includes(row.method) &&
            old(row.target) &&
            !anchoredMatch(row.target),
        }
      : {}),
  };
}

/** How one translated regex compares with its globs, and the rows where they disagree. */
interface Comparison {
  regex: AllowRegex;
  globs: string[];
  matcher: Matcher | undefined;
  compiledGlobs: CompiledGlob[];
  catalog?: GlobComparison;
  quirks?: { onlyGlob: string[]; onlyRegex: string[]; counts: { onlyGlob: number; onlyRegex: number } };
}

function disagrees(c: Comparison, row: DifferenceView): boolean {
  const path = row.new.normalizedPath;
  if (!c.matcher || path === undefined || !c.regex.methods.includes(row.method)) return false;
  const byGlob = c.compiledGlobs.some((g) => g.test(path));
  const byRegex = c.matcher(row.target);
  return row.change === 'tightened' ? byRegex && !byGlob : byGlob && !byRegex;
}

function compare(regex: AllowRegex, globs: string[], matcher: Matcher | undefined): Comparison {
  const comparison: Comparison = { regex, globs, matcher, compiledGlobs: globs.map(compileGlob) };
  if (!matcher) return comparison;
  const catalog = classifyGlob(getCorpus().requests, matcher, globs, { scope: 'catalog', maxExamples: MAX_EXAMPLES });
  // Catalog targets come first in the corpus, so the examples after them are the odd forms.
  const all = classifyGlob(getCorpus().requests, matcher, globs, {
    scope: 'all',
    maxExamples: Math.max(catalog.counts.onlyGlob, catalog.counts.onlyRegex) + MAX_EXAMPLES,
  });
  const odd = (targets: readonly string[]): string[] => targets.filter((t) => !getCorpus().catalog.has(t));
  comparison.catalog = catalog;
  comparison.quirks = {
    onlyGlob: odd(all.examples.onlyGlob).slice(0, MAX_EXAMPLES),
    onlyRegex: odd(all.examples.onlyRegex).slice(0, MAX_EXAMPLES),
    counts: {
      onlyGlob: all.counts.onlyGlob - catalog.counts.onlyGlob,
      onlyRegex: all.counts.onlyRegex - catalog.counts.onlyRegex,
    },
  };
  return comparison;
}

/** The globs one regex becomes, with what was left out of them and why. */
interface RuleGlobs {
  globs: string[];
  /** Globs no ordinary request can match: lint refuses them as regex syntax or query strings. */
  dropped: string[];
  failure?: string;
  reasons: string[];
}

/**
 * convertRegexToGlobs, less the globs lint refuses because only an odd request can match them (a
 * literal `?` from `(\?.*)?`, which only `%3F` produces: the query is never matched) and the globs
 * another glob of the same regex covers (same union, no shadowed rules).
 */
function convertToRuleGlobs(value: string): RuleGlobs {
  const conversion = convertRegexToGlobs(value);
  if (!conversion.ok) return { globs: [], dropped: [], failure: conversion.error, reasons: [] };
  const all = conversion.globs.map((g) => g.glob);
  const dropped = all.filter(hasPatternDefect);
  const kept = all.filter((g) => !hasPatternDefect(g));
  const globs = kept.filter(
    (glob, i) => !kept.some((other, j) => j !== i && globCovers(other, glob) && (j < i || !globCovers(glob, other))),
  );
  return { globs, dropped, reasons: conversion.reasons };
}

/** Long reasons quote whole expansions (`%IMAGE_NAME%`): keep their head and their verdict. */
const elide = (text: string): string => (text.length <= 240 ? text : `${text.slice(0, 110)} … ${text.slice(-110)}`);

/** `migrate/regex-not-exact` for one regex, or undefined when it is exact over the catalog. */
function createNotExactWarning(proxy: string, c: Comparison, converted: RuleGlobs): MigrationWarning | undefined {
  const { regex } = c;
  const { failure, dropped, reasons } = converted;
  const methods = regex.methods.join(',');
  const becomes = failure
    ? `cannot be written as globs (${failure}), so no rule carries it`
    : `becomes ${c.globs.length === 0 ? 'no rule' : c.globs.join(', ')}`;
  const left =
    dropped.length > 0
      ? ` (left out: ${dropped.join(', ')}, which only a path holding regex characters such as a %-encoded "?" can match; no Engine API request does, and lint refuses such globs)`
      : '';
  const why = reasons.length > 0 ? ` Why: ${[...new Set(reasons)].map(elide).join('; ')}.` : '';
  const base = { code: 'migrate/regex-not-exact', origin: regex.origin };
  const catalog = c.catalog;
  if (!catalog) {
    // The Go regex has no JavaScript equivalent: only the static judgement is available.
    if (!failure && dropped.length === 0 && reasons.length === 0) return undefined;
    return {
      ...base,
      severity: 'warning',
      message: `${regex.setting} (${methods}) ${becomes}${left}; the regex cannot be evaluated here, so the translation is unverified.${why}`,
    };
  }
  const exact = catalog.classification === 'exact';
  if (exact && !failure && dropped.length === 0) return undefined;
  const sides: string[] = [];
  if (catalog.counts.onlyRegex > 0)
    sides.push(`only ${proxy} allowed ${methods} ${quote(catalog.examples.onlyRegex, catalog.counts.onlyRegex)}`);
  if (catalog.counts.onlyGlob > 0)
    sides.push(`only Sockguard allows ${methods} ${quote(catalog.examples.onlyGlob, catalog.counts.onlyGlob)}`);
  const verdict = exact
    ? 'Over the Engine API catalog the new rules decide as the regex did.'
    : `Over the Engine API catalog the new rules are ${catalog.classification} than the regex: ${sides.join('; ')}.`;
  return {
    ...base,
    severity: exact && !failure ? 'info' : 'warning',
    message: `${regex.setting} (${methods}) ${becomes}${left}. ${verdict}${exact ? '' : why}`,
    explains: (row) => row.request.family === 'catalog' && disagrees(c, row),
  };
}

/** One warning for the differences outside the catalog, over every regex. */
function createOddFormsWarning(proxy: string, comparisons: readonly Comparison[]): MigrationWarning | undefined {
  const onlyRegex: string[] = [];
  const onlyGlob: string[] = [];
  let regexCount = 0;
  let globCount = 0;
  for (const c of comparisons) {
    if (!c.quirks) continue;
    const methods = c.regex.methods.join(',');
    onlyRegex.push(...c.quirks.onlyRegex.map((t) => `${methods} ${t}`));
    onlyGlob.push(...c.quirks.onlyGlob.map((t) => `${methods} ${t}`));
    regexCount += c.quirks.counts.onlyRegex;
    globCount += c.quirks.counts.onlyGlob;
  }
  if (regexCount + globCount === 0) return undefined;
  const sides: string[] = [];
  if (regexCount > 0) sides.push(`only ${proxy} allowed ${quote(onlyRegex.slice(0, MAX_EXAMPLES), regexCount)}`);
  if (globCount > 0) sides.push(`only Sockguard allows ${quote(onlyGlob.slice(0, MAX_EXAMPLES), globCount)}`);
  return {
    code: 'migrate/regex-odd-request-forms',
    severity: 'info',
    message: `Beyond the Engine API catalog, ${proxy}'s regexes and the new globs decide some unusual request forms differently (trailing slashes, version prefixes Sockguard does not strip, Podman paths, encoded characters): ${sides.join('; ')}. Sockguard judges the path dockerd routes (decoded once, cleaned, one version prefix stripped).`,
    explains: (row) => row.request.family === 'quirk' && comparisons.some((c) => disagrees(c, row)),
  };
}

/** Translates the allowlist regexes into allow rules and their warnings; see the module header. */
export function translateRegexAllowRules(input: RegexAllowInput, options: TranslateOptions): RegexAllowRules {
  const subjectOf = memoizeSubject(input.subjectOf);
  const halfAnchored = findHalfAnchored(input, subjectOf);
  const choices: TranslationChoice[] = [];
  const applied: Record<string, string> = {};
  if (halfAnchored.length > 0) {
    const choice = createAnchorChoice(halfAnchored);
    choices.push(choice);
    applied[choice.id] = resolveChoice(choice, options.answers);
  }
  const anchor = applied[HALF_ANCHORED_ALTERNATION] !== REPRODUCE;
  const warnings: MigrationWarning[] = halfAnchored.map((h) => createHalfAnchoredWarning(input.proxy, h, anchor));

  const rules: TranslatedRule[] = [];
  const seen = new Map<string, TranslatedRule>();
  const comparisons: Comparison[] = [];
  for (const regex of input.regexes) {
    const grouped = anchor && halfAnchored.some((h) => h.regex === regex);
    const value = grouped ? `(?:${regex.value})` : regex.value;
    const converted = convertToRuleGlobs(value);
    const { globs } = converted;
    const comparison = compare(regex, globs, compileMatcher(`^${value}$`, subjectOf));
    comparisons.push(comparison);
    const warning = createNotExactWarning(input.proxy, comparison, converted);
    if (warning) warnings.push(warning);
    const method = regex.methods.join(',');
    for (const glob of globs) {
      // The same rule again (a rules file repeating a built-in): one rule, both origins in its comment.
      const earlier = seen.get(`${method} ${glob}`);
      if (earlier) {
        if (!earlier.comment.includes(regex.comment)) earlier.comment += `; also ${regex.comment}`;
        continue;
      }
      const rule = createAllow(method, glob, regex.comment, regex.origin);
      seen.set(`${method} ${glob}`, rule);
      rules.push(rule);
    }
  }
  const odd = createOddFormsWarning(input.proxy, comparisons);
  if (odd) warnings.push(odd);
  return { rules, warnings, choices, applied };
}
