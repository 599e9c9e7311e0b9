/**
 * Body-sensitive writes that no request-body inspector covers (exec without allowed_commands,
 * swarm join without allowed_join_remote_addrs, plugin set without allowed_set_env_prefixes, and
 * the libpod kube/manifest endpoints): the proxy refuses to start without
 * `insecure_allow_body_blind_writes` (sockguard-config.md §8.3).
 */
import type { Probe } from '../../policy/probes.js';
import { defineRule } from '../lint-rule.js';
import { startupProblemFindings } from '../probe-findings.js';

/** The request_body setting that puts an inspector in front of a probe, when one exists. */
function coveringSetting(probe: Probe): string | undefined {
  if (/\/exec(\/[^/]+\/start)?$/.test(probe.path)) return 'exec.allowed_commands';
  if (probe.path === '/swarm/join') return 'swarm.allowed_join_remote_addrs';
  if (/^\/plugins\/[^/]+\/set$/.test(probe.path)) return 'plugin.allowed_set_env_prefixes';
  return undefined;
}

export default defineRule({
  id: 'body-blind-writes',
  family: 'exposure',
  severity: 'error',
  summary: 'Rules allow body-sensitive writes that no request-body inspector covers',
  help: 'Some write endpoints carry their danger in the request body: exec runs any command, swarm join attaches the host to any manager, plugin set changes a privileged plugin. Sockguard inspects these bodies only when the matching request_body setting is configured (request_body.exec.allowed_commands, request_body.swarm.allowed_join_remote_addrs, request_body.plugin.allowed_set_env_prefixes; the libpod kube/manifest endpoints have no inspector) and refuses to start otherwise, unless insecure_allow_body_blind_writes: true acknowledges the risk.',
  check: (context) =>
    startupProblemFindings(context, 'body-blind-writes', (probes, scope) => {
      const settings = [...new Set(probes.map(coveringSetting).filter((s) => s !== undefined))];
      const where = scope.profile !== undefined ? `clients.profiles[] "${scope.profile}" request_body` : 'request_body';
      const configure =
        settings.length > 0
          ? `configure ${settings.map((s) => `${where}.${s}`).join(', ')} so sockguard inspects them, `
          : '';
      return `no request-body inspector covers these writes, and sockguard refuses to start with them allowed; ${configure}deny them, or set insecure_allow_body_blind_writes: true at the top level to accept the risk`;
    }),
});
