/**
 * Opaque BuildKit tunnels (`POST /session`, `POST /grpc`) reachable without `request_body.buildkit`
 * mediation or the deprecated `insecure_accept_opaque_buildkit_tunnels`: the proxy refuses to start
 * (sockguard-config.md §8.3). Through them a client drives BuildKit unfiltered (security-notes.md §6).
 */
import { defineRule } from '../lint-rule.js';
import { startupProblemFindings } from '../probe-findings.js';

export default defineRule({
  id: 'buildkit-tunnels',
  family: 'exposure',
  severity: 'error',
  summary: 'Rules allow opaque BuildKit tunnels (/session, /grpc) without mediation',
  help: "POST /session and POST /grpc hijack the connection and carry the BuildKit API over it, out of reach of method and path rules; BuildKit had an entitlement bypass in exactly that API (CVE-2024-23653). Sockguard refuses to start when a rule allows them unless request_body.buildkit configures mediation (not enforced by this toolkit's proxy yet) or the deprecated insecure_accept_opaque_buildkit_tunnels: true is set. Deny them unless clients use BuildKit through the proxy.",
  check: (context) =>
    startupProblemFindings(
      context,
      'buildkit-tunnels',
      () =>
        'these tunnel the BuildKit API past every rule, and sockguard refuses to start with them allowed; deny them, configure request_body.buildkit mediation, or set the deprecated insecure_accept_opaque_buildkit_tunnels: true',
    ),
});
