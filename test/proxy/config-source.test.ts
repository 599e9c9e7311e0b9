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
