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

test('no matching rule: no matched_rule, the no-match reason', () => {
  const { matched: _matched, ...rest } = base;
  const json = toMatchJson(
    { ...rest, decision: 'deny', reasonCode: 'no_matching_allow_rule', reason: 'no matching allow rule' },
    { config: 'p.yaml', compatMode: false },
  );
  assert.deepEqual(Object.keys(json), ['config', 'method', 'path', 'normalized_path', 'decision', 'reason']);
  assert.equal(json.reason, 'no matching allow rule');
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
