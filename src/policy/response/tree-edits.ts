/**
 * Edits at paths in a JSON tree, for redaction tables. A path is a list of steps: an object key,
 * `[]` (every element of an array) or `*` (every value of an object). A missing key or a `null` on
 * the way means there is nothing to edit; any other value of the wrong JSON type is a ShapeMismatch,
 * which the caller turns into a 502 (a protected response we do not understand is never passed on).
 *
 * Every edit keeps the JSON type of the field, so that clients decoding into Go structs (the docker
 * CLI) still read the document:
 * - `redactText`: free text (host paths, tokens, keys, certificates) becomes `"<redacted>"`;
 * - `blankText`: addresses and IDs become `""` (newer API types decode IPs and prefixes with
 *   netip.ParseAddr, which accepts only the empty string, and []byte fields must stay valid base64);
 * - `zeroNumber`: `0`; `emptyList`: `[]`; `emptyMap`: `{}`; `nullOut`: `null` (Go pointers);
 * - `redactBindSource`: the host part of `src:dst[:mode]` when it is a host path (named volumes kept);
 * - `redactMountSource`: a mount spec's Source when it is a bind (volume names kept).
 * An empty string or value is left alone: there is nothing in it to hide.
 */
import { isJsonObject, JsonNumber, markChanged, type JsonNode, type JsonObject } from './json-tree.js';

export const REDACTED = '<redacted>';

export const EACH_ITEM = '[]';
export const EACH_VALUE = '*';
export type Step = string;
export type TreePath = readonly Step[];

/** Returns the replacement, or undefined to leave the value as it is. Throws ShapeMismatch (naming `path`). */
export type Edit = (value: JsonNode, path: TreePath) => JsonNode | undefined;

export interface TreeEdit {
  readonly path: TreePath;
  readonly edit: Edit;
}

export class ShapeMismatch extends Error {
  constructor(where: string, expected: string) {
    super(`${where || 'the document'} is not ${expected}`);
  }
}

export function describePath(path: TreePath): string {
  return path.join('.').replaceAll('.[]', '[]');
}

/** Applies one edit everywhere its path leads; true when something changed. */
export function applyEdit(root: JsonNode, edit: TreeEdit): boolean {
  if (edit.path.length === 0) throw new ShapeMismatch('', 'editable at the root');
  return visit(root, edit, 0);
}

/** Applies the edit at `key` of `container` (the last step); true when the value was replaced. */
function editAt(container: JsonObject | JsonNode[], key: string | number, edit: TreeEdit): boolean {
  const value = Array.isArray(container) ? container[key as number]! : (container.get(key as string) ?? null);
  if (value === null) return false;
  const replacement = edit.edit(value, edit.path);
  if (replacement === undefined) return false;
  if (Array.isArray(container)) container[key as number] = replacement;
  else container.set(key as string, replacement);
  return true;
}

/** Walks `node`, the value reached after `index` steps. No closures: this runs per list item and rule. */
function visit(node: JsonNode, edit: TreeEdit, index: number): boolean {
  if (node === null) return false;
  const { path } = edit;
  const step = path[index]!;
  const last = index === path.length - 1;
  let changed = false;
  if (step === EACH_ITEM) {
    if (!Array.isArray(node)) throw new ShapeMismatch(describePath(path.slice(0, index)), 'an array');
    for (let i = 0; i < node.length; i++) {
      if (last ? editAt(node, i, edit) : visit(node[i]!, edit, index + 1)) changed = true;
    }
  } else {
    if (!isJsonObject(node)) throw new ShapeMismatch(describePath(path.slice(0, index)), 'an object');
    if (step === EACH_VALUE) {
      for (const key of node.keys()) {
        if (last ? editAt(node, key, edit) : visit(node.get(key)!, edit, index + 1)) changed = true;
      }
    } else if (node.has(step)) {
      changed = last ? editAt(node, step, edit) : visit(node.get(step)!, edit, index + 1);
    }
  }
  if (changed) markChanged(node);
  return changed;
}

/** The same edits below a prefix path. */
export function prefixEdits<T extends TreeEdit>(prefix: TreePath, edits: readonly T[]): T[] {
  return edits.map((e) => ({ ...e, path: [...prefix, ...e.path] }));
}

function expectString(value: JsonNode, path: TreePath): string {
  if (typeof value !== 'string') throw new ShapeMismatch(describePath(path), 'a string');
  return value;
}

export const redactText: Edit = (value, path) => {
  const text = expectString(value, path);
  return text === '' || text === REDACTED ? undefined : REDACTED;
};

export const blankText: Edit = (value, path) => (expectString(value, path) === '' ? undefined : '');

export const zeroNumber: Edit = (value, path) => {
  if (!(value instanceof JsonNumber)) throw new ShapeMismatch(describePath(path), 'a number');
  return value.text === '0' ? undefined : new JsonNumber('0');
};

export const emptyList: Edit = (value, path) => {
  if (!Array.isArray(value)) throw new ShapeMismatch(describePath(path), 'an array');
  return value.length === 0 ? undefined : [];
};

export const emptyMap: Edit = (value, path) => {
  if (!isJsonObject(value)) throw new ShapeMismatch(describePath(path), 'an object');
  return value.size === 0 ? undefined : new Map();
};

export const nullOut: Edit = () => null;

/** A host path as the daemon reports it: POSIX absolute, UNC, or a Windows drive path. */
export function isHostPath(text: string): boolean {
  return text.startsWith('/') || text.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(text);
}

/** `src:dst[:mode]`: the source ends at the first `:` (after a Windows drive letter). */
export const redactBindSource: Edit = (value, path) => {
  const bind = expectString(value, path);
  const from = /^[A-Za-z]:[\\/]/.test(bind) ? 2 : 0;
  const colon = bind.indexOf(':', from);
  const source = colon < 0 ? bind : bind.slice(0, colon);
  if (!isHostPath(source) || colon < 0) return undefined;
  return REDACTED + bind.slice(colon);
};

/** A mount spec (HostConfig.Mounts, service mounts): Source is a host path for binds, a name for volumes. */
export const redactMountSource: Edit = (value, path) => {
  if (!isJsonObject(value)) throw new ShapeMismatch(describePath(path), 'an object');
  const type = value.get('Type') ?? null;
  const source = value.get('Source') ?? null;
  if (source === null) return undefined;
  const text = expectString(source, [...path, 'Source']);
  if (text === '' || text === REDACTED) return undefined;
  if (type !== 'bind' && !isHostPath(text)) return undefined;
  value.set('Source', REDACTED);
  markChanged(value);
  return value;
};
