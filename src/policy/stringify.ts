/**
 * Deterministic YAML for a policy document: keys in schema order, rules as one flow mapping for
 * `match` each, an optional comment above any rule (e.g. its origin `# CONTAINERS=1`) and a header.
 * Same input, same bytes: migrate output can be diffed and golden-tested.
 */
import { Document, isMap, isSeq, YAMLMap, type Node } from 'yaml';
import type { ObjectSpec, Spec } from './schema-dsl.js';
import { policySchema, type PolicyDocument } from './schema.js';

export interface StringifyOptions {
  /** Comment lines placed at the top of the file. */
  header?: readonly string[];
  /** Comment for rule i (0-based), placed on the line above it. */
  ruleComments?: readonly (string | undefined)[];
  /** Comment for a top-level key, placed above it. */
  keyComments?: Readonly<Record<string, string>>;
}

/** Reorders object keys to follow the schema; unknown keys keep their order at the end. */
function orderBySchema(spec: Spec, value: unknown): unknown {
  if (Array.isArray(value)) return spec.kind === 'list' ? value.map((v) => orderBySchema(spec.item, v)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (spec.kind === 'map') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, orderBySchema(spec.value, v)]));
  }
  if (spec.kind !== 'object') return value;
  const fields = (spec as ObjectSpec).fields;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    if (input[key] !== undefined) out[key] = orderBySchema(fields[key]!, input[key]);
  }
  for (const key of Object.keys(input)) if (!(key in out) && input[key] !== undefined) out[key] = input[key];
  return out;
}

function commentLines(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '' : ` ${line}`))
    .join('\n');
}

export function stringifyPolicy(document: PolicyDocument, options: StringifyOptions = {}): string {
  const ordered = orderBySchema(policySchema, document);
  const doc = new Document(ordered);
  const root = doc.contents;
  if (isMap(root)) {
    for (const pair of root.items) {
      const key = String((pair.key as { value?: unknown }).value ?? pair.key);
      const comment = options.keyComments?.[key];
      if (comment && pair.key && typeof pair.key === 'object') (pair.key as Node).commentBefore = commentLines(comment);
      if (key === 'rules' && isSeq(pair.value)) {
        pair.value.items.forEach((item, i) => {
          if (!isMap(item)) return;
          const match = item.get('match', true);
          if (match instanceof YAMLMap) match.flow = true;
          const ruleComment = options.ruleComments?.[i];
          if (ruleComment) item.commentBefore = commentLines(ruleComment);
        });
      }
    }
  }
  if (options.header && options.header.length > 0) doc.commentBefore = commentLines(options.header.join('\n'));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true, indentSeq: true });
}
