import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestReport } from '../../src/cases/explain-request.js';
import { describeClient, describeOrigin, formatDecisions, PLAIN, type Paint } from '../../src/render/decision-text.js';

const allowReport: RequestReport = {
  method: 'GET',
  path: '/v1.45/containers/json?all=1',
  normalizedPath: '/containers/json',
  apiVersion: '1.45',
  decision: 'allow',
  reasonCode: 'matched_allow_rule',
  reason: '',
  matched: {
    index: 3,
    method: 'GET',
    path: '/containers/json',
    action: 'allow',
    origin: { kind: 'file', file: 'p.yaml', line: 13, col: 5 },
  },
  notes: [],
};

const denyReport: RequestReport = {
  method: 'POST',
  path: '/containers/x/../../secrets',
  normalizedPath: '/secrets',
  decision: 'deny',
  reasonCode: 'no_matching_allow_rule',
  reason: 'no matching allow rule',
  status: 403,
  profile: 'ci',
  notes: [],
  refusedByServe: 'not canonical',
};

test('one aligned block per request after the config header', () => {
  const text = formatDecisions([allowReport, denyReport], { config: 'p.yaml', compatMode: true, paint: PLAIN });
  assert.equal(
    text,
    [
      'Config:          p.yaml',
      'Mode:            tecnativa compatibility',
      '',
      'Decision:        ALLOW',
      'Method:          GET',
      'Path:            /v1.45/containers/json?all=1',
      'Normalized path: /containers/json',
      'API version:     1.45 (stripped)',
      'Matched rule:    #3 allow GET /containers/json (p.yaml:13)',
      'Reason:          matched_allow_rule',
      '',
      'Decision:        DENY (403)',
      'Method:          POST',
      'Path:            /containers/x/../../secrets',
      'Normalized path: /secrets',
      'Profile:         ci',
      'Matched rule:    none (default deny)',
      'Reason:          no_matching_allow_rule (no matching allow rule)',
      'Note:            sockguard serve answers 400 to this target: not canonical',
    ].join('\n'),
  );
});

test('paint is applied to the decision words only', () => {
  const tag: Paint = {
    green: (t) => `<g>${t}</g>`,
    red: (t) => `<r>${t}</r>`,
    yellow: (t) => `<y>${t}</y>`,
    dim: (t) => t,
  };
  const { refusedByServe: _refused, ...canonicalDeny } = denyReport;
  const text = formatDecisions([allowReport, canonicalDeny], {
    config: 'p.yaml',
    compatMode: false,
    paint: tag,
  });
  assert.match(text, /^Decision: {8}<g>ALLOW<\/g>$/m);
  assert.match(text, /^Decision: {8}<r>DENY<\/r> \(403\)$/m);
  assert.doesNotMatch(text, /Mode:/);
});

const ORIGINS: [Parameters<typeof describeOrigin>[0], string][] = [
  [{ kind: 'file', file: 'a/b.yaml', line: 7, col: 3 }, 'a/b.yaml:7'],
  [{ kind: 'default' }, 'default policy'],
  [{ kind: 'compat', variables: [{ name: 'CONTAINERS', value: '1' }] }, 'compat rule generated from CONTAINERS=1'],
  [
    {
      kind: 'compat',
      variables: [
        { name: 'EXEC', value: 'yes' },
        { name: 'POST', value: 'true' },
      ],
    },
    'compat rule generated from EXEC=yes, POST=true',
  ],
  [{ kind: 'compat', variables: [{ name: 'PING' }] }, 'compat rule generated from PING (unset, on by default)'],
  [{ kind: 'compat', variables: [] }, 'compat rule: final deny'],
];

for (const [origin, text] of ORIGINS) {
  test(`describeOrigin: ${text}`, () => assert.equal(describeOrigin(origin), text));
}

const bodyDeny: RequestReport = {
  method: 'POST',
  path: '/v1.45/containers/create',
  normalizedPath: '/containers/create',
  apiVersion: '1.45',
  decision: 'deny',
  reasonCode: 'request_body_policy_denied',
  reason: 'HostConfig.Binds[0] mounts host path "/"; it is not under request_body.container_create.allowed_bind_mounts',
  status: 403,
  profile: 'deployer',
  profileSelectedBy: 'unix_peer',
  profileMode: 'warn',
  client: { unixPeer: { uid: 1000, gid: 1000, pid: 0 }, listener: 'local' },
  matched: {
    index: 1,
    method: 'POST',
    path: '/containers/create',
    action: 'allow',
    origin: { kind: 'file', file: 'p.yaml', line: 40, col: 11 },
  },
  body: {
    inspector: 'container-create',
    decision: 'deny',
    status: 403,
    reasonCode: 'request_body_policy_denied',
    reason:
      'HostConfig.Binds[0] mounts host path "/"; it is not under request_body.container_create.allowed_bind_mounts',
    bytes: 53,
    notes: ['Content-Type application/json assumed, as the docker CLI sends it'],
  },
  notes: ['profile "deployer" is in warn mode: serve forwards this request instead and logs request_would_deny'],
};

test('a body denial for a resolved client: client, listener, profile and selector, body verdict, notes', () => {
  const text = formatDecisions([bodyDeny], { config: 'p.yaml', compatMode: false, paint: PLAIN });
  assert.equal(
    text,
    [
      'Config:          p.yaml',
      '',
      'Decision:        DENY (403)',
      'Method:          POST',
      'Path:            /v1.45/containers/create',
      'Normalized path: /containers/create',
      'API version:     1.45 (stripped)',
      'Client:          unix peer uid 1000 gid 1000',
      'Listener:        local',
      'Profile:         deployer (selected by clients.unix_peer_profiles, warn mode)',
      'Matched rule:    #1 allow POST /containers/create (p.yaml:40)',
      'Body:            container-create: denied (53 bytes), 403 request_body_policy_denied',
      'Reason:          request_body_policy_denied (HostConfig.Binds[0] mounts host path "/"; it is not under request_body.container_create.allowed_bind_mounts)',
      'Note:            profile "deployer" is in warn mode: serve forwards this request instead and logs request_would_deny',
      'Note:            Content-Type application/json assumed, as the docker CLI sends it',
    ].join('\n'),
  );
});

test('a client gate refusal: the rules were not reached', () => {
  const text = formatDecisions(
    [
      {
        method: 'GET',
        path: '/_ping',
        normalizedPath: '/_ping',
        decision: 'deny',
        reasonCode: 'client_ip_not_allowed',
        reason: 'client IP not allowed',
        status: 403,
        client: { sourceIp: '203.0.113.5' },
        notes: [],
      },
    ],
    { config: 'p.yaml', compatMode: false, paint: PLAIN },
  );
  assert.match(text, /^Client: {10}source IP 203\.0\.113\.5$/m);
  assert.match(text, /^Matched rule: {4}not reached \(refused before the rules\)$/m);
  assert.match(text, /^Reason: {10}client_ip_not_allowed \(client IP not allowed\)$/m);
  assert.doesNotMatch(text, /Profile:/);
});

const PROFILES: [Partial<RequestReport>, string | undefined][] = [
  [{ profile: 'ci', profileSelectedBy: 'flag' }, 'ci'],
  [{ profile: 'ci' }, 'ci'],
  [{ profile: 'ci', profileSelectedBy: 'source_ip' }, 'ci (selected by clients.source_ip_profiles)'],
  [{ profile: 'ci', profileSelectedBy: 'client_certificate' }, 'ci (selected by clients.client_certificate_profiles)'],
  [{ profile: 'ci', profileSelectedBy: 'default_profile' }, 'ci (clients.default_profile: no selector matched)'],
  [{ profile: 'ci', profileSelectedBy: 'flag', profileMode: 'audit' }, 'ci (audit mode)'],
  [{ profileSelectedBy: 'none' }, 'none: the root policy (no selector matched and no clients.default_profile)'],
  [{}, undefined],
];

for (const [fields, expected] of PROFILES) {
  test(`Profile line: ${expected ?? '(none)'}`, () => {
    const text = formatDecisions([{ ...allowReport, ...fields }], { config: 'p', compatMode: false, paint: PLAIN });
    const shown = /^Profile: {9}(.*)$/m.exec(text)?.[1];
    assert.equal(shown, expected);
  });
}

test('describeClient: source IP, unix peer with pid, certificate names with SPIFFE IDs and the SPKI pin', () => {
  assert.equal(describeClient({ listener: 'x' }), undefined);
  assert.equal(describeClient({ unixPeer: { uid: 0, gid: 0, pid: 42 } }), 'unix peer uid 0 gid 0 pid 42');
  assert.equal(
    describeClient({
      sourceIp: '10.1.2.3',
      certificate: {
        commonName: 'ci',
        dnsNames: ['ci.internal'],
        ipAddresses: ['10.1.2.3'],
        uriSans: ['spiffe://example.org/ci', 'https://example.org/x'],
        spkiSha256: 'ab'.repeat(32),
      },
    }),
    `source IP 10.1.2.3; certificate CN=ci, DNS ci.internal, IP 10.1.2.3, SPIFFE ID spiffe://example.org/ci, URI https://example.org/x, SPKI sha256:${'ab'.repeat(32)}`,
  );
});
