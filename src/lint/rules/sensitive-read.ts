/**
 * Reads that leak without being in the proxy's startup probes (security-notes.md §5, §10): HEAD on
 * a container archive stats any file, GET /swarm returns the manager join token, GET
 * /swarm/unlockkey the unlock key, GET /configs/{id} config payloads, GET /distribution/... makes
 * the daemon contact any registry. The proxy starts anyway, so these are warnings; the ones that
 * are plain data reads drop to info once insecure_allow_read_exfiltration acknowledges such reads.
 */
import type { Probe } from '../../policy/probes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { allowedProbesByRule } from '../probe-findings.js';

interface SensitiveProbe extends Probe {
  leaks: string;
  /** True when insecure_allow_read_exfiltration already acknowledges this kind of read. */
  acknowledgedByReadAck: boolean;
}

const id = 'sockguard-test';
export const SENSITIVE_READ_PROBES: readonly SensitiveProbe[] = [
  {
    method: 'HEAD',
    path: `/containers/${id}/archive`,
    leaks: 'stats any file in the container (name, size, mode, link target)',
    acknowledgedByReadAck: true,
  },
  { method: 'GET', path: `/configs/${id}`, leaks: 'returns config payloads', acknowledgedByReadAck: true },
  {
    method: 'GET',
    path: '/swarm',
    leaks: 'returns the swarm join tokens, including the manager token',
    acknowledgedByReadAck: false,
  },
  { method: 'GET', path: '/swarm/unlockkey', leaks: 'returns the swarm unlock key', acknowledgedByReadAck: false },
  {
    method: 'GET',
    path: `/distribution/registry.example/${id}/json`,
    leaks: 'makes the daemon contact any registry host (server-side request forgery)',
    acknowledgedByReadAck: false,
  },
];

export default defineRule({
  id: 'sensitive-read',
  family: 'exposure',
  severity: 'warning',
  summary: "Rules allow reads that leak secrets but are not in the proxy's startup probes",
  help: "Some reads are more than reads: HEAD /containers/{id}/archive returns a stat of any file in the container, GET /swarm returns the swarm join tokens (the manager token lets anyone schedule containers on the cluster), GET /swarm/unlockkey the unlock key, GET /configs/{id} config payloads, and GET /distribution/{name}/json makes the daemon contact an arbitrary registry. Sockguard's startup probes do not cover them, so the proxy starts; deny them explicitly above broader allow rules unless clients need them.",
  check: (context) => {
    const acknowledged = context.policy?.insecure_allow_read_exfiltration === true;
    return context.scopes.flatMap((scope) =>
      allowedProbesByRule(context, scope, SENSITIVE_READ_PROBES).map((group): LintFinding => {
        const details = group.probes.map((p) => `${p.method} ${p.path} ${p.leaks}`).join('; ');
        const allAcknowledged = acknowledged && group.probes.every((p) => p.acknowledgedByReadAck);
        return {
          message: `${group.name} allows reads that leak: ${details}; deny these above the rule unless clients need them`,
          pointer: group.pointer,
          ...(allAcknowledged ? { severity: 'info' as const } : {}),
        };
      }),
    );
  },
});
