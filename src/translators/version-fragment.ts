/**
 * What an API-version fragment of a source regex (`(/v[0-9.]+)?`, `(v\d+\.\d+/)?`, `%API_PREFIX%`,
 * `/v1\..{1,2}`) accepts, decided exactly on a tiny alphabet. Sockguard strips one `/vN`, `/vN.N`
 * or `/vN.N.N` prefix before matching (sockguard-config.md §3.4), so dropping the fragment is exact
 * only when it accepts every such prefix ("covers") and nothing that is not a version segment
 * ("confined": it can only end where a version segment ends). The fragment becomes a Thompson NFA over the symbols `/`, `v`, `.`,
 * the ten digits and `o` (any other character, over-approximated), and both questions are answered
 * by a breadth-first search of its product with a small DFA.
 */
import type { RegexNode } from './regex-ir.js';

const SYMBOLS = ['/', 'v', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const OTHER = SYMBOLS.length;
const MAX_STATES = 20_000;

interface Nfa {
  eps: number[][];
  edges: [number, number][][];
}

export interface VersionFragmentFacts {
  /** Accepts every `/vN`, `/vN.N`, `/vN.N.N`; else one it refuses. */
  covers: boolean;
  missed?: string;
  /** Never stops anywhere but at the end of a version-like first segment (see HARMLESS_END); else where it can. */
  confined: boolean;
  stray?: string;
}

class TooLarge extends Error {}

function newState(nfa: Nfa): number {
  if (nfa.eps.length >= MAX_STATES) throw new TooLarge();
  nfa.eps.push([]);
  nfa.edges.push([]);
  return nfa.eps.length - 1;
}

function symbolsOf(node: RegexNode): number[] {
  const out: number[] = [];
  if (node.t === 'lit') {
    SYMBOLS.forEach((s, k) => {
      const ch = String.fromCodePoint(node.cp);
      if (s === ch || (node.folded && s.toLowerCase() === ch.toLowerCase())) out.push(k);
    });
    if (!SYMBOLS.includes(String.fromCodePoint(node.cp)) || node.folded) out.push(OTHER);
  } else if (node.t === 'leaf') {
    SYMBOLS.forEach((s, k) => {
      if (node.leaf.test(s)) out.push(k);
    });
    if (node.leaf.hasOther) out.push(OTHER);
  }
  return out;
}

/** Thompson construction; returns [start, end]. */
function build(nfa: Nfa, node: RegexNode): [number, number] {
  const s = newState(nfa);
  switch (node.t) {
    case 'lit':
    case 'leaf': {
      const e = newState(nfa);
      for (const sym of symbolsOf(node)) nfa.edges[s]!.push([sym, e]);
      return [s, e];
    }
    case 'seq': {
      let cur = s;
      for (const item of node.items) {
        const [a, b] = build(nfa, item);
        nfa.eps[cur]!.push(a);
        cur = b;
      }
      return [s, cur];
    }
    case 'alt': {
      const e = newState(nfa);
      for (const option of node.options) {
        const [a, b] = build(nfa, option);
        nfa.eps[s]!.push(a);
        nfa.eps[b]!.push(e);
      }
      return [s, e];
    }
    case 'rep': {
      let cur = s;
      for (let k = 0; k < node.min; k++) {
        const [a, b] = build(nfa, node.body);
        nfa.eps[cur]!.push(a);
        cur = b;
      }
      const e = newState(nfa);
      nfa.eps[cur]!.push(e);
      if (node.max === Infinity) {
        const [a, b] = build(nfa, node.body);
        nfa.eps[cur]!.push(a);
        nfa.eps[b]!.push(cur);
      } else {
        for (let k = node.min; k < node.max; k++) {
          const [a, b] = build(nfa, node.body);
          nfa.eps[cur]!.push(a);
          nfa.eps[b]!.push(e);
          cur = b;
        }
      }
      return [s, e];
    }
    default:
      // Anchors inside a version fragment: give up (the caller treats the fragment as unknown).
      throw new TooLarge();
  }
}

function closure(nfa: Nfa, states: Iterable<number>): number[] {
  const seen = new Set<number>(states);
  const stack = [...seen];
  while (stack.length > 0) {
    for (const next of nfa.eps[stack.pop()!]!) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** A DFA over the symbols: transition (state, symbol) → state, -1 = dead. */
interface Dfa {
  step(state: number, symbol: number): number;
  accepts(state: number): boolean;
}

const DIGIT = (sym: number): boolean => sym >= 3 && sym < OTHER;

/** `/v` D+ (`.` D+){0,2}: the prefixes Sockguard strips. */
const VERSIONS: Dfa = {
  step(state, sym) {
    if (state === 0) return sym === 0 ? 1 : -1;
    if (state === 1) return sym === 1 ? 2 : -1;
    if (state === 2 || state === 4 || state === 6) return DIGIT(sym) ? state + 1 : -1;
    if (DIGIT(sym)) return state;
    return sym === 2 && state < 7 ? state + 1 : -1;
  },
  accepts: (state) => state === 3 || state === 5 || state === 7,
};

/**
 * Where a fragment may stop without making the regex accept a canonical path that Sockguard sees
 * differently. Canonical requests are `/vN[.N[.N]]` + P or P, P's first segment not starting with
 * `v` + digit or dot. Harmless stops: nothing or a lone `/` (0, 1); the end of a real version (10,
 * 12, 14: the intended case); a first segment that is version-like but not a version (11, 13, 20:
 * no canonical request has it); anything ending in `/` or holding `//` (4, 7: the pattern goes on
 * with `/`, and canonical paths have no `//`). Harmful stops: a bare `v` or another first segment
 * (2, 6: the regex would accept a path whose first segment is not a version) and inside a later
 * segment (5: the fragment swallowed part of P).
 */
const HARMLESS_END: Dfa = {
  step(state, sym) {
    const slash = sym === 0;
    const dot = sym === 2;
    switch (state) {
      case 0:
        return slash ? 1 : 6;
      case 1:
        return slash ? 7 : sym === 1 ? 2 : 6;
      case 2:
        return slash ? 4 : DIGIT(sym) ? 10 : dot ? 20 : 6;
      case 10:
      case 12:
        return DIGIT(sym) ? state : dot ? state + 1 : slash ? 4 : 20;
      case 14:
        return DIGIT(sym) ? 14 : slash ? 4 : 20;
      case 11:
      case 13:
        return DIGIT(sym) ? state + 1 : 20;
      case 6:
      case 5:
        return slash ? 4 : state;
      case 4:
        return slash ? 7 : 5;
      default:
        return state;
    }
  },
  accepts: (state) => [0, 1, 4, 7, 10, 11, 12, 13, 14, 20].includes(state),
};

/** Breadth-first search for a string reaching a (dfa, nfa) pair that `goal` accepts. */
function search(
  nfa: Nfa,
  start: number,
  accept: number,
  dfa: Dfa,
  goal: (dfaAccepts: boolean, nfaAccepts: boolean) => boolean,
): string | undefined {
  const first = closure(nfa, [start]);
  const queue: [number, number[], string][] = [[0, first, '']];
  const seen = new Set([`0|${first.join(',')}`]);
  while (queue.length > 0) {
    const [d, set, text] = queue.shift()!;
    if (goal(dfa.accepts(d), set.includes(accept))) return text;
    if (d < 0) continue;
    for (let sym = 0; sym <= OTHER; sym++) {
      const targets = set.flatMap((st) => nfa.edges[st]!.filter(([s]) => s === sym).map(([, to]) => to));
      const next = closure(nfa, targets);
      const nd = dfa.step(d, sym);
      if (next.length === 0 && nd < 0) continue;
      const key = `${nd}|${next.join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push([nd, next, text + (sym === OTHER ? 'x' : SYMBOLS[sym]!)]);
    }
  }
  return undefined;
}

/** Decides coverage and confinement of a fragment; undefined when it is too large to decide. */
export function analyzeVersionFragment(fragment: RegexNode): VersionFragmentFacts | undefined {
  const nfa: Nfa = { eps: [], edges: [] };
  let start: number;
  let accept: number;
  try {
    [start, accept] = build(nfa, fragment);
  } catch (e) {
    if (e instanceof TooLarge) return undefined;
    throw e;
  }
  const missed = search(nfa, start, accept, VERSIONS, (versionDone, fragmentDone) => versionDone && !fragmentDone);
  const stray = search(nfa, start, accept, HARMLESS_END, (harmless, fragmentDone) => fragmentDone && !harmless);
  return {
    covers: missed === undefined,
    ...(missed !== undefined ? { missed } : {}),
    confined: stray === undefined,
    ...(stray !== undefined ? { stray } : {}),
  };
}
