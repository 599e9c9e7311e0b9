import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRegistryAllowlist, parseImageReference } from '../../../src/policy/body/image-reference.js';
import { policyKeys } from '../../../src/policy/body/verdict.js';

// security-notes.md §12, distribution/reference normalize.go.
const REFERENCES: [string, string | undefined, boolean?][] = [
  ['alpine', 'docker.io', true],
  ['alpine:3.20', 'docker.io', true],
  ['library/alpine', 'docker.io', true],
  ['docker.io/library/alpine', 'docker.io', true],
  ['index.docker.io/library/alpine', 'docker.io', true],
  ['alpine@sha256:' + 'a'.repeat(64), 'docker.io', true],
  ['bitnami/redis', 'docker.io', false],
  ['evil.com/x', 'evil.com', false],
  ['Evil/x', 'evil', false],
  ['localhost/x', 'localhost', false],
  ['localhost:5000/x', 'localhost:5000', false],
  ['docker.io.evil.example/library/alpine', 'docker.io.evil.example', false],
  ['ghcr.io/org/app:1.0', 'ghcr.io', false],
  ['[::1]:5000/x', '[::1]:5000', false],
  ['Alpine', undefined],
  ['evil.com/X', undefined],
  ['a'.repeat(64).replace(/a/g, 'f'), undefined],
  ['', undefined],
  ['alpine:', undefined],
  ['http://evil.com/x', undefined],
];
for (const [text, registry, official] of REFERENCES) {
  test(`image reference ${JSON.stringify(text)}`, () => {
    const parsed = parseImageReference(text);
    assert.equal(parsed?.registry, registry);
    if (official !== undefined) assert.equal(parsed?.official, official);
  });
}

test('registry allowlists compare normalised hosts', () => {
  const key = policyKeys('request_body', 'image_pull');
  const list = compileRegistryAllowlist(
    { allow_official: false, allowed_registries: ['GHCR.io', 'index.docker.io'] },
    key,
  );
  assert.equal(list.check('ghcr.io/a/b', 'f'), undefined);
  assert.equal(list.check('bitnami/redis', 'f'), undefined, 'index.docker.io means docker.io');
  assert.match(
    list.check('quay.io/a', 'f')!,
    /registry "quay.io"; it is not in request_body.image_pull.allowed_registries/,
  );
  assert.equal(list.allowsHost('docker.io'), true);
  const official = compileRegistryAllowlist({ allow_official: true }, key);
  assert.equal(official.check('alpine', 'f'), undefined);
  assert.match(official.check('bitnami/redis', 'f')!, /docker.io/);
  assert.match(compileRegistryAllowlist({}, key).check('alpine', 'f')!, /allow_official is false/);
  assert.equal(compileRegistryAllowlist({ allow_all_registries: true }, key).check('Not A Ref', 'f'), undefined);
});

test('over-long references are refused before any regex runs', () => {
  const started = performance.now();
  assert.equal(parseImageReference(`${'a-a.'.repeat(4000)}:1/x`), undefined);
  assert.ok(performance.now() - started < 100);
  assert.equal(
    parseImageReference(`registry.example/${'a'.repeat(200)}:${'t'.repeat(128)}`)?.registry,
    'registry.example',
  );
});
