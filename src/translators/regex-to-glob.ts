/**
 * One source-proxy path regex (wollomatic `-allow<METHOD>`, CetusGuard rule pattern; Go syntax,
 * anchored the way the proxy anchors it: `"^" + value + "$"`, so a top-level `a|b` is half-anchored)
 * to Sockguard globs (sockguard-config.md §3.6: fully anchored, `*` = `[^/]*`, `/**` = `(/.*)?`,
 * `**` = `.*`), each with a static judgement of how it compares with the regex.
 *
 * The judgement compares the regex on the raw path the old proxy saw with the glob on the path
 * Sockguard matches, over canonical requests: clean paths (no `//`, dot segments, trailing `/` or
 * control characters) whose first segment does not look like a version (`v` + digit or dot), bare or
 * behind one `/vN[.N[.N]]` prefix, which Sockguard strips. It is conservative: `exact` only when
 * every step is provably exact; a step that may widen or narrow says so, so `different` can mean
 * "could not rule out". src/verify/classify-glob.ts checks the same question by brute force.
 */
import { analyzeVersionFragment } from './version-fragment.js';
import { canMatchSlash, isLiteralOnly, minLength, parsePathRegex, startsWithSlashOrEmpty } from './regex-ir.js';
import type { Leaf, RegexNode } from './regex-ir.js';

export type GlobFidelity = 'exact' | 'wider' | 'narrower' | 'different';

export interface GlobConversion {
  glob: string;
  fidelity: GlobFidelity;
  /** One sentence per lossy step (empty when exact). */
  reasons: string[];
  /** Exact rewrites worth telling (version prefix dropped, half-anchored branch reproduced, ...). */
  notes: string[];
}

export type RegexToGlobResult =
  | {
      ok: true;
      regex: string;
      globs: GlobConversion[];
      /** The set of globs against the whole regex (lossy steps of any glob count). */
      fidelity: GlobFidelity;
      reasons: string[];
      notes: string[];
    }
  | { ok: false; regex: string; error: string };

export interface RegexToGlobOptions {
  /** Most globs one regex may expand to before alternations collapse into wildcards; default 32. */
  maxGlobs?: number;
}

type Token =
  | { k: 'lit'; ch: string; folded: boolean }
  | {
      k: 'run';
      node: RegexNode;
      slash: boolean;
      exact: boolean;
      min: number;
      max: number;
      slashFirst: boolean;
      why: string;
    }
  | { k: 'start' }
  | { k: 'end' }
  | { k: 'version'; node: RegexNode; optional: boolean };

class Flags {
  widens = new Set<string>();
  narrows = new Set<string>();
  notes = new Set<string>();
  fidelity(): GlobFidelity {
    if (this.widens.size > 0 && this.narrows.size > 0) return 'different';
    if (this.widens.size > 0) return 'wider';
    if (this.narrows.size > 0) return 'narrower';
    return 'exact';
  }
}

class CannotConvert extends Error {}

const ANY_RUN = (why: string): Token => ({
  k: 'run',
  node: { t: 'seq', items: [] },
  slash: true,
  exact: true,
  min: 0,
  max: Infinity,
  slashFirst: false,
  why,
});

/** Converts one source regex value into Sockguard globs with a static fidelity judgement. */
export function convertRegexToGlobs(regex: string, options: RegexToGlobOptions = {}): RegexToGlobResult {
  const parsed = parsePathRegex(regex);
  if (!parsed.ok) return { ok: false, regex, error: parsed.error };
  const expander = new Expander(options.maxGlobs ?? 32);
  let sequences: Token[][];
  try {
    sequences = expander.expand(parsed.node, true);
  } catch (e) {
    if (e instanceof CannotConvert) return { ok: false, regex, error: e.message };
    throw e;
  }
  const byGlob = new Map<string, { flags: Flags[] }>();
  const overall = new Flags();
  for (const note of expander.notes) overall.notes.add(note);
  if (sequences.length > 1 && hasTopLevelAlternation(parsed.node)) {
    overall.notes.add(
      'the proxy wraps the value as "^" + value + "$" without a group, so the first alternative is anchored only at the start, the last only at the end and any middle one not at all; each is reproduced as written',
    );
  }
  for (const tokens of sequences) {
    const flags = new Flags();
    let glob: string | undefined;
    try {
      glob = emit(tokens, flags, parsed.foldCase);
    } catch (e) {
      if (e instanceof CannotConvert) return { ok: false, regex, error: e.message };
      throw e;
    }
    for (const note of flags.notes) overall.notes.add(note);
    if (glob === undefined) continue;
    const entry = byGlob.get(glob) ?? { flags: [] };
    entry.flags.push(flags);
    byGlob.set(glob, entry);
  }
  const globs: GlobConversion[] = [];
  for (const [glob, { flags: all }] of byGlob) {
    // The same glob from several branches: it widens only if it widens every branch it came from.
    const merged = new Flags();
    if (all.every((f) => f.widens.size > 0)) for (const f of all) for (const w of f.widens) merged.widens.add(w);
    for (const f of all) for (const n of f.narrows) merged.narrows.add(n);
    for (const f of all) for (const n of f.notes) merged.notes.add(n);
    for (const w of merged.widens) overall.widens.add(w);
    for (const n of merged.narrows) overall.narrows.add(n);
    globs.push({
      glob,
      fidelity: merged.fidelity(),
      reasons: [...merged.widens, ...merged.narrows],
      notes: [...merged.notes],
    });
  }
  if (globs.length === 0) {
    overall.notes.add('the regex matches no canonical request path, so it translates to no rule');
  }
  return {
    ok: true,
    regex,
    globs,
    fidelity: overall.fidelity(),
    reasons: [...overall.widens, ...overall.narrows],
    notes: [...overall.notes],
  };
}

function hasTopLevelAlternation(node: RegexNode): boolean {
  return node.t === 'alt' || (node.t === 'seq' && node.items.length === 1 && node.items[0]!.t === 'alt');
}

function leafWhy(leaf: Leaf, min: number, max: number): string {
  const count = max === Infinity ? (min === 0 ? '*' : min === 1 ? '+' : `{${min},}`) : `{${min},${max}}`;
  return `${leaf.raw}${count}`;
}

/** Expands alternations and optional parts into token sequences, collapsing what globs cannot spell. */
class Expander {
  readonly notes: string[] = [];
  constructor(private readonly maxGlobs: number) {}

  expand(node: RegexNode, atStart: boolean): Token[][] {
    switch (node.t) {
      case 'start':
        return [[{ k: 'start' }]];
      case 'end':
        return [[{ k: 'end' }]];
      case 'lit':
        return [[{ k: 'lit', ch: String.fromCodePoint(node.cp), folded: node.folded }]];
      case 'leaf':
        return [[this.run(node, node.leaf, 1, 1)]];
      case 'seq':
        return this.expandSeq(node.items, atStart);
      case 'alt': {
        if (!canMatchSlash(node) && !isLiteralOnly(node))
          return [[this.collapse(node, 'alternation within one path segment')]];
        const out = node.options.flatMap((option) => this.expand(option, atStart));
        if (out.length > this.maxGlobs)
          return [[this.collapse(node, `alternation with more than ${this.maxGlobs} branches`)]];
        return out;
      }
      case 'rep':
        return this.expandRep(node, atStart);
    }
  }

  private expandSeq(items: readonly RegexNode[], atStart: boolean): Token[][] {
    let partials: Token[][] = [[]];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const next = items[i + 1];
      const here = atStart && partials.every((p) => p.every((t) => t.k === 'start'));
      // `(/vX)?/…`: an optional version prefix right at the start, followed by `/`.
      if (
        here &&
        item.t === 'rep' &&
        item.min === 0 &&
        item.max === 1 &&
        isVersionShaped(item.body, true) &&
        next?.t === 'lit' &&
        next.cp === 0x2f
      ) {
        partials = partials.map((p) => [...p, { k: 'version', node: item.body, optional: true }]);
        this.notes.push(
          `the optional API version prefix ${item.raw} is dropped: Sockguard strips the version before matching`,
        );
        continue;
      }
      // `/(vX/)?…`: the same prefix written after the leading slash.
      if (
        here &&
        item.t === 'lit' &&
        item.cp === 0x2f &&
        next?.t === 'rep' &&
        next.min === 0 &&
        next.max === 1 &&
        isVersionShaped(next.body, false)
      ) {
        const body = next.body.t === 'seq' ? next.body.items : [next.body];
        const fragment: RegexNode = { t: 'seq', items: [{ t: 'lit', cp: 0x2f, folded: false }, ...body.slice(0, -1)] };
        partials = partials.map((p) => [
          ...p,
          { k: 'version', node: fragment, optional: true },
          { k: 'lit', ch: '/', folded: false },
        ]);
        this.notes.push(
          `the optional API version prefix ${next.raw} is dropped: Sockguard strips the version before matching`,
        );
        i++;
        continue;
      }
      const options = this.expand(item, here);
      if (partials.length * options.length > this.maxGlobs) {
        const collapsed = this.collapse(item, `alternation with more than ${this.maxGlobs} combinations`);
        partials = partials.map((p) => [...p, collapsed]);
        continue;
      }
      partials = partials.flatMap((p) => options.map((o) => [...p, ...o]));
    }
    return partials;
  }

  private expandRep(node: Extract<RegexNode, { t: 'rep' }>, atStart: boolean): Token[][] {
    if (node.max === 0) return [[]];
    const body = node.body.t === 'seq' && node.body.items.length === 1 ? node.body.items[0]! : node.body;
    if (body.t === 'leaf') return [[this.run(body, body.leaf, node.min, node.max)]];
    if (node.min === 0 && node.max === 1) {
      if (!canMatchSlash(body) && !isLiteralOnly(body))
        return [[this.collapse(node, 'optional part within one path segment')]];
      return [[], ...this.expand(body, atStart)];
    }
    if (isLiteralOnly(body) && node.min === node.max && node.max <= 16) {
      let out: Token[][] = [[]];
      const once = this.expand(body, atStart);
      for (let k = 0; k < node.max && out.length * once.length <= this.maxGlobs; k++)
        out = out.flatMap((p) => once.map((o) => [...p, ...o]));
      if (out.length <= this.maxGlobs) return out;
    }
    return [[this.collapse(node, 'repeated group')]];
  }

  private run(node: RegexNode, leaf: Leaf, min: number, max: number): Token {
    const exact = (leaf.slash ? leaf.coversAll : leaf.coversSegment) && max === Infinity;
    return { k: 'run', node, slash: leaf.slash, exact, min, max, slashFirst: false, why: leafWhy(leaf, min, max) };
  }

  /** A sub-expression no glob can spell becomes one wildcard (wider unless it is one anyway). */
  private collapse(node: RegexNode, what: string): Token {
    const slash = canMatchSlash(node);
    // An alternation one of whose branches already is the whole wildcard (`[a-f0-9]+|[^/]+`) equals it.
    const covering = (o: RegexNode): boolean => {
      const body = o.t === 'rep' && o.min <= 1 && o.max === Infinity ? o.body : undefined;
      return body?.t === 'leaf' && (slash ? body.leaf.coversAll : body.leaf.coversSegment);
    };
    return {
      k: 'run',
      node,
      slash,
      exact: node.t === 'alt' && node.options.some(covering),
      min: minLength(node),
      max: Infinity,
      slashFirst: slash && startsWithSlashOrEmpty(node),
      why: `${what} ${describe(node)}`,
    };
  }
}

/** Rough source text of a node for reasons. */
function describe(node: RegexNode): string {
  switch (node.t) {
    case 'lit':
      return String.fromCodePoint(node.cp);
    case 'leaf':
      return node.leaf.raw;
    case 'seq':
      return node.items.map(describe).join('');
    case 'alt':
      return `(${node.options.map(describe).join('|')})`;
    case 'rep':
      return node.raw;
    default:
      return node.t === 'start' ? '^' : '$';
  }
}

const isDigitOrDot = (n: RegexNode): boolean =>
  n.t === 'lit'
    ? /[0-9.]/.test(String.fromCodePoint(n.cp))
    : n.t === 'leaf'
      ? [...'0123456789.'].some((c) => n.leaf.test(c))
      : n.t === 'rep'
        ? isDigitOrDot(n.body)
        : n.t === 'seq'
          ? n.items.length > 0 && n.items.every(isDigitOrDot)
          : n.t === 'alt'
            ? n.options.every(isDigitOrDot)
            : false;

/** `/v` + version-ish parts (with the slash) or `v` + parts + `/` (without the leading slash). */
function isVersionShaped(node: RegexNode, withLeadingSlash: boolean): boolean {
  const items = node.t === 'seq' ? node.items : [node];
  const lit = (n: RegexNode | undefined, ch: string): boolean => n?.t === 'lit' && String.fromCodePoint(n.cp) === ch;
  if (withLeadingSlash)
    return items.length >= 3 && lit(items[0], '/') && lit(items[1], 'v') && items.slice(2).every(isDigitOrDot);
  return (
    items.length >= 3 &&
    lit(items[0], 'v') &&
    lit(items[items.length - 1], '/') &&
    items.slice(1, -1).every(isDigitOrDot)
  );
}

/** The tokens of `/v` + version-ish parts up to the next literal `/`, when a sequence starts so. */
function requiredVersionLength(tokens: readonly Token[]): number {
  const t0 = tokens[0];
  const t1 = tokens[1];
  if (t0?.k !== 'lit' || t0.ch !== '/' || t1?.k !== 'lit' || t1.ch !== 'v' || t1.folded) return 0;
  let i = 2;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.k === 'lit' && t.ch === '/') break;
    const ok =
      t.k === 'lit'
        ? /[0-9.]/.test(t.ch)
        : t.k === 'run'
          ? isDigitOrDot(t.node) || [...'0123456789.'].some((c) => runAccepts(t, c))
          : false;
    if (!ok) return 0;
    i++;
  }
  return i > 2 && i < tokens.length ? i : 0;
}

function runAccepts(run: Extract<Token, { k: 'run' }>, ch: string): boolean {
  return run.node.t === 'leaf'
    ? run.node.leaf.test(ch)
    : run.node.t === 'rep' && run.node.body.t === 'leaf'
      ? run.node.body.leaf.test(ch)
      : false;
}

function tokenNode(t: Token): RegexNode {
  if (t.k === 'lit') return { t: 'lit', cp: t.ch.codePointAt(0)!, folded: t.folded };
  if (t.k === 'run')
    return t.node.t === 'leaf' ? { t: 'rep', body: t.node, min: t.min, max: t.max, raw: t.why } : t.node;
  return { t: 'seq', items: [] };
}

/**
 * Whether `tokens`, read from a `/`, could match the start of a version segment such as `/v1.41`:
 * literals must spell `/v` then digits or dots; any wildcard on the way means it might.
 */
function mayMatchVersionSegment(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.k !== 'lit') return t.k === 'run';
    const ch = t.folded ? t.ch.toLowerCase() : t.ch;
    const ok = i === 0 ? ch === '/' : i === 1 ? ch === 'v' : /[0-9.]/.test(ch) || (i > 2 && ch === '/');
    if (!ok) return false;
    if (i > 2 && ch === '/') return true;
  }
  return tokens.length > 2;
}

/** Version analysis of one sequence; removes the fragment and records what it means. */
function judgeVersion(tokens: Token[], flags: Flags, anchored: boolean): Token[] {
  const head = tokens[0];
  const explainFragment = (fragment: RegexNode, text: string, optional: boolean): void => {
    const facts = analyzeVersionFragment(fragment);
    if (!facts) {
      flags.widens.add(`the version prefix ${text} is too large to analyse; the glob may allow versions it refuses`);
      flags.narrows.add(
        `the version prefix ${text} is too large to analyse; it may accept more than a version segment`,
      );
      return;
    }
    if (!facts.covers) {
      flags.widens.add(
        `the version prefix ${text} accepts only some API versions (not ${facts.missed}); Sockguard strips any version, so those requests are allowed too`,
      );
    }
    if (!facts.confined) {
      flags.narrows.add(
        `the version prefix ${text} also matches "${facts.stray}", which is not a version segment; the source regex may allow paths with such a segment (conservative)`,
      );
    }
    if (!optional) {
      flags.widens.add(
        `the source regex requires a version prefix (${text}); Sockguard strips versions and cannot require one, so unversioned requests are allowed too`,
      );
    }
  };
  if (head?.k === 'version' && !anchored) {
    // `.*(F)?S` is `.*S`: the leading wildcard absorbs the optional prefix.
    tokens = tokens.slice(1);
  } else if (head?.k === 'version') {
    const rest = tokens.slice(1);
    explainFragment(head.node, describe(head.node), head.optional);
    if (mayMatchVersionSegment(rest)) {
      flags.narrows.add(
        'the rest of the pattern could itself match a version segment when the prefix is absent, accepting versioned paths the glob sees without that segment (conservative)',
      );
    }
    return rest;
  }
  const required = anchored ? requiredVersionLength(tokens) : 0;
  if (required > 0) {
    const fragment: RegexNode = { t: 'seq', items: tokens.slice(0, required).map(tokenNode) };
    explainFragment(fragment, describe(fragment), false);
    const rest = tokens.slice(required);
    if (mayMatchVersionSegment(rest)) {
      flags.narrows.add('the rest of the pattern could itself match a version segment (conservative)');
    }
    return rest;
  }
  if (!anchored) {
    // `.*S`: a version prefix is absorbed by the leading wildcard; S may still start inside it.
    const first = tokens[0];
    const safe =
      first?.k === 'lit' && (first.ch === '/' ? !mayMatchVersionSegment(tokens) : !/[v0-9.]/i.test(first.ch));
    if (!safe && tokens.length > 0) {
      flags.narrows.add(
        'the unanchored start could match inside a version prefix, which Sockguard strips before matching (conservative)',
      );
    }
    return tokens;
  }
  if (head?.k === 'run' && head.slash && head.exact && head.min === 0) return tokens;
  if (head?.k === 'lit' && head.ch === '/') {
    flags.widens.add(
      'the source regex has no version prefix, so it refuses versioned requests (/v1.45/...) that Sockguard, which strips the version, allows',
    );
    if (mayMatchVersionSegment(tokens)) {
      flags.narrows.add(
        'the first path segment of the regex could match a version segment such as v1.45, accepting versioned paths the glob sees without it (conservative)',
      );
    }
  }
  return tokens;
}

function mergeRuns(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.k === 'run' && last?.k === 'run') {
      out[out.length - 1] = {
        k: 'run',
        node: { t: 'seq', items: [last.node, t.node] },
        slash: last.slash || t.slash,
        exact: last.exact && t.exact && (last.slash === t.slash || (last.min === 0 && t.min === 0)),
        min: last.min + t.min,
        max: Infinity,
        slashFirst: last.min === 0 ? last.slashFirst && t.slashFirst : last.slashFirst,
        why: `${last.why}${t.why}`,
      };
    } else out.push(t);
  }
  return out;
}

/** Writes one sequence as a glob, recording lossy steps; undefined when it matches no canonical path. */
function emit(input: readonly Token[], flags: Flags, foldCase: boolean): string | undefined {
  let tokens = [...input];
  // `^^/x$$` (a value that brings its own anchors) is the same as `^/x$`.
  const startAnchored = tokens[0]?.k === 'start';
  while (tokens[0]?.k === 'start') tokens.shift();
  const endAnchored = tokens[tokens.length - 1]?.k === 'end';
  while (tokens[tokens.length - 1]?.k === 'end') tokens.pop();
  if (tokens.some((t) => t.k === 'start' || t.k === 'end')) {
    // `^`/`$` away from the ends: only satisfiable when everything between is empty; spell that out.
    throw new CannotConvert('a ^ or $ in the middle of an alternative has no glob counterpart');
  }
  if (!startAnchored)
    flags.notes.add('an alternative without ^ matches anywhere in the path: reproduced with a leading /**');
  if (!endAnchored)
    flags.notes.add(
      'an alternative without $ matches any path that starts with it: reproduced with a trailing wildcard',
    );
  tokens = judgeVersion(tokens, flags, startAnchored);
  if (tokens.some((t) => t.k === 'version'))
    throw new CannotConvert('a version prefix in the middle of the pattern has no glob counterpart');
  if (!startAnchored) tokens.unshift(ANY_RUN('unanchored start'));
  if (!endAnchored) tokens.push(ANY_RUN('unanchored end'));
  tokens = mergeRuns(tokens);

  // A canonical path starts with `/`: a leading segment wildcard must be empty, a leading other literal never matches.
  const first = tokens[0];
  if (first?.k === 'run' && !first.slash) {
    if (first.min > 0) return undefined;
    tokens.shift();
  }
  if (tokens.length === 0) return undefined;
  const lead = tokens[0]!;
  if (lead.k === 'lit' && lead.ch !== '/') return undefined;

  let glob = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = glob[glob.length - 1];
    const next = tokens[i + 1];
    if (t.k === 'lit') {
      if (t.ch === '*' || t.ch === '%') {
        glob += '*';
        flags.widens.add(
          `a literal "${t.ch}" cannot appear in a Sockguard glob; it becomes *, which accepts any characters there`,
        );
        continue;
      }
      if (t.folded || (foldCase && t.ch.toLowerCase() !== t.ch.toUpperCase())) {
        flags.narrows.add(
          'the source regex is case-insensitive ((?i)); the glob matches only the spelling written, as dockerd routes it',
        );
      }
      glob += t.ch;
      continue;
    }
    if (t.k !== 'run') continue;
    const endsSegment = next === undefined || (next.k === 'lit' && next.ch === '/');
    if (!t.slash) {
      glob += '*';
      const fullSegment = prev === '/' && endsSegment;
      const minOk = t.min === 0 || (fullSegment && t.min === 1);
      if (!t.exact) flags.widens.add(`${t.why} becomes *, which accepts any characters within the segment`);
      else if (!minOk) flags.widens.add(`${t.why} becomes *, which also accepts shorter or empty text there`);
      else if (t.min === 1 && glob === '/*' && next === undefined)
        flags.widens.add(`${t.why} becomes /*, which also matches the root path /`);
      continue;
    }
    if (i === 0) {
      glob += '/**';
      if (!t.exact || t.min > 0) flags.widens.add(`${t.why} at the start becomes /**, which accepts any path`);
      continue;
    }
    if (prev === '/') {
      // `/` + `**` would read as `/**` = `(/.*)?` (the slash optional); `*/**` keeps it: `/.*`.
      glob += '*/**';
      const minOk = t.min === 0 || (t.min === 1 && endsSegment);
      if (!t.exact) flags.widens.add(`${t.why} becomes */**, which accepts anything there`);
      else if (!minOk) flags.widens.add(`${t.why} becomes */**, which also accepts shorter text there`);
      continue;
    }
    if (t.slashFirst && next === undefined) {
      glob += '/**';
      flags.widens.add(`${t.why} becomes /**, which accepts any further segments`);
      continue;
    }
    glob += '**';
    if (!t.exact || t.min > 0) flags.widens.add(`${t.why} becomes **, which accepts anything there`);
  }
  if (/(^|\/)\.{1,2}(\/|$)/.test(glob.replace(/\*/g, 'x')) || glob.replace(/\*\*?/g, 'x').includes('//'))
    return undefined;
  if (glob.length > 1 && glob.endsWith('/') && endAnchored) {
    flags.notes.add(
      'an alternative that requires a trailing / matches no canonical path (Sockguard removes trailing slashes; dockerd answers 404)',
    );
    return undefined;
  }
  if (/^\/v[0-9]/.test(glob))
    throw new CannotConvert(`the glob ${glob} would start with a version prefix, which never matches`);
  return glob;
}
