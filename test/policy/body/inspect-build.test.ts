import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';
import { tar, type TarSpec } from './tar-builder.js';

const key = (field: string) => `request_body.build.${field}`;
const build = (policy: RequestBodyDocument, query: string, body?: Uint8Array) =>
  judge(rootPolicy(policy), 'POST', `/v1.45/build?${query}`, body, { 'content-type': 'application/x-tar' });
const context = (dockerfile: string, ...more: TarSpec[]) => tar({ name: 'Dockerfile', content: dockerfile }, ...more);
const runAllowed: RequestBodyDocument = { build: { allow_run_instructions: true } };

test('a Dockerfile without RUN builds under the default policy', () => {
  assertAllowed(
    build(
      {},
      'dockerfile=Dockerfile&q=1&version=1',
      context('FROM busybox\nCOPY . /app\n', { name: 'app.txt', content: 'x' }),
    ),
  );
  assertAllowed(build({}, 't=x', new Uint8Array()), 'no context at all');
});

test('RUN instructions need allow_run_instructions', () => {
  assertDenied(
    build({}, '', context('FROM busybox\nRUN id\n')),
    403,
    'Dockerfile line 2 is a RUN instruction',
    key('allow_run_instructions'),
  );
  assertDenied(build({}, '', context('FROM busybox\nR\\\nUN id\n')), 403, 'RUN');
  assertAllowed(build(runAllowed, '', context('FROM busybox\nRUN id\n')));
});

test('the Dockerfile named by the query is the one judged', () => {
  const body = tar(
    { name: 'Dockerfile', content: 'FROM x' },
    { name: 'build/Other.dockerfile', content: 'FROM x\nRUN id' },
  );
  assertAllowed(build({}, '', body));
  assertDenied(build({}, 'dockerfile=build/Other.dockerfile', body), 403, 'build/Other.dockerfile line 2');
  assertDenied(build({}, 'dockerfile=./build//Other.dockerfile', body), 403, 'RUN');
  assertDenied(build({}, 'dockerfile=/build/Other.dockerfile', body), 403, 'RUN');
  assertDenied(build({}, 'dockerfile=../outside', body), 403, 'outside the build context');
  assertDenied(build({}, 'dockerfile=missing', body), 403, 'has no "missing"');
});

test('the classic builder falls back to a lower-case dockerfile', () => {
  assertDenied(build({}, '', tar({ name: 'dockerfile', content: 'FROM x\nRUN id' })), 403, 'RUN');
});

test('duplicate Dockerfile entries are refused (the daemon uses the last)', () => {
  const body = tar({ name: 'Dockerfile', content: 'FROM x' }, { name: './Dockerfile', content: 'FROM x\nRUN id' });
  assertDenied(build({}, '', body), 403, '2 entries named "Dockerfile"');
});

test('a Dockerfile that is a link, too big, compressed or in a broken tar cannot be judged', () => {
  assertDenied(
    build({}, '', tar({ name: 'Dockerfile', type: '2', linkname: 'real' }, { name: 'real', content: 'RUN id' })),
    403,
    'symlink',
  );
  assertDenied(build({}, '', context('#'.repeat(1024 * 1024 + 1))), 403, 'larger than');
  assertDenied(build({}, '', new Uint8Array(gzipSync(context('FROM x')))), 403, 'gzip-compressed');
  assertDenied(build({}, '', new TextEncoder().encode('FROM busybox\nRUN id\n')), 400, 'not a readable tar');
  assertDenied(judge(rootPolicy(), 'POST', '/build', undefined), 403, 'not read');
});

test('remote contexts need allow_remote_context and cannot be inspected for RUN', () => {
  for (const remote of ['https://evil.com/ctx.tar', 'git@github.com:x/y.git', 'client-session']) {
    assertDenied(
      build({}, `remote=${encodeURIComponent(remote)}`),
      403,
      'remote build context',
      key('allow_remote_context'),
    );
    assertDenied(
      build({ build: { allow_remote_context: true } }, `remote=${encodeURIComponent(remote)}`),
      403,
      'cannot be inspected',
    );
  }
  assertAllowed(
    build(
      { build: { allow_remote_context: true, allow_run_instructions: true, allow_host_network: true } },
      'remote=https://x/ctx.tar',
    ),
  );
});

test('host networking: networkmode=host and RUN --network=host', () => {
  assertDenied(
    build(runAllowed, 'networkmode=host', context('FROM x')),
    403,
    'query networkmode is "host"',
    key('allow_host_network'),
  );
  assertDenied(build(runAllowed, 'networkmode=HOST', context('FROM x')), 403, key('allow_host_network'));
  assertDenied(
    build(runAllowed, '', context('FROM x\nRUN --network=host curl x')),
    403,
    '--network=host',
    key('allow_host_network'),
  );
  assertAllowed(
    build(
      { build: { allow_run_instructions: true, allow_host_network: true } },
      'networkmode=host',
      context('FROM x\nRUN --network=host id'),
    ),
  );
});

test('custom frontends run arbitrary steps and are denied while RUN is restricted', () => {
  assertDenied(
    build({}, '', context('# syntax=evil.example/frontend\nFROM x')),
    403,
    'custom build frontend',
    key('allow_run_instructions'),
  );
  assertAllowed(build({}, '', context('# syntax=docker/dockerfile:1.7\nFROM x')));
  assertAllowed(build({}, '', context('# syntax=docker.io/docker/dockerfile:1\nFROM x')));
  assertDenied(
    build({}, `buildargs=${encodeURIComponent('{"BUILDKIT_SYNTAX":"evil/f"}')}`, context('FROM x')),
    403,
    'BUILDKIT_SYNTAX',
  );
  assertAllowed(build({}, `buildargs=${encodeURIComponent('{"HTTP_PROXY":"http://p:3128"}')}`, context('FROM x')));
  assertDenied(build({}, 'buildargs=not-json', context('FROM x')), 400, 'buildargs');
  assertAllowed(build(runAllowed, '', context('# syntax=evil.example/frontend\nFROM x')));
});

test('entries written through a symlink of the same context are refused: the daemon would read another Dockerfile', () => {
  // d -> . makes d/Dockerfile overwrite the Dockerfile that was judged, in whichever order.
  const overwrite = tar(
    { name: 'Dockerfile', content: 'FROM x' },
    { name: 'd', type: '2', linkname: '.' },
    { name: 'd/Dockerfile', content: 'FROM x\nRUN id' },
  );
  assertDenied(build({}, '', overwrite), 403, '"d/Dockerfile" is written through the symlink "d"');
  const redirect = tar(
    { name: 'sub', type: '2', linkname: 'evil' },
    { name: 'sub/Dockerfile', content: 'FROM x' },
    { name: 'evil/Dockerfile', content: 'RUN id' },
  );
  assertDenied(build({}, 'dockerfile=sub/Dockerfile', redirect), 403, 'symlink "sub"');
  assertAllowed(
    build({}, '', tar({ name: 'Dockerfile', content: 'FROM x' }, { name: 'link', type: '2', linkname: 'Dockerfile' })),
  );
});
