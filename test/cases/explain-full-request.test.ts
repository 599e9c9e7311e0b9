import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainFullRequest, type FullRequestInput } from '../../src/cases/explain-full-request.js';
import { explainRequest } from '../../src/cases/explain-request.js';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { compileRequestPolicies } from '../../src/policy/clients/request-policies.js';
import { loadPolicy } from '../../src/policy/load.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const DIR = 'fixtures/cases/inspection';
const read = (name: string) => readFileSync(join(REPO_ROOT, DIR, name));

function prepare(name: string) {
  const file = `${DIR}/${name}`;
  const loaded = loadPolicy(read(name).toString('utf8'), { file });
  assert.ok(loaded.policy, JSON.stringify(loaded.diagnostics));
  const put = preparePolicy(loaded.policy, { file, document: loaded.document, sourceMap: loaded.sourceMap });
  return { put, policies: compileRequestPolicies(put.compiled.policy) };
}

const { put, policies } = prepare('policy.yaml');
const cidr = prepare('cidr-policy.yaml');

const explain = (line: string, input: FullRequestInput = {}) => {
  const [method, target] = line.split(' ') as [string, string];
  return explainFullRequest(put, policies, { method, target }, input);
};

test('issue 5: a privileged create is denied, naming the field and the policy key', () => {
  const report = explain('POST /v1.45/containers/create', { body: read('privileged-create.json') });
  assert.equal(report.decision, 'deny');
  assert.equal(report.status, 403);
  assert.equal(report.reasonCode, 'request_body_policy_denied');
  assert.equal(report.reason, 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false');
  assert.equal(report.matched?.index, 2, 'the allowing rule is still shown');
  assert.equal(report.body?.inspector, 'container-create');
});

test('issue 5: a bind of / is denied; a bind under allowed_bind_mounts is allowed', () => {
  const root = explain('POST /containers/create', { body: read('bind-root-create.json') });
  assert.equal(root.decision, 'deny');
  assert.match(
    root.reason,
    /HostConfig\.Binds\[0\] mounts host path "\/"; it is not under request_body\.container_create\.allowed_bind_mounts/,
  );
  const allowed = explain('POST /containers/create', { body: read('bind-allowed-create.json') });
  assert.equal(allowed.decision, 'allow');
  assert.equal(allowed.status, undefined);
  assert.equal(allowed.body?.decision, 'allow');
});

test('issue 5: an exec as root is denied; the same command as uid 1000 is allowed', () => {
  const root = explain('POST /containers/web/exec', { body: read('exec-root.json') });
  assert.equal(root.decision, 'deny');
  assert.match(root.reason, /User "root" runs as root; request_body\.exec\.allow_root_user is false/);
  assert.equal(explain('POST /containers/web/exec', { body: read('exec-healthcheck.json') }).decision, 'allow');
});

test('issue 5: a pull from a registry outside the allowlist is denied from the query alone', () => {
  const report = explain('POST /images/create?fromImage=evil.example/miner&tag=latest');
  assert.equal(report.decision, 'deny');
  assert.match(report.reason, /registry "evil\.example"; it is not in request_body\.image_pull\.allowed_registries/);
  assert.equal(explain('POST /images/create?fromImage=ghcr.io/acme/app&tag=1').decision, 'allow');
});

test('issue 5: a client from an unlisted CIDR is refused before the rules', () => {
  const [method, target] = ['GET', '/_ping'];
  const outside = explainFullRequest(
    cidr.put,
    cidr.policies,
    { method, target },
    { client: { sourceIp: '203.0.113.5' } },
  );
  assert.equal(outside.decision, 'deny');
  assert.equal(outside.status, 403);
  assert.equal(outside.reasonCode, 'client_ip_not_allowed');
  assert.equal(outside.reason, 'client IP not allowed');
  assert.equal(outside.matched, undefined);
  const inside = explainFullRequest(cidr.put, cidr.policies, { method, target }, { client: { sourceIp: 'fd00::7' } });
  assert.equal(inside.decision, 'allow');
  assert.equal(inside.profileSelectedBy, 'none');
});

test('issue 5: two unix peers with different uids get different profiles', () => {
  const deployer = explain('POST /containers/create', { client: { unixPeer: { uid: 1000, gid: 1000, pid: 0 } } });
  const viewer = explain('POST /containers/create', { client: { unixPeer: { uid: 1001, gid: 1001, pid: 0 } } });
  assert.deepEqual(
    [deployer.profile, deployer.profileSelectedBy, deployer.decision],
    ['deployer', 'unix_peer', 'allow'],
  );
  assert.deepEqual([viewer.profile, viewer.profileSelectedBy, viewer.decision], ['viewer', 'unix_peer', 'deny']);
  assert.equal(viewer.reason, 'viewers only read');
});

test("the profile's own request_body judges, under its own key prefix, without root defaults", () => {
  const deployer = { client: { unixPeer: { uid: 1000, gid: 1000, pid: 0 } } };
  // Root allows /srv/data, the deployer profile only /srv/app.
  const data = explain('POST /containers/create', { ...deployer, body: read('bind-allowed-create.json') });
  assert.equal(data.decision, 'deny');
  assert.match(data.reason, /clients\.profiles\[1\]\.request_body\.container_create\.allowed_bind_mounts/);
  // The ci profile wrote allow_official explicitly; nothing else is inherited from the root block.
  const ci = { client: { sourceIp: '10.1.0.9' } };
  assert.equal(explain('POST /images/create?fromImage=nginx&tag=1', ci).decision, 'allow');
  const ghcr = explain('POST /images/create?fromImage=ghcr.io/acme/app&tag=1', ci);
  assert.equal(ghcr.decision, 'deny', 'the root allowed_registries do not reach the profile');
  assert.match(ghcr.reason, /clients\.profiles\[0\]\.request_body\.image_pull/);
});

test('a certificate selects its profile; the listener then admits or refuses it', () => {
  const certificate = {
    dnsNames: [],
    ipAddresses: [],
    uriSans: ['spiffe://example.org/ns/ci/sa/runner'],
    spkiSha256: '00',
  };
  const admitted = explain('POST /images/create?fromImage=nginx&tag=1', {
    client: { sourceIp: '192.0.2.4', certificate, listener: 'public' },
  });
  assert.deepEqual(
    [admitted.decision, admitted.profile, admitted.profileSelectedBy],
    ['allow', 'ci', 'client_certificate'],
  );
  const refused = explain('GET /_ping', { client: { sourceIp: '192.0.2.4', listener: 'public' } });
  assert.equal(refused.reasonCode, 'listener_profile_not_allowed');
  assert.equal(refused.status, 403);
  assert.equal(refused.profileSelectedBy, 'none', 'the resolution that was refused is shown');
});

test('a rule denial stops before the body: no inspector runs', () => {
  const report = explain('POST /containers/web/start', { body: read('privileged-create.json') });
  assert.equal(report.reasonCode, 'no_matching_allow_rule');
  assert.equal(report.body, undefined);
});

// Profile names are matched as written, as serve's compiled clients keep them (a spaced name is a
// different profile from its trimmed spelling).
for (const name of ['canary', ' canary ']) {
  test(`a body denial under a warn-mode profile ${JSON.stringify(name)} notes that serve forwards it`, () => {
    const loaded = loadPolicy(
      [
        'clients:',
        `  default_profile: "${name}"`,
        '  profiles:',
        `    - name: "${name}"`,
        '      mode: warn',
        '      rules:',
        '        - match: { method: POST, path: /containers/create }',
        '          action: allow',
      ].join('\n'),
    );
    const canary = preparePolicy(loaded.policy!);
    const report = explainFullRequest(
      canary,
      compileRequestPolicies(canary.compiled.policy),
      { method: 'POST', target: '/containers/create' },
      { client: { sourceIp: '127.0.0.1' }, body: read('privileged-create.json') },
    );
    assert.equal(report.decision, 'deny');
    assert.equal(report.profileMode, 'warn');
    assert.deepEqual(report.notes, [
      `profile "${name}" is in warn mode: serve forwards this request instead and logs request_would_deny`,
    ]);
  });
}

test('without body, headers or client the full path agrees with the rules for routes without an inspector', () => {
  for (const line of ['GET /_ping', 'DELETE /containers/x', 'GET /containers/json']) {
    const [method, target] = line.split(' ') as [string, string];
    const { notes: _a, ...full } = explainFullRequest(put, policies, { method, target });
    const { notes: _b, ...rules } = explainRequest(put, { method, target });
    assert.deepEqual(full, rules, line);
  }
});

test('a resolved profile with no compiled rules is refused 403 client_policy_profile_unresolved', () => {
  const hollow = { ...put, compiled: { ...put.compiled, profiles: new Map() } };
  const report = explainFullRequest(
    hollow,
    policies,
    { method: 'GET', target: '/_ping' },
    { client: { sourceIp: '10.1.0.9' } },
  );
  assert.deepEqual(
    [report.decision, report.status, report.reasonCode],
    ['deny', 403, 'client_policy_profile_unresolved'],
  );
  assert.equal(report.profile, 'ci');
  // A profile named by hand that does not exist is a usage error, not a decision.
  assert.throws(
    () => explainFullRequest(hollow, policies, { method: 'GET', target: '/_ping' }, { profile: 'ci' }),
    /no client profile named "ci"/,
  );
});
