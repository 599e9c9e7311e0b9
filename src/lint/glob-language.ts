/**
 * Globs (sockguard-config.md §3.6) and Engine API path templates as small automata, so lint can
 * answer two questions soundly instead of by sampling:
 *
 * - can a glob match some instance of a catalog path template (`globMatchesTemplate`), and
 * - does one glob match every path another glob matches (`globCovers`, for shadowed rules).
 *
 * Both languages use three kinds of step: one literal character, any character but `/` (a glob
 * `*`, a template parameter) and any character (`**`, a parameter whose value may contain `/`).
 * Only patterns that start with `/` are modelled; the Go matcher treats others inconsistently and
 * lint reports them separately.
 */

type Label = { char: string } | 'segment' | 'any';

interface State {
  edges: { label: Label; to: number }[];
  epsilon: number[];
}

export interface PathLanguage {
  readonly states: readonly State[];
  readonly start: number;
  readonly accept: number;
  /** Epsilon closure of every state, sorted. */
  readonly closures: readonly (readonly number[])[];
}

type Atom = { char: string } | { repeat: 'segment' | 'any'; min: 0 | 1 } | 'optional-deep';

function buildLanguage(atoms: readonly Atom[]): PathLanguage {
  const states: State[] = [{ edges: [], epsilon: [] }];
  const add = (): number => states.push({ edges: [], epsilon: [] }) - 1;
  const at = (i: number): State => states[i]!;
  let current = 0;
  for (const atom of atoms) {
    if (atom === 'optional-deep') {
      // `/**`: nothing, or `/` followed by anything.
      const slash = add();
      const end = add();
      at(current).edges.push({ label: { char: '/' }, to: slash });
      at(slash).edges.push({ label: 'any', to: slash });
      at(slash).epsilon.push(end);
      at(current).epsilon.push(end);
      current = end;
    } else if ('char' in atom) {
      const next = add();
      at(current).edges.push({ label: atom, to: next });
      current = next;
    } else {
      if (atom.min === 1) {
        const first = add();
        at(current).edges.push({ label: atom.repeat, to: first });
        current = first;
      }
      const loop = add();
      at(current).epsilon.push(loop);
      at(loop).edges.push({ label: atom.repeat, to: loop });
      current = loop;
    }
  }
  const closures = states.map((_, i) => {
    const seen = new Set([i]);
    const stack = [i];
    while (stack.length > 0) {
      for (const next of at(stack.pop()!).epsilon) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return [...seen].sort((x, y) => x - y);
  });
  return { states, start: 0, accept: current, closures };
}

/** Tokenises a glob exactly like `globToRegexSource`: `/**`, then `**`, then `*`, else literal. */
function globAtoms(pattern: string): Atom[] {
  const atoms: Atom[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('/**', i)) {
      atoms.push('optional-deep');
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      atoms.push({ repeat: 'any', min: 0 });
      i += 1;
    } else if (pattern[i] === '*') atoms.push({ repeat: 'segment', min: 0 });
    else atoms.push({ char: pattern[i]! });
  }
  return atoms;
}

/** What the cheap checks need to know about a glob, computed once per pattern. */
interface GlobShape {
  /** The literal text every match starts with (up to the first `*`, without the `/` of a `/**`). */
  head: string;
  /** The literal text every match ends with ('' when the glob ends with a wildcard). */
  tail: string;
  /** The number of `/` in every match, or undefined when `**` lets it vary. */
  slashes: number | undefined;
  /** Two matching paths: every wildcard empty, and every wildcard one unusual character. */
  samples: readonly string[];
  language: PathLanguage;
}

/** A character no rule path contains, to fill wildcards when sampling paths. */
const FILL = '\u0001';

const CACHE_LIMIT = 20_000;
const shapeCache = new Map<string, GlobShape>();

function countSlashes(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x2f) count++;
  return count;
}

function describeGlob(pattern: string): GlobShape {
  const atoms = globAtoms(pattern);
  let empty = '';
  let filled = '';
  for (const atom of atoms) {
    if (atom === 'optional-deep') filled += `/${FILL}`;
    else if ('char' in atom) {
      empty += atom.char;
      filled += atom.char;
    } else filled += FILL;
  }
  const star = pattern.indexOf('*');
  const deep = star > 0 && pattern[star - 1] === '/' && pattern[star + 1] === '*';
  let language: PathLanguage | undefined;
  return {
    head: star < 0 ? pattern : pattern.slice(0, deep ? star - 1 : star),
    tail: pattern.slice(pattern.lastIndexOf('*') + 1),
    slashes: pattern.includes('**') ? undefined : countSlashes(pattern),
    // Request paths start with `/`; a sample that does not (a leading `/**` left empty) is no path.
    samples: [empty, filled].filter((path) => path.startsWith('/')),
    get language() {
      return (language ??= buildLanguage(atoms));
    },
  };
}

function shapeOf(pattern: string): GlobShape {
  let shape = shapeCache.get(pattern);
  if (!shape) {
    if (shapeCache.size >= CACHE_LIMIT) shapeCache.clear();
    shape = describeGlob(pattern);
    shapeCache.set(pattern, shape);
  }
  return shape;
}

/** The language of a glob that starts with `/`. */
export function globLanguage(pattern: string): PathLanguage {
  return shapeOf(pattern).language;
}

/** The language of a catalog path template (see compileTemplate). */
export function templateLanguage(template: string, paramsMayContainSlash: boolean): PathLanguage {
  const atoms: Atom[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '{') {
      const close = template.indexOf('}', i);
      atoms.push({ repeat: paramsMayContainSlash ? 'any' : 'segment', min: 1 });
      i = close < 0 ? template.length : close;
    } else atoms.push({ char: template[i]! });
  }
  return buildLanguage(atoms);
}

function labelsOverlap(a: Label, b: Label): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.char === b.char;
  if (typeof a === 'object') return b === 'any' || a.char !== '/';
  if (typeof b === 'object') return a === 'any' || b.char !== '/';
  return true;
}

/** States reachable from `state` (through its epsilon closure) by consuming one `/`. */
function slashEdges(language: PathLanguage, state: number): number[] {
  const out: number[] = [];
  for (const s of language.closures[state]!) {
    for (const e of language.states[s]!.edges) if (labelAccepts(e.label, '/')) out.push(e.to);
  }
  return out;
}

/** True when some path (a string starting with `/`) is in both languages. */
export function languagesIntersect(a: PathLanguage, b: PathLanguage): boolean {
  const width = b.states.length;
  const seen = new Set<number>();
  const stack: [number, number][] = [];
  const push = (p: number, q: number): void => {
    for (const pc of a.closures[p]!) {
      for (const qc of b.closures[q]!) {
        const key = pc * width + qc;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push([pc, qc]);
        }
      }
    }
  };
  // Request paths start with `/`: take that step first, so a leading `/**` cannot match "".
  for (const ea of slashEdges(a, a.start)) for (const eb of slashEdges(b, b.start)) push(ea, eb);
  while (stack.length > 0) {
    const [p, q] = stack.pop()!;
    if (p === a.accept && q === b.accept) return true;
    for (const ea of a.states[p]!.edges) {
      for (const eb of b.states[q]!.edges) if (labelsOverlap(ea.label, eb.label)) push(ea.to, eb.to);
    }
  }
  return false;
}

/** A symbol stands for itself, or (the empty string) for every character no pattern names. */
function labelAccepts(label: Label, symbol: string): boolean {
  if (typeof label === 'object') return label.char === symbol;
  return label === 'any' || symbol !== '/';
}

function literalChars(language: PathLanguage, into: Set<string>): void {
  for (const state of language.states) {
    for (const edge of state.edges) if (typeof edge.label === 'object') into.add(edge.label.char);
  }
}

/**
 * True when every path (a string starting with `/`) in `inner` is also in `outer`. Characters that neither pattern names behave
 * alike, so one representative symbol stands for all of them and the alphabet stays finite; the
 * outer automaton is determinised on the fly (subset construction) alongside the inner one.
 */
export function languageContains(outer: PathLanguage, inner: PathLanguage): boolean {
  const chars = new Set<string>(['/', '']);
  literalChars(outer, chars);
  literalChars(inner, chars);
  const alphabet = [...chars];
  const closeSet = (states: Iterable<number>): number[] => {
    const out = new Set<number>();
    for (const s of states) for (const c of outer.closures[s]!) out.add(c);
    return [...out].sort((x, y) => x - y);
  };
  const seen = new Set<string>();
  const stack: [number, number[]][] = [];
  const push = (p: number, set: number[]): void => {
    for (const pc of inner.closures[p]!) {
      const key = `${pc}|${set.join(',')}`;
      if (!seen.has(key)) {
        seen.add(key);
        stack.push([pc, set]);
      }
    }
  };
  // Request paths start with `/`: take that step first, so a leading `/**` cannot match "".
  const outerAfterSlash = closeSet(slashEdges(outer, outer.start));
  const innerAfterSlash = slashEdges(inner, inner.start);
  if (innerAfterSlash.length > 0 && outerAfterSlash.length === 0) return false;
  for (const p of innerAfterSlash) push(p, outerAfterSlash);
  while (stack.length > 0) {
    const [p, set] = stack.pop()!;
    if (p === inner.accept && !set.includes(outer.accept)) return false;
    for (const symbol of alphabet) {
      const innerEdges = inner.states[p]!.edges.filter((e) => labelAccepts(e.label, symbol));
      if (innerEdges.length === 0) continue;
      const next = new Set<number>();
      for (const s of set) {
        for (const e of outer.states[s]!.edges) if (labelAccepts(e.label, symbol)) next.add(e.to);
      }
      // Every inner state can still reach its accept state, so an empty outer set is a counterexample.
      if (next.size === 0) return false;
      const closed = closeSet(next);
      for (const e of innerEdges) push(e.to, closed);
    }
  }
  return true;
}

/** False when both patterns fix their number of segments and the numbers differ. */
function sameSegmentCount(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Two literal ends (both heads, or both tails reversed) can belong to one path only if one extends the other. */
const compatibleHeads = (a: string, b: string): boolean => a.startsWith(b) || b.startsWith(a);
const compatibleTails = (a: string, b: string): boolean => a.endsWith(b) || b.endsWith(a);

/**
 * True when `outer` matches every path `inner` matches (both must start with `/`). Cheap exact
 * answers first, automata otherwise:
 * - a literal inner is one path: test it;
 * - without `**` a glob fixes the number of segments, which must then agree;
 * - every inner path starts with inner's head and ends with its tail, so outer's head and tail
 *   must be compatible with them, and a literal tail of outer must end every inner path: when
 *   inner ends with a wildcard, or its tail is shorter, its wildcard can end a path differently;
 * - two sample paths of inner that outer rejects refute containment.
 */
export function globCovers(outer: string, inner: string, testOuter?: (path: string) => boolean): boolean {
  if (outer === inner || outer === '/**') return true;
  if (!inner.includes('*')) {
    return testOuter ? testOuter(inner) : languagesIntersect(globLanguage(outer), globLanguage(inner));
  }
  const o = shapeOf(outer);
  const i = shapeOf(inner);
  if (!sameSegmentCount(o.slashes, i.slashes)) return false;
  if (!compatibleHeads(o.head, i.head)) return false;
  if (!i.tail.endsWith(o.tail)) return false;
  if (testOuter && !i.samples.every(testOuter)) return false;
  return languageContains(o.language, i.language);
}

/** A catalog path template with its literal ends and an exact matcher for literal paths. */
export interface PathTemplate {
  readonly template: string;
  readonly language: PathLanguage;
  readonly head: string;
  readonly tail: string;
  /** The number of `/` in every instance, unless parameter values may contain `/`. */
  readonly slashes: number | undefined;
  test(path: string): boolean;
}

/**
 * A catalog path template such as `/containers/{id}/json`: each `{param}` is a non-empty value,
 * without `/` unless `paramsMayContainSlash`.
 */
export function compileTemplate(template: string, paramsMayContainSlash: boolean): PathTemplate {
  const value = paramsMayContainSlash ? '.+' : '[^/]+';
  const source = template
    .split(/\{[^}]*\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join(value);
  const regex = new RegExp(`^${source}$`, 's');
  const open = template.indexOf('{');
  return {
    template,
    language: templateLanguage(template, paramsMayContainSlash),
    head: open < 0 ? template : template.slice(0, open),
    tail: template.slice(template.lastIndexOf('}') + 1),
    slashes: paramsMayContainSlash ? undefined : countSlashes(template),
    test: (path) => regex.test(path),
  };
}

/**
 * True when the glob matches at least one instance of the template: a literal glob is one path to
 * test; different fixed segment counts or incompatible literal ends rule a match out; a sample path of the glob that is an instance
 * proves one; automata decide the rest.
 */
export function globMatchesTemplate(pattern: string, template: PathTemplate): boolean {
  if (!pattern.includes('*')) return template.test(pattern);
  const shape = shapeOf(pattern);
  if (!sameSegmentCount(shape.slashes, template.slashes)) return false;
  if (!compatibleHeads(shape.head, template.head)) return false;
  if (!compatibleTails(shape.tail, template.tail)) return false;
  if (shape.samples.some(template.test)) return true;
  return languagesIntersect(shape.language, template.language);
}
