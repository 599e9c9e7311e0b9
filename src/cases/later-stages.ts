/**
 * Whether a request the rules allowed goes through a stage after them in serve: a request-body
 * inspector, the attestation statements gate, or owner isolation. `sockguard test` and suites decide
 * other requests by their rules alone, without loading the client, body and ownership cores.
 */
import { findBodyRoute } from '../policy/body/body-routes.js';
import { parseTarget } from '../policy/canonical-path.js';
import { deniesAttestationStatements } from '../policy/response/attestation-statements.js';
import type { RequestReport } from './explain-request.js';
import type { PolicyUnderTest } from './policy-under-test.js';

export function reachesLaterStages(put: PolicyUnderTest, report: RequestReport): boolean {
  if (report.decision !== 'allow') return false;
  const { policy } = put.compiled;
  return (
    findBodyRoute(report.method, report.normalizedPath) !== undefined ||
    (policy.ownership.owner ?? '') !== '' ||
    deniesAttestationStatements(
      report.method,
      report.normalizedPath,
      parseTarget(report.path).rawQuery,
      policy.response.allow_attestation_statements,
    )
  );
}
