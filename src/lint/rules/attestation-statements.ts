/**
 * `response.allow_attestation_statements: true` (sockguard-config.md §7): serve then forwards
 * `GET /images/{name}/attestations?statement=true`, whose in-toto statements embed build provenance
 * (build arguments, source URLs, sometimes secrets passed at build time). A warning when a rule lets
 * clients reach the endpoint, else an info that the setting has no effect yet.
 */
import { PROBE_ID } from '../body-scopes.js';
import { defineRule } from '../lint-rule.js';
import { firstReached } from '../response-scopes.js';

const ATTESTATIONS = { method: 'GET', path: `/images/${PROBE_ID}/attestations` };

export default defineRule({
  id: 'attestation-statements',
  family: 'exposure',
  severity: 'warning',
  summary: 'allow_attestation_statements lets clients read build provenance',
  help: 'By default serve denies GET /images/{name}/attestations?statement=true: the in-toto statements attached to an image record how it was built (build arguments, source repositories and commits, sometimes secrets passed as build arguments). response.allow_attestation_statements: true forwards them to every client a rule lets read image attestations. Leave it off unless clients verify provenance; the attestation list without statement=true stays available either way.',
  check: (context) => {
    if (context.document.response?.allow_attestation_statements !== true) return [];
    const reached = firstReached(context, [ATTESTATIONS]);
    const pointer = '/response/allow_attestation_statements';
    if (reached === undefined) {
      return [
        {
          severity: 'info',
          message: `response.allow_attestation_statements is true, but no rule allows GET /images/{name}/attestations, so it has no effect yet; a rule allowing it later would expose build provenance`,
          pointer,
        },
      ];
    }
    return [
      {
        message: `response.allow_attestation_statements is true and ${reached.rule} allows GET /images/{name}/attestations: clients read ?statement=true provenance (build arguments, source URLs, sometimes build secrets); remove the setting unless clients verify provenance`,
        pointer,
      },
    ];
  },
});
