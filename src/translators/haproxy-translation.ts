/**
 * The rule list shared by the Tecnativa and LinuxServer translators: both images gate sections
 * behind `POST`, allow container actions by path, and (LinuxServer ls92+) deny sub-paths until their
 * variable is set (peers.md §1.3, §2.3). Rules come out in this order:
 *
 *   /_ping, /version, /events          GET,HEAD (the sections every client needs first)
 *   sub-path denies                    * (LinuxServer ALLOW_LOGS=0 ...: every method, as phase 1 did)
 *   other sections                     GET,HEAD, plus the write methods dockerd serves there when POST was on
 *   container actions                  POST only (the only method dockerd serves on them)
 *   * /**                              deny
 *
 * Sensitive endpoints are withheld afterwards (withhold-sensitive.ts). Besides the rules this
 * returns the warnings about what the images' matching did that the rules do not reproduce, each
 * explaining exactly its parity rows, and the choice for `ALLOW_*` variables that had no effect.
 */
import type { HaproxyPathRule } from '../peers/haproxy-rules.js';
import { describeSetting, type EnvSetting } from '../peers/peer-settings.js';
import type { Rule } from '../policy/defaults.js';
import { compileRules, evaluateRules } from '../policy/evaluate.js';
import { compileGlob, type CompiledGlob } from '../policy/glob.js';
import { methodMatches, parseMethodSet, type MethodSet } from '../policy/methods.js';
import { findEndpointGlobs } from './endpoint-globs.js';
import { expandHaproxyRegex } from './haproxy-regex-paths.js';
import { createHaproxyQuirkWarnings, type SourcePath } from './haproxy-quirks.js';
import { resolveChoice } from './resolve-choice.js';
import { listSamplePaths } from './sensitive-endpoints.js';
import { createAllow, createDeny, createFinalDeny, type TranslatedRule } from './translated-rule.js';
import type { DifferenceView, MigrationWarning, TranslateOptions, TranslationChoice } from './types.js';

type Toggles = Readonly<Record<string, EnvSetting<boolean>>>;

/** How far an enabled action allow got in the old proxy. */
export type ActionReach =
  /** Every method reached dockerd (before the method gate, or behind it with POST on). */
  | 'any-method'
  /** Behind the method gate with POST off: only GET and HEAD, which dockerd does not serve on actions. */
  | 'get-head-only'
  /** No rule fired for it at all in this build (nginx location order). */
  | 'nothing';

export interface ActionGrant {
  rule: HaproxyPathRule;
  reach: ActionReach;
  /** Why POST never got through, for comments and the choice (when reach is not `any-method`). */
  ineffectiveBecause?: string;
}

export interface HaproxyTranslationInput {
  /** `Tecnativa v0.4.1`, `LinuxServer 3.4.3-r0-ls92`: the image as messages name it. */
  imageLabel: string;
  toggles: Toggles;
  /** Sections behind the method gate, in haproxy.cfg order; only enabled ones become rules. */
  sections: readonly HaproxyPathRule[];
  /** Deny-unless-set sub-path rules; only the ones whose variable is off become rules. */
  subpathDenies: readonly HaproxyPathRule[];
  /** Action allows with how far each got; only enabled ones count. */
  actions: readonly ActionGrant[];
  /**
   * False when the image's exact matching is not in the reference (LinuxServer nginx builds): no
   * prefix/case/id-class warnings are made, since they would describe HAProxy's matching.
   */
  quirksKnown: boolean;
}

export interface HaproxyTranslation {
  rules: TranslatedRule[];
  warnings: MigrationWarning[];
  choices: TranslationChoice[];
  applied: Record<string, string>;
  /** Explains the rows of action allows that had no effect; attach to the finding that announces them. */
  explainsIneffective: (row: DifferenceView) => boolean;
}

export const INEFFECTIVE_ALLOWS = 'ineffective-allows';
const KEEP_NO_OP = 'keep-no-op';
const APPLY_INTENT = 'apply-intent';

const READ_METHODS = ['GET', 'HEAD'];
const FIRST_SECTIONS = ['PING', 'VERSION', 'EVENTS'];
const ACTION_METHOD = 'POST';

interface PathGlobs {
  globs: string[];
  /** Prefixes no Engine API (or Podman) endpoint begins with. */
  dropped: string[];
  writeMethods: string[];
}

function globsOf(rule: HaproxyPathRule): PathGlobs {
  const out: PathGlobs = { globs: [], dropped: [], writeMethods: [] };
  for (const prefix of expandHaproxyRegex(rule.regex)) {
    const found = findEndpointGlobs(prefix);
    if (!found) out.dropped.push(prefix);
    else {
      out.globs.push(...found.globs.filter((g) => !out.globs.includes(g)));
      out.writeMethods.push(...found.writeMethods.filter((m) => !out.writeMethods.includes(m)));
    }
  }
  return out;
}

/** `CONTAINERS=1`, or `CONTAINERS=true (read as on)` where the image's reading is not the obvious one. */
function describeOn(setting: EnvSetting<boolean>): string {
  const shown = describeSetting(setting);
  return setting.raw === undefined || setting.raw === '1' ? shown : `${shown} (read as on)`;
}

/** True when the rules already allow `method` on every sample path of `glob`. */
function allowsEverywhere(rules: readonly TranslatedRule[], method: string, glob: string): boolean {
  const compiled = compileRules(rules.map((r) => r.rule as Rule));
  return listSamplePaths(glob).every((path) => evaluateRules(compiled, method, path).decision === 'allow');
}

/** True when the rules allow GET (which every section allows) on some sample path of `glob`. */
function allowsSomewhere(rules: readonly TranslatedRule[], glob: string): boolean {
  const compiled = compileRules(rules.map((r) => r.rule as Rule));
  return listSamplePaths(glob).some((path) => evaluateRules(compiled, 'GET', path).decision === 'allow');
}

/** A glob in Engine API notation (`{id}` for each `*`), for messages. */
const showTemplate = (glob: string): string => glob.replaceAll('*', '{id}');

const matchesAny = (globs: readonly string[]): ((path: string) => boolean) => {
  const compiled = globs.map(compileGlob);
  return (path) => compiled.some((g) => g.test(path));
};

/** What the steps below add to: the rules so far, the old rules as translated (for quirks), warnings. */
interface Draft {
  rules: TranslatedRule[];
  sources: SourcePath[];
  warnings: MigrationWarning[];
}

interface SectionMethods {
  methods: MethodSet;
  glob: CompiledGlob;
}

/** Section allows: /_ping, /version, /events first, then the rest after any sub-path denies. */
function translateSections(
  input: HaproxyTranslationInput,
  draft: Draft,
): { tail: TranslatedRule[]; methods: SectionMethods[] } {
  const post = input.toggles['POST'];
  const postOn = post?.effective === true;
  const tail: TranslatedRule[] = [];
  const methods: SectionMethods[] = [];
  const ordered = [
    ...FIRST_SECTIONS.flatMap((name) => input.sections.filter((s) => s.variable === name)),
    ...input.sections.filter((s) => !FIRST_SECTIONS.includes(s.variable)),
  ];
  for (const section of ordered) {
    const setting = input.toggles[section.variable];
    if (setting?.effective !== true) continue;
    const { globs, writeMethods } = globsOf(section);
    draft.sources.push({ action: 'allow', regex: section.regex, globs, ...(postOn ? {} : { methods: READ_METHODS }) });
    const writes = postOn ? writeMethods : [];
    const method = [...READ_METHODS, ...writes].join(',');
    const comment = writes.length > 0 && post ? `${describeOn(setting)}, ${describeOn(post)}` : describeOn(setting);
    const target = FIRST_SECTIONS.includes(section.variable) ? draft.rules : tail;
    for (const glob of globs) {
      target.push(createAllow(method, glob, comment, setting.origin));
      methods.push({ methods: parseMethodSet(method), glob: compileGlob(glob) });
    }
  }
  return { tail, methods };
}

/** Sub-path denies (variable off), where a section would otherwise reach them; every method, as phase 1. */
function translateSubpathDenies(
  input: HaproxyTranslationInput,
  sections: readonly TranslatedRule[],
  draft: Draft,
): void {
  for (const rule of input.subpathDenies) {
    const setting = input.toggles[rule.variable];
    if (setting === undefined || !setting.read || setting.effective) continue;
    // Dropped prefixes (`/pods/{id}/logs`) need no deny: nothing in the new rules reaches them.
    const paths = globsOf(rule);
    draft.sources.push({ action: 'deny', regex: rule.regex, globs: paths.globs });
    for (const glob of paths.globs) {
      if (!allowsSomewhere(sections, glob)) continue;
      const comment = `${describeSetting(setting)}: denied for every method until ${rule.variable}=1`;
      draft.rules.push(createDeny('*', glob, comment, { origin: setting.origin }));
    }
  }
}

interface ActionOutcome {
  /** Globs of actions that reached dockerd with every method (emitted or already covered). */
  effectiveGlobs: string[];
  /** Actions that never let POST through, with their globs not covered by an effective one. */
  noOp: { grant: ActionGrant; globs: string[] }[];
  /** Action prefixes no daemon serves. */
  dropped: string[];
}

const REACHED_METHODS: Readonly<Record<ActionReach, { methods?: readonly string[] }>> = {
  'any-method': {},
  'get-head-only': { methods: READ_METHODS },
  nothing: { methods: [] },
};

/** POST rules for the actions that took effect; the others are collected for the no-op choice. */
function translateActions(input: HaproxyTranslationInput, draft: Draft): ActionOutcome {
  const outcome: ActionOutcome = { effectiveGlobs: [], noOp: [], dropped: [] };
  const ineffective: { grant: ActionGrant; globs: string[] }[] = [];
  for (const grant of input.actions) {
    const setting = input.toggles[grant.rule.variable];
    if (setting?.effective !== true) continue;
    const paths = globsOf(grant.rule);
    draft.sources.push({
      action: 'allow',
      regex: grant.rule.regex,
      globs: paths.globs,
      ...REACHED_METHODS[grant.reach],
    });
    outcome.dropped.push(...paths.dropped);
    if (grant.reach !== 'any-method') {
      ineffective.push({ grant, globs: paths.globs });
      continue;
    }
    for (const glob of paths.globs) {
      if (!outcome.effectiveGlobs.includes(glob)) outcome.effectiveGlobs.push(glob);
      if (allowsEverywhere(draft.rules, ACTION_METHOD, glob)) {
        draft.warnings.push({
          code: 'migrate/redundant-variable',
          severity: 'info',
          origin: setting.origin,
          message: `${describeSetting(setting)} adds nothing for ${ACTION_METHOD} ${glob}: an earlier rule already allows it.`,
        });
        continue;
      }
      draft.rules.push(createAllow(ACTION_METHOD, glob, describeOn(setting), setting.origin));
    }
  }
  outcome.noOp = ineffective
    .map(({ grant, globs }) => ({ grant, globs: globs.filter((g) => !outcome.effectiveGlobs.includes(g)) }))
    .filter(({ globs }) => globs.length > 0);
  return outcome;
}

/** Action allows that did nothing in the old proxy: keep the no-op (safe default) or apply the apparent intent. */
function chooseNoOpActions(
  input: HaproxyTranslationInput,
  noOp: ActionOutcome['noOp'],
  options: TranslateOptions,
  draft: Draft,
): TranslationChoice | undefined {
  if (noOp.length === 0) return undefined;
  const names = noOp.map(({ grant }) => grant.rule.variable).join(', ');
  const list = noOp.flatMap(({ globs }) => globs.map((g) => `${ACTION_METHOD} ${g}`)).join(', ');
  const because = noOp[0]!.grant.ineffectiveBecause ?? 'no rule let POST through';
  const choice: TranslationChoice = {
    id: INEFFECTIVE_ALLOWS,
    question: `${names} had no effect on ${input.imageLabel} (${because}). Keep that, or allow what they appear to mean?`,
    options: [
      {
        value: KEEP_NO_OP,
        label: 'Keep the old behaviour (deny)',
        effect: `no rule for ${list}: they stay denied, as before`,
      },
      { value: APPLY_INTENT, label: 'Apply the apparent intent', effect: `allow ${list}` },
    ],
    safeDefault: KEEP_NO_OP,
  };
  if (resolveChoice(choice, options.answers) === APPLY_INTENT) {
    for (const { grant, globs } of noOp) {
      const setting = input.toggles[grant.rule.variable]!;
      const comment = `${describeSetting(setting)} (${grant.ineffectiveBecause ?? 'had no effect'}; allowed as its apparent intent)`;
      for (const glob of globs) draft.rules.push(createAllow(ACTION_METHOD, glob, comment, setting.origin));
    }
  }
  return choice;
}

function warnAboutPost(post: EnvSetting<boolean>, sections: readonly SectionMethods[]): MigrationWarning {
  return {
    code: 'migrate/post-opens-all-writes',
    severity: 'warning',
    origin: post.origin,
    message: `${describeSetting(post)} opened every method on every enabled section — DELETE, PUT and PATCH too, not only POST: e.g. DELETE /containers/{id}, PUT /containers/{id}/archive. For parity the new rules keep the write methods dockerd serves in each enabled section; narrow them to what your clients need. Methods dockerd serves nowhere in a section (PATCH, OPTIONS, POST on read-only sections) are dropped.`,
    explains: (row) => {
      const path = row.new.normalizedPath;
      if (row.change !== 'tightened' || path === undefined) return false;
      const method = row.method.toUpperCase();
      return sections.some((s) => s.glob.test(path) && !methodMatches(s.methods, method));
    },
  };
}

function warnAboutActions(imageLabel: string, actions: ActionOutcome): MigrationWarning[] {
  const warnings: MigrationWarning[] = [];
  if (actions.effectiveGlobs.length > 0) {
    const onActionPath = matchesAny(actions.effectiveGlobs);
    warnings.push({
      code: 'migrate/haproxy/action-methods-narrowed',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel}'s action allows matched the path only, so they let every method through (GET, DELETE … /containers/{id}/start). dockerd serves only POST there, so the new rules allow POST only.`,
      explains: (row) =>
        row.change === 'tightened' &&
        row.method.toUpperCase() !== ACTION_METHOD &&
        row.new.normalizedPath !== undefined &&
        onActionPath(row.new.normalizedPath),
    });
  }
  if (actions.dropped.length > 0) {
    const onDropped = matchesAny(actions.dropped);
    warnings.push({
      code: 'migrate/haproxy/non-endpoint-paths-dropped',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel}'s action regexes also named ${[...new Set(actions.dropped)].map(showTemplate).join(', ')}, which neither dockerd nor Podman serves; the new rules leave them out.`,
      explains: (row) => row.new.normalizedPath !== undefined && onDropped(row.new.normalizedPath),
    });
  }
  return warnings;
}

/** The rows of no-op actions: GET/HEAD they let through (tightened), POST the intent opens (loosened). */
function explainNoOp(noOp: ActionOutcome['noOp']): (row: DifferenceView) => boolean {
  const onNoOpPath = matchesAny(noOp.flatMap(({ globs }) => globs));
  return (row) => {
    const path = row.new.normalizedPath;
    if (path === undefined || !onNoOpPath(path)) return false;
    const method = row.method.toUpperCase();
    return row.change === 'tightened' ? READ_METHODS.includes(method) : method === ACTION_METHOD;
  };
}

/** Builds the rule list and its warnings; see the module header. */
export function translateHaproxyRules(input: HaproxyTranslationInput, options: TranslateOptions): HaproxyTranslation {
  const draft: Draft = { rules: [], sources: [], warnings: [] };
  const sections = translateSections(input, draft);
  translateSubpathDenies(input, [...draft.rules, ...sections.tail], draft);
  draft.rules.push(...sections.tail);
  const actions = translateActions(input, draft);
  const choice = chooseNoOpActions(input, actions.noOp, options, draft);
  draft.rules.push(createFinalDeny('no rule matched: the old proxy denied everything else'));

  const post = input.toggles['POST'];
  if (post?.effective === true) draft.warnings.push(warnAboutPost(post, sections.methods));
  draft.warnings.push(...warnAboutActions(input.imageLabel, actions));
  if (input.quirksKnown) {
    const emitted = new Set(draft.rules.map((r) => r.rule.match.path));
    draft.warnings.push(...createHaproxyQuirkWarnings(draft.sources, input.imageLabel, emitted));
  }
  return {
    rules: draft.rules,
    warnings: draft.warnings,
    choices: choice ? [choice] : [],
    applied: choice ? { [choice.id]: resolveChoice(choice, options.answers) } : {},
    explainsIneffective: explainNoOp(actions.noOp),
  };
}
