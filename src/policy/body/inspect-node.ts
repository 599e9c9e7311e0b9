/**
 * request_body.node — POST /nodes/{id}/update (sockguard-config.md §8.2). The body is the whole
 * NodeSpec, so a non-empty Name, Role or Availability counts as a change (the current spec needs the
 * daemon). Labels are a mutation unless allow_label_mutation is set or every key is in
 * allowed_label_keys; an empty Labels object clears them all, which is a mutation too. An absent or
 * null Labels is not judged, as upstream (whether the node had labels to lose needs the daemon).
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { nodeUpdateShape } from './body-shapes.js';
import type { Decoded } from './json-shape.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['node']>;

export interface CompiledNode {
  key: PolicyKey;
  flags: Required<Omit<Group, 'allowed_label_keys'>>;
  labelKeys: ReadonlySet<string>;
}

export function compileNode(group: Group | undefined, prefix: string): CompiledNode {
  const g = group ?? {};
  return {
    key: policyKeys(prefix, 'node'),
    flags: {
      allow_name_change: g.allow_name_change ?? false,
      allow_role_change: g.allow_role_change ?? false,
      allow_availability_change: g.allow_availability_change ?? false,
      allow_label_mutation: g.allow_label_mutation ?? false,
    },
    labelKeys: new Set((g.allowed_label_keys ?? []).map((k) => k.trim()).filter((k) => k !== '')),
  };
}

export function inspectNodeUpdate(body: Decoded<typeof nodeUpdateShape>, p: CompiledNode): BodyVerdict {
  const { flags, key } = p;
  const changes: ['Role' | 'Availability' | 'Name', keyof CompiledNode['flags']][] = [
    ['Role', 'allow_role_change'],
    ['Availability', 'allow_availability_change'],
    ['Name', 'allow_name_change'],
  ];
  for (const [field, flag] of changes) {
    if (!flags[flag] && (body[field] ?? '').trim() !== '') {
      return denied(`${field} is ${JSON.stringify(body[field])}; ${key(flag)} is false`);
    }
  }
  if (body.Labels === undefined || flags.allow_label_mutation) return ALLOW;
  const labels = Object.keys(body.Labels);
  const outside = labels.find((l) => !p.labelKeys.has(l));
  if (labels.length === 0) return denied(`Labels clears every node label; ${key('allow_label_mutation')} is false`);
  return outside === undefined
    ? ALLOW
    : denied(
        `Labels sets ${JSON.stringify(outside)}; it is not in ${key('allowed_label_keys')} (${key('allow_label_mutation')} is false)`,
      );
}
