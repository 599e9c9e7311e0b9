import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainRequest } from '../../src/cases/explain-request.js';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { UnknownProfileError } from '../../src/policy/compile.js';
import { defaultPolicy, loadPolicy } from '../../src/policy/load.js';

const POLICY = [
  'clients:',
  '  profiles:',
  '    - name: ci',
  '      rules:',
  '        - match: { method: POST, path: /build }',
  '          action: allow',
  '    - name: canary',
  '      mode: Audit',
  '      rules:',
  '        - match: { method: "*", path: "/**" }',
  '          action: deny',
  'rules:',
  '  - match: { method: "GET,HEAD", path: /_ping }',
  '    action: allow',
  '    reason: health',
  '  - match: { method: "*", path: "/secrets/**" }',
  '    action: deny',
  '    reason: secrets never',
].join('\n');

const loaded = loadPolicy(POLICY, { file: 'p.yaml' });
const put = preparePolicy(loaded.policy!, { file: 'p.yaml', document: loaded.document, sourceMap: loaded.sourceMap });

test('an allow: 1-based index, the rule as written, its line, the stripped version', () => {
  assert.deepEqual(explainRequest(put, { method: 'HEAD', target: '/v1.45/_ping?x=1' }), {
    method: 'HEAD',
    path: '/v1.45/_ping?x=1',
    normalizedPath: '/_ping',
    apiVersion: '1.45',
    decision: 'allow',
    reasonCode: 'matched_allow_rule',
    reason: 'health',
    matched: {
      index: 1,
      method: 'GET,HEAD',
      path: '/_ping',
      action: 'allow',
      origin: { kind: 'file', file: 'p.yaml', line: 13, col: 5 },
    },
    notes: [],
  });
});

test('a matched deny carries its reason; no match has no rule', () => {
  const denied = explainRequest(put, { method: 'GET', target: '/secrets/abc' });
  assert.equal(denied.reasonCode, 'matched_deny_rule');
  assert.equal(denied.reason, 'secrets never');
  assert.equal(denied.matched?.index, 2);
  assert.equal(denied.status, 403, 'a rule denial is answered 403');
  const none = explainRequest(put, { method: 'GET', target: '/info' });
  assert.equal(none.decision, 'deny');
  assert.equal(none.matched, undefined);
  assert.equal(none.reasonCode, 'no_matching_allow_rule');
  assert.equal(none.status, 403);
  assert.equal(explainRequest(put, { method: 'GET', target: '/_ping' }).status, undefined, 'no status for an allow');
});

test('traversal is judged on the cleaned path and flagged as a target serve refuses', () => {
  const report = explainRequest(put, { method: 'GET', target: '/containers/../secrets/x' });
  assert.equal(report.normalizedPath, '/secrets/x');
  assert.equal(report.decision, 'deny');
  assert.match(report.refusedByServe ?? '', /not canonical/);
});

test('old API versions are flagged as refused by serve; canonical targets are not', () => {
  assert.match(explainRequest(put, { method: 'GET', target: '/v1.23/_ping' }).refusedByServe ?? '', /below 1.24/);
  assert.equal(explainRequest(put, { method: 'GET', target: '/v1.24/_ping' }).refusedByServe, undefined);
  assert.equal(explainRequest(put, { method: 'GET', target: '/_ping/' }).refusedByServe, undefined);
});

test('a profile decides with its own rules and is echoed', () => {
  const report = explainRequest(put, { method: 'POST', target: '/build' }, 'ci');
  assert.equal(report.profile, 'ci');
  assert.equal(report.decision, 'allow');
  assert.deepEqual(report.matched?.origin, { kind: 'file', file: 'p.yaml', line: 5, col: 11 });
  assert.throws(() => explainRequest(put, { method: 'GET', target: '/' }, 'nope'), UnknownProfileError);
});

test('the built-in policy: the final deny is rule 5 from the default policy', () => {
  const report = explainRequest(preparePolicy(defaultPolicy()), { method: 'POST', target: '/containers/create' });
  assert.deepEqual(report.matched, {
    index: 5,
    method: '*',
    path: '/**',
    action: 'deny',
    origin: { kind: 'default' },
  });
  assert.equal(report.reasonCode, 'no_matching_allow_rule');
});

test('a profile in warn or audit mode is named, and a denial says serve forwards it instead', () => {
  const denied = explainRequest(put, { method: 'GET', target: '/info' }, 'canary');
  assert.equal(denied.profileMode, 'audit', 'mode is read case-insensitively');
  assert.deepEqual(denied.notes, [
    'profile "canary" is in audit mode: serve forwards this request instead and logs request_would_deny',
  ]);
  const enforced = explainRequest(put, { method: 'GET', target: '/info' }, 'ci');
  assert.equal(enforced.profileMode, undefined);
  assert.deepEqual(enforced.notes, []);
});
