import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestReport } from '../../src/cases/explain-request.js';
import { toMatchJson } from '../../src/render/decision-json.js';

const base: RequestReport = {
  method: 'GET',
  path: '/v1.45/containers/json',
  normalizedPath: '/containers/json',
  apiVersion: '1.45',
  decision: 'allow',
  reasonCode: 'matched_allow_rule',
  reason: '',
  matched: {
    index: 4,
    method: 'GET,HEAD',
    path: '/containers/**',
    action: 'allow',
    origin: { kind: 'compat', variables: [{ name: 'CONTAINERS', value: '1' }] },
  },
  notes: [],
};

test('the reference example of sockguard-config.md §3.7, key for key and in order', () => {
  const json = toMatchJson(base, { config: 'sockguard.yaml', compatMode: true });
  assert.equal(
    JSON.stringify(json),
    '{"config":"sockguard.yaml","method":"GET","path":"/v1.45/containers/json","normalized_path":"/containers/json","decision":"allow","compat_mode":true,"matched_rule":{"index":4,"method":"GET,HEAD","path":"/containers/**","action":"allow"}}',
  );
});

test('a rule from the file adds its line; a reason is kept; compat_mode false is omitted', () => {
  const json = toMatchJson(
    {
      ...base,
      reason: 'reads',
      matched: { ...base.matched!, origin: { kind: 'file', file: 'p.yaml', line: 12, col: 5 } },
    },
    { config: 'p.yaml', compatMode: false },
  );
  assert.deepEqual(Object.keys(json), [
    'config',
    'method',
    'path',
    'normalized_path',
    'decision',
    'reason',
    'matched_rule',
  ]);
  assert.deepEqual(json.matched_rule, {
    index: 4,
    method: 'GET,HEAD',
    path: '/containers/**',
    action: 'allow',
    line: 12,
  });
  assert.equal(json.reason, 'reads');
});

test('no matching rule: no matched_rule, the no-match reason, the status and reason code of a denial', () => {
  const { matched: _matched, ...rest } = base;
  const json = toMatchJson(
    { ...rest, decision: 'deny', reasonCode: 'no_matching_allow_rule', reason: 'no matching allow rule', status: 403 },
    { config: 'p.yaml', compatMode: false },
  );
  assert.deepEqual(Object.keys(json), [
    'config',
    'method',
    'path',
    'normalized_path',
    'decision',
    'reason',
    'status',
    'reason_code',
  ]);
  assert.equal(json.reason, 'no matching allow rule');
  assert.equal(json.status, 403);
  assert.equal(json.reason_code, 'no_matching_allow_rule');
});

test('a profile is echoed before matched_rule', () => {
  const json = toMatchJson({ ...base, profile: 'ci' }, { config: 'p.yaml', compatMode: false });
  assert.deepEqual(Object.keys(json), [
    'config',
    'method',
    'path',
    'normalized_path',
    'decision',
    'profile',
    'matched_rule',
  ]);
});

test('an allow never carries status or reason_code, even when the report has them', () => {
  const json = toMatchJson({ ...base, status: 403 }, { config: 'p.yaml', compatMode: false });
  assert.equal(json.status, undefined);
  assert.equal(json.reason_code, undefined);
});

test('every extension in its place: profile selection, mode, body verdict, notes (key order is the contract)', () => {
  const json = toMatchJson(
    {
      ...base,
      decision: 'deny',
      reasonCode: 'request_body_policy_denied',
      reason: 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false',
      status: 403,
      profile: 'deployer',
      profileSelectedBy: 'unix_peer',
      profileMode: 'warn',
      client: { unixPeer: { uid: 1000, gid: 1000, pid: 0 } },
      body: {
        inspector: 'container-create',
        decision: 'deny',
        status: 403,
        reasonCode: 'request_body_policy_denied',
        reason: 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false',
        bytes: 51,
        notes: ['Content-Type application/json assumed, as the docker CLI sends it'],
      },
      notes: ['profile "deployer" is in warn mode: serve forwards this request instead and logs request_would_deny'],
    },
    { config: 'p.yaml', compatMode: false },
  );
  assert.deepEqual(Object.keys(json), [
    'config',
    'method',
    'path',
    'normalized_path',
    'decision',
    'reason',
    'status',
    'reason_code',
    'profile',
    'profile_selected_by',
    'profile_mode',
    'matched_rule',
    'body',
    'notes',
  ]);
  assert.deepEqual(json.body, {
    inspector: 'container-create',
    decision: 'deny',
    status: 403,
    reason_code: 'request_body_policy_denied',
    reason: 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false',
    bytes: 51,
    notes: ['Content-Type application/json assumed, as the docker CLI sends it'],
  });
  assert.equal(JSON.stringify(json).includes('unixPeer'), false, 'the client is text output only');
});

test('an allowed body verdict without notes or bytes is just inspector and decision', () => {
  const json = toMatchJson(
    { ...base, body: { inspector: 'image-pull', decision: 'allow', notes: [] } },
    { config: 'p.yaml', compatMode: false },
  );
  assert.deepEqual(json.body, { inspector: 'image-pull', decision: 'allow' });
  assert.equal(json.notes, undefined);
});
