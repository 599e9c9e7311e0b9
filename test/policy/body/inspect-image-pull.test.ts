import { test } from 'node:test';
import { MAX_REGISTRY_AUTH_HEADER_BYTES } from '../../../src/policy/body/registry-auth.js';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.image_pull.${field}`;
const pull = (policy: RequestBodyDocument, query: string, headers: Record<string, string> = {}) =>
  judge(rootPolicy(policy), 'POST', `/v1.45/images/create?${query}`, undefined, headers);
const auth = (config: object) => btoa(JSON.stringify(config)).replace(/\+/g, '-').replace(/\//g, '_');

test('official images pass by default (allow_official defaults to true at the root)', () => {
  for (const image of [
    'alpine',
    'alpine&tag=3.20',
    'library/alpine',
    'docker.io%2Flibrary%2Falpine&tag=latest',
    'index.docker.io/library/alpine',
  ]) {
    assertAllowed(pull({}, `fromImage=${image}`), image);
  }
});

test('images from other registries, or Hub images outside library/, need an allowlist entry', () => {
  const cases: [string, string][] = [
    ['evil.com/x', 'registry "evil.com"'],
    ['Evil/x', 'registry "evil"'],
    ['localhost:5000/x', 'registry "localhost:5000"'],
    ['localhost/x', 'registry "localhost"'],
    ['docker.io.evil.example/library/alpine', 'registry "docker.io.evil.example"'],
    ['bitnami/redis', 'registry "docker.io"'],
  ];
  for (const [image, fragment] of cases) {
    assertDenied(
      pull({}, `fromImage=${encodeURIComponent(image)}`),
      403,
      `query fromImage "${image}"`,
      fragment,
      key('allowed_registries'),
    );
  }
  assertAllowed(pull({ image_pull: { allowed_registries: ['localhost:5000'] } }, 'fromImage=localhost:5000/x'));
  assertAllowed(pull({ image_pull: { allowed_registries: ['Docker.IO'] } }, 'fromImage=bitnami/redis'));
  assertAllowed(pull({ image_pull: { allow_all_registries: true } }, 'fromImage=evil.com/x'));
  assertDenied(pull({ image_pull: { allow_official: false } }, 'fromImage=alpine'), 403, key('allow_official'));
  assertDenied(pull({}, 'fromImage=NotAReference'), 403, 'not a valid image reference');
});

test('the first fromImage is the one dockerd pulls (D9)', () => {
  assertAllowed(pull({}, 'fromImage=alpine&fromImage=evil.com/x'));
  assertDenied(pull({}, 'fromImage=evil.com/x&fromImage=alpine'), 403, 'evil.com');
});

test('imports (fromSrc) need allow_imports, whatever fromImage says', () => {
  assertDenied(pull({}, 'fromSrc=-&repo=alpine'), 403, 'query fromSrc "-" imports an image', key('allow_imports'));
  assertDenied(pull({}, 'fromSrc=http%3A%2F%2Fevil.com%2Fx.tar&fromImage=alpine'), 403, key('allow_imports'));
  assertAllowed(pull({ image_pull: { allow_imports: true } }, 'fromSrc=-&repo=anything'));
});

test('X-Registry-Auth: serveraddress must be an allowed registry; credentials are never echoed', () => {
  assertAllowed(pull({}, 'fromImage=alpine', { 'x-registry-auth': 'e30=' }), 'the CLI sends {} for anonymous pulls');
  assertAllowed(
    pull({}, 'fromImage=alpine', {
      'x-registry-auth': auth({ username: 'u', password: 'p', serveraddress: 'https://index.docker.io/v1/' }),
    }),
  );
  const evil = pull({}, 'fromImage=alpine', {
    'x-registry-auth': auth({ username: 'u', password: 'hunter2', serveraddress: 'https://evil.com/v2/' }),
  });
  assertDenied(evil, 403, 'serveraddress names registry "evil.com"', key('allowed_registries'));
  if (!evil.ok && evil.reason.includes('hunter2')) throw new Error('password leaked into the reason');
  assertAllowed(
    pull({ image_pull: { allowed_registries: ['evil.com'] } }, 'fromImage=evil.com/x', {
      'x-registry-auth': auth({ serveraddress: 'evil.com' }),
    }),
  );
  assertAllowed(pull({}, 'fromImage=alpine', { 'x-registry-auth': auth({ ServerAddress: '' }) }));
  assertDenied(
    pull({}, 'fromImage=alpine', { 'x-registry-auth': auth({ ServerAddress: 'evil.com' }) }),
    403,
    'evil.com',
  );
});

test('undecodable or oversized X-Registry-Auth headers are refused', () => {
  assertDenied(pull({}, 'fromImage=alpine', { 'x-registry-auth': '!!!' }), 400, 'not base64');
  assertDenied(pull({}, 'fromImage=alpine', { 'x-registry-auth': btoa('not json') }), 400, 'not a JSON auth object');
  assertDenied(
    pull({}, 'fromImage=alpine', { 'x-registry-auth': auth({ serveraddress: 'a', ServerAddress: 'b' }) }),
    400,
  );
  const big = auth({ username: 'x'.repeat(MAX_REGISTRY_AUTH_HEADER_BYTES) });
  assertDenied(
    pull({}, 'fromImage=alpine', { 'x-registry-auth': big }),
    400,
    `longer than ${MAX_REGISTRY_AUTH_HEADER_BYTES}`,
  );
});

test('an image pull never needs its body', () => {
  assertAllowed(
    judge(rootPolicy({ image_pull: { allow_imports: true } }), 'POST', '/images/create?fromSrc=-', new Uint8Array(10)),
  );
});
