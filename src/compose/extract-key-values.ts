/**
 * `environment:` and `labels:` as compose accepts them: a mapping (`KEY: VAL`) or a list of
 * `KEY=VAL` strings, where a list entry without `=` (`- KEY`) has no value. In a list a key may
 * appear twice; the later entry wins, as in compose, and is reported.
 */

import { pointerOf, type SourceRange } from '../policy/diagnostic.js';
import type { ComposeDiagnostic, Origin, YamlScalarKind } from './model.js';
import { ambiguousScalar, invalidValue } from './node-diagnostics.js';
import type { TreeEntry, TreeNode, TreeScalar } from './yaml-tree.js';

export interface KeyValue extends Origin {
  name: string;
  /** `null` for `- KEY` or `KEY:` (no value written). */
  value: string | null;
  written: string;
  yamlKind: YamlScalarKind;
}

export function extractKeyValues(
  node: TreeNode,
  path: string[],
  diagnostics: ComposeDiagnostic[],
): Map<string, KeyValue> {
  const result = new Map<string, KeyValue>();
  if (node.kind === 'scalar' && node.value === null) return result;
  if (node.kind === 'map') {
    for (const entry of node.entries.values()) {
      const value = extractMapValue(entry, [...path, entry.key], diagnostics);
      if (value) result.set(entry.key, value);
    }
    return result;
  }
  if (node.kind === 'seq') {
    node.items.forEach((item, index) => {
      const itemPath = [...path, String(index)];
      if (item.kind !== 'scalar' || item.value === null) {
        diagnostics.push(
          invalidValue(
            `${path[path.length - 1] ?? ''} entries must be KEY=VALUE strings; this one is ignored`,
            item,
            itemPath,
          ),
        );
        return;
      }
      const value = extractListValue(item, itemPath, diagnostics);
      const earlier = result.get(value.name);
      if (earlier) {
        diagnostics.push({
          code: 'compose/duplicate-entry',
          severity: 'warning',
          message: `${value.name} is set twice (line ${earlier.range.start.line} and line ${value.range.start.line}); docker compose uses the later one`,
          pointer: value.pointer,
          file: value.file,
          range: value.range,
        });
      }
      result.set(value.name, value);
    });
    return result;
  }
  diagnostics.push(invalidValue('expected a mapping or a list of KEY=VALUE strings; ignored', node, path));
  return result;
}

function extractMapValue(entry: TreeEntry, path: string[], diagnostics: ComposeDiagnostic[]): KeyValue | undefined {
  const node = entry.value;
  if (node.kind !== 'scalar') {
    diagnostics.push(
      invalidValue(`the value of ${entry.key} must be a string, number, boolean or null; ignored`, node, path),
    );
    return undefined;
  }
  // A value merged in from an anchor sits elsewhere: then the key alone marks the entry.
  const range: SourceRange = isAfter(node.range.end, entry.keyRange.start)
    ? { start: entry.keyRange.start, end: node.range.end }
    : entry.keyRange;
  const ambiguity = ambiguousScalar(entry.key, node, path);
  if (ambiguity) diagnostics.push(ambiguity);
  return {
    name: entry.key,
    value: node.value,
    written: node.written,
    yamlKind: node.yamlKind,
    file: node.file,
    pointer: pointerOf(path),
    range,
  };
}

function extractListValue(item: TreeScalar, path: string[], diagnostics: ComposeDiagnostic[]): KeyValue {
  const text = item.value ?? '';
  const equals = text.indexOf('=');
  const name = equals < 0 ? text : text.slice(0, equals);
  const origin = { file: item.file, pointer: pointerOf(path), range: item.range };
  if (name !== name.trimEnd()) {
    diagnostics.push({
      ...origin,
      code: 'compose/invalid-value',
      severity: 'warning',
      message: `the name ${JSON.stringify(name)} ends with white space; recent docker compose versions refuse it, older ones keep the space in the name`,
    });
  }
  // A non-string list item (`- 1`) is a key without value, like compose's fmt.Sprint of it.
  return {
    ...origin,
    name,
    value: equals < 0 ? null : text.slice(equals + 1),
    written: item.written,
    yamlKind: 'string',
  };
}

function isAfter(a: SourceRange['end'], b: SourceRange['start']): boolean {
  return a.line > b.line || (a.line === b.line && a.col >= b.col);
}
