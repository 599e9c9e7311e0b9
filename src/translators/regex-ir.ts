/**
 * A small intermediate form of a source proxy's path regex for glob translation: the Go pattern is
 * translated to JavaScript (src/peers/go-regex.ts), parsed with regjsparser, and reduced to
 * literals, character sets ("leaves"), sequences, alternations, repeats and the two text anchors.
 * Anything else (lookarounds from `(?m)` anchors, `\b`, back-references) has no glob counterpart
 * and is refused with a reason.
 */
import regjsparser from 'regjsparser';
import type { AstNode, RootNode } from 'regjsparser';
import { translateGoRegex } from '../peers/go-regex.js';

const { parse } = regjsparser;

/** A set of characters (class, dot, escape) with the facts glob translation needs. */
export interface Leaf {
  /** JavaScript source of the set, for reasons. */
  raw: string;
  test(ch: string): boolean;
  /** Matches `/`. */
  slash: boolean;
  /** Matches every character a canonical path can hold except `/` (no controls there). */
  coversSegment: boolean;
  /** Matches every such character including `/`. */
  coversAll: boolean;
  /** Contains some character other than `/`, `v`, `.` and the digits (over-approximated). */
  hasOther: boolean;
}

export type RegexNode =
  | { t: 'lit'; cp: number; folded: boolean }
  | { t: 'leaf'; leaf: Leaf }
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; options: RegexNode[] }
  | { t: 'rep'; body: RegexNode; min: number; max: number; raw: string }
  | { t: 'start' }
  | { t: 'end' };

export type ParsedPathRegex = { ok: true; node: RegexNode; foldCase: boolean } | { ok: false; error: string };

const VERSION_CHARS = new Set([...'/v.0123456789']);
/** Control characters never reach the rules: serve refuses them (policy/canonical-path.ts). */
const isControl = (cp: number): boolean => cp < 0x20 || cp === 0x7f;

class Unsupported extends Error {}

/** Parses the regex the old proxy compiles: `"^" + value + "$"` in Go syntax. */
export function parsePathRegex(value: string): ParsedPathRegex {
  const t = translateGoRegex(`^${value}$`);
  if (!t.ok) return { ok: false, error: t.message };
  const fold = t.flags.includes('i');
  let ast: RootNode<{ lookbehind: true; unicodePropertyEscape: true; namedGroups: true }>;
  try {
    ast = parse(t.source, t.flags, { lookbehind: true, unicodePropertyEscape: true, namedGroups: true });
  } catch (e) {
    return { ok: false, error: `regjsparser could not read the translation ${t.source}: ${(e as Error).message}` };
  }
  try {
    return { ok: true, node: convert(ast, t.flags, fold), foldCase: fold };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, error: e.message };
    throw e;
  }
}

function makeLeaf(node: AstNode<{ unicodePropertyEscape: true }>, flags: string): Leaf {
  const regex = new RegExp(`^(?:${node.raw})$`, flags);
  const test = (ch: string): boolean => regex.test(ch);
  let coversSegment = false;
  let coversAll = false;
  let hasOther = true;
  if (node.type === 'characterClass' && node.negative) {
    // A negated class covers everything but its members: fine when they are only controls (and `/`).
    const members = node.body.every((item) =>
      item.type === 'value'
        ? isControl(item.codePoint) || item.codePoint === 0x2f
        : item.type === 'characterClassRange' &&
          ((isControl(item.min.codePoint) && isControl(item.max.codePoint)) ||
            (item.min.codePoint === 0x2f && item.max.codePoint === 0x2f)),
    );
    const excludesSlash = !test('/');
    coversSegment = members;
    coversAll = members && !excludesSlash;
  } else if (node.type === 'characterClass') {
    hasOther = node.body.some((item) =>
      item.type === 'value'
        ? !VERSION_CHARS.has(String.fromCodePoint(item.codePoint)) || (flags.includes('i') && item.codePoint === 0x76)
        : item.type === 'characterClassRange'
          ? [...range(item.min.codePoint, item.max.codePoint)].some(
              (cp) => !VERSION_CHARS.has(String.fromCodePoint(cp)),
            )
          : true,
    );
  }
  return { raw: node.raw, test, slash: test('/'), coversSegment, coversAll, hasOther };
}

function* range(lo: number, hi: number): Generator<number> {
  // Only the first few hundred code points can be version characters; a wider range has others.
  for (let cp = lo; cp <= Math.min(hi, lo + 256); cp++) yield cp;
  if (hi > lo + 256) yield 0x41;
}

function convert(
  node: AstNode<{ lookbehind: true; unicodePropertyEscape: true; namedGroups: true }>,
  flags: string,
  fold: boolean,
): RegexNode {
  switch (node.type) {
    case 'alternative':
      return sequence(node.body.map((n) => convert(n, flags, fold)));
    case 'disjunction':
      return { t: 'alt', options: node.body.map((n) => convert(n, flags, fold)) };
    case 'group':
      if (node.behavior !== 'normal' && node.behavior !== 'ignore') {
        throw new Unsupported(`${node.raw}: multi-line anchors ((?m)) and \\b have no glob counterpart`);
      }
      return sequence(node.body.map((n) => convert(n, flags, fold)));
    case 'anchor':
      if (node.kind === 'start') return { t: 'start' };
      if (node.kind === 'end') return { t: 'end' };
      throw new Unsupported(`${node.raw}: word boundaries have no glob counterpart`);
    case 'quantifier':
      return {
        t: 'rep',
        body: convert(node.body[0], flags, fold),
        min: node.min,
        max: node.max ?? Infinity,
        raw: node.raw,
      };
    case 'value': {
      const ch = String.fromCodePoint(node.codePoint);
      const variant = fold && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch);
      return { t: 'lit', cp: node.codePoint, folded: variant };
    }
    case 'characterClass': {
      // A class of exactly one character is that literal (case-folding aside).
      const only = node.body.length === 1 && !node.negative ? node.body[0]! : undefined;
      const cp =
        only?.type === 'value'
          ? only.codePoint
          : only?.type === 'characterClassRange' && only.min.codePoint === only.max.codePoint
            ? only.min.codePoint
            : undefined;
      if (cp !== undefined) {
        const ch = String.fromCodePoint(cp);
        if (!fold || (ch.toLowerCase() === ch && ch.toUpperCase() === ch)) return { t: 'lit', cp, folded: false };
      }
      return { t: 'leaf', leaf: makeLeaf(node, flags) };
    }
    case 'characterClassEscape':
    case 'unicodePropertyEscape':
    case 'dot':
      return { t: 'leaf', leaf: makeLeaf(node, flags) };
    default:
      throw new Unsupported(`${node.raw}: back-references have no glob counterpart`);
  }
}

/** A sequence with nested sequences inlined; a one-item sequence is that item. */
function sequence(items: RegexNode[]): RegexNode {
  const flat = items.flatMap((item) => (item.t === 'seq' ? item.items : [item]));
  return flat.length === 1 ? flat[0]! : { t: 'seq', items: flat };
}

/** Whether the node can match `/` somewhere. */
export function canMatchSlash(node: RegexNode): boolean {
  switch (node.t) {
    case 'lit':
      return node.cp === 0x2f;
    case 'leaf':
      return node.leaf.slash;
    case 'seq':
      return node.items.some(canMatchSlash);
    case 'alt':
      return node.options.some(canMatchSlash);
    case 'rep':
      return node.max > 0 && canMatchSlash(node.body);
    default:
      return false;
  }
}

/** Whether the node consists of literals only (so it can be spelled out in a glob). */
export function isLiteralOnly(node: RegexNode): boolean {
  switch (node.t) {
    case 'lit':
      return true;
    case 'seq':
      return node.items.every(isLiteralOnly);
    case 'alt':
      return node.options.every(isLiteralOnly);
    case 'rep':
      return isLiteralOnly(node.body);
    default:
      return false;
  }
}

/** Whether every string the node matches is empty or starts with `/`. */
export function startsWithSlashOrEmpty(node: RegexNode): boolean {
  const first = (n: RegexNode): { slash: boolean; other: boolean; nullable: boolean } => {
    switch (n.t) {
      case 'lit':
        return { slash: n.cp === 0x2f, other: n.cp !== 0x2f, nullable: false };
      case 'leaf':
        return { slash: n.leaf.slash, other: true, nullable: false };
      case 'seq': {
        const acc = { slash: false, other: false, nullable: true };
        for (const item of n.items) {
          if (!acc.nullable) break;
          const f = first(item);
          acc.slash ||= f.slash;
          acc.other ||= f.other;
          acc.nullable = f.nullable;
        }
        return acc;
      }
      case 'alt':
        return n.options
          .map(first)
          .reduce(
            (a, b) => ({ slash: a.slash || b.slash, other: a.other || b.other, nullable: a.nullable || b.nullable }),
            {
              slash: false,
              other: false,
              nullable: n.options.length === 0,
            },
          );
      case 'rep': {
        const f = first(n.body);
        return n.max === 0
          ? { slash: false, other: false, nullable: true }
          : { ...f, nullable: f.nullable || n.min === 0 };
      }
      default:
        return { slash: false, other: false, nullable: true };
    }
  };
  return !first(node).other;
}

/** Minimum length of a match (anchors count 0). */
export function minLength(node: RegexNode): number {
  switch (node.t) {
    case 'lit':
    case 'leaf':
      return 1;
    case 'seq':
      return node.items.reduce((sum, item) => sum + minLength(item), 0);
    case 'alt':
      return Math.min(...node.options.map(minLength));
    case 'rep':
      return node.min * minLength(node.body);
    default:
      return 0;
  }
}
