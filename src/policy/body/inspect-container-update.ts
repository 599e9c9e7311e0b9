/**
 * request_body.container_update — POST /containers/{id}/update (sockguard-config.md §8.2,
 * security-notes.md §15.3). dockerd applies only Resources and RestartPolicy; Privileged and the
 * capability fields are ignored by dockerd but still denied, as the Go proxy does. The require_*
 * limits apply only when allow_resource_updates is true, and here only to what the body itself sets:
 * a value that lifts a limit (Memory -1, PidsLimit 0) is denied, while the merged state with the
 * container's current limits needs the daemon and is not judged offline.
 */
import type { RequestBodyPolicy } from '../schema.js';
import { UPDATE_RESOURCE_FIELDS, type containerUpdateShape } from './body-shapes.js';
import type { Decoded } from './json-shape.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['container_update']>;
type UpdateBody = Decoded<typeof containerUpdateShape>;

export interface CompiledContainerUpdate {
  flags: Required<Group>;
  key: PolicyKey;
}

export function compileContainerUpdate(group: Group | undefined, prefix: string): CompiledContainerUpdate {
  const g = group ?? {};
  return {
    key: policyKeys(prefix, 'container_update'),
    flags: {
      allow_privileged: g.allow_privileged ?? false,
      allow_all_devices: g.allow_all_devices ?? false,
      allow_capabilities: g.allow_capabilities ?? false,
      allow_resource_updates: g.allow_resource_updates ?? false,
      allow_restart_policy: g.allow_restart_policy ?? false,
      require_memory_limit: g.require_memory_limit ?? false,
      require_cpu_limit: g.require_cpu_limit ?? false,
      require_cpu_limit_hard: g.require_cpu_limit_hard ?? false,
      require_pids_limit: g.require_pids_limit ?? false,
    },
  };
}

const present = (body: UpdateBody, fields: readonly string[]): string | undefined =>
  fields.find((f) => (body as Record<string, unknown>)[f] !== undefined);

export function inspectContainerUpdate(body: UpdateBody, p: CompiledContainerUpdate): BodyVerdict {
  const { flags, key } = p;
  const gate = (fields: readonly string[], flag: keyof Group): BodyVerdict => {
    const field = flags[flag] ? undefined : present(body, fields);
    return field === undefined ? ALLOW : denied(`${field} is set; ${key(flag)} is false`);
  };
  for (const verdict of [
    gate(['Privileged'], 'allow_privileged'),
    gate(['Devices', 'DeviceCgroupRules', 'DeviceRequests'], 'allow_all_devices'),
    gate(['CapAdd', 'CapDrop', 'Capabilities', 'SecurityOpt', 'NoNewPrivileges'], 'allow_capabilities'),
    gate(['RestartPolicy'], 'allow_restart_policy'),
    gate(UPDATE_RESOURCE_FIELDS, 'allow_resource_updates'),
  ]) {
    if (!verdict.ok) return verdict;
  }
  if (!flags.allow_resource_updates) return ALLOW;
  // dockerd leaves a zero value unchanged; negative values (and PidsLimit <= 0) remove the limit.
  const lifts: [keyof Group, string, boolean][] = [
    ['require_memory_limit', 'Memory', (body.Memory ?? 0) < 0],
    ['require_cpu_limit', 'NanoCpus', (body.NanoCpus ?? 0) < 0],
    ['require_cpu_limit_hard', 'NanoCpus', (body.NanoCpus ?? 0) < 0],
    ['require_cpu_limit', 'CpuQuota', (body.CpuQuota ?? 0) < 0],
    ['require_cpu_limit_hard', 'CpuQuota', (body.CpuQuota ?? 0) < 0],
    ['require_pids_limit', 'PidsLimit', body.PidsLimit !== undefined && body.PidsLimit <= 0],
  ];
  for (const [flag, field, lifted] of lifts) {
    if (flags[flag] && lifted) return denied(`${field} removes the limit; ${key(flag)} is true`);
  }
  return ALLOW;
}
