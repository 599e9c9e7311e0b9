import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalRequest,
  cleanPath,
  decodePathOnce,
  encodePath,
  normalizePath,
  parseTarget,
  stripVersionPrefix,
  TargetError,
} from '../../src/policy/canonical-path.js';

// sockguard-config.md §3.4: raw request path -> normalized path (after the HTTP layer's single decode).
const NORMALIZE_TABLE: [string, string, string | undefined][] = [
  ['/v1.45/containers/json', '/containers/json', '1.45'],
  ['/v5.0.0/libpod/containers/json', '/libpod/containers/json', '5.0.0'],
  ['/v1/containers/json', '/containers/json', '1'],
  ['/v1.45', '/v1.45', undefined],
  ['/v1.45/', '/v1.45', undefined],
  ['/v1.45./containers/json', '/v1.45./containers/json', undefined],
  ['/v1.45.0.0/containers/json', '/v1.45.0.0/containers/json', undefined],
  ['/V1.45/containers/json', '/V1.45/containers/json', undefined],
  ['/v1.45/v1.44/containers/json', '/v1.44/containers/json', '1.45'],
  ['/containers/json/', '/containers/json', undefined],
  ['/containers/../images/json', '/images/json', undefined],
  ['/containers/a%2Fb/json', '/containers/a/b/json', undefined],
  ['/%73warm', '/swarm', undefined],
  ['/containers/%252e%252e/json', '/containers/%2e%2e/json', undefined],
  ['/v01.045/containers/json', '/containers/json', '01.045'],
  ['//containers//json', '/containers/json', undefined],
  ['/containers/./json', '/containers/json', undefined],
  ['/../../etc', '/etc', undefined],
  ['/', '/', undefined],
];

for (const [raw, normalized, version] of NORMALIZE_TABLE) {
  test(`normalizes ${raw} to ${normalized} (§3.4)`, () => {
    const parsed = parseTarget(raw);
    assert.equal(parsed.normalizedPath, normalized);
    assert.equal(parsed.apiVersion, version);
  });
}

test('the query string never participates in matching', () => {
  const parsed = parseTarget('/containers/create?x=/start');
  assert.equal(parsed.normalizedPath, '/containers/create');
  assert.equal(parsed.rawQuery, 'x=/start');
});

test('Go path.Clean semantics', () => {
  for (const [input, output] of [
    ['/a/b/../c', '/a/c'],
    ['/a/./b/', '/a/b'],
    ['/..', '/'],
    ['//', '/'],
    ['/a//b', '/a/b'],
    ['', '.'],
    ['a/../..', '..'],
  ]) {
    assert.equal(cleanPath(input!), output, input);
  }
});

test('decodes exactly once and keeps + literal', () => {
  assert.equal(decodePathOnce('/a%252Fb'), '/a%2Fb');
  assert.equal(decodePathOnce('/a+b'), '/a+b');
  assert.equal(decodePathOnce('/caf%C3%A9'), '/café');
});

test('rejects malformed escapes and non-UTF-8 bytes', () => {
  assert.throws(
    () => decodePathOnce('/a%zz'),
    (e: unknown) => e instanceof TargetError && e.problem === 'bad-escape',
  );
  assert.throws(
    () => decodePathOnce('/a%4'),
    (e: unknown) => e instanceof TargetError && e.problem === 'bad-escape',
  );
  assert.throws(
    () => decodePathOnce('/a%ff'),
    (e: unknown) => e instanceof TargetError && e.problem === 'bad-utf8',
  );
});

test('normalizePath of an empty path is the root', () => {
  assert.deepEqual(normalizePath(''), { path: '/' });
});

// security-notes.md §2-§4: the proxy refuses what dockerd would interpret differently.
const REJECTED: [string, string][] = [
  ['/containers/x/json#frag', 'fragment'],
  ['/containers/x\\..\\json', 'backslash'],
  ['/containers/x%5C..%5Cjson', 'backslash'],
  ['/containers/../images/json', 'unclean-path'],
  ['/containers/%2e%2e/images/json', 'unclean-path'],
  ['//containers/x/json', 'unclean-path'],
  ['/containers//json', 'unclean-path'],
  ['/containers/./json', 'unclean-path'],
  ['/containers/a%2F..%2Fb/json', 'unclean-path'],
  ['/containers/x%00/json', 'control-character'],
  ['/containers/x%0d%0aHost:/json', 'control-character'],
  ['/containers/x json', 'control-character'],
  ['/v1.23/containers/x/start', 'api-version-too-old'],
  ['/v1/containers/json', 'api-version-too-old'],
  ['containers/json', 'not-origin-form'],
  ['http://evil/containers/json', 'not-origin-form'],
  ['*', 'not-origin-form'],
  ['/a%zz', 'bad-escape'],
];

for (const [target, problem] of REJECTED) {
  test(`strict canonicalisation rejects ${JSON.stringify(target)} (${problem})`, () => {
    assert.throws(
      () => canonicalRequest(target),
      (e: unknown) => e instanceof TargetError && e.problem === problem,
    );
  });
}

test('forwards exactly the judged path, re-encoded, with the query as sent', () => {
  const c = canonicalRequest('/v1.41/containers/x/attach%2Fws?stream=1&x=%2F');
  assert.equal(c.decodedPath, '/v1.41/containers/x/attach/ws');
  assert.equal(c.normalizedPath, '/containers/x/attach/ws');
  assert.equal(c.forwardTarget, '/v1.41/containers/x/attach/ws?stream=1&x=%2F');
});

test('a literal % after one decode is re-encoded so dockerd decodes back to it', () => {
  const c = canonicalRequest('/containers/%252e%252e/json');
  assert.equal(c.decodedPath, '/containers/%2e%2e/json');
  assert.equal(c.forwardTarget, '/containers/%252e%252e/json');
  assert.equal(decodePathOnce(c.forwardTarget), c.decodedPath);
});

test('encodePath round-trips through one decode for every byte class', () => {
  for (const p of [
    '/images/registry:5000/org/app:1.0/json',
    '/a b',
    '/x?y',
    '/caf\u00e9',
    '/%',
    '/a;b=c',
    '/\u{1F600}',
  ]) {
    assert.equal(decodePathOnce(encodePath(p)), p, p);
  }
});

test('a trailing slash is forwarded as sent (dockerd 404s it) but matched without it', () => {
  const c = canonicalRequest('/containers/json/');
  assert.equal(c.normalizedPath, '/containers/json');
  assert.equal(c.forwardTarget, '/containers/json/');
});

test('non-ASCII bytes from Node (latin1 request-target) decode as UTF-8', () => {
  const latin1 = Buffer.from('/caf\u00e9', 'utf8').toString('latin1');
  assert.equal(decodePathOnce(latin1), '/café');
});

test('normalizePath skips cleaning only when path.Clean would not change the path', () => {
  const alphabet = ['/', '.', 'a', '..', 'v1.4', 'b'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20_000; i++) {
    let p = '/';
    for (let j = Math.floor(next() * 8); j > 0; j--) p += alphabet[Math.floor(next() * alphabet.length)];
    const expected = stripVersionPrefix(cleanPath(p));
    assert.deepEqual(normalizePath(p), expected, p);
  }
});

test('canonicalRequest refuses exactly the paths path.Clean would change (besides one trailing slash)', () => {
  const alphabet = ['/', '.', 'a', '..', '%2e', '%2F', 'b'];
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20_000; i++) {
    let raw = '/';
    for (let j = Math.floor(next() * 8); j > 0; j--) raw += alphabet[Math.floor(next() * alphabet.length)];
    const decoded = decodePathOnce(raw);
    const withoutTrailing = decoded.length > 1 && decoded.endsWith('/') ? decoded.slice(0, -1) : decoded;
    const unclean = cleanPath(withoutTrailing) !== withoutTrailing;
    let problem: string | undefined;
    try {
      canonicalRequest(raw);
    } catch (error) {
      problem = (error as TargetError).problem;
    }
    assert.equal(problem, unclean ? 'unclean-path' : undefined, raw);
  }
});

test('encodePath leaves a path with nothing to escape as it is and escapes everything else', () => {
  const table: [string, string][] = [
    ["/containers/abc_1-2.3~x/json:@!$&'()*+,;=", "/containers/abc_1-2.3~x/json:@!$&'()*+,;="],
    ['/a b', '/a%20b'],
    ['/x?y', '/x%3Fy'],
    ['/%', '/%25'],
    ['/caf\u00e9', '/caf%C3%A9'],
    ['', ''],
  ];
  for (const [decoded, encoded] of table) assert.equal(encodePath(decoded), encoded, decoded);
});
