import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deniesAttestationStatements } from '../../../src/policy/response/attestation-statements.js';

describe('deniesAttestationStatements', () => {
  const path = '/images/ghcr.io/org/app:1/attestations';
  const cases: [string, string, string | undefined, boolean, boolean][] = [
    ['statement=true', path, 'statement=true', false, true],
    ['statement=1', path, 'statement=1', false, true],
    ['statement=on (any non-false value is true to dockerd)', path, 'platform=x&statement=on', false, true],
    ['statement=false', path, 'statement=false', false, false],
    ['statement=0', path, 'statement=0', false, false],
    ['no statement parameter', path, 'type=provenance', false, false],
    ['no query', path, undefined, false, false],
    ['the first value decides, like dockerd', path, 'statement=0&statement=1', false, false],
    ['an encoded parameter name', path, 'st%61tement=1', false, true],
    ['a query dockerd cannot parse', path, 'statement=0;x=1', false, true],
    ['allowed by policy', path, 'statement=true', true, false],
    ['another route', '/images/app/json', 'statement=true', false, false],
  ];
  for (const [name, p, query, allow, denied] of cases) {
    it(name, () => assert.equal(deniesAttestationStatements('GET', p, query, allow), denied));
  }

  it('only GET reaches the attestations handler', () => {
    assert.equal(deniesAttestationStatements('POST', path, 'statement=1', false), false);
  });
});
