import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeBody, type BodyInput } from '../../src/cases/judge-body.js';
import { compileBodyPolicy } from '../../src/policy/body/compile-body-policy.js';
import { parseTarget } from '../../src/policy/canonical-path.js';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/schema.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'fixtures/cases/inspection', name));
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function policyOf(requestBody: PolicyDocument['request_body'] = {}, blind = false) {
  const policy = resolvePolicy({ request_body: requestBody, insecure_allow_body_blind_writes: blind });
  return compileBodyPolicy(policy.request_body, { insecureAllowBodyBlindWrites: blind });
}

const judge = (method: string, target: string, input: Partial<BodyInput> = {}, policy = policyOf()) =>
  judgeBody(policy, method, parseTarget(target), { headers: {}, ...input });

test('no inspector for the route: undefined (the rule decision stands)', () => {
  assert.equal(judge('GET', '/containers/json'), undefined);
  assert.equal(judge('POST', '/containers/web/restart'), undefined);
});

test('a JSON body without Content-Type gets application/json, said in a note; a given one is used as is', () => {
  const body = json({ Image: 'nginx' });
  assert.deepEqual(judge('POST', '/containers/create', { body }), {
    inspector: 'container-create',
    decision: 'allow',
    bytes: body.length,
    notes: ['Content-Type application/json assumed, as the docker CLI sends it'],
  });
  const textPlain = judge('POST', '/containers/create', { body, headers: { 'content-type': 'text/plain' } });
  assert.equal(textPlain?.decision, 'deny');
  assert.equal(textPlain?.status, 400);
  assert.deepEqual(textPlain?.notes, []);
  const withParams = judge('POST', '/containers/create', {
    body,
    headers: { 'content-type': 'Application/JSON; charset=utf-8' },
  });
  assert.equal(withParams?.decision, 'allow');
});

test('no body on an inspected route: judged as empty, with a note; require_* keys then deny', () => {
  const empty = judge('POST', '/containers/create');
  assert.equal(empty?.decision, 'allow');
  assert.deepEqual(empty?.notes, [
    'no request body given: judged as an empty body, as serve judges a request sent without one',
  ]);
  assert.equal(empty?.bytes, undefined);
  const strict = judge(
    'POST',
    '/containers/create',
    {},
    policyOf({ container_create: { require_memory_limit: true } }),
  );
  assert.equal(strict?.decision, 'deny');
  assert.match(strict?.reason ?? '', /require_memory_limit/);
});

test('the typical create body passes the default policy', () => {
  assert.equal(judge('POST', '/v1.45/containers/create', { body: fixture('typical-create.json') })?.decision, 'allow');
});

/** [name, method, target, body fixture, headers, status, reason fragments]. */
const DENIALS: [string, string, string, string | undefined, Record<string, string>, number, string[]][] = [
  [
    'privileged',
    'POST',
    '/containers/create',
    'privileged-create.json',
    {},
    403,
    ['HostConfig.Privileged', 'request_body.container_create.allow_privileged'],
  ],
  [
    'bind of /',
    'POST',
    '/containers/create',
    'bind-root-create.json',
    {},
    403,
    ['HostConfig.Binds[0]', '"/"', 'request_body.container_create.allowed_bind_mounts'],
  ],
  [
    'exec as root',
    'POST',
    '/containers/web/exec',
    'exec-root.json',
    {},
    403,
    ['User "root"', 'request_body.exec.allow_root_user'],
  ],
  ['duplicate keys', 'POST', '/containers/create', 'duplicate-keys-create.json', {}, 400, ['duplicate key']],
  [
    'gzip encoded',
    'POST',
    '/containers/create',
    'typical-create.json',
    { 'content-encoding': 'gzip' },
    400,
    ['Content-Encoding'],
  ],
  [
    'a build with RUN',
    'POST',
    '/build',
    'build-run.tar',
    {},
    403,
    ['RUN', 'request_body.build.allow_run_instructions'],
  ],
  [
    'a pull outside the allowlist',
    'POST',
    '/images/create?fromImage=evil.example/x&tag=1',
    undefined,
    {},
    403,
    ['evil.example', 'request_body.image_pull.allowed_registries'],
  ],
  [
    'a form-encoded create',
    'POST',
    '/containers/create',
    'typical-create.json',
    { 'content-type': 'application/x-www-form-urlencoded' },
    400,
    ['form'],
  ],
  ['an old API version', 'POST', '/v1.23/containers/create', 'typical-create.json', {}, 400, ['below 1.24']],
];

for (const [name, method, target, file, headers, status, fragments] of DENIALS) {
  test(`denied: ${name} (${status})`, () => {
    const policy = policyOf({
      exec: { allowed_commands: [['/app/healthcheck']] },
      image_pull: { allowed_registries: ['ghcr.io'] },
    });
    const report = judge(method, target, { ...(file ? { body: fixture(file) } : {}), headers }, policy);
    assert.equal(report?.decision, 'deny');
    assert.equal(report?.status, status, report?.reason);
    for (const fragment of fragments)
      assert.ok(report?.reason?.includes(fragment), `${report?.reason} names ${fragment}`);
  });
}

test('a tar body gets application/x-tar; a build without RUN passes', () => {
  const report = judge('POST', '/build', { body: fixture('build-copy.tar') });
  assert.equal(report?.decision, 'allow');
  assert.deepEqual(report?.notes, ['Content-Type application/x-tar assumed, as the docker CLI sends it']);
});

test('a body the policy does not buffer is not handed over: an acknowledged build streams', () => {
  // allow_run_instructions and allow_host_network: nothing to look for, so serve never reads it.
  const open = policyOf({ build: { allow_run_instructions: true, allow_host_network: true } });
  const report = judge('POST', '/build', { body: new TextEncoder().encode('not a tar') }, open);
  assert.equal(report?.decision, 'allow');
});

test('a body over the inspection limit is 413', () => {
  const big = new Uint8Array(1024 * 1024 + 1).fill(0x20);
  const report = judge('POST', '/containers/create', { body: big });
  assert.equal(report?.status, 413);
  assert.equal(report?.reasonCode, 'request_body_too_large');
});

test('exec start: without the daemon exec inspect it is refused, and a note says why', () => {
  const restricted = policyOf({ exec: { allowed_commands: [['/app/healthcheck']] } });
  const report = judge('POST', '/exec/abc/start', {}, restricted);
  assert.equal(report?.decision, 'deny');
  assert.equal(report?.status, 403);
  assert.equal(report?.reasonCode, 'request_body_inspection_failed');
  assert.equal(report?.notes.length, 1);
  assert.match(report!.notes[0]!, /re-checks exec start against the daemon's exec inspect/);
  // Every exec denied (no allowlist): no lookup needed, no note.
  const denyAll = judge('POST', '/exec/abc/start');
  assert.equal(denyAll?.decision, 'deny');
  assert.deepEqual(denyAll?.notes, []);
  // Acknowledged blind writes: start passes without a lookup.
  assert.equal(judge('POST', '/exec/abc/start', {}, policyOf({}, true))?.decision, 'allow');
});

test('X-Registry-Auth is judged on pulls', () => {
  const auth = Buffer.from(JSON.stringify({ serveraddress: 'evil.example' })).toString('base64');
  const policy = policyOf({ image_pull: { allowed_registries: ['ghcr.io'] } });
  const report = judge(
    'POST',
    '/images/create?fromImage=ghcr.io/acme/app&tag=1',
    { headers: { 'x-registry-auth': auth } },
    policy,
  );
  assert.equal(report?.decision, 'deny');
  assert.match(report?.reason ?? '', /evil\.example/);
});
