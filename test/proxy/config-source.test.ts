import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, preparePolicy } from '../../src/proxy/config-source.js';

test('preparePolicy refuses a clients block the client gates cannot compile, naming the field', () => {
  const yaml = `clients:
  client_certificate_profiles: [{ profile: a, spiffe_ids: ["https://example.org/x"] }]
  profiles: [{ name: a, rules: [{ match: { method: GET, path: /_ping }, action: allow }] }]
`;
  assert.throws(
    () => preparePolicy(yaml, { env: {} }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.kind === 'validation' &&
      error.issues.some((i) => /client_certificate_profiles\[0\]\.spiffe_ids: .* is not a SPIFFE ID/.test(i)),
  );
});

test("preparePolicy refuses a listener's certificate selector that can never match, naming the field", () => {
  const yaml = `listen:
  address: 127.0.0.1:2376
  tls: { cert_file: /c.pem, key_file: /k.pem, client_ca_file: /ca.pem, public_key_sha256_pins: [abc] }
`;
  assert.throws(
    () => preparePolicy(yaml, { env: {} }),
    (error: unknown) =>
      error instanceof ConfigError &&
      error.issues.some((i) => /^listen\.tls\.public_key_sha256_pins: "abc" is not a SHA-256 hex digest$/.test(i)),
  );
});
