/**
 * Maps JSON pointers of a parsed YAML document to 1-based source ranges, so that any finding about
 * a value (lint, schema, migration) can point at the line and column the user wrote it on.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { escapePointerToken, type SourceRange } from './diagnostic.js';

export interface NodeLocation {
  /** Range of the value node. */
  value: SourceRange;
  /** Range of the mapping key, for values that sit under a key. */
  key?: SourceRange;
}

export class SourceMap {
  constructor(
    private readonly locations: ReadonlyMap<string, NodeLocation>,
    readonly lineCount: number,
  ) {}

  /** The location of the node at `pointer`, or of its nearest ancestor that exists in the source. */
  locate(pointer: string): NodeLocation | undefined {
    let current = pointer;
    for (;;) {
      const found = this.locations.get(current);
      if (found) return found;
      if (current === '') return undefined;
      current = current.slice(0, current.lastIndexOf('/'));
    }
  }

  /** Range of the key when asked and present, else of the value. */
  rangeOf(pointer: string, preferKey = false): SourceRange | undefined {
    const location = this.locate(pointer);
    if (!location) return undefined;
    return preferKey && location.key && this.locations.has(pointer) ? location.key : location.value;
  }

  /** True when the pointer itself (not just an ancestor) was written in the source. */
  has(pointer: string): boolean {
    return this.locations.has(pointer);
  }

  static empty(): SourceMap {
    return new SourceMap(new Map(), 0);
  }
}

export function rangeFromOffsets(lineCounter: LineCounter, start: number, end: number): SourceRange {
  const s = lineCounter.linePos(start);
  const e = lineCounter.linePos(Math.max(start, end));
  return { start: { line: s.line, col: s.col }, end: { line: e.line, col: e.col } };
}

function nodeRange(lineCounter: LineCounter, node: Node): SourceRange | undefined {
  if (!node.range) return undefined;
  return rangeFromOffsets(lineCounter, node.range[0], node.range[1]);
}

/** Builds the pointer -> location map for one document. */
export function buildSourceMap(document: Document, lineCounter: LineCounter, text: string): SourceMap {
  const locations = new Map<string, NodeLocation>();
  const visit = (node: unknown, pointer: string, key?: SourceRange): void => {
    if (!node || typeof node !== 'object') return;
    const target = isAlias(node) ? node.resolve(document) : node;
    const range = nodeRange(lineCounter, node as Node);
    if (range) locations.set(pointer, key ? { value: range, key } : { value: range });
    if (isMap(target)) {
      for (const pair of target.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const keyText = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (keyText === '<<') {
          // Merge keys: the merged entries are reported at the alias that brought them in.
          continue;
        }
        const keyRange = isScalar(keyNode) ? nodeRange(lineCounter, keyNode) : undefined;
        const childPointer = `${pointer}/${escapePointerToken(keyText)}`;
        if (pair.value) visit(pair.value, childPointer, keyRange);
        else if (keyRange) locations.set(childPointer, { value: keyRange, key: keyRange });
      }
    } else if (isSeq(target)) {
      target.items.forEach((item, index) => visit(item, `${pointer}/${index}`));
    }
  };
  visit(document.contents, '');
  const lineCount = text.length === 0 ? 0 : text.split('\n').length;
  return new SourceMap(locations, lineCount);
}
