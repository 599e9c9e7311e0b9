/**
 * `response.redact_*` switched off while a rule lets clients read a response it would have redacted
 * (sockguard-config.md §7; what each flag removes is redaction-rules.ts). The reads checked are the
 * routes serve redacts (response-routes.ts); which of them a flag touches comes from the redaction
 * rules themselves, so lint and serve cannot disagree. The flags are top-level and apply to every
 * client, so any profile's rules can make the leak reachable. redact_host_topology is off by default
 * and names no secret, so it is not reported.
 */
import { findResponseRoute } from '../../policy/response/response-routes.js';
import { REDACTION_RULES, type RedactionFlag } from '../../policy/response/redaction-rules.js';
import { PROBE_ID } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { firstReached } from '../response-scopes.js';

/** One read of every route serve redacts (as templates), in the order findings name them. */
const READS: readonly string[] = [
  '/containers/{id}/json',
  '/containers/json',
  '/services/{id}',
  '/services',
  '/tasks/{id}',
  '/tasks',
  '/secrets/{id}',
  '/secrets',
  '/configs/{id}',
  '/configs',
  '/plugins/{name}/json',
  '/plugins',
  '/volumes/{name}',
  '/volumes',
  '/networks/{id}',
  '/networks',
  '/images/{name}/json',
  '/images/json',
  '/nodes/{id}',
  '/nodes',
  '/swarm',
  '/swarm/unlockkey',
  '/info',
  '/system/df',
];

const LEAKS: Record<Exclude<RedactionFlag, 'redact_host_topology'>, string> = {
  redact_container_env:
    'the environment of containers, services, tasks and plugins (passwords and tokens passed with -e)',
  redact_mount_paths: "host paths of bind mounts, volumes and devices, and the daemon's data directories",
  redact_network_topology: 'container, network, node and swarm addresses, gateways, MAC addresses and endpoint IDs',
  redact_sensitive_data:
    'secret and config references, config payloads, swarm join tokens, the unlock key and the swarm CA key',
};

const readsRedactedBy = (flag: RedactionFlag) =>
  READS.map((template) => ({ method: 'GET', path: template.replace(/\{[^}]*\}/g, PROBE_ID), template })).filter(
    ({ path }) => {
      const route = findResponseRoute('GET', path);
      return route !== undefined && REDACTION_RULES[route.shape].some((rule) => rule.flag === flag);
    },
  );

export default defineRule({
  id: 'redaction-off',
  family: 'exposure',
  severity: 'warning',
  summary: 'Response redaction switched off for reads clients can make',
  help: 'Sockguard redacts daemon responses before clients see them (response.redact_container_env, redact_mount_paths, redact_network_topology, redact_sensitive_data, all on by default): container and service environments hold credentials, mount paths map the host, addresses map the network, and swarm material (join tokens, the unlock key, the CA key) lets a client take over the cluster. Switching one off hands that data to every client a read rule admits. Keep the flag on; a client that really needs the data should talk to the daemon under a separate, audited policy.',
  check: (context) => {
    const response = context.document.response;
    const findings: LintFinding[] = [];
    for (const [flag, leaks] of Object.entries(LEAKS) as [keyof typeof LEAKS, string][]) {
      if (response?.[flag] !== false) continue;
      const reached = firstReached(context, readsRedactedBy(flag));
      if (reached === undefined) continue;
      findings.push({
        message: `response.${flag} is false and ${reached.rule} allows ${reached.method} ${reached.template}: clients read ${leaks} unredacted; remove the setting to keep redaction on`,
        pointer: `/response/${flag}`,
      });
    }
    return findings;
  },
});
