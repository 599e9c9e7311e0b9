import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  maxBodyBytes,
  MAX_ARCHIVE_BODY_BYTES,
  MAX_JSON_BODY_BYTES,
  requiresBody,
} from '../../../src/policy/body/body-routes.js';
import { inspectRequestBody } from '../../../src/policy/body/inspect-request-body.js';
import { assertAllowed, assertDenied, judge, request, rootPolicy, TYPICAL_CREATE } from './body-request.js';

const policy = rootPolicy();
const privileged = '{"HostConfig":{"Privileged":true}}';

test('API versions below 1.24 are refused on every route (security-notes.md §4)', () => {
  assertDenied(judge(policy, 'POST', '/v1.23/containers/abc/start'), 400, 'API version 1.23 is below 1.24');
  assertDenied(judge(policy, 'GET', '/v1.12/containers/json'), 400);
  assertAllowed(judge(policy, 'POST', '/v1.24/containers/abc/start'));
  assertAllowed(judge(policy, 'POST', '/containers/abc/start'));
});

test('the version prefix does not change which inspector runs', () => {
  for (const target of [
    '/containers/create',
    '/v1.45/containers/create',
    '/v01.045/containers/create',
    '/v1.41/containers/create?x=1',
  ]) {
    assertDenied(judge(policy, 'POST', target, privileged), 403, 'HostConfig.Privileged');
  }
});

test('form-encoded and multipart bodies are refused: their values override the judged query (D9)', () => {
  for (const contentType of [
    'application/x-www-form-urlencoded',
    'Application/X-WWW-Form-Urlencoded; charset=utf-8',
    'multipart/form-data; boundary=x',
  ]) {
    const headers = { 'content-type': contentType };
    assertDenied(
      judge(
        policy,
        'POST',
        '/images/create?fromImage=alpine',
        new TextEncoder().encode('fromImage=evil.com/x'),
        headers,
      ),
      400,
      'override the query string',
    );
    assertDenied(judge(policy, 'POST', '/containers/abc/kill?signal=TERM', new Uint8Array(), headers), 400);
    assertDenied(judge(policy, 'PUT', '/containers/abc/archive?path=/tmp', undefined, headers), 400);
  }
  assertAllowed(
    judge(policy, 'GET', '/containers/json', undefined, { 'content-type': 'application/x-www-form-urlencoded' }),
  );
});

test('a Content-Encoding on an inspected route is refused: dockerd never decompresses', () => {
  for (const encoding of ['gzip', 'identity', 'br']) {
    assertDenied(
      judge(policy, 'POST', '/containers/create', TYPICAL_CREATE, { 'content-encoding': encoding }),
      400,
      'Content-Encoding',
    );
  }
  assertAllowed(
    judge(policy, 'POST', '/containers/abc/kill', undefined, { 'content-encoding': 'gzip' }),
    'not an inspected route',
  );
});

test('Content-Type: parameters and case are ignored, like mime.ParseMediaType', () => {
  for (const contentType of [
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    ' application/json ;charset=UTF-8',
  ]) {
    assertDenied(
      judge(policy, 'POST', '/containers/create', privileged, { 'content-type': contentType }),
      403,
      'HostConfig.Privileged',
    );
  }
});

test('a non-empty body on a JSON route needs a JSON Content-Type (CheckForJSON)', () => {
  const bytes = new TextEncoder().encode(privileged);
  assertDenied(
    judge(policy, 'POST', '/containers/create', bytes, { 'content-type': 'text/plain' }),
    400,
    'needs Content-Type application/json',
  );
  assertDenied(judge(policy, 'POST', '/containers/create', bytes), 400, 'needs Content-Type application/json');
  assertAllowed(judge(policy, 'POST', '/containers/create', new Uint8Array()), 'an empty body needs no Content-Type');
});

test('conflicting headers are ambiguous and refused', () => {
  assertDenied(
    inspectRequestBody(
      {
        ...request('POST', '/containers/create', privileged),
        headers: { 'content-type': ['application/json', 'text/plain'] },
      },
      policy,
    ),
    400,
    'conflicting Content-Type',
  );
  assertDenied(
    judge(policy, 'POST', '/images/create?fromImage=alpine', undefined, { 'X-Registry-Auth': ['e30=', 'e31='] }),
    400,
    'X-Registry-Auth',
  );
  assertAllowed(
    inspectRequestBody(
      {
        ...request('POST', '/containers/create', TYPICAL_CREATE),
        headers: { 'Content-Type': ['application/json', 'application/json'] },
      },
      policy,
    ),
  );
});

test('bodies over the inspection limit get 413 and are never judged partially', () => {
  const big = new Uint8Array(MAX_JSON_BODY_BYTES + 1).fill(0x20);
  assertDenied(
    judge(policy, 'POST', '/containers/create', big, { 'content-type': 'application/json' }),
    413,
    'inspection limit',
  );
  const fits = new Uint8Array(MAX_JSON_BODY_BYTES).fill(0x20);
  fits.set(new TextEncoder().encode('{}'));
  assertAllowed(judge(policy, 'POST', '/containers/create', fits, { 'content-type': 'application/json' }));
});

test('a JSON route whose body was not buffered is not judged blind', () => {
  assertDenied(
    inspectRequestBody({ method: 'POST', normalizedPath: '/containers/create', headers: {} }, policy),
    403,
    'not read',
  );
});

test('queries dockerd would refuse are refused', () => {
  assertDenied(judge(policy, 'POST', '/images/create?fromImage=alpine;fromImage=evil.com/x'), 400, '";"');
  assertDenied(judge(policy, 'POST', '/images/create?fromImage=%zz'), 400, 'invalid escape');
});

test('a start request may carry only an empty body or {} (API < 1.24 HostConfig on start)', () => {
  for (const body of ['', '{}', ' { } '])
    assertAllowed(judge(policy, 'POST', '/containers/abc/start', body), JSON.stringify(body));
  assertAllowed(judge(policy, 'POST', '/containers/abc/start'));
  for (const body of ['{"Binds":["/:/host"]}', '{"HostConfig":{"Privileged":true}}', 'null', '[]', '{', '{"a":1} {}']) {
    assertDenied(judge(policy, 'POST', '/containers/abc/start', body), 403, 'start request may carry no body');
  }
});

test('malformed bodies always yield a 400 with a reason, never an exception', () => {
  const samples = [
    '{',
    '{"HostConfig":',
    '{"HostConfig":{"Privileged":true}',
    '{"HostConfig":{"Privileged":true}}garbage',
    '\u0000',
    'null null',
    '{"a":"\\u12"}',
    TYPICAL_CREATE.slice(0, 500),
    TYPICAL_CREATE + '}',
  ];
  for (const body of samples) {
    const verdict = judge(policy, 'POST', '/containers/create', body);
    assertDenied(verdict, 400, 'not valid JSON');
  }
  // Random mutations of a real body: whatever comes out is a verdict, never a throw.
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const bytes = new TextEncoder().encode(TYPICAL_CREATE);
  for (let i = 0; i < 2000; i++) {
    const mutated = bytes.slice();
    for (let j = 0; j < 3; j++) mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
    const verdict = judge(policy, 'POST', '/containers/create', mutated, { 'content-type': 'application/json' });
    assert.equal(typeof verdict.ok, 'boolean');
    if (!verdict.ok) assert.ok(verdict.reason.length > 0 && [400, 403].includes(verdict.status));
  }
});

test('requests on routes without an inspector pass unchanged; methods are case-sensitive (D4)', () => {
  assertAllowed(judge(policy, 'GET', '/containers/json'));
  assertAllowed(judge(policy, 'post', '/containers/create', privileged), 'dockerd 404s a lower-case method');
  assertAllowed(judge(policy, 'POST', '/containers/abc/attach?stream=1'));
});

test('requiresBody and maxBodyBytes tell the proxy which bodies to buffer and never buffer streams', () => {
  const buffered: [string, string][] = [
    ['POST', '/containers/create'],
    ['POST', '/containers/abc/update'],
    ['POST', '/containers/abc/start'],
    ['POST', '/containers/abc/exec'],
    ['POST', '/build'],
    ['PUT', '/containers/abc/archive'],
    ['POST', '/images/load'],
    ['POST', '/networks/n/connect'],
    ['POST', '/plugins/pull'],
    ['POST', '/swarm/join'],
    ['POST', '/nodes/n/update'],
  ];
  for (const [method, path] of buffered) assert.equal(requiresBody(method, path), true, `${method} ${path}`);
  const streamed: [string, string][] = [
    ['POST', '/containers/abc/attach'],
    ['POST', '/exec/abc/start'],
    ['POST', '/images/create'],
    ['GET', '/containers/abc/logs'],
    ['GET', '/containers/abc/archive'],
    ['POST', '/session'],
    ['POST', '/containers/a/b/update'],
  ];
  for (const [method, path] of streamed) assert.equal(requiresBody(method, path), false, `${method} ${path}`);
  assert.equal(maxBodyBytes('POST', '/containers/create'), MAX_JSON_BODY_BYTES);
  assert.equal(maxBodyBytes('POST', '/build'), MAX_ARCHIVE_BODY_BYTES);
  assert.equal(maxBodyBytes('POST', '/images/create'), undefined);
});

test('a compiled policy narrows requiresBody when nothing in the body matters', () => {
  const open = rootPolicy({
    build: { allow_run_instructions: true, allow_host_network: true },
    container_archive: { allow_setid: true, allow_device_nodes: true, allow_escaping_links: true },
  });
  assert.equal(open.requiresBody('POST', '/build'), false);
  assert.equal(open.requiresBody('PUT', '/containers/abc/archive'), false);
  assert.equal(policy.requiresBody('POST', '/build'), true);
  assert.equal(policy.requiresBody('PUT', '/containers/abc/archive'), true);
  assert.equal(policy.requiresBody('POST', '/exec/abc/start'), false);
  assertAllowed(judge(open, 'POST', '/build'), 'no body needed');
});

test('libpod writes are not inspected here, so they are refused unless blind writes are acknowledged', () => {
  for (const [method, path] of [
    ['POST', '/libpod/containers/create'],
    ['POST', '/libpod/containers/abc/exec'],
    ['POST', '/libpod/play/kube'],
    ['PUT', '/libpod/manifests/m'],
  ] as const) {
    assertDenied(judge(policy, method, path, '{}'), 403, 'libpod write', 'insecure_allow_body_blind_writes');
    assertAllowed(judge(rootPolicy({}, { insecureAllowBodyBlindWrites: true }), method, path, '{}'));
  }
  assertAllowed(judge(policy, 'POST', '/libpod/containers/abc/start'));
});

test('a body that looks chunked is just bytes here (framing is the proxy’s job)', () => {
  assertDenied(judge(policy, 'POST', '/containers/create', '5\r\n{"a":\r\n0\r\n\r\n'), 400, 'not valid JSON');
});
