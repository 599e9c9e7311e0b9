import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

function findings(rules: readonly [string, string][], ownership = 'ownership:\n  owner: team-a') {
  const text = [
    ownership,
    'rules:',
    ...rules.flatMap(([method, path]) => [`  - match: { method: "${method}", path: "${path}" }`, '    action: allow']),
  ].join('\n');
  return lintPolicyText(text).filter((d) => d.code === 'rule/ownership-unsupported');
}

test('ownership-unsupported: rules reaching endpoints owner isolation cannot scope', () => {
  const table: [string, string, boolean][] = [
    ['GET', '/containers/*/checkpoints', true],
    ['POST', '/build/cancel', true],
    ['GET', '/debug/**', true],
    ['GET', '/libpod/**', true],
    ['POST', '/libpod/containers/create', true],
    ['GET', '/containers/json', false],
    ['POST', '/containers/create', false],
    ['POST', '/containers/*/start', false],
    ['GET', '/events', false],
    ['GET', '/images/**', false],
    ['POST', '/build', false],
    ['GET', '/_ping', false],
  ];
  for (const [method, path, expected] of table) {
    assert.equal(findings([[method, path]]).length > 0, expected, `${method} ${path}`);
  }
});

test('ownership-unsupported: positioned on the allowing rule, only with ownership.owner set', () => {
  const rules: [string, string][] = [
    ['GET', '/_ping'],
    ['*', '/debug/**'],
  ];
  const [finding, ...rest] = findings(rules);
  assert.deepEqual(rest, []);
  assert.equal(finding?.pointer, '/rules/1/match/path');
  assert.match(finding?.message ?? '', /GET \/debug\/vars, GET \/debug\/pprof, GET \/debug\/pprof\/\{name\}/);
  assert.deepEqual(findings(rules, ''), []);
  assert.deepEqual(findings(rules, 'ownership:\n  owner: ""'), []);
});
