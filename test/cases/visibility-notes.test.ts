import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibilityNotes } from '../../src/cases/visibility-notes.js';
import { parseTarget } from '../../src/policy/canonical-path.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';

function policyOf(text: string): Policy {
  const loaded = loadPolicy(`${text}\nrules:\n  - match: { method: "*", path: /** }\n    action: allow\n`);
  assert.ok(loaded.policy, JSON.stringify(loaded.diagnostics));
  return loaded.policy;
}

const LABELS = policyOf('response:\n  visible_resource_labels: [tier=web]');
const PATTERNS = policyOf('response:\n  name_patterns: ["web-*"]');
const PROFILE_ONLY = policyOf(
  'clients:\n  profiles:\n    - name: ci\n      rules: [{ match: { method: GET, path: /** }, action: allow }]\n      response: { visible_resource_labels: [team=ci] }',
);
const NONE = policyOf('');

test('visibilityNotes: what serve adds or looks up for each kind of request', () => {
  const table: [name: string, policy: Policy, profile: string | undefined, request: string, expected: RegExp[]][] = [
    ['list: selectors join the filter', LABELS, undefined, 'GET /v1.45/containers/json', [/label filter: tier=web$/]],
    ['events: selectors join the filter', LABELS, undefined, 'GET /events', [/label filter: tier=web$/]],
    [
      'list under name patterns only: the answer is filtered, no filter note',
      PATTERNS,
      undefined,
      'GET /containers/json',
      [],
    ],
    [
      'action on a resource: a lookup, not a decision',
      LABELS,
      undefined,
      'POST /containers/db/start',
      [/looks the container up first .* not checked here/],
    ],
    ['inspect: judged on the answer', PATTERNS, undefined, 'GET /containers/db/json', [/--response/]],
    [
      'create naming containers: lookups',
      LABELS,
      undefined,
      'POST /containers/create',
      [/looks up the containers, networks and volumes/],
    ],
    ['a global request', LABELS, undefined, 'GET /_ping', []],
    ['no visibility at all', NONE, undefined, 'GET /containers/json', []],
    ["the profile's own selectors", PROFILE_ONLY, 'ci', 'GET /containers/json', [/label filter: team=ci$/]],
    ['the root scope of that policy sees no selectors', PROFILE_ONLY, undefined, 'GET /containers/json', []],
  ];
  for (const [name, policy, profile, request, expected] of table) {
    const [method, path] = request.split(' ') as [string, string];
    const notes = visibilityNotes(policy, profile, method, parseTarget(path));
    assert.equal(notes.length, expected.length, `${name}: ${JSON.stringify(notes)}`);
    expected.forEach((pattern, i) => assert.match(notes[i]!, pattern, name));
  }
  const inspect = parseTarget('/containers/db/json');
  assert.deepEqual(visibilityNotes(PATTERNS, undefined, 'GET', inspect, true), [], 'an answer given with --response');
});
