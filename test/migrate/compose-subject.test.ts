import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComposeProject } from '../../src/compose/model.js';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import {
  buildComposeSubject,
  hostPathOf,
  locateServiceOrigin,
  selectProxyServices,
} from '../../src/migrate/compose-subject.js';
import { MigrateError } from '../../src/migrate/migrate-error.js';

function project(text: string, path = 'app/compose.yml'): ComposeProject {
  const parsed = parseComposeFiles([{ path, text }], { env: {} });
  assert.ok(parsed.project, JSON.stringify(parsed.diagnostics));
  return parsed.project;
}

const MIXED = project(`services:
  web:
    image: nginx:1.27
  builder:
    build: .
  tec:
    image: ghcr.io/tecnativa/docker-socket-proxy:0.4.1
  wol:
    image: wollomatic/socket-proxy:1.13.1
`);

const select = (p: ComposeProject, selection: Parameters<typeof selectProxyServices>[1]) =>
  selectProxyServices(p, selection).map(({ service, detection }) => [service.name, detection.source, detection.forced]);

function assertMigrateError(run: () => unknown, code: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof MigrateError);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

test('every proxy service is selected, in file order, by its image', () => {
  assert.deepEqual(select(MIXED, {}), [
    ['tec', 'tecnativa', false],
    ['wol', 'wollomatic', false],
  ]);
});

test('--source alone keeps the services of that source', () => {
  assert.deepEqual(select(MIXED, { source: 'wollomatic' }), [['wol', 'wollomatic', false]]);
});

test('--service picks one proxy; with --source it forces the translator whatever the image', () => {
  assert.deepEqual(select(MIXED, { service: 'tec' }), [['tec', 'tecnativa', false]]);
  assert.deepEqual(select(MIXED, { service: 'web', source: 'cetusguard' }), [['web', 'cetusguard', true]]);
});

test('no proxy: the message lists every service with its image', () => {
  const plain = project('services:\n  web:\n    image: nginx\n  app:\n    build: .\n');
  assertMigrateError(
    () => selectProxyServices(plain, {}),
    'migrate/no-proxy',
    /no socket proxy service found in app\/compose\.yml; services: web \(nginx\), app \(no image \(build:\)\)\. Pass --service NAME --source SOURCE/,
  );
  assertMigrateError(
    () => selectProxyServices(MIXED, { source: 'cetusguard' }),
    'migrate/no-proxy',
    /no cetusguard service/,
  );
});

test('--service naming an unknown service or a non-proxy image is refused with the services listed', () => {
  assertMigrateError(
    () => selectProxyServices(MIXED, { service: 'nope' }),
    'migrate/unknown-service',
    /--service nope: no such service; services: web \(nginx:1\.27\)/,
  );
  assertMigrateError(
    () => selectProxyServices(MIXED, { service: 'web' }),
    'migrate/not-a-proxy',
    /service web runs nginx:1\.27, which is none of the proxies.*pass --source/,
  );
});

const CETUS = project(`services:
  guard:
    image: hectorm/cetusguard:v1.1.3
    entrypoint: ["/bin/cetusguard", "-no-builtin-rules"]
    command: ["-rules-file=/etc/cg/rules.list", "-log-level=7"]
    environment:
      - CETUSGUARD_LOG_LEVEL=6
      - PASSED
    volumes:
      - ./conf:/etc/cg:ro
      - ./conf/rules.list:/etc/cg/rules.list:ro
      - /srv/data:/data
      - ~/x:/home
    ports:
      - 127.0.0.1:2375:2375
    networks: [back]
  traefik:
    image: traefik
    labels:
      socket-proxy.allow.get: .*
    networks: [back, front]
  elsewhere:
    image: other
    labels:
      socket-proxy.allow.get: /x
    networks: [front]
  unlabeled:
    image: other
    networks: [back]
networks:
  back:
  front:
`);
const GUARD = CETUS.services[0]!;

test('host paths behind bind mounts: the deepest mount wins, relative sources resolve against the project', () => {
  assert.equal(hostPathOf(CETUS, GUARD, '/etc/cg/rules.list'), 'app/conf/rules.list');
  assert.equal(hostPathOf(CETUS, GUARD, '/etc/cg/other.list'), 'app/conf/other.list');
  assert.equal(hostPathOf(CETUS, GUARD, '/data/a/b'), '/srv/data/a/b');
  assert.equal(hostPathOf(CETUS, GUARD, '/data'), '/srv/data');
  // `/database` is not under `/data`; `~` sources are not plain paths; unmounted paths have none.
  assert.equal(hostPathOf(CETUS, GUARD, '/database'), undefined);
  assert.equal(hostPathOf(CETUS, GUARD, '/home/x'), undefined);
  assert.equal(hostPathOf(CETUS, GUARD, '/etc/passwd'), undefined);
});

test('the peer input: entrypoint arguments after the binary, then command; unknown pass-through values are null', () => {
  const subject = buildComposeSubject(CETUS, GUARD, { source: 'cetusguard', forced: false }, () => undefined);
  assert.deepEqual(subject.input.argv, ['-no-builtin-rules', '-rules-file=/etc/cg/rules.list', '-log-level=7']);
  assert.deepEqual(subject.input.env, [
    { name: 'CETUSGUARD_LOG_LEVEL', value: '6' },
    { name: 'PASSED', value: null },
  ]);
  assert.deepEqual(subject.input.environment, { CETUSGUARD_LOG_LEVEL: '6' });
  assert.equal(subject.input.imageTag, 'v1.1.3');
});

test('labelled services are those sharing a network with the proxy', () => {
  const subject = buildComposeSubject(CETUS, GUARD, { source: 'cetusguard', forced: false }, () => undefined);
  assert.deepEqual(subject.input.labeledServices, [
    { service: 'traefik', labels: [{ name: 'socket-proxy.allow.get', value: '.*' }] },
  ]);
});

test('services without networks share the default network', () => {
  const p = project(
    'services:\n  proxy:\n    image: wollomatic/socket-proxy:1\n  app:\n    image: a\n    labels: [socket-proxy.allow.get=.*]\n',
  );
  const subject = buildComposeSubject(p, p.services[0]!, { source: 'wollomatic', forced: false }, () => undefined);
  assert.deepEqual(
    subject.input.labeledServices.map((s) => s.service),
    ['app'],
  );
});

test('files the proxy opens are read through the mounts, with their host path', () => {
  const read: string[] = [];
  const subject = buildComposeSubject(CETUS, GUARD, { source: 'cetusguard', forced: false }, (path) => {
    read.push(path);
    return path === 'app/conf/rules.list' ? 'GET %API_PREFIX_PING%\n' : undefined;
  });
  assert.deepEqual(subject.input.readMounted('/etc/cg/rules.list'), {
    hostPath: 'app/conf/rules.list',
    text: 'GET %API_PREFIX_PING%\n',
  });
  assert.equal(subject.input.readMounted('/etc/cg/missing.list'), undefined);
  assert.equal(subject.input.readMounted('/not/mounted'), undefined);
  assert.deepEqual(read, ['app/conf/rules.list', 'app/conf/missing.list']);
});

test('origins map to where the compose file says them', () => {
  const locate = (origin: string) => {
    const at = locateServiceOrigin(CETUS, GUARD, origin, (path) => hostPathOf(CETUS, GUARD, path));
    return at && `${at.file}:${at.range.start.line}:${at.range.start.col}`;
  };
  const table: [string, string | undefined][] = [
    ['env:CETUSGUARD_LOG_LEVEL', 'app/compose.yml:7:9'],
    ['env:CETUSGUARD_RULES line 2', undefined],
    ['arg:0', 'app/compose.yml:4:37'],
    ['arg:1', 'app/compose.yml:5:15'],
    ['arg:2 line 1', 'app/compose.yml:5:49'],
    ['arg:9', undefined],
    ['label:traefik:socket-proxy.allow.get', 'app/compose.yml:20:7'],
    ['label:nobody:x', undefined],
    ['ports:0', 'app/compose.yml:15:9'],
    ['volumes:1', 'app/compose.yml:11:9'],
    ['rules-file:/etc/cg/rules.list:4', 'app/conf/rules.list:4:1'],
    ['rules-file:/nowhere:4', undefined],
    ['image', 'app/compose.yml:3:12'],
    ['service', 'app/compose.yml:2:3'],
    ['image-default:EVENTS', undefined],
    ['builtin:2', undefined],
  ];
  for (const [origin, expected] of table) assert.equal(locate(origin), expected, origin);
});
