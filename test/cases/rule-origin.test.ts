import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preparePolicy } from '../../src/cases/policy-under-test.js';
import { originOfRule } from '../../src/cases/rule-origin.js';
import { defaultPolicy, loadPolicy } from '../../src/policy/load.js';

const POLICY = [
  'clients:',
  '  profiles:',
  '    - name: other',
  '      rules: [{ match: { method: GET, path: /info }, action: allow }]',
  '    - name: ci',
  '      rules:',
  '        - match: { method: POST, path: /build }',
  '          action: allow',
  'rules:',
  '  - match: { method: GET, path: /_ping }',
  '    action: allow',
  '  - match: { method: "*", path: "/**" }',
  '    action: deny',
].join('\n');

function fromFile(text: string, env: Record<string, string> = {}) {
  const loaded = loadPolicy(text, { file: 'p.yaml' });
  assert.ok(loaded.policy, JSON.stringify(loaded.diagnostics));
  return preparePolicy(loaded.policy, { file: 'p.yaml', document: loaded.document, sourceMap: loaded.sourceMap, env });
}

test('rules written in the file point at their line and column', () => {
  const put = fromFile(POLICY);
  assert.deepEqual(originOfRule(put, 0), { kind: 'file', file: 'p.yaml', line: 10, col: 5 });
  assert.deepEqual(originOfRule(put, 1), { kind: 'file', file: 'p.yaml', line: 12, col: 5 });
});

test('profile rules point into their own profile, found by name', () => {
  const put = fromFile(POLICY);
  assert.deepEqual(originOfRule(put, 0, 'ci'), { kind: 'file', file: 'p.yaml', line: 7, col: 11 });
  assert.deepEqual(originOfRule(put, 0, 'other'), { kind: 'file', file: 'p.yaml', line: 4, col: 15 });
});

test('the built-in policy and a file without rules use the default rules', () => {
  assert.deepEqual(originOfRule(preparePolicy(defaultPolicy()), 4), { kind: 'default' });
  assert.deepEqual(originOfRule(fromFile('log: { level: debug }'), 0), { kind: 'default' });
  assert.deepEqual(originOfRule(fromFile('rules: []'), 2), { kind: 'default' });
});

/** [env, 0-based rule index, expected variables]. */
const COMPAT: [Record<string, string>, number, { name: string; value?: string }[]][] = [
  [{ CONTAINERS: '1' }, 0, [{ name: 'PING' }]],
  [{ CONTAINERS: '1', PING: 'yes' }, 0, [{ name: 'PING', value: 'yes' }]],
  [{ CONTAINERS: '1' }, 3, [{ name: 'CONTAINERS', value: '1' }]],
  [{ CONTAINERS: '1' }, 4, []],
  [{ EXEC: 'true' }, 4, [{ name: 'EXEC', value: 'true' }]],
  [
    { EXEC: 'true', POST: '1' },
    4,
    [
      { name: 'EXEC', value: 'true' },
      { name: 'POST', value: '1' },
    ],
  ],
  [{ POST: '1' }, 0, [{ name: 'PING' }, { name: 'POST', value: '1' }]],
  [{ ALLOW_RESTARTS: '1' }, 3, [{ name: 'ALLOW_RESTARTS', value: '1' }]],
  [
    { ALLOW_RESTARTS: '1', ALLOW_KILL: '1', ALLOW_RESTART: '0' },
    3,
    [
      { name: 'ALLOW_KILL', value: '1' },
      { name: 'ALLOW_RESTARTS', value: '1' },
    ],
  ],
  [{ ALLOW_EXEC: '1', EXEC: '1' }, 5, [{ name: 'ALLOW_EXEC', value: '1' }]],
  [{ ALLOW_EXEC: '1', EXEC: '1' }, 4, [{ name: 'EXEC', value: '1' }]],
];

for (const [env, index, variables] of COMPAT) {
  test(`compat origin of rule ${index + 1} with ${JSON.stringify(env)}`, () => {
    const put = preparePolicy(defaultPolicy(), { env });
    assert.equal(put.compiled.compat.active, true);
    assert.deepEqual(originOfRule(put, index), { kind: 'compat', variables });
  });
}

test('compat origins apply to the root rules only; profiles still point into the file', () => {
  const text = [
    'clients:',
    '  profiles:',
    '    - name: ci',
    '      rules:',
    '        - match: { method: GET, path: /info }',
    '          action: allow',
  ].join('\n');
  const put = fromFile(text, { CONTAINERS: '1' });
  assert.equal(put.compiled.compat.active, true);
  assert.equal(originOfRule(put, 3).kind, 'compat');
  assert.deepEqual(originOfRule(put, 0, 'ci'), { kind: 'file', file: 'p.yaml', line: 5, col: 11 });
});
