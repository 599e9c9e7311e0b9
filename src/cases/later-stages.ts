/**
 * Whether a request the rules allowed goes through a stage after them in serve: a request-body
 * inspector, the attestation statements gate, request-side visibility or owner isolation. `sockguard test` and suites decide
 * other requests by their rules alone, without loading the client, body and ownership cores.
 */
import { findBodyRoute } from '../policy/body/body-routes.js';
import { parseTarget } from '../policy/canonical-path.js';
import { deniesAttestationStatements } from '../policy/response/attestation-statements.js';
import type { Policy } from '../policy/schema.js';
import type { RequestReport } from './explain-request.js';
import type { PolicyUnderTest } from './policy-under-test.js';

/** Whether some scope has visibility selectors or patterns (the root's apply to every profile). */
function constrainsVisibility(policy: Policy): boolean {
  const set = (r: { visible_resource_labels?: unknown[]; name_patterns?: unknown[]; image_patterns?: unknown[] }) =>
    (r.visible_resource_labels?.length ?? 0) + (r.name_patterns?.length ?? 0) + (r.image_patterns?.length ?? 0) > 0;
  return (
    set(policy.response) || (policy.clients.profiles ?? []).some((p) => p.response !== undefined && set(p.response))
  );
}

export function reachesLaterStages(put: PolicyUnderTest, report: RequestReport): boolean {
  if (report.decision !== 'allow') return false;
  const { policy } = put.compiled;
  return (
    findBodyRoute(report.method, report.normalizedPath) !== undefined ||
    (policy.ownership.owner ?? '') !== '' ||
    constrainsVisibility(policy) ||
    deniesAttestationStatements(
      report.method,
      report.normalizedPath,
      parseTarget(report.path).rawQuery,
      policy.response.allow_attestation_statements,
    )
  );
}
