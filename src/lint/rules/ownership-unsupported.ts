/**
 * Allow rules reaching endpoints owner isolation cannot scope (sockguard-config.md §10,
 * classify-owned-request.ts `unsupported`): with `ownership.owner` set, serve denies every such
 * request with 403 owner_policy_denied_access, so the rule allows something that never works. Every
 * catalogued Engine endpoint (endpoint-catalog.ts) and Podman's libpod API (which owner isolation
 * has no routes for) is probed; the finding sits on the rule that allows them.
 */
import { classifyOwnedRequest } from '../../policy/ownership/classify-owned-request.js';
import type { Probe } from '../../policy/probes.js';
import { PROBE_ID } from '../body-scopes.js';
import { ENGINE_ENDPOINTS } from '../endpoint-catalog.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { allowedProbesByRule } from '../probe-findings.js';
import { ownershipOf } from '../response-scopes.js';

/** A probe request and the endpoint it stands for, as messages name it. */
type EndpointProbe = Probe & { template: string };

/** A few libpod requests stand for the whole uncatalogued API. */
const LIBPOD_PROBES: readonly EndpointProbe[] = [
  { method: 'GET', path: '/libpod/info', template: '/libpod/info' },
  { method: 'GET', path: '/libpod/containers/json', template: '/libpod/containers/json' },
  { method: 'POST', path: '/libpod/containers/create', template: '/libpod/containers/create' },
];

const CATALOG_PROBES: readonly EndpointProbe[] = ENGINE_ENDPOINTS.map((e) => ({
  method: e.method,
  path: e.path.replace(/\{[^}]*\}/g, PROBE_ID),
  template: e.path,
}));

const formatEndpoints = (probes: readonly EndpointProbe[]): string =>
  probes.map((p) => `${p.method} ${p.template}`).join(', ');

export default defineRule({
  id: 'ownership-unsupported',
  family: 'rule',
  severity: 'warning',
  summary: 'Rule allows endpoints owner isolation always denies',
  help: 'With ownership.owner set, serve forwards only requests it can scope to the owner: creates (stamped with the owner label), lists, prunes and events (filtered by it), requests on one object (checked against it) and daemon-wide reads. Anything else, such as checkpoints, build cancel, the debug endpoints and the whole Podman libpod API, is denied with 403 owner_policy_denied_access whatever the rules say. An allow rule for them is dead and misleads readers: narrow it or remove it, or run those clients without owner isolation.',
  check: (context) => {
    const ownership = ownershipOf(context);
    if (!ownership) return [];
    const unsupported = [...CATALOG_PROBES, ...LIBPOD_PROBES].filter(
      (probe) => classifyOwnedRequest(probe.method, probe.path, ownership).kind === 'unsupported',
    );
    const findings: LintFinding[] = [];
    for (const scope of context.scopes) {
      for (const group of allowedProbesByRule(context, scope, unsupported)) {
        findings.push({
          message: `${group.name} allows ${formatEndpoints(group.probes)}, which owner isolation (ownership.owner "${ownership.owner}") cannot scope: serve always denies them with 403 owner_policy_denied_access; narrow the rule to the endpoints owners can use`,
          pointer: group.pointer,
        });
      }
    }
    return findings;
  },
});
