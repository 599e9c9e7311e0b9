import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CertificateIdentity } from '../../../src/policy/clients/certificate-selectors.js';
import { resolveProfile, type ClientIdentity } from '../../../src/policy/clients/resolve-profile.js';
import { clientsFrom, profileYaml } from './fixture.js';

const PIN = 'ab'.repeat(32);
const PROFILES = [
  'cert-cn',
  'cert-spiffe',
  'cert-pin',
  'peer-uid',
  'peer-gid',
  'peer-both',
  'peer-pid',
  'lan',
  'vpn',
  'fallback',
];

const clients = clientsFrom(`clients:
  default_profile: fallback
  client_certificate_profiles:
    - profile: cert-cn
      common_names: [builder]
      dns_names: [ci.example.org]
    - profile: cert-spiffe
      spiffe_ids: [spiffe://example.org/deployer]
    - profile: cert-pin
      public_key_sha256_pins: ['sha256:${PIN}']
  unix_peer_profiles:
    - profile: peer-both
      uids: [1000]
      gids: [2000]
    - profile: peer-uid
      uids: [1000, 1001]
    - profile: peer-gid
      gids: [999]
    - profile: peer-pid
      uids: [3000]
      pids: [42]
  source_ip_profiles:
    - profile: lan
      cidrs: [192.168.0.0/16, fd00::/8]
    - profile: vpn
      cidrs: [10.0.0.0/8, 192.168.7.0/24]
  profiles:
${PROFILES.map((p) => profileYaml(p)).join('')}`);

const cert = (over: Partial<CertificateIdentity>): CertificateIdentity => ({
  dnsNames: [],
  ipAddresses: [],
  uriSans: [],
  spkiSha256: '00'.repeat(32),
  ...over,
});

const profileOf = (identity: ClientIdentity) => {
  const r = resolveProfile(identity, clients);
  return r.ok ? (r.profile === undefined ? 'root' : `${r.profile} (${r.selector})`) : `${r.status} ${r.reasonCode}`;
};

test('resolveProfile: every selector, and the order certificate > unix peer > source IP > default', () => {
  const cases: [string, ClientIdentity, string][] = [
    [
      'CN + DNS',
      { certificate: cert({ commonName: 'builder', dnsNames: ['ci.example.org'] }) },
      'cert-cn (client_certificate)',
    ],
    ['CN without the DNS SAN', { certificate: cert({ commonName: 'builder' }) }, 'fallback (default_profile)'],
    [
      'SPIFFE ID',
      { certificate: cert({ uriSans: ['spiffe://example.org/deployer'] }) },
      'cert-spiffe (client_certificate)',
    ],
    ['pin', { certificate: cert({ spkiSha256: PIN }) }, 'cert-pin (client_certificate)'],
    [
      'first certificate entry wins',
      { certificate: cert({ commonName: 'builder', dnsNames: ['ci.example.org'], spkiSha256: PIN }) },
      'cert-cn (client_certificate)',
    ],
    [
      'certificate beats source IP',
      { certificate: cert({ spkiSha256: PIN }), sourceIp: '192.168.1.1' },
      'cert-pin (client_certificate)',
    ],
    ['unmatched certificate falls to source IP', { certificate: cert({}), sourceIp: '192.168.1.1' }, 'lan (source_ip)'],
    ['uid and gid', { unixPeer: { uid: 1000, gid: 2000, pid: 7 } }, 'peer-both (unix_peer)'],
    ['uid only (first entry needs the gid too)', { unixPeer: { uid: 1000, gid: 100, pid: 7 } }, 'peer-uid (unix_peer)'],
    ['second uid of a list', { unixPeer: { uid: 1001, gid: 100, pid: 7 } }, 'peer-uid (unix_peer)'],
    ['gid', { unixPeer: { uid: 5, gid: 999, pid: 7 } }, 'peer-gid (unix_peer)'],
    ['uid + pid', { unixPeer: { uid: 3000, gid: 1, pid: 42 } }, 'peer-pid (unix_peer)'],
    ['uid with another pid', { unixPeer: { uid: 3000, gid: 1, pid: 43 } }, 'fallback (default_profile)'],
    ['root (uid 0) is nobody special', { unixPeer: { uid: 0, gid: 0, pid: 1 } }, 'fallback (default_profile)'],
    [
      'certificate beats unix peer',
      { certificate: cert({ spkiSha256: PIN }), unixPeer: { uid: 1000, gid: 2000, pid: 1 } },
      'cert-pin (client_certificate)',
    ],
    [
      'unix peer beats source IP',
      { unixPeer: { uid: 999999, gid: 999, pid: 1 }, sourceIp: '10.0.0.1' },
      'peer-gid (unix_peer)',
    ],
    ['source IP, first entry', { sourceIp: '192.168.7.5' }, 'lan (source_ip)'],
    ['source IP, second entry', { sourceIp: '10.2.3.4' }, 'vpn (source_ip)'],
    ['source IP, mapped', { sourceIp: '::ffff:10.2.3.4' }, 'vpn (source_ip)'],
    ['source IP, v6', { sourceIp: 'fd12::1' }, 'lan (source_ip)'],
    ['source IP outside', { sourceIp: '203.0.113.1' }, 'fallback (default_profile)'],
    ['nothing known', {}, 'fallback (default_profile)'],
    [
      'unreadable unix peer with unix_peer_profiles: refused, not defaulted',
      { unixPeer: 'unreadable' },
      '502 client_identity_lookup_failed',
    ],
  ];
  for (const [name, identity, expected] of cases) assert.equal(profileOf(identity), expected, name);
});

test('resolveProfile: without default_profile an unmatched client gets the root policy', () => {
  const bare = clientsFrom(`clients:
  source_ip_profiles:
    - profile: lan
      cidrs: [192.168.0.0/16]
  profiles:
${profileYaml('lan')}`);
  assert.deepEqual(resolveProfile({ sourceIp: '10.0.0.1' }, bare), { ok: true, profile: undefined });
  assert.deepEqual(resolveProfile({ sourceIp: '192.168.0.1' }, bare), {
    ok: true,
    profile: 'lan',
    selector: 'source_ip',
  });
  // No unix_peer_profiles: unreadable credentials do not matter.
  assert.deepEqual(resolveProfile({ unixPeer: 'unreadable' }, bare), { ok: true, profile: undefined });
});

test('resolveProfile: a selected name that is not a profile is refused (client_policy_profile_unresolved)', () => {
  const compiled = clientsFrom(`clients:
  profiles:
${profileYaml('real')}`);
  const broken = { ...compiled, defaultProfile: 'ghost' };
  const r = resolveProfile({}, broken);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.status, 403);
  assert.equal(!r.ok && r.reasonCode, 'client_policy_profile_unresolved');
  assert.deepEqual(!r.ok && r.body, { message: 'request denied by sockguard policy' });
});
