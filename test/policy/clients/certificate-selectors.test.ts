import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  certificateMatches,
  spiffeIdsOf,
  type CertificateIdentity,
  type CertificateSelectors,
} from '../../../src/policy/clients/certificate-selectors.js';
import { parseClientIp } from '../../../src/policy/clients/ip-address.js';

const PIN = 'ab'.repeat(32);
const cert: CertificateIdentity = {
  commonName: ' builder ',
  dnsNames: ['ci.example.org', 'build.example.org'],
  ipAddresses: ['10.0.0.5', '0:0:0:0:0:0:0:1'],
  uriSans: ['SPIFFE://example.org/ci/builder', 'https://example.org/id'],
  spkiSha256: PIN.toUpperCase(),
};

const none: CertificateSelectors = {
  commonNames: [],
  dnsNames: [],
  ipAddresses: [],
  uriSans: [],
  spiffeIds: [],
  publicKeySha256Pins: [],
};
const select = (s: Partial<CertificateSelectors>): CertificateSelectors => ({ ...none, ...s });
const ips = (...texts: string[]) => texts.map((t) => parseClientIp(t)!);

test('certificateMatches: each selector field on its own (entries OR)', () => {
  const cases: [string, Partial<CertificateSelectors>, boolean][] = [
    ['CN trimmed, exact', { commonNames: ['builder'] }, true],
    ['CN other', { commonNames: ['deployer'] }, false],
    ['CN case-sensitive', { commonNames: ['Builder'] }, false],
    ['CN one of several', { commonNames: ['x', 'builder'] }, true],
    ['DNS any SAN', { dnsNames: ['build.example.org'] }, true],
    ['DNS case-sensitive', { dnsNames: ['CI.example.org'] }, false],
    ['DNS no wildcard expansion', { dnsNames: ['*.example.org'] }, false],
    ['IP SAN v4', { ipAddresses: ips('10.0.0.5') }, true],
    ['IP SAN v6 any spelling', { ipAddresses: ips('::1') }, true],
    ['IP SAN mapped config', { ipAddresses: ips('::ffff:10.0.0.5') }, true],
    ['IP SAN other', { ipAddresses: ips('10.0.0.6') }, false],
    ['URI SAN exact', { uriSans: ['https://example.org/id'] }, true],
    ['URI SAN scheme case folded', { uriSans: ['spiffe://example.org/ci/builder'] }, true],
    ['URI SAN path case kept', { uriSans: ['https://example.org/ID'] }, false],
    ['SPIFFE ID', { spiffeIds: ['spiffe://example.org/ci/builder'] }, true],
    ['SPIFFE ID no prefix match', { spiffeIds: ['spiffe://example.org/ci'] }, false],
    ['SPIFFE ID is not any URI SAN', { spiffeIds: ['https://example.org/id'] }, false],
    ['pin lower/upper hex', { publicKeySha256Pins: [PIN] }, true],
    ['pin other', { publicKeySha256Pins: ['cd'.repeat(32)] }, false],
    ['no selector never matches', {}, false],
  ];
  for (const [name, selectors, expected] of cases)
    assert.equal(certificateMatches(cert, select(selectors)), expected, name);
});

test('certificateMatches: fields AND', () => {
  assert.equal(certificateMatches(cert, select({ commonNames: ['builder'], dnsNames: ['ci.example.org'] })), true);
  assert.equal(certificateMatches(cert, select({ commonNames: ['builder'], dnsNames: ['other.example.org'] })), false);
  assert.equal(
    certificateMatches(
      cert,
      select({ spiffeIds: ['spiffe://example.org/ci/builder'], publicKeySha256Pins: ['00'.repeat(32)] }),
    ),
    false,
  );
});

test('certificateMatches: a certificate without CN or SANs matches only pin selectors', () => {
  const bare: CertificateIdentity = { dnsNames: [], ipAddresses: [], uriSans: [], spkiSha256: PIN };
  assert.equal(certificateMatches(bare, select({ commonNames: [''] })), false);
  assert.equal(certificateMatches(bare, select({ dnsNames: ['x'] })), false);
  assert.equal(certificateMatches(bare, select({ publicKeySha256Pins: [PIN] })), true);
});

test('spiffeIdsOf keeps the spiffe-scheme URI SANs, scheme lower-cased', () => {
  assert.deepEqual(spiffeIdsOf(cert.uriSans), ['spiffe://example.org/ci/builder']);
  assert.deepEqual(spiffeIdsOf(['urn:x', 'spiffe:/bad']), []);
});
