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
import { isJsonObject, JsonNumber, type JsonNode } from './json-tree.js';

export const REDACTED = '<redacted>';

export const EACH_ITEM = '[]';
export const EACH_VALUE = '*';
export type Step = string;
export type TreePath = readonly Step[];

/** Returns the replacement, or undefined to leave the value as it is. Throws ShapeMismatch. */
export type Edit = (value: JsonNode, where: string) => JsonNode | undefined;

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
  return visit(root, edit, 0, () => {
    throw new ShapeMismatch('', 'editable at the root');
  });
}

function visit(node: JsonNode, edit: TreeEdit, index: number, replace: (value: JsonNode) => void): boolean {
  const { path } = edit;
  if (index === path.length) {
    const replacement = node === null ? undefined : edit.edit(node, describePath(path));
    if (replacement === undefined) return false;
    replace(replacement);
    return true;
  }
  if (node === null) return false;
  const step = path[index]!;
  const where = describePath(path.slice(0, index));
  let changed = false;
  if (step === EACH_ITEM) {
    if (!Array.isArray(node)) throw new ShapeMismatch(where, 'an array');
    node.forEach((item, i) => {
      changed = visit(item, edit, index + 1, (value) => (node[i] = value)) || changed;
    });
    return changed;
  }
  if (!isJsonObject(node)) throw new ShapeMismatch(where, 'an object');
  if (step === EACH_VALUE) {
    for (const [key, value] of node) {
      changed = visit(value, edit, index + 1, (replacement) => node.set(key, replacement)) || changed;
    }
    return changed;
  }
  const child = node.get(step);
  if (child === undefined) return false;
  return visit(child, edit, index + 1, (value) => node.set(step, value));
}

/** The same edits below a prefix path. */
export function under<T extends TreeEdit>(prefix: TreePath, edits: readonly T[]): T[] {
  return edits.map((e) => ({ ...e, path: [...prefix, ...e.path] }));
}

function expectString(value: JsonNode, where: string): string {
  if (typeof value !== 'string') throw new ShapeMismatch(where, 'a string');
  return value;
}

export const redactText: Edit = (value, where) => {
  const text = expectString(value, where);
  return text === '' || text === REDACTED ? undefined : REDACTED;
};

export const blankText: Edit = (value, where) => (expectString(value, where) === '' ? undefined : '');

export const zeroNumber: Edit = (value, where) => {
  if (!(value instanceof JsonNumber)) throw new ShapeMismatch(where, 'a number');
  return value.text === '0' ? undefined : new JsonNumber('0');
};

export const emptyList: Edit = (value, where) => {
  if (!Array.isArray(value)) throw new ShapeMismatch(where, 'an array');
  return value.length === 0 ? undefined : [];
};

export const emptyMap: Edit = (value, where) => {
  if (!isJsonObject(value)) throw new ShapeMismatch(where, 'an object');
  return value.size === 0 ? undefined : new Map();
};

export const nullOut: Edit = () => null;

/** A host path as the daemon reports it: POSIX absolute, UNC, or a Windows drive path. */
export function isHostPath(text: string): boolean {
  return text.startsWith('/') || text.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(text);
}

/** `src:dst[:mode]`: the source ends at the first `:` (after a Windows drive letter). */
export const redactBindSource: Edit = (value, where) => {
  const bind = expectString(value, where);
  const from = /^[A-Za-z]:[\\/]/.test(bind) ? 2 : 0;
  const colon = bind.indexOf(':', from);
  const source = colon < 0 ? bind : bind.slice(0, colon);
  if (!isHostPath(source) || colon < 0) return undefined;
  return REDACTED + bind.slice(colon);
};

/** A mount spec (HostConfig.Mounts, service mounts): Source is a host path for binds, a name for volumes. */
export const redactMountSource: Edit = (value, where) => {
  if (!isJsonObject(value)) throw new ShapeMismatch(where, 'an object');
  const type = value.get('Type') ?? null;
  const source = value.get('Source') ?? null;
  if (source === null) return undefined;
  const text = expectString(source, `${where}.Source`);
  if (text === '' || text === REDACTED) return undefined;
  if (type !== 'bind' && !isHostPath(text)) return undefined;
  value.set('Source', REDACTED);
  return value;
};
