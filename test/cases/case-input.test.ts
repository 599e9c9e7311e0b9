import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCaseInput } from '../../src/cases/case-input.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const DIR = join(REPO_ROOT, 'fixtures/cases/inspection');
const files = new Map<string, Uint8Array>();
const read = (path: string): Uint8Array => {
  files.set(path, new Uint8Array());
  return readFileSync(join(DIR, path));
};

test('an inline body and headers pass through; the client is assembled; the default profile is carried', () => {
  const bytes = new TextEncoder().encode('{}');
  const resolved = resolveCaseInput(
    {
      body: { kind: 'inline', bytes },
      headers: { 'content-type': 'application/json' },
      clientIp: '10.0.0.5',
      listener: 'public',
    },
    read,
    'ci',
  );
  assert.deepEqual(resolved, {
    ok: true,
    value: {
      client: { sourceIp: '10.0.0.5', listener: 'public' },
      profile: 'ci',
      body: bytes,
      headers: { 'content-type': 'application/json' },
    },
  });
});

test('body_file and a client_cert path are read through the callback; the certificate is parsed', () => {
  files.clear();
  const resolved = resolveCaseInput(
    { body: { kind: 'file', path: 'privileged-create.json' }, clientCert: { kind: 'file', path: 'ci-client.pem' } },
    read,
  );
  assert.ok(resolved.ok);
  assert.deepEqual([...files.keys()], ['ci-client.pem', 'privileged-create.json']);
  assert.equal(resolved.value.client?.certificate?.commonName, 'ci-runner');
  assert.match(new TextDecoder().decode(resolved.value.body), /"Privileged":true/);
  assert.deepEqual(resolved.value.headers, {});
});

test('inline PEM text works like a file; a bad certificate names client_cert and the file', () => {
  const pem = readFileSync(join(DIR, 'other-client.pem'), 'utf8');
  const inline = resolveCaseInput({ clientCert: { kind: 'pem', text: pem } }, read);
  assert.ok(inline.ok && inline.value.client?.certificate?.commonName === 'laptop');
  const bad = resolveCaseInput({ clientCert: { kind: 'file', path: 'not-a-certificate.pem' } }, read);
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.problem, /^client_cert not-a-certificate\.pem: not a readable X\.509 certificate/);
});
