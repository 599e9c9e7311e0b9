import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityFromPem } from '../../../src/policy/clients/certificate-identity.js';
import { certificateMatches } from '../../../src/policy/clients/certificate-selectors.js';
import { compileClients } from '../../../src/policy/clients/compile-clients.js';
import { resolvePolicy } from '../../../src/policy/load.js';
import { REPO_ROOT } from '../../helpers/run-cli.js';

const DIR = join(REPO_ROOT, 'fixtures/cases/inspection');
const pem = (name: string) => readFileSync(join(DIR, name), 'utf8');

function identity(name: string) {
  const result = identityFromPem(pem(name));
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.value;
}

/** The SPKI pin as openssl-independent truth: the DER SubjectPublicKeyInfo, hashed. */
function spkiOf(name: string): string {
  const cert = new X509Certificate(pem(name));
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

test('CN, DNS, IP and URI SANs and the SPKI pin of a CI client certificate', () => {
  assert.deepEqual(identity('ci-client.pem'), {
    commonName: 'ci-runner',
    dnsNames: ['ci.internal'],
    ipAddresses: ['10.1.2.3'],
    uriSans: ['spiffe://example.org/ns/ci/sa/runner'],
    spkiSha256: '5720453b16ce4c9b8391c9af55f4cc8be957fe70712a813b0782ade0804b4a78',
  });
  assert.equal(identity('ci-client.pem').spkiSha256, spkiOf('ci-client.pem'));
});

test('several CNs: the last one, like Go; a quoted URI with ", DNS:" inside stays one URI', () => {
  const id = identity('tricky-client.pem');
  assert.equal(id.commonName, 'last');
  assert.deepEqual(id.dnsNames, ['a.example', 'b.example'], 'no DNS name smuggled through the URI');
  assert.deepEqual(id.uriSans, ['SPIFFE://example.org/ns/x', 'https://x.example/a, DNS:evil.example']);
  assert.equal(id.ipAddresses.length, 1);
});

test('the identity feeds the selectors: SPIFFE IDs (scheme case folded), IPv6 SANs, pins', () => {
  const clients = compileClients(
    resolvePolicy({
      clients: {
        client_certificate_profiles: [
          { profile: 'a', spiffe_ids: ['spiffe://example.org/ns/x'] },
          { profile: 'b', ip_addresses: ['2001:db8::1'] },
          { profile: 'c', dns_names: ['evil.example'] },
          { profile: 'd', public_key_sha256_pins: [`sha256:${spkiOf('tricky-client.pem').toUpperCase()}`] },
        ],
        profiles: ['a', 'b', 'c', 'd'].map((name) => ({
          name,
          rules: [{ match: { method: 'GET', path: '/' }, action: 'allow' as const }],
        })),
      },
    }).clients,
  );
  const id = identity('tricky-client.pem');
  const matching = clients.certificateProfiles.filter((e) => certificateMatches(id, e.selectors)).map((e) => e.profile);
  assert.deepEqual(matching, ['a', 'b', 'd']);
});

test('a chain file: the first certificate (the leaf a client presents first)', () => {
  assert.equal(identity('chain.pem').commonName, 'ci-runner');
});

test('a certificate without SANs has empty lists', () => {
  const id = identity('other-client.pem');
  assert.equal(id.commonName, 'laptop');
  assert.deepEqual(id.uriSans, []);
  assert.deepEqual(id.ipAddresses, []);
});

const BAD: [string, string, RegExp][] = [
  ['not PEM at all', 'hello', /no "-----BEGIN CERTIFICATE-----" block/],
  [
    'a private key',
    '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    /no "-----BEGIN CERTIFICATE-----" block/,
  ],
  ['a broken certificate', pem('not-a-certificate.pem'), /not a readable X\.509 certificate/],
];

for (const [name, text, problem] of BAD) {
  test(`identityFromPem refuses ${name}`, () => {
    const result = identityFromPem(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problem, problem);
  });
}
