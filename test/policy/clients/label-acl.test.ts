import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileLabelAcl, evaluateLabelAcl, judgeLabelAcl } from '../../../src/policy/clients/label-acl.js';

const PREFIX = 'com.sockguard.allow.';
const outcome = (labels: Record<string, string>, method: string, path: string, prefix = PREFIX) => {
  const r = evaluateLabelAcl(labels, prefix, method, path);
  return r.ok ? 'allow' : `${r.status} ${r.reasonCode}`;
};

test('label ACL: <prefix><method> holds comma-separated globs; the request must match one', () => {
  const labels = {
    'com.sockguard.allow.get': '/containers/json, /containers/*/json,,/_ping',
    'com.sockguard.allow.POST': '/containers/*/restart',
    'com.docker.compose.project': 'demo',
  };
  const cases: [string, string, string][] = [
    ['GET', '/containers/json', 'allow'],
    ['GET', '/containers/abc/json', 'allow'],
    ['GET', '/_ping', 'allow'],
    ['get', '/_ping', 'allow'],
    ['GET', '/containers/abc/logs', '403 client_label_policy_denied_request'],
    ['POST', '/containers/abc/restart', 'allow'],
    ['POST', '/containers/json', '403 client_label_policy_denied_request'],
    ['HEAD', '/_ping', '403 client_label_policy_denied_request'],
    ['DELETE', '/containers/abc', '403 client_label_policy_denied_request'],
  ];
  for (const [method, path, expected] of cases)
    assert.equal(outcome(labels, method, path), expected, `${method} ${path}`);
});

test('label ACL: no labels with the prefix, or no labels at all, changes nothing', () => {
  assert.equal(outcome({}, 'DELETE', '/containers/x'), 'allow');
  assert.equal(
    outcome({ 'com.sockguard.owner': 'team-a', 'socket-proxy.allow.get': '.*' }, 'DELETE', '/containers/x'),
    'allow',
  );
  assert.deepEqual(compileLabelAcl({ other: 'x' }, PREFIX), { kind: 'none' });
});

test('label ACL: an unknown method suffix or an empty value fails evaluation (502, always enforced)', () => {
  const cases: Record<string, string>[] = [
    { 'com.sockguard.allow.fetch': '/_ping' },
    { 'com.sockguard.allow.': '/_ping' },
    { 'com.sockguard.allow.get.1': '/_ping' },
    { 'com.sockguard.allow.get': '' },
    { 'com.sockguard.allow.get': ' , ,' },
    // One bad label spoils the ACL even when another would allow the request.
    { 'com.sockguard.allow.get': '/_ping', 'com.sockguard.allow.bogus': '/x' },
  ];
  for (const labels of cases) {
    const r = evaluateLabelAcl(labels, PREFIX, 'GET', '/_ping');
    assert.equal(r.ok, false, JSON.stringify(labels));
    assert.equal(!r.ok && r.status, 502);
    assert.equal(!r.ok && r.reasonCode, 'client_label_acl_evaluation_failed');
    assert.deepEqual(!r.ok && r.body, { message: 'client label ACL evaluation failed' });
    assert.equal(!r.ok && r.alwaysEnforced, true);
  }
  assert.match(
    (compileLabelAcl({ 'com.sockguard.allow.fetch': '/x' }, PREFIX) as { problem: string }).problem,
    /unsupported client ACL label "com\.sockguard\.allow\.fetch"/,
  );
});

test('label ACL: a denial is the 403 the Go proxy sends, and a warn/audit profile may forward it', () => {
  const r = evaluateLabelAcl({ 'com.sockguard.allow.get': '/_ping' }, PREFIX, 'GET', '/info');
  assert.deepEqual(r, {
    ok: false,
    status: 403,
    body: { message: 'client label policy denied request' },
    reasonCode: 'client_label_policy_denied_request',
    reason: 'client label policy denied request',
    alwaysEnforced: false,
  });
});

test("label ACL: wollomatic's socket-proxy.allow.* labels through label_prefix", () => {
  const labels = { 'socket-proxy.allow.get': '/version,/containers/**', 'socket-proxy.allow.head': '/_ping' };
  assert.equal(outcome(labels, 'GET', '/containers/abc/json', 'socket-proxy.allow.'), 'allow');
  assert.equal(outcome(labels, 'HEAD', '/_ping', 'socket-proxy.allow.'), 'allow');
  assert.equal(
    outcome(labels, 'POST', '/containers/create', 'socket-proxy.allow.'),
    '403 client_label_policy_denied_request',
  );
  // wollomatic's numbered labels (allow.get.1) are not part of the Sockguard format.
  assert.equal(
    outcome({ 'socket-proxy.allow.get.1': '/x' }, 'GET', '/x', 'socket-proxy.allow.'),
    '502 client_label_acl_evaluation_failed',
  );
});

test('label ACL: compiled once, judged per request', () => {
  const acl = compileLabelAcl({ 'com.sockguard.allow.get': '/containers/**' }, PREFIX);
  assert.equal(acl.kind, 'rules');
  assert.equal(judgeLabelAcl(acl, 'GET', '/containers').ok, true);
  assert.equal(judgeLabelAcl(acl, 'GET', '/images/json').ok, false);
});
