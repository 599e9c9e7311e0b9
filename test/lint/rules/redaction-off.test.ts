import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

/** The flags reported for a policy that switches every flag off and allows one read. */
function reported(method: string, path: string): string[] {
  const text = [
    'response:',
    '  redact_container_env: false',
    '  redact_mount_paths: false',
    '  redact_network_topology: false',
    '  redact_sensitive_data: false',
    '  redact_host_topology: false',
    'rules:',
    `  - match: { method: ${method}, path: "${path}" }`,
    '    action: allow',
  ].join('\n');
  return lintPolicyText(text)
    .filter((d) => d.code === 'exposure/redaction-off')
    .map((d) => d.pointer.replace('/response/', ''));
}

test('redaction-off: a flag is reported only where a read it redacts is allowed', () => {
  const table: [string, string, string[]][] = [
    ['GET', '/containers/*/json', ['redact_container_env', 'redact_mount_paths', 'redact_network_topology']],
    ['GET', '/secrets/*', ['redact_sensitive_data']],
    ['GET', '/volumes', ['redact_mount_paths']],
    ['GET', '/networks', ['redact_network_topology']],
    ['GET', '/swarm/unlockkey', ['redact_sensitive_data']],
    ['GET', '/images/json', []],
    ['GET', '/_ping', []],
    ['POST', '/containers/*/json', []],
    ['GET', '/containers/*/logs', []],
  ];
  for (const [method, path, expected] of table) {
    assert.deepEqual(reported(method, path), expected, `${method} ${path}`);
  }
});

test('redaction-off: flags left on (or written true) are not reported', () => {
  const text =
    'response:\n  redact_container_env: true\nrules:\n  - match: { method: GET, path: /** }\n    action: allow';
  assert.deepEqual(
    lintPolicyText(text).filter((d) => d.code === 'exposure/redaction-off'),
    [],
  );
});
