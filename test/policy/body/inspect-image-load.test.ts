import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';
import { tar, type TarSpec } from './tar-builder.js';

const key = (field: string) => `request_body.image_load.${field}`;
const load = (policy: RequestBodyDocument, ...entries: TarSpec[]) =>
  judge(rootPolicy(policy), 'POST', '/v1.45/images/load?quiet=1', tar(...entries), {
    'content-type': 'application/x-tar',
  });
const manifest = (...tags: (string[] | null)[]) => ({
  name: 'manifest.json',
  content: JSON.stringify(tags.map((t) => ({ Config: 'c.json', RepoTags: t, Layers: [] }))),
});

test('image names in manifest.json pass the registry allowlist', () => {
  assertAllowed(load({}, manifest(['alpine:3.20']), { name: 'c.json', content: '{}' }));
  assertDenied(
    load({}, manifest(['evil.com/x:1'])),
    403,
    'image archive name "evil.com/x:1"',
    key('allowed_registries'),
  );
  assertDenied(load({}, manifest(['alpine:1', 'busybox:1'], ['ghcr.io/a/b:1'])), 403, 'ghcr.io');
  assertAllowed(load({ image_load: { allowed_registries: ['ghcr.io'] } }, manifest(['ghcr.io/a/b:1'])));
});

test('the OCI index and the legacy repositories file are judged too', () => {
  const index = (annotations: Record<string, string>) => ({
    name: 'index.json',
    content: JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:x', annotations }] }),
  });
  assertDenied(
    load({}, manifest(['alpine:1']), index({ 'io.containerd.image.name': 'evil.com/x:1' })),
    403,
    'evil.com',
  );
  assertAllowed(
    load(
      {},
      index({ 'io.containerd.image.name': 'docker.io/library/alpine:1', 'org.opencontainers.image.ref.name': '1' }),
    ),
  );
  assertDenied(
    load({}, { name: 'repositories', content: '{"evil.com/x":{"latest":"abc"}}' }),
    403,
    '"evil.com/x:latest"',
  );
});

test('untagged archives need allow_untagged', () => {
  assertDenied(load({}, manifest(null)), 403, 'names no image', key('allow_untagged'));
  assertDenied(load({}, manifest(['<none>:<none>'])), 403, key('allow_untagged'));
  assertDenied(load({}, { name: 'layer.tar', content: 'x' }), 403, key('allow_untagged'));
  assertAllowed(load({ image_load: { allow_untagged: true } }, manifest(null)));
});

test('repeated or unreadable metadata is refused', () => {
  assertDenied(
    load({}, manifest(['alpine:1']), { ...manifest(['evil.com/x:1']), name: './manifest.json' }),
    403,
    '2 copies of manifest.json',
  );
  assertDenied(
    load({}, { name: 'manifest.json', content: '[{"RepoTags":["a"],"repotags":["evil.com/x"]}]' }),
    400,
    'duplicate key',
  );
  assertDenied(load({}, { name: 'manifest.json', type: '2', linkname: 'other.json' }), 403, 'not a regular file');
  assertDenied(judge(rootPolicy(), 'POST', '/images/load', new Uint8Array([0x1f, 0x8b, 0, 0])), 403, 'gzip-compressed');
});

test('metadata written through a symlink of the same archive is refused', () => {
  assertDenied(
    load({}, { name: 'm', type: '2', linkname: '.' }, manifest(['alpine:1']), {
      ...manifest(['evil.com/x:1']),
      name: 'm/manifest.json',
    }),
    403,
    'written through the symlink "m"',
  );
});
