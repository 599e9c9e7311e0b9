/**
 * `response.allow_attestation_statements: false` (the default) denies
 * `GET /images/{name}/attestations?statement=true` outright (sockguard-config.md §7): the statements
 * embed build provenance (build args, source URLs, sometimes secrets). `statement` is read as dockerd
 * reads a boolean (first value, anything but "", 0, no, false, none is true, D9/D10); a query dockerd
 * could not parse is denied too.
 */
import { isGoTrue, parseGoQuery } from '../body/go-query.js';
import { compileRoutePattern } from '../ownership/route-pattern.js';

/**
 * How serve and `sockguard test` report the denial. The reason code is ours: the Go proxy's §13.3
 * list predates the setting's enforcement.
 */
export const ATTESTATION_STATEMENTS_DENIAL = {
  status: 403,
  reasonCode: 'attestation_statements_denied',
  reason:
    'response.allow_attestation_statements is false: image attestation statements (build provenance) are not served',
} as const;

const ATTESTATIONS = compileRoutePattern('GET', '/images/{ref*}/attestations');

export function deniesAttestationStatements(
  method: string,
  normalizedPath: string,
  rawQuery: string | undefined,
  allowAttestationStatements: boolean,
): boolean {
  if (allowAttestationStatements || ATTESTATIONS.match(method, normalizedPath) === undefined) return false;
  const query = parseGoQuery(rawQuery);
  return !query.ok || isGoTrue(query.query.get('statement'));
}
