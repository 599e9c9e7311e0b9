/**
 * YAML text to a small tree of maps, sequences and scalars in which every node keeps its file and
 * 1-based range. Aliases and merge keys (`<<: *x`, `<<: [*a, *b]`) are resolved here, the way Go's
 * yaml.v3 resolves them for docker compose: keys written in the mapping win over merged ones, and
 * among several merged mappings the earlier wins. Problems become diagnostics, never exceptions:
 * duplicate keys are reported with both lines and the later one is kept; tab indentation is read
 * again with tab stops every 8 columns and reported; anything else the parser could recover from is
 * reported and read as the parser recovered it.
 */

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { pointerOf, type SourcePosition, type SourceRange } from '../policy/diagnostic.js';
import type { ComposeDiagnostic, YamlScalarKind } from './model.js';
import { typePlainScalar, type TypedScalar } from './scalar-string.js';
import { countLines, rangeOf, type PositionOf } from './text-positions.js';

interface TreeBase {
  file: string;
  range: SourceRange;
  /** A local tag such as compose's `!reset` or `!override`; YAML core tags are not kept. */
  tag?: string;
}

export interface TreeScalar extends TreeBase {
  kind: 'scalar';
  /** The scalar's source text, quotes included. */
  written: string;
  yamlKind: YamlScalarKind;
  /** Compose's string for the scalar (`null` for YAML null); interpolation replaces it for strings. */
  value: string | null;
  /** Where `value` starts when it maps character by character onto one source line. */
  contentStart?: SourcePosition;
}

export interface TreeEntry {
  key: string;
  keyRange: SourceRange;
  value: TreeNode;
}

export interface TreeMap extends TreeBase {
  kind: 'map';
  entries: Map<string, TreeEntry>;
}

export interface TreeSeq extends TreeBase {
  kind: 'seq';
  items: TreeNode[];
}

export type TreeNode = TreeScalar | TreeMap | TreeSeq;

export interface YamlTree {
  /** One node per non-empty YAML document in the file, in order. */
  documents: TreeNode[];
  diagnostics: ComposeDiagnostic[];
}

const TAB_STOP = 8;
const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
const STRING_TAG = 'tag:yaml.org,2002:str';
// Compose's own tags; the YAML parser warns about every local tag it does not know.
const COMPOSE_TAGS = new Set(['!reset', '!override']);

export function parseYamlTree(file: string, text: string): YamlTree {
  const first = parseText(file, text, countLines(text).linePos);
  if (!first.tabIndented) return first.tree;
  const expanded = expandLeadingTabs(text);
  const second = parseText(file, expanded.text, expanded.positionOf);
  if (second.syntaxErrors > 0) return first.tree;
  const tabDiagnostics = expanded.tabLines.map((line): ComposeDiagnostic => ({
    code: 'yaml/tab-indent',
    severity: 'error',
    message: `line ${line} is indented with a tab; YAML forbids tabs in indentation and docker compose refuses the file. Read assuming tab stops every ${TAB_STOP} columns`,
    pointer: '',
    file,
    range: { start: { line, col: 1 }, end: { line, col: 2 } },
  }));
  return { documents: second.tree.documents, diagnostics: [...tabDiagnostics, ...second.tree.diagnostics] };
}

interface ParsedText {
  tree: YamlTree;
  tabIndented: boolean;
  syntaxErrors: number;
}

function parseText(file: string, text: string, positionOf: PositionOf): ParsedText {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  const diagnostics: ComposeDiagnostic[] = [];
  const documents: TreeNode[] = [];
  let tabIndented = false;
  let syntaxErrors = 0;
  for (const doc of docs) {
    for (const error of doc.errors) {
      const isTab = error.code === 'TAB_AS_INDENT';
      tabIndented ||= isTab;
      syntaxErrors++;
      diagnostics.push({
        code: isTab ? 'yaml/tab-indent' : 'yaml/syntax',
        severity: 'error',
        message: isTab ? 'tabs are not allowed in YAML indentation; docker compose refuses the file' : error.message,
        pointer: '',
        file,
        range: rangeOf(positionOf, error.pos[0], error.pos[1]),
      });
    }
    for (const warning of doc.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED' && COMPOSE_TAGS.has(text.slice(...warning.pos).trim())) continue;
      diagnostics.push({
        code: warning.code === 'TAG_RESOLVE_FAILED' ? 'yaml/unknown-tag' : 'yaml/syntax',
        severity: 'warning',
        message:
          warning.code === 'TAG_RESOLVE_FAILED' ? `${warning.message}; read as an untagged value` : warning.message,
        pointer: '',
        file,
        range: rangeOf(positionOf, warning.pos[0], warning.pos[1]),
      });
    }
    // An empty document (`---` with nothing after it) adds nothing, like an empty file.
    if (
      doc.contents === null ||
      (isScalar(doc.contents) && doc.contents.source === '' && doc.contents.tag === undefined)
    )
      continue;
    const converter = new TreeConverter(file, text, positionOf, doc, diagnostics);
    documents.push(converter.convert(doc.contents, []));
  }
  if (syntaxErrors > 0) {
    diagnostics.push({
      code: 'yaml/recovered',
      severity: 'warning',
      message:
        'because of the YAML errors above, docker compose would not read this file; the rest was read as the YAML parser recovered it and may not be what was meant',
      pointer: '',
      file,
    });
  }
  return { tree: { documents, diagnostics }, tabIndented, syntaxErrors };
}

class TreeConverter {
  private readonly converted = new Map<YamlNode, TreeNode>();
  private readonly inProgress = new Set<YamlNode>();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly positionOf: PositionOf,
    private readonly doc: Document,
    private readonly diagnostics: ComposeDiagnostic[],
  ) {}

  /** Converts a node once; aliases share the converted node, so nested aliases cannot blow up. */
  convert(node: unknown, path: string[]): TreeNode {
    if (isAlias(node)) return this.convertAlias(node.source, node.range ?? undefined, node.resolve(this.doc), path);
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return this.nullAt(0);
    const done = this.converted.get(node);
    if (done) return done;
    this.inProgress.add(node);
    const tree = isScalar(node)
      ? this.convertScalar(node)
      : isMap(node)
        ? this.convertMap(node, path)
        : this.convertSeq(node, path);
    this.inProgress.delete(node);
    this.converted.set(node, tree);
    return tree;
  }

  private convertAlias(
    name: string,
    range: readonly number[] | undefined,
    target: YamlNode | undefined,
    path: string[],
  ): TreeNode {
    const start = range?.[0] ?? 0;
    if (target === undefined || this.inProgress.has(target)) {
      this.diagnostics.push({
        code: 'yaml/unknown-alias',
        severity: 'error',
        message:
          target === undefined
            ? `alias *${name} names no anchor defined before it; read as null`
            : `alias *${name} refers to a node that contains it; read as null`,
        pointer: pointerOf(path),
        file: this.file,
        range: rangeOf(this.positionOf, start, range?.[1] ?? start),
      });
      return this.nullAt(start);
    }
    return this.convert(target, path);
  }

  private convertScalar(node: Scalar): TreeScalar {
    const [start = 0, end = start] = node.range ?? [];
    const written = this.text.slice(start, end);
    const content = typeof node.source === 'string' ? node.source : String(node.value ?? '');
    const typed = this.typeScalar(node, content);
    const scalar: TreeScalar = {
      kind: 'scalar',
      file: this.file,
      range: rangeOf(this.positionOf, start, end),
      written,
      yamlKind: typed.kind,
      value: typed.value,
      ...this.localTag(node),
    };
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    if (!written.includes('\n') && (quoted ? written.slice(1, -1) === content : written === content)) {
      scalar.contentStart = this.positionOf(quoted ? start + 1 : start);
    }
    return scalar;
  }

  private typeScalar(node: Scalar, content: string): TypedScalar {
    if (node.tag === STRING_TAG) return { kind: 'string', value: content };
    const plain = node.type === 'PLAIN' || node.type === undefined;
    const coreTag = node.tag?.startsWith(CORE_TAG_PREFIX) === true;
    return plain || coreTag ? typePlainScalar(content) : { kind: 'string', value: content };
  }

  private convertMap(node: YAMLMap, path: string[]): TreeMap {
    const explicit = new Set<string>();
    for (const pair of node.items) {
      if (!isMergeKey(pair.key)) {
        const key = this.keyOf(pair.key);
        if (key !== undefined) explicit.add(key);
      }
    }
    const entries = new Map<string, TreeEntry>();
    const written = new Map<string, SourceRange>();
    for (const pair of node.items) {
      if (isMergeKey(pair.key)) {
        for (const source of this.mergeSources(pair.value, path)) {
          for (const [key, entry] of source.entries) {
            if (!explicit.has(key) && !entries.has(key)) entries.set(key, entry);
          }
        }
        continue;
      }
      const key = this.keyOf(pair.key);
      const keyRange = this.rangeOfNode(pair.key);
      if (key === undefined) {
        this.diagnostics.push({
          code: 'yaml/syntax',
          severity: 'error',
          message: 'a mapping key must be a plain value in a compose file; this entry is ignored',
          pointer: pointerOf(path),
          file: this.file,
          range: keyRange,
        });
        continue;
      }
      const earlier = written.get(key);
      if (earlier) this.reportDuplicate(key, earlier, keyRange, path);
      written.set(key, keyRange);
      const keyEnd = isScalar(pair.key) ? (pair.key.range?.[1] ?? 0) : 0;
      const value = pair.value === null ? this.nullAt(keyEnd) : this.convert(pair.value, [...path, key]);
      entries.set(key, { key, keyRange, value });
    }
    return { kind: 'map', file: this.file, range: this.rangeOfNode(node), entries, ...this.localTag(node) };
  }

  private convertSeq(node: YAMLSeq, path: string[]): TreeSeq {
    const items = node.items.map((item, index) => this.convert(item, [...path, String(index)]));
    return { kind: 'seq', file: this.file, range: this.rangeOfNode(node), items, ...this.localTag(node) };
  }

  private mergeSources(value: unknown, path: string[]): TreeMap[] {
    const merged = this.convert(value, path);
    const sources = merged.kind === 'seq' ? merged.items : [merged];
    const maps = sources.filter((source): source is TreeMap => source.kind === 'map');
    if (maps.length !== sources.length) {
      this.diagnostics.push({
        code: 'yaml/syntax',
        severity: 'error',
        message: 'a merge key (<<) takes a mapping or a list of mappings; the other values are ignored',
        pointer: pointerOf(path),
        file: this.file,
        range: merged.range,
      });
    }
    return maps;
  }

  private reportDuplicate(key: string, earlier: SourceRange, later: SourceRange, path: string[]): void {
    this.diagnostics.push({
      code: 'yaml/duplicate-key',
      severity: 'error',
      message: `key ${JSON.stringify(key)} is defined twice (line ${earlier.start.line}, col ${earlier.start.col} and line ${later.start.line}, col ${later.start.col}); docker compose refuses the file. Read assuming the later one wins`,
      pointer: pointerOf([...path, key]),
      file: this.file,
      range: later,
    });
  }

  private keyOf(key: unknown): string | undefined {
    if (!isScalar(key)) return undefined;
    const content = typeof key.source === 'string' ? key.source : String(key.value ?? '');
    return this.typeScalar(key, content).value ?? '';
  }

  private localTag(node: YamlNode): { tag?: string } {
    return node.tag !== undefined && !node.tag.startsWith(CORE_TAG_PREFIX) ? { tag: node.tag } : {};
  }

  private rangeOfNode(node: unknown): SourceRange {
    const range = isScalar(node) || isMap(node) || isSeq(node) ? node.range : undefined;
    const [start = 0, end = start] = range ?? [];
    return rangeOf(this.positionOf, start, end);
  }

  private nullAt(offset: number): TreeScalar {
    return {
      kind: 'scalar',
      file: this.file,
      range: rangeOf(this.positionOf, offset, offset),
      written: '',
      yamlKind: 'null',
      value: null,
    };
  }
}

/** yaml.v3 reads an unquoted, untagged `<<` key as a merge key. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === 'PLAIN' && key.source === '<<' && key.tag === undefined;
}

interface ExpandedText {
  text: string;
  /** Positions in the original text for offsets in the expanded one. */
  positionOf: PositionOf;
  tabLines: number[];
}

/** Replaces tabs in each line's indentation with spaces up to the next tab stop. */
function expandLeadingTabs(text: string): ExpandedText {
  const original = countLines(text);
  const lines = text.split('\n');
  const out: string[] = [];
  const tabLines: number[] = [];
  // Per line: [start in expanded text, start in original text, indentation length expanded, original].
  const starts: [number, number, number, number][] = [];
  let expandedOffset = 0;
  let originalOffset = 0;
  lines.forEach((line, index) => {
    const indentation = /^[ \t]*/.exec(line)?.[0] ?? '';
    let width = 0;
    for (const char of indentation) width = char === '\t' ? (Math.floor(width / TAB_STOP) + 1) * TAB_STOP : width + 1;
    if (indentation.includes('\t')) tabLines.push(index + 1);
    const expanded = ' '.repeat(width) + line.slice(indentation.length);
    starts.push([expandedOffset, originalOffset, width, indentation.length]);
    out.push(expanded);
    expandedOffset += expanded.length + 1;
    originalOffset += line.length + 1;
  });
  const positionOf: PositionOf = (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid]?.[0] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    const [expandedStart, originalStart, expandedIndent, originalIndent] = starts[low] ?? [0, 0, 0, 0];
    const column = offset - expandedStart;
    const originalColumn = column < expandedIndent ? originalIndent : column - expandedIndent + originalIndent;
    return original.linePos(originalStart + originalColumn);
  };
  return { text: out.join('\n'), positionOf, tabLines };
}
