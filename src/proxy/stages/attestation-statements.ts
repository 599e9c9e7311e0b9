/**
 * `response.allow_attestation_statements: false` (the default): `GET /images/{name}/attestations`
 * asking for the statements is denied outright, after the rules allowed it (sockguard-config.md §7);
 * the statements embed build provenance (build args, source URLs, sometimes secrets). The decision is
 * the core's (deniesAttestationStatements), on the normalized path and the query dockerd reads.
 * Pinned by test/proxy/ownership.test.ts.
 */
import {
  ATTESTATION_STATEMENTS_DENIAL,
  deniesAttestationStatements,
} from '../../policy/response/attestation-statements.js';
import type { Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { denyReply } from './rules.js';

function judge(exchange: Exchange): StageResult {
  const { target } = exchange;
  const denied = deniesAttestationStatements(
    exchange.req.method ?? '',
    target.normalizedPath,
    target.rawQuery,
    exchange.policy.policy.response.allow_attestation_statements,
  );
  if (!denied) return undefined;
  const { status, reasonCode, reason } = ATTESTATION_STATEMENTS_DENIAL;
  return denyReply(exchange, status, reasonCode, reason);
}

export const attestationStatementsStage: Stage = { name: 'attestation-statements', run: judge };
