import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeClient, offlineGaps, type ClientInput } from '../../../src/policy/clients/judge-client.js';
import { compileRequestPolicies } from '../../../src/policy/clients/request-policies.js';
import { resolvePolicy } from '../../../src/policy/load.js';
import type { PolicyDocument } from '../../../src/policy/schema.js';

const rules = [{ match: { method: '*', path: '/**' }, action: 'allow' as const }];

const DOCUMENT: PolicyDocument = {
  listeners: [
    { name: 'local', socket: '/run/sg.sock', allowed_profiles: ['*'] },
    { name: 'public', address: '0.0.0.0:2376', allowed_profiles: ['ci'] },
  ],
  clients: {
    allowed_cidrs: ['10.0.0.0/8'],
    default_profile: 'guest',
    source_ip_profiles: [
      { profile: 'ci', cidrs: ['10.1.0.0/16'] },
      { profile: 'ops', cidrs: ['10.0.0.0/8'] },
    ],
    unix_peer_profiles: [{ profile: 'ops', uids: [1000] }],
    client_certificate_profiles: [{ profile: 'ci', common_names: ['ci-runner'] }],
    profiles: ['ci', 'ops', 'guest'].map((name) => ({ name, rules })),
  },
};

const policy = resolvePolicy(DOCUMENT);
const policies = compileRequestPolicies(policy);
const cert = (commonName: string) => ({ commonName, dnsNames: [], ipAddresses: [], uriSans: [], spkiSha256: '00' });

/** [name, client, explicit profile, expected outcome summary]. */
const CASES: [string, ClientInput, string | undefined, string][] = [
  ['source IP outside allowed_cidrs', { sourceIp: '192.168.1.5' }, undefined, 'deny 403 client_ip_not_allowed'],
  [
    'IPv4-mapped IPv6 inside allowed_cidrs counts as IPv4',
    { sourceIp: '::ffff:10.1.2.3' },
    undefined,
    'ci by source_ip',
  ],
  ['first source_ip_profiles entry wins', { sourceIp: '10.1.2.3' }, undefined, 'ci by source_ip'],
  ['later entry', { sourceIp: '10.9.9.9' }, undefined, 'ops by source_ip'],
  [
    'certificate beats source IP',
    { sourceIp: '10.9.9.9', certificate: cert('ci-runner') },
    undefined,
    'ci by client_certificate',
  ],
  [
    'non-matching certificate falls to source IP',
    { sourceIp: '10.9.9.9', certificate: cert('x') },
    undefined,
    'ops by source_ip',
  ],
  // A unix client has no address: a non-empty CIDR list refuses it (as in the Go proxy).
  [
    'unix peer under a CIDR list',
    { unixPeer: { uid: 1000, gid: 1000, pid: 0 } },
    undefined,
    'deny 403 client_ip_not_allowed',
  ],
  ['listener admits the resolved profile', { sourceIp: '10.1.2.3', listener: 'public' }, undefined, 'ci by source_ip'],
  [
    'listener refuses another profile, after resolution',
    { sourceIp: '10.9.9.9', listener: 'public' },
    undefined,
    'deny 403 listener_profile_not_allowed (ops by source_ip)',
  ],
  ['a hand-picked profile without identity skips the ACL', {}, 'guest', 'guest by flag'],
  [
    'a hand-picked profile still meets the listener',
    { listener: 'public' },
    'guest',
    'deny 403 listener_profile_not_allowed (guest by flag)',
  ],
  ['no identity, no profile: the root policy, no selection', {}, undefined, 'root'],
  [
    'an unknown listener is a wiring failure',
    { sourceIp: '10.1.2.3', listener: 'nope' },
    undefined,
    'deny 500 listener_config_missing (ci by source_ip)',
  ],
];

function summarize(client: ClientInput, profile: string | undefined): string {
  const outcome = judgeClient(policy, policies, client, profile);
  const chosen =
    outcome.profile !== undefined
      ? `${outcome.profile} by ${outcome.selectedBy}`
      : outcome.selectedBy === undefined
        ? 'root'
        : `root by ${outcome.selectedBy}`;
  if (outcome.ok) return chosen;
  const after = outcome.selectedBy !== undefined ? ` (${chosen})` : '';
  return `deny ${outcome.refusal.status} ${outcome.refusal.reasonCode}${after}`;
}

for (const [name, client, profile, expected] of CASES) {
  test(`judgeClient: ${name}`, () => assert.equal(summarize(client, profile), expected));
}

test('without allowed_cidrs: unix peers resolve by uid, unknown uids get the default profile, no default means root', () => {
  const open = resolvePolicy({ ...DOCUMENT, clients: { ...DOCUMENT.clients, allowed_cidrs: [] } });
  const compiled = compileRequestPolicies(open);
  const peer = (uid: number) => judgeClient(open, compiled, { unixPeer: { uid, gid: uid, pid: 0 } });
  assert.deepEqual(peer(1000), { ok: true, profile: 'ops', selectedBy: 'unix_peer' });
  assert.deepEqual(peer(1001), { ok: true, profile: 'guest', selectedBy: 'default_profile' });
  const bare = resolvePolicy({ ...DOCUMENT, clients: { ...DOCUMENT.clients, allowed_cidrs: [], default_profile: '' } });
  assert.deepEqual(judgeClient(bare, compileRequestPolicies(bare), { unixPeer: { uid: 5, gid: 5, pid: 0 } }), {
    ok: true,
    selectedBy: 'none',
  });
});

test('offlineGaps: container label ACLs need the daemon, and say so for TCP clients only', () => {
  const labels = resolvePolicy({ clients: { container_labels: { enabled: true } } });
  assert.equal(offlineGaps(labels, { sourceIp: '10.0.0.5' }).length, 1);
  assert.match(offlineGaps(labels, { sourceIp: '10.0.0.5' })[0]!, /clients\.container_labels/);
  assert.deepEqual(offlineGaps(labels, { unixPeer: { uid: 1, gid: 1, pid: 0 } }), []);
  assert.deepEqual(offlineGaps(policy, { sourceIp: '10.0.0.5' }), []);
});
