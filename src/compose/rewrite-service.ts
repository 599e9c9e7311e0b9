/**
 * Rewrites one service of a compose file in place, for `sockguard migrate --write` and its diff:
 * replace the image, drop environment entries, drop keys (`command:`), add a volume. The file is
 * parsed with yaml's Document API only to find the service's nodes and their source offsets; the
 * change is then applied as text edits on those offsets, so every byte outside the edited entries
 * (comments, quoting, blank lines, key order, other services) stays exactly as written.
 *
 * Edits by shape:
 * - a removed block-sequence item or block-mapping pair takes its whole line(s), its trailing
 *   comment and the comment lines directly above it (they describe it) with it;
 * - a key whose entries are all removed goes with its block, including comment lines indented
 *   under it;
 * - flow collections (`[A=1, B=2]`) and aliases (`environment: *env`) are rewritten as one flow
 *   collection of the entries kept, because editing a shared anchor would change other services too;
 * - a block mapping whose merge key (`<<: *env`) brings in entries to remove loses the merge key and
 *   gets the merged entries it keeps written out;
 * - an environment that reaches the service only through a service-level merge key is overridden
 *   by an explicit `environment: {}` (or the entries kept).
 */
import {
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { parseVolumeSpec } from './volume-spec.js';

export interface ServiceChange {
  /** New image reference, written where this file sets `image:`. */
  image?: string;
  /** Environment variables to remove (by name), wherever this file sets them for the service. */
  removeEnvironment?: ReadonlySet<string>;
  /** Service keys to remove entirely (`command`, `entrypoint`). */
  removeKeys?: readonly string[];
  /** Volumes to remove, by their target inside the container (block lists only). */
  removeVolumeTargets?: ReadonlySet<string>;
  /** A volume to add in short syntax (`./sockguard.yaml:/etc/sockguard/sockguard.yaml:ro`). */
  addVolume?: { source: string; target: string; readOnly: boolean };
}

export type RewriteResult =
  | {
      ok: true;
      text: string;
      /** False when the file does not define the service or nothing had to change. */
      changed: boolean;
      /** Whether this file defines the service at all. */
      found: boolean;
    }
  | { ok: false; error: string };

interface Edit {
  start: number;
  end: number;
  text: string;
}

type AnyNode = Node | null | undefined;

/** Applies `change` to `serviceName` in every YAML document of `text` that defines it. */
export function rewriteProxyService(text: string, serviceName: string, change: ServiceChange): RewriteResult {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) return { ok: false, error: 'the file holds no YAML document' };
  const edits: Edit[] = [];
  let found = false;
  for (const document of documents) {
    const error = document.errors[0];
    if (error) return { ok: false, error: error.message.split('\n')[0] ?? error.message };
    const service = findService(document, serviceName);
    if (!service) continue;
    found = true;
    edits.push(...planServiceEdits(new TextLines(text), document, service, change));
  }
  const rewritten = applyEdits(text, edits);
  return { ok: true, text: rewritten, changed: rewritten !== text, found };
}

/** The service's mapping: under `services:`, or at the top level of a fragment without `services:`. */
function findService(document: Document, name: string): YAMLMap | undefined {
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const services = root.has('services') ? root.get('services', true) : root;
  if (!isMap(services)) return undefined;
  const pair = services.items.find((item) => isScalar(item.key) && String(item.key.value) === name);
  const value = pair?.value;
  return isMap(value) ? value : undefined;
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function findPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((pair) => keyName(pair as Pair) === key) as Pair<unknown, unknown> | undefined;
}

function planServiceEdits(lines: TextLines, document: Document, service: YAMLMap, change: ServiceChange): Edit[] {
  const edits: Edit[] = [];
  const imagePair = findPair(service, 'image');
  if (change.image !== undefined && imagePair && isScalar(imagePair.value)) {
    edits.push(replaceScalar(imagePair.value, change.image));
  }
  for (const key of change.removeKeys ?? []) {
    const pair = findPair(service, key);
    if (pair) edits.push(removePair(lines, pair));
  }
  if (change.removeEnvironment && change.removeEnvironment.size > 0) {
    edits.push(...planEnvironmentEdits(lines, document, service, change.removeEnvironment));
  }
  if (change.removeVolumeTargets && change.removeVolumeTargets.size > 0) {
    edits.push(...planVolumeRemoval(lines, service, change.removeVolumeTargets));
  }
  if (change.addVolume && imagePair) edits.push(...planVolumeEdit(lines, service, change.addVolume));
  return edits;
}

/** Keeps the quoting style of the value being replaced. */
function replaceScalar(node: Scalar, value: string): Edit {
  const [start, end] = node.range ?? [0, 0];
  let written = value;
  if (node.type === Scalar.QUOTE_DOUBLE) written = JSON.stringify(value);
  else if (node.type === Scalar.QUOTE_SINGLE) written = `'${value.replaceAll("'", "''")}'`;
  return { start, end, text: written };
}

// ---------------------------------------------------------------------------------------------
// environment

interface EnvItem {
  name: string;
  /** Source text of the entry as a flow item (`A=1`, `"A=1"`, `POST: 1`). */
  flowText: string;
  /** The item itself, for line removal (a seq item or a map pair). */
  node: Node | Pair;
  /** True when the entry reaches the map through a `<<` merge key rather than being written in it. */
  merged: boolean;
}

function planEnvironmentEdits(
  lines: TextLines,
  document: Document,
  service: YAMLMap,
  remove: ReadonlySet<string>,
): Edit[] {
  const pair = findPair(service, 'environment');
  if (!pair) return overrideMergedEnvironment(lines, document, service, remove);
  const value = pair.value as AnyNode;
  const items = listEnvItems(lines.text, document, value);
  const kept = items.filter((item) => !remove.has(item.name));
  if (kept.length === items.length) return [];
  if (kept.length === 0) return [removePair(lines, pair)];
  if (isCollection(value) && !value.flow) {
    const edits = items
      .filter((item) => !item.merged && remove.has(item.name))
      .map((item) => removeItem(lines, item.node));
    if (!items.some((item) => item.merged && remove.has(item.name))) return edits;
    // Merged entries to remove: drop the merge keys (the anchor may be shared) and write the kept merged entries out.
    const merges = (value as YAMLMap).items.filter((item) => keyName(item as Pair) === '<<');
    const indent = ' '.repeat(lines.columnOf(((value as YAMLMap).items[0]!.key as Node).range![0]));
    const at = lines.lineEndAfter((value as Node).range![1] - 1);
    const written = kept.filter((item) => item.merged).map((item) => `${indent}${pairText(item)}\n`);
    return [
      ...edits,
      ...merges.map((merge) => removeItem(lines, merge as Pair)),
      { start: at, end: at, text: written.join('') },
    ];
  }
  const [start, end] = (value as Node).range ?? [0, 0];
  // A block value's range ends past its line break; the flow text replaces the entries only.
  const trimmed = start + lines.text.slice(start, end).trimEnd().length;
  return [{ start, end: trimmed, text: flowOf(kept, isSeq(resolveAlias(document, value))) }];
}

/** `environment` inherited through `<<: *common` on the service: override it explicitly. */
function overrideMergedEnvironment(
  lines: TextLines,
  document: Document,
  service: YAMLMap,
  remove: ReadonlySet<string>,
): Edit[] {
  const merged = mergedValue(document, service, 'environment');
  if (!merged) return [];
  const items = listEnvItems(lines.text, document, merged);
  if (!items.some((item) => remove.has(item.name))) return [];
  const kept = items.filter((item) => !remove.has(item.name));
  const last = service.items[service.items.length - 1] as Pair;
  const indent = lines.indentOf((service.items[0]!.key as Node).range![0]);
  const at = lines.blockEnd(last, indent);
  return [{ start: at, end: at, text: `${' '.repeat(indent)}environment: ${flowOf(kept, isSeq(merged))}\n` }];
}

/** The value a `<<` merge key of `map` supplies for `key` (the first source that has it wins, as in YAML merge). */
function mergedValue(document: Document, map: YAMLMap, key: string): Node | undefined {
  let found: Node | undefined;
  for (const pair of map.items) {
    if (keyName(pair as Pair) !== '<<') continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const resolved = resolveAlias(document, source as AnyNode);
      if (!isMap(resolved)) continue;
      const value = resolved.get(key, true) as AnyNode;
      if (value) found ??= value;
    }
  }
  return found ?? undefined;
}

function resolveAlias(document: Document, node: AnyNode): AnyNode {
  return isAlias(node) ? (node.resolve(document) as AnyNode) : node;
}

/** Every entry of an environment value (list or map, merge keys and aliases resolved). */
function listEnvItems(text: string, document: Document, node: AnyNode): EnvItem[] {
  const value = resolveAlias(document, node);
  if (isSeq(value)) {
    return value.items.flatMap((item): EnvItem[] => {
      if (!isScalar(item) || !item.range) return [];
      const name = String(item.value).split('=')[0] ?? '';
      return [{ name, flowText: text.slice(item.range[0], item.range[1]), node: item, merged: false }];
    });
  }
  if (!isMap(value)) return [];
  const items: EnvItem[] = [];
  const own = new Set<string>();
  for (const pair of value.items) {
    const name = keyName(pair as Pair);
    if (name === undefined || name === '<<' || !pair.key) continue;
    own.add(name);
    const keyRange = (pair.key as Node).range!;
    const valueRange = (pair.value as AnyNode)?.range;
    const end = valueRange ? valueRange[1] : keyRange[1];
    items.push({ name, flowText: text.slice(keyRange[0], end), node: pair as Pair, merged: false });
  }
  const merged = value.items.filter((pair) => keyName(pair as Pair) === '<<');
  for (const pair of merged) {
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      for (const item of listEnvItems(text, document, source as AnyNode)) {
        if (own.has(item.name)) continue;
        own.add(item.name);
        items.push({ ...item, merged: true });
      }
    }
  }
  return items;
}

/** A flow collection holding `items` as written: a list when every entry is a list entry, else a map. */
function flowOf(items: readonly EnvItem[], emptyAsList: boolean): string {
  if (items.length === 0) return emptyAsList ? '[]' : '{}';
  if (items.every((item) => !isPair(item.node))) return `[${items.map((item) => item.flowText).join(', ')}]`;
  // Mixed shapes (a list merged into a map cannot happen, but an alias may point anywhere): all pairs.
  return `{ ${items.map(pairText).join(', ')} }`;
}

/** An entry as `KEY: value` text (list entries `A=1` become `A: "1"`). */
function pairText(item: EnvItem): string {
  return isPair(item.node) ? item.flowText : pairFromListEntry(item);
}

function pairFromListEntry(item: EnvItem): string {
  const node = item.node as Scalar;
  const entry = String(node.value);
  const eq = entry.indexOf('=');
  return eq < 0 ? `${entry}: null` : `${entry.slice(0, eq)}: ${JSON.stringify(entry.slice(eq + 1))}`;
}

// ---------------------------------------------------------------------------------------------
// volumes

function planVolumeEdit(
  lines: TextLines,
  service: YAMLMap,
  volume: { source: string; target: string; readOnly: boolean },
): Edit[] {
  const short = `${volume.source}:${volume.target}${volume.readOnly ? ':ro' : ''}`;
  const pair = findPair(service, 'volumes');
  const value = pair?.value as AnyNode;
  if (isSeq(value) && value.flow && value.range) {
    const close = lines.text.lastIndexOf(']', value.range[1]);
    const text = value.items.length > 0 ? `, ${JSON.stringify(short)}` : JSON.stringify(short);
    return [{ start: close, end: close, text }];
  }
  if (isSeq(value) && value.items.length > 0) {
    const last = value.items[value.items.length - 1] as Node;
    const [start, end] = last.range!;
    const indent = lines.indentOf(start);
    const at = lines.lineEndAfter(end - 1);
    if (isMap(last)) {
      const pad = ' '.repeat(lines.columnOf(start));
      const readOnly = volume.readOnly ? `\n${pad}read_only: true` : '';
      return [
        {
          start: at,
          end: at,
          text: `${' '.repeat(indent)}- type: bind\n${pad}source: ${volume.source}\n${pad}target: ${volume.target}${readOnly}\n`,
        },
      ];
    }
    const item = isScalar(last) && last.type === Scalar.QUOTE_DOUBLE ? JSON.stringify(short) : short;
    return [{ start: at, end: at, text: `${' '.repeat(indent)}- ${item}\n` }];
  }
  const keyIndent = lines.indentOf((service.items[0]!.key as Node).range![0]);
  const entry = `${' '.repeat(keyIndent)}volumes:\n${' '.repeat(keyIndent + 2)}- ${short}\n`;
  if (pair) return [{ ...removePair(lines, pair), text: entry }];
  const last = service.items[service.items.length - 1] as Pair;
  const at = lines.blockEnd(last, keyIndent);
  return [{ start: at, end: at, text: entry }];
}

/** The target of a volume entry in short (`src:target[:ro]`) or long (`target:`) syntax. */
function volumeTarget(item: unknown): string | undefined {
  if (isScalar(item)) {
    const spec = parseVolumeSpec(String(item.value));
    return 'error' in spec ? undefined : spec.target;
  }
  if (isMap(item)) {
    const target = item.get('target');
    return typeof target === 'string' ? target : undefined;
  }
  return undefined;
}

function planVolumeRemoval(lines: TextLines, service: YAMLMap, targets: ReadonlySet<string>): Edit[] {
  const value = findPair(service, 'volumes')?.value as AnyNode;
  if (!isSeq(value) || value.flow) return [];
  return value.items.flatMap((item) => {
    const target = volumeTarget(item);
    return target !== undefined && targets.has(target) ? [removeItem(lines, item as Node)] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// line-level removal

/** Removes a block-sequence item or block-mapping pair with its lines and the comments above it. */
function removeItem(lines: TextLines, item: Node | Pair): Edit {
  const start = isPair(item) ? (item.key as Node).range![0] : item.range![0];
  const value = isPair(item) ? (item.value as AnyNode) : item;
  const end = value?.range ? value.range[1] : (item as Pair<Node>).key.range![1];
  return { start: lines.commentBlockStart(start), end: lines.lineEndAfter(Math.max(start, end - 1)), text: '' };
}

/** Removes a key of the service with its whole block (items, comments indented under it). */
function removePair(lines: TextLines, pair: Pair<unknown, unknown>): Edit {
  const keyStart = (pair.key as Node).range![0];
  return { start: lines.lineStart(keyStart), end: lines.blockEnd(pair, lines.indentOf(keyStart)), text: '' };
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of ordered) {
    // Overlapping edits (an item inside a removed key) are already covered by the wider one.
    if (edit.end > floor) continue;
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    floor = edit.start;
  }
  return out;
}

/** Line arithmetic over the original text. */
class TextLines {
  constructor(readonly text: string) {}

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Offset just past the line break ending the line that holds `offset` (or the text end). */
  lineEndAfter(offset: number): number {
    const newline = this.text.indexOf('\n', Math.max(0, offset));
    return newline < 0 ? this.text.length : newline + 1;
  }

  columnOf(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Indentation (spaces) of the line holding `offset`. */
  indentOf(offset: number): number {
    const start = this.lineStart(offset);
    let i = start;
    while (this.text[i] === ' ') i++;
    return i - start;
  }

  /** `start` moved up over the comment-only lines directly above its line (no blank line between). */
  commentBlockStart(offset: number): number {
    let start = this.lineStart(offset);
    while (start > 0) {
      const previous = this.lineStart(start - 1);
      if (!this.text.slice(previous, start).trimStart().startsWith('#')) break;
      start = previous;
    }
    return start;
  }

  /**
   * End of a pair's block: past its value's last line, then past comment lines indented deeper than
   * the key (they belong to the block); a blank line or anything at the key's level stops it.
   */
  blockEnd(pair: Pair<unknown, unknown>, keyIndent: number): number {
    const value = pair.value as AnyNode;
    const keyEnd = (pair.key as Node).range![1];
    const valueEnd = value?.range ? value.range[1] : keyEnd;
    let end = this.lineEndAfter(Math.max(keyEnd, valueEnd - 1));
    while (end < this.text.length) {
      const next = this.lineEndAfter(end);
      const line = this.text.slice(end, next);
      const indent = line.length - line.trimStart().length;
      if (!line.trimStart().startsWith('#') || indent <= keyIndent) break;
      end = next;
    }
    return end;
  }
}
