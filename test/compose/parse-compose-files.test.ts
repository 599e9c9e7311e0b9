import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { ComposeOptions, ComposeParseResult, ComposeService } from '../../src/compose/model.js';

const EXAMPLES = '/work/shared/reference/compose-examples';

function parseExample(name: string, options: ComposeOptions = { env: {} }): ComposeParseResult {
  const path = join(EXAMPLES, name);
  return parseComposeFiles([{ path, text: readFileSync(path, 'utf8') }], options);
}

function serviceOf(result: ComposeParseResult, name: string): ComposeService {
  const service = result.project?.services.find((s) => s.name === name);
  assert.ok(service, `service ${name}`);
  return service;
}

/** [name, value, written, line] of each environment entry. */
function envRows(service: ComposeService): [string, string | undefined, string, number][] {
  return [...service.environment.values()].map((e) => [e.name, e.value, e.written, e.range.start.line]);
}

const codes = (result: ComposeParseResult): string[] => result.diagnostics.map((d) => d.code);

test('example 11notes-1: proxy service, quoted user, unescaped $ in other services are reported', () => {
  const result = parseExample('11notes-1.yml');
  assert.deepEqual(
    result.project?.services.map((s) => s.name),
    ['socket-proxy', 'traefik', 'errors', 'nginx'],
  );
  const proxy = serviceOf(result, 'socket-proxy');
  assert.equal(proxy.image?.value, '11notes/socket-proxy:2.1.4');
  assert.equal(proxy.image?.range.start.line, 7);
  assert.equal(proxy.user?.value, '0:108');
  assert.deepEqual(envRows(proxy), [['TZ', 'Europe/Zurich', '"Europe/Zurich"', 11]]);
  assert.deepEqual(
    proxy.volumes.map((v) => [v.type, v.source, v.target, v.readOnly]),
    [
      ['bind', '/run/docker.sock', '/run/docker.sock', true],
      ['volume', 'socket-proxy.run', '/run/proxy', false],
    ],
  );
  // `admin:$2a$12$ktgZ...`: `$2` stays, `$ktgZ...` is a variable, as docker compose reads it.
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.range?.start.line, d.range?.start.col]),
    [
      ['compose/unset-variable', 44, 52],
      ['compose/unset-variable', 49, 78],
      ['compose/unset-variable', 128, 56],
    ],
  );
  const basicAuth = serviceOf(result, 'traefik').labels.get('traefik.http.middlewares.dashboard-auth.basicauth.users');
  assert.equal(basicAuth?.value, 'admin:$2a$12');
  assert.equal(serviceOf(result, 'traefik').networks.size, 2);
  assert.equal(result.project?.networks.get('backend')?.internal, true);
});

test('example 11notes-4: unquoted user, no environment', () => {
  const result = parseExample('11notes-4.yml');
  const proxy = serviceOf(result, 'socket-proxy');
  assert.equal(proxy.image?.value, '11notes/socket-proxy:2');
  assert.equal(proxy.image?.range.start.line, 18);
  assert.equal(proxy.user?.value, '0:996');
  assert.equal(proxy.user?.range.start.line, 22);
  assert.equal(serviceOf(result, 'loggifly').user?.value, '1000:1000');
  assert.equal(proxy.environment.size, 0);
  assert.deepEqual(result.diagnostics, []);
});

test('example linuxserver-1: 51 list entries with trailing comments, each at its line', () => {
  const result = parseExample('linuxserver-1.yml');
  const proxy = serviceOf(result, 'socket-proxy');
  assert.equal(proxy.image?.value, 'lscr.io/linuxserver/socket-proxy:latest');
  assert.equal(proxy.containerName?.value, 'socket-proxy');
  assert.equal(proxy.environment.size, 51);
  const rows = envRows(proxy);
  assert.deepEqual(rows[0], ['ALLOW_ARCHIVE', '0', 'ALLOW_ARCHIVE=0', 8]);
  assert.deepEqual(
    rows.find((r) => r[0] === 'EVENTS'),
    ['EVENTS', '1', 'EVENTS=1', 25],
  );
  assert.deepEqual(
    rows.find((r) => r[0] === 'LOG_LEVEL'),
    ['LOG_LEVEL', 'info', 'LOG_LEVEL=info', 29],
  );
  assert.deepEqual(
    rows.find((r) => r[0] === 'TZ'),
    ['TZ', 'Etc/UTC', 'TZ=Etc/UTC', 41],
  );
  assert.deepEqual(rows[50], ['LIBPOD_VOLUMES', '0', 'LIBPOD_VOLUMES=0', 58]);
  const events = proxy.environment.get('EVENTS');
  assert.equal(events?.pointer, '/services/socket-proxy/environment/17');
  assert.equal(events?.from, 'environment');
  assert.equal(events?.yamlKind, 'string');
  assert.deepEqual(result.diagnostics, []);
});

test('example linuxserver-2: proxy on an internal network, labels on another service', () => {
  const result = parseExample('linuxserver-2.yml');
  const proxy = serviceOf(result, 'socket-proxy');
  assert.deepEqual(envRows(proxy), [
    ['CONTAINERS', '1', 'CONTAINERS=1', 42],
    ['EVENTS', '1', 'EVENTS=1', 43],
  ]);
  assert.deepEqual([...proxy.networks.keys()], ['docker-proxynet']);
  assert.equal(proxy.labels.get('com.centurylinklabs.watchtower.enable')?.value, 'false');
  const traefik = serviceOf(result, 'traefik');
  assert.equal(traefik.labels.get('traefik.http.routers.api.service')?.value, 'api@internal');
  assert.deepEqual(
    traefik.ports.map((p) => [p.hostIp, p.published, p.target, p.protocol]),
    [
      [undefined, '80', 80, 'tcp'],
      [undefined, '443', 443, 'tcp'],
      [undefined, '443', 443, 'udp'],
      ['127.0.0.1', '8080', 8080, 'tcp'],
    ],
  );
  // `${DOCKER_VOLUME_STORAGE:-/mnt/docker-volumes}` falls back to its default without a warning.
  assert.equal(traefik.volumes[0]?.source, '/mnt/docker-volumes/traefik');
  assert.equal(result.project?.networks.get('docker-proxynet')?.internal, true);
  assert.equal(result.project?.networks.get('proxy')?.external, true);
  assert.deepEqual(result.diagnostics, []);
});

test('example linuxserver-5: untagged image, obsolete version key, no trailing newline', () => {
  const result = parseExample('linuxserver-5.yml');
  const proxy = serviceOf(result, 'socket-proxy');
  assert.equal(proxy.image?.value, 'lscr.io/linuxserver/socket-proxy');
  assert.deepEqual(envRows(proxy), [
    ['CONTAINERS', '1', 'CONTAINERS=1', 16],
    ['POST', '0', 'POST=0', 17],
  ]);
  assert.equal(serviceOf(result, 'logsend').environment.get('DOCKER_HOST')?.value, 'tcp://socket-proxy:2375');
  assert.deepEqual(result.diagnostics, []);
});

test('example tecnativa-1: a fragment without services: is read as services, with a warning', () => {
  const result = parseExample('tecnativa-1.yml');
  assert.deepEqual(
    result.project?.services.map((s) => s.name),
    ['dockerproxy', 'homepage'],
  );
  assert.deepEqual(codes(result), ['compose/no-services-key']);
  assert.equal(result.diagnostics[0]?.severity, 'warning');
  const proxy = serviceOf(result, 'dockerproxy');
  assert.equal(proxy.image?.value, 'ghcr.io/tecnativa/docker-socket-proxy:latest');
  assert.equal(proxy.pointer, '/dockerproxy');
  assert.deepEqual(envRows(proxy), [
    ['CONTAINERS', '1', 'CONTAINERS=1', 6],
    ['SERVICES', '1', 'SERVICES=1', 7],
    ['TASKS', '1', 'TASKS=1', 8],
    ['POST', '0', 'POST=0', 9],
  ]);
  assert.equal(proxy.environment.get('POST')?.pointer, '/dockerproxy/environment/3');
  assert.deepEqual(
    proxy.ports.map((p) => [p.hostIp, p.published, p.target, p.range.start.line]),
    [['127.0.0.1', '2375', 2375, 11]],
  );
});

test('example tecnativa-2: proxy among many services, $$ escapes, string and list commands', () => {
  const result = parseExample('tecnativa-2.yml');
  const proxy = serviceOf(result, 'proxy');
  assert.equal(proxy.image?.value, 'tecnativa/docker-socket-proxy');
  assert.deepEqual(envRows(proxy), [
    ['CONTAINERS', '1', 'CONTAINERS=1', 124],
    ['INFO', '1', 'INFO=1', 127],
  ]);
  assert.deepEqual(
    proxy.ports.map((p) => [p.hostIp, p.published, p.target]),
    [[undefined, '2375', 2375]],
  );
  const logspam = serviceOf(result, 'logspam').command;
  assert.equal(logspam?.form, 'list');
  assert.deepEqual(logspam?.value, [
    'sh',
    '-c',
    'i=0; while true; do i=$((i+1)); echo "logspam line $i"; sleep 1; done',
  ]);
  assert.deepEqual(serviceOf(result, 'agent').command?.value, ['agent']);
  assert.deepEqual(serviceOf(result, 'playwright').command?.value, ['npx', '--yes', 'playwright', 'test']);
  assert.equal(
    serviceOf(result, 'remote').environment.get('DOZZLE_REMOTE_HOST')?.value,
    'tcp://proxy:2375|remote-host',
  );
  assert.deepEqual(result.diagnostics, []);
});

test('example tecnativa-5: YAML integers in an environment map, ${VAR} image prefix', () => {
  const result = parseExample('tecnativa-5.yml');
  const proxy = serviceOf(result, 'socket-proxy');
  assert.equal(proxy.image?.value, 'tecnativa/docker-socket-proxy:edge');
  assert.deepEqual(
    [...proxy.environment.values()].map((e) => [e.name, e.value, e.written, e.yamlKind, e.range.start.line]),
    [
      ['POST', '1', '1', 'int', 15],
      ['CONTAINERS', '1', '1', 'int', 16],
      ['IMAGES', '1', '1', 'int', 17],
      ['NETWORKS', '1', '1', 'int', 18],
      ['ALLOW_START', '1', '1', 'int', 19],
      ['ALLOW_STOP', '1', '1', 'int', 20],
      ['ALLOW_RESTARTS', '1', '1', 'int', 21],
    ],
  );
  assert.equal(proxy.environment.get('POST')?.pointer, '/services/socket-proxy/environment/POST');
  assert.deepEqual(
    result.diagnostics.map((d) => [
      d.code,
      d.message.startsWith('variable MY_CONTAINER_REPO is not set'),
      d.range?.start.line,
      d.range?.start.col,
    ]),
    [
      ['compose/unset-variable', true, 7, 12],
      ['compose/unset-variable', true, 13, 12],
    ],
  );
  assert.deepEqual(serviceOf(result, 'watchtower').command?.value, ['-R', 'updatetest_updatetest_1']);

  const mirrored = parseExample('tecnativa-5.yml', { env: { MY_CONTAINER_REPO: 'registry.local/' } });
  assert.equal(serviceOf(mirrored, 'socket-proxy').image?.value, 'registry.local/tecnativa/docker-socket-proxy:edge');
  assert.deepEqual(mirrored.diagnostics, []);
});

test('parseComposeFiles: the .env beside the first file is read through readText; the shell wins over it', () => {
  const files: Record<string, string> = { '/p/.env': 'TAG=from-dotenv\nOTHER=dotenv\n' };
  const readText = (path: string): string | undefined => files[path];
  const text = 'services:\n  p:\n    image: x:${TAG}\n    environment:\n      O: ${OTHER}\n';
  const fromFile = parseComposeFiles([{ path: '/p/compose.yml', text }], { readText });
  assert.equal(fromFile.project?.services[0]?.image?.value, 'x:from-dotenv');
  const fromShell = parseComposeFiles([{ path: '/p/compose.yml', text }], { readText, env: { TAG: 'shell' } });
  assert.equal(fromShell.project?.services[0]?.image?.value, 'x:shell');
  assert.equal(fromShell.project?.services[0]?.environment.get('O')?.value, 'dotenv');
});

test('parseComposeFiles: --env-file replaces the .env (later flags win), env files interpolate earlier ones', () => {
  const readText = (path: string): string | undefined =>
    path === '/p/.env' ? 'TAG=dotenv\nONLY_DOTENV=1\n' : undefined;
  const envFiles = [
    { path: '/elsewhere/a.env', text: 'TAG=a\nBASE=base\n' },
    { path: '/elsewhere/b.env', text: 'TAG=b-${BASE}\n' },
  ];
  const text = 'services:\n  p:\n    image: x:${TAG}\n    user: ${ONLY_DOTENV:-none}\n';
  const result = parseComposeFiles([{ path: '/p/compose.yml', text }], { readText, envFiles });
  assert.equal(result.project?.services[0]?.image?.value, 'x:b-base');
  assert.equal(result.project?.services[0]?.user?.value, 'none');
});

test('parseComposeFiles: problems in an env file point into that file', () => {
  const envFiles = [{ path: '/p/vars.env', text: 'A=1\nB=${NOPE}\nC D=2\n' }];
  const result = parseComposeFiles([{ path: '/p/compose.yml', text: 'services: {}\n' }], { envFiles });
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.file, d.range?.start.line]),
    [
      ['compose/unset-variable', '/p/vars.env', 2],
      ['compose/env-file-syntax', '/p/vars.env', 3],
    ],
  );
});

test('parseComposeFiles: interpolation problems carry the variable, its position and severity', () => {
  const text = [
    'services:',
    '  p:',
    '    image: "x:${TAG:?set TAG first}"',
    '    user: ${ NOPE}',
    '    container_name: a-$NAME',
  ].join('\n');
  const result = parseComposeFiles([{ path: 'c.yml', text }], { env: {} });
  assert.deepEqual(
    result.diagnostics.map((d) => [
      d.code,
      d.severity,
      d.pointer,
      d.range?.start.line,
      d.range?.start.col,
      d.range?.end.col,
    ]),
    [
      ['compose/required-variable', 'error', '/services/p/image', 3, 15, 36],
      ['compose/invalid-interpolation', 'error', '/services/p/user', 4, 11, 19],
      ['compose/unset-variable', 'warning', '/services/p/container_name', 5, 23, 28],
    ],
  );
  assert.match(result.diagnostics[0]?.message ?? '', /required variable TAG is missing a value: set TAG first/);
  const service = result.project?.services[0];
  assert.equal(service?.image?.value, 'x:');
  assert.equal(service?.user?.value, '${ NOPE}');
  assert.equal(service?.containerName?.value, 'a-');
});

test('parseComposeFiles: keys are not interpolated, non-string scalars are not templates', () => {
  const text = 'services:\n  p:\n    environment:\n      ${KEY}: $$x\n      N: 1\n';
  const env = serviceOfText(text).environment;
  assert.deepEqual([...env.keys()], ['${KEY}', 'N']);
  assert.equal(env.get('${KEY}')?.value, '$x');
});

function serviceOfText(text: string, options: ComposeOptions = { env: {} }): ComposeService {
  const service = parseComposeFiles([{ path: 'c.yml', text }], options).project?.services[0];
  assert.ok(service);
  return service;
}

test('parseComposeFiles: files that cannot be read as compose give errors and no project', () => {
  const cases: [string, string, [number, number]][] = [
    ['', 'compose/empty-file', [1, 1]],
    ['# nothing\n', 'compose/empty-file', [1, 1]],
    ['- a\n- b\n', 'compose/root-not-mapping', [1, 1]],
    ['just a string\n', 'compose/root-not-mapping', [1, 1]],
  ];
  for (const [text, code, [line, col]] of cases) {
    const result = parseComposeFiles([{ path: 'c.yml', text }]);
    assert.equal(result.project, undefined, JSON.stringify(text));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.severity, d.file, d.range?.start.line, d.range?.start.col]),
      [[code, 'error', 'c.yml', line, col]],
      JSON.stringify(text),
    );
  }
  assert.deepEqual(codes(parseComposeFiles([])), ['compose/no-input']);
});

test('parseComposeFiles: a duplicate top-level key is an error with both lines; the project still reflects the assumption', () => {
  const text = 'services:\n  a:\n    image: one\nservices:\n  b:\n    image: two\n';
  const result = parseComposeFiles([{ path: 'c.yml', text }]);
  assert.deepEqual(codes(result), ['yaml/duplicate-key']);
  assert.match(result.diagnostics[0]?.message ?? '', /line 1, col 1 and line 4, col 1/);
  assert.deepEqual(
    result.project?.services.map((s) => s.name),
    ['b'],
  );
});

test('parseComposeFiles: an empty file among several is reported, the others still count', () => {
  const result = parseComposeFiles([
    { path: 'a.yml', text: 'services:\n  p:\n    image: x\n' },
    { path: 'b.yml', text: '' },
  ]);
  assert.deepEqual(codes(result), ['compose/empty-file']);
  assert.equal(result.project?.services[0]?.image?.value, 'x');
  assert.deepEqual(result.project?.files, ['a.yml', 'b.yml']);
});

test('parseComposeFiles: name and project directory', () => {
  const result = parseComposeFiles([{ path: '/srv/app/compose.yml', text: 'name: "${P:-demo}"\nservices: {}\n' }], {
    env: {},
  });
  assert.equal(result.project?.name?.value, 'demo');
  assert.equal(result.project?.projectDir, '/srv/app');
});
