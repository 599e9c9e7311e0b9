import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientConfigError, compileClients } from '../../../src/policy/clients/compile-clients.js';
import { resolveProfile } from '../../../src/policy/clients/resolve-profile.js';
import { compilePolicy } from '../../../src/policy/compile.js';
import type { Policy } from '../../../src/policy/schema.js';
import { clientsFrom, policyFrom, profileYaml } from './fixture.js';

const clientsOf = (extra: Partial<Policy['clients']>): Policy['clients'] => ({ ...policyFrom('{}').clients, ...extra });

test('compileClients: defaults are an open, unprofiled configuration', () => {
  const compiled = clientsFrom('{}');
  assert.deepEqual(compiled.allowedCidrs, []);
  assert.deepEqual(compiled.containerLabels, { enabled: false, labelPrefix: 'com.sockguard.allow.' });
  assert.equal(compiled.defaultProfile, undefined);
  assert.equal(compiled.globalMaxInflight, undefined);
  assert.equal(compiled.profiles.size, 0);
});

test('compileClients: modes, priorities and rate defaults per profile', () => {
  const compiled = clientsFrom(`clients:
  global_concurrency: { max_inflight: 10 }
  profiles:
${profileYaml('a', '      mode: WARN\n      limits:\n        rate: { tokens_per_second: 3 }\n        priority: high\n')}${profileYaml('b', '      mode: audit\n      limits:\n        rate: { tokens_per_second: 2, burst: 5, endpoint_costs: [{ path: /build, methods: [post], cost: 4 }] }\n        concurrency: { max_inflight: 2 }\n')}${profileYaml('c', '      mode: ""\n')}`);
  const a = compiled.profiles.get('a')!;
  assert.equal(a.mode, 'warn');
  assert.equal(a.limits.priority, 'high');
  // burst defaults to tokens_per_second.
  assert.deepEqual(
    { ...a.limits.rate, endpointCosts: undefined },
    { tokensPerSecond: 3, burst: 3, endpointCosts: undefined },
  );
  const b = compiled.profiles.get('b')!;
  assert.equal(b.mode, 'audit');
  assert.equal(b.limits.priority, 'normal');
  assert.equal(b.limits.rate?.burst, 5);
  assert.equal(b.limits.rate?.endpointCosts[0]?.cost, 4);
  assert.deepEqual([...b.limits.rate!.endpointCosts[0]!.methods], ['POST']);
  assert.equal(b.limits.maxInflight, 2);
  const c = compiled.profiles.get('c')!;
  assert.deepEqual(c, { mode: 'enforce', limits: { priority: 'normal' } });
  assert.equal(compiled.globalMaxInflight, 10);
});

test('compileClients: profile names are kept as written, CIDRs are trimmed, an empty label prefix falls back', () => {
  const compiled = compileClients(
    clientsOf({
      default_profile: ' a ',
      source_ip_profiles: [{ profile: ' a ', cidrs: [' 10.0.0.0/8 '] }],
      container_labels: { enabled: true, label_prefix: '' },
    }),
  );
  assert.equal(compiled.defaultProfile, ' a ');
  assert.equal(compiled.sourceIpProfiles[0]?.profile, ' a ');
  assert.equal(compiled.sourceIpProfiles[0]?.cidrs[0]?.bits, 8);
  assert.equal(compiled.containerLabels.labelPrefix, 'com.sockguard.allow.');
});

test('compileClients and compilePolicy agree on every profile name, spaces included', () => {
  const policy = policyFrom(`clients:
  default_profile: " web "
  source_ip_profiles: [{ profile: "ops", cidrs: [10.0.0.0/8] }]
  profiles:
    - { name: " web ", rules: [{ match: { method: GET, path: /_ping }, action: allow }] }
    - { name: "ops", rules: [{ match: { method: GET, path: /_ping }, action: allow }] }
`);
  const compiled = compilePolicy(policy, { env: {} });
  const clients = compileClients(policy.clients);
  assert.deepEqual([...clients.profiles.keys()].sort(), [...compiled.profiles.keys()].sort());
  for (const sourceIp of ['10.1.2.3', '192.0.2.1']) {
    const resolution = resolveProfile({ sourceIp }, clients);
    assert.ok(resolution.ok && resolution.profile !== undefined);
    assert.ok(compiled.profiles.has(resolution.profile), `rules for "${resolution.profile}"`);
  }
});

test('compileClients refuses what it cannot parse, naming the field', () => {
  const cases: [Partial<Policy['clients']>, RegExp][] = [
    [{ allowed_cidrs: ['10.0.0.0/08'] }, /clients\.allowed_cidrs: "10\.0\.0\.0\/08" is not a CIDR/],
    [{ source_ip_profiles: [{ profile: 'a', cidrs: ['10.0.0.1'] }] }, /source_ip_profiles\[0\]\.cidrs/],
    [
      { client_certificate_profiles: [{ profile: 'a', ip_addresses: ['10.0.0.300'] }] },
      /ip_addresses: "10\.0\.0\.300"/,
    ],
    [{ client_certificate_profiles: [{ profile: 'a', ip_addresses: ['fe80::1%eth0'] }] }, /ip_addresses/],
    [
      { client_certificate_profiles: [{ profile: 'a', public_key_sha256_pins: ['sha256:abc'] }] },
      /public_key_sha256_pins/,
    ],
    [{ client_certificate_profiles: [{ profile: 'a', spiffe_ids: ['https://example.org/x'] }] }, /is not a SPIFFE ID/],
  ];
  for (const [clients, message] of cases) {
    assert.throws(
      () => compileClients(clientsOf(clients)),
      (e: unknown) => e instanceof ClientConfigError && message.test(e.message),
    );
  }
});

test('compileClients normalises certificate selectors once', () => {
  const compiled = compileClients(
    clientsOf({
      client_certificate_profiles: [
        {
          profile: 'a',
          common_names: [' ci ', ''],
          uri_sans: ['HTTPS://example.org/A'],
          spiffe_ids: ['SPIFFE://example.org/ci'],
          public_key_sha256_pins: ['SHA256:' + 'AB'.repeat(32)],
          ip_addresses: ['::ffff:10.0.0.1'],
        },
      ],
    }),
  );
  const selectors = compiled.certificateProfiles[0]!.selectors;
  assert.deepEqual(selectors.commonNames, ['ci']);
  assert.deepEqual(selectors.uriSans, ['https://example.org/A']);
  assert.deepEqual(selectors.spiffeIds, ['spiffe://example.org/ci']);
  assert.deepEqual(selectors.publicKeySha256Pins, ['ab'.repeat(32)]);
  assert.equal(selectors.ipAddresses[0]?.family, 4);
});
