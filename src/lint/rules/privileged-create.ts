/**
 * request_body settings that let a client create a container as powerful as the host
 * (sockguard-config.md §8.2; security-notes.md privileged containers): `allow_privileged`,
 * `allow_all_devices`, `allow_all_capabilities`, and capabilities that are the host by themselves
 * (SYS_ADMIN mounts and escapes, SYS_MODULE loads kernel modules, SYS_RAWIO reads raw devices,
 * DAC_READ_SEARCH opens any host file by handle). A privileged exec is reported too: it runs with
 * every capability inside the container. Only where a rule lets clients reach the endpoint.
 */
import { normalizeCapability } from '../../policy/body/capabilities.js';
import { bodyScopes, PROBE_ID, stringEntries } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

const HOST_CAPABILITIES = new Set(['SYS_ADMIN', 'SYS_MODULE', 'SYS_RAWIO', 'DAC_READ_SEARCH']);

/** [flag, what it grants] for the boolean knobs. */
const FLAGS = [
  ['allow_privileged', 'privileged containers (every capability and device, no seccomp or AppArmor)'],
  ['allow_all_devices', 'containers with any host device, e.g. the host disk /dev/sda'],
  ['allow_all_capabilities', 'containers with any capability, SYS_ADMIN and SYS_MODULE included'],
] as const;

const CREATE_GROUPS = [
  { group: 'container_create', method: 'POST', path: '/containers/create' },
  { group: 'libpod_container_create', method: 'POST', path: '/libpod/containers/create' },
] as const;

const EXEC_PATH = `/containers/${PROBE_ID}/exec`;

export default defineRule({
  id: 'privileged-create',
  family: 'exposure',
  severity: 'error',
  summary: 'request_body lets clients create containers that are the host (privileged, all devices or capabilities)',
  help: 'A privileged container, or one with every device or SYS_ADMIN/SYS_MODULE/SYS_RAWIO/DAC_READ_SEARCH, can take over the host it runs on, so a client allowed to create one holds root on the host whatever the rules say. Keep allow_privileged, allow_all_devices and allow_all_capabilities false, list the few capabilities a workload needs in allowed_capabilities (e.g. NET_BIND_SERVICE), and devices in allowed_devices. A privileged exec (exec.allow_privileged) gives a process every capability inside an existing container.',
  check: (context) => {
    const findings: LintFinding[] = [];
    for (const scope of bodyScopes(context)) {
      for (const { group, method, path } of CREATE_GROUPS) {
        const settings = scope.block?.[group];
        if (!settings) continue;
        const rule = scope.reachedBy(method, path);
        if (rule === undefined) continue;
        const reached = `${rule} allows ${method} ${path}`;
        for (const [flag, grants] of FLAGS) {
          if (settings[flag] !== true) continue;
          findings.push({
            message: `${scope.key}.${group}.${flag} is true and ${reached}: clients may create ${grants}, which is root on the host; set it to false`,
            pointer: `${scope.pointer}/${group}/${flag}`,
          });
        }
        for (const [i, name] of stringEntries(settings.allowed_capabilities)) {
          const capability = normalizeCapability(name);
          if (!HOST_CAPABILITIES.has(capability)) continue;
          findings.push({
            message: `${scope.key}.${group}.allowed_capabilities lets containers add ${capability} and ${reached}: ${capability} alone escapes to the host; remove it and list only what the workload needs (e.g. NET_BIND_SERVICE)`,
            pointer: `${scope.pointer}/${group}/allowed_capabilities/${i}`,
          });
        }
      }
      if (scope.block?.exec?.allow_privileged === true) {
        const rule = scope.reachedBy('POST', EXEC_PATH);
        if (rule !== undefined) {
          findings.push({
            message: `${scope.key}.exec.allow_privileged is true and ${rule} allows POST /containers/{id}/exec: an exec may run with every capability inside any container it reaches; set it to false`,
            pointer: `${scope.pointer}/exec/allow_privileged`,
            severity: 'warning',
          });
        }
      }
    }
    return findings;
  },
});
