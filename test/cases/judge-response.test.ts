import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeResponse } from '../../src/cases/judge-response.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';

const encoder = new TextEncoder();

function policyOf(text: string): Policy {
  const loaded = loadPolicy(`${text}\nrules:\n  - match: { method: GET, path: /** }\n    action: allow`);
  assert.ok(loaded.policy, JSON.stringify(loaded.diagnostics));
  return loaded.policy;
}

const LIST = JSON.stringify([
  { Id: 'a', Names: ['/web-1'], Image: 'nginx', Labels: { owner: 'team-a', env: 'prod' } },
  { Id: 'b', Names: ['/api-1'], Image: 'nginx', Labels: { owner: 'team-b', env: 'dev' } },
]);
const INSPECT = JSON.stringify({ Id: 'b', Name: '/api-1', Config: { Labels: { env: 'dev' }, Env: ['SECRET=1'] } });

const judge = (policy: Policy, path: string, body: string, status = 200, profile?: string) =>
  judgeResponse(policy, profile, { method: 'GET', normalizedPath: path }, { status, body: encoder.encode(body) });

test('judgeResponse: outcomes', () => {
  const defaults = policyOf('');
  const visible = policyOf('response:\n  visible_resource_labels: [env=prod]');
  const plain = policyOf(
    'response:\n  redact_container_env: false\n  redact_mount_paths: false\n  redact_network_topology: false',
  );
  const table: [string, Policy, string, string, number, string, number][] = [
    ['list filtered', visible, '/containers/json', LIST, 200, 'rewritten', 200],
    ['inspect hidden', visible, '/containers/api-1/json', INSPECT, 200, 'hidden', 404],
    ['env redacted', defaults, '/containers/api-1/json', INSPECT, 200, 'rewritten', 200],
    ['flags off', plain, '/containers/api-1/json', INSPECT, 200, 'unchanged', 200],
    ['unparseable', visible, '/containers/json', '<html>', 200, 'rejected', 502],
    ['wrong shape', visible, '/containers/json', '{"a":1}', 200, 'rejected', 502],
    ['daemon error passes', visible, '/containers/x/json', '{"message":"No such container: x"}', 404, 'unchanged', 404],
    ['stream route passes', visible, '/containers/x/logs', 'raw log bytes', 200, 'unchanged', 200],
  ];
  for (const [name, policy, path, body, upstream, outcome, status] of table) {
    const report = judge(policy, path, body, upstream);
    assert.deepEqual([report.outcome, report.status, report.upstreamStatus], [outcome, status, upstream], name);
  }
});

test('judgeResponse: the profile adds its visibility to the root and ownership scopes it', () => {
  const policy = policyOf(
    [
      'ownership:\n  owner: team-a\n  label_key: owner',
      'clients:\n  profiles:\n    - name: ci\n      response: { name_patterns: ["api-*"] }',
      '      rules:\n        - match: { method: GET, path: /** }\n          action: allow',
    ].join('\n'),
  );
  const root = judge(policy, '/containers/json', LIST);
  assert.deepEqual(
    JSON.parse(root.body!).map((c: { Id: string }) => c.Id),
    ['a'],
  );
  // api-1 matches the profile's pattern but belongs to team-b: the owner scope still hides it.
  const ci = judge(policy, '/containers/json', LIST, 200, 'ci');
  assert.deepEqual(JSON.parse(ci.body!), []);
});

test('judgeResponse: visibility serve cannot compile is a 500', () => {
  const report = judge(policyOf('response:\n  visible_resource_labels: ["=x"]'), '/containers/json', LIST);
  assert.deepEqual(
    [report.outcome, report.status, report.reasonCode],
    ['rejected', 500, 'visibility_policy_misconfigured'],
  );
});
