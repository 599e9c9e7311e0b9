import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

const policy = (entries: readonly [string, string[]][]) =>
  [
    'clients:',
    '  source_ip_profiles:',
    ...entries.map(([profile, cidrs]) => `    - { profile: ${profile}, cidrs: ${JSON.stringify(cidrs)} }`),
    '  profiles:',
    ...[...new Set(entries.map(([p]) => p))].map(
      (p) => `    - { name: ${p}, rules: [{ match: { method: GET, path: /info }, action: allow }] }`,
    ),
  ].join('\n');

const shadowed = (entries: readonly [string, string[]][]) =>
  lintPolicyText(policy(entries))
    .filter((d) => d.code === 'policy/shadowed-source-ip-profile')
    .map((d) => `${d.pointer.replace('/clients/source_ip_profiles/', '')} ${d.severity}`);

test('a CIDR inside an earlier entry is shadowed; the same profile is only redundant', () => {
  assert.deepEqual(
    shadowed([
      ['a', ['10.0.0.0/8']],
      ['b', ['10.1.0.0/16', '10.0.0.0/8', '11.0.0.0/8']],
      ['a', ['10.9.9.9/32']],
    ]),
    ['1/cidrs/0 warning', '1/cidrs/1 warning', '2/cidrs/0 info'],
  );
});

test('families never shadow each other; a wider later entry is not shadowed; host bits are masked', () => {
  assert.deepEqual(
    shadowed([
      ['a', ['10.1.0.0/16', 'fd00::/8']],
      ['b', ['10.0.0.0/8', '::ffff:10.1.0.0/112', '2001:db8::/32']],
      ['c', ['fd00:1::/32', '10.1.2.3/16']],
    ]),
    ['2/cidrs/0 warning', '2/cidrs/1 warning'],
  );
});
