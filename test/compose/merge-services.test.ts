import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { ComposeParseResult, ComposeService } from '../../src/compose/model.js';

const DIR = join(import.meta.dirname, '../../fixtures/compose-input/merge');
const readText = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const input = (name: string): { path: string; text: string } => ({
  path: join(DIR, name),
  text: readFileSync(join(DIR, name), 'utf8'),
});

function mergeFixture(): ComposeParseResult {
  return parseComposeFiles([input('compose.yml'), input('compose.override.yml')], {
    env: { FROM_SHELL: 'shell' },
    readText,
  });
}

function proxyOf(result: ComposeParseResult): ComposeService {
  const proxy = result.project?.services.find((s) => s.name === 'socket-proxy');
  assert.ok(proxy);
  return proxy;
}

test('two files: services in order of first appearance, no findings', () => {
  const result = mergeFixture();
  assert.deepEqual(
    result.project?.services.map((s) => s.name),
    ['socket-proxy', 'traefik', 'watchtower'],
  );
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.severity]),
    [['compose/inherited-variable', 'info']],
  );
  assert.equal(result.project?.networks.get('socket')?.internal, true);
});

test('two files: the later image wins, interpolated from the .env beside the first file', () => {
  const image = proxyOf(mergeFixture()).image;
  assert.equal(image?.value, 'ghcr.io/tecnativa/docker-socket-proxy:0.4.1');
  assert.equal(image?.file, join(DIR, 'compose.override.yml'));
  assert.equal(image?.range.start.line, 4);
  assert.equal(proxyOf(mergeFixture()).containerName?.value, 'socket-proxy');
});

test('two files: environment merges by key; each entry points at the file and line that won', () => {
  const env = proxyOf(mergeFixture()).environment;
  const base = join(DIR, 'compose.yml');
  const override = join(DIR, 'compose.override.yml');
  const envFile = join(DIR, 'proxy.env');
  assert.deepEqual(
    [...env.values()].map((e) => [e.name, e.value, e.from, e.file, e.range.start.line]),
    [
      ['LOG_LEVEL', 'warning', 'env_file', envFile, 2],
      ['POST', '1', 'environment', override, 6],
      ['INFO', '0.4.1', 'env_file', envFile, 4],
      ['VERSION', '1', 'env_file', envFile, 5],
      ['EVENTS', '1', 'environment', base, 3],
      ['PING', '1', 'environment', base, 4],
      ['CONTAINERS', '1', 'environment', base, 12],
      ['IMAGES', '1', 'environment', override, 7],
      ['FROM_SHELL', 'shell', 'inherited', override, 8],
    ],
  );
  assert.equal(env.get('POST')?.pointer, '/services/socket-proxy/environment/0');
  assert.equal(env.get('INFO')?.pointer, '/INFO');
});

test('two files: command is replaced, not merged', () => {
  const command = proxyOf(mergeFixture()).command;
  assert.deepEqual(command?.value, ['haproxy', '-W', '-db']);
  assert.equal(command?.form, 'string');
});

test('two files: ports are appended without duplicates, volumes merge by target, labels by key, networks by name', () => {
  const proxy = proxyOf(mergeFixture());
  assert.deepEqual(
    proxy.ports.map((p) => [p.hostIp, p.published, p.target]),
    [
      ['127.0.0.1', '2375', 2375],
      [undefined, '2376', 2375],
    ],
  );
  assert.deepEqual(
    proxy.volumes.map((v) => [v.source, v.target, v.readOnly, v.file]),
    [['/var/run/docker.sock', '/var/run/docker.sock', false, join(DIR, 'compose.override.yml')]],
  );
  assert.deepEqual(
    [...proxy.labels].map(([k, v]) => [k, v.value]),
    [
      ['com.example.role', 'proxy'],
      ['com.example.owner', 'ops'],
    ],
  );
  assert.deepEqual(
    [...proxy.networks.values()].map((n) => [n.name, n.aliases]),
    [['socket', ['docker']]],
  );
});

test('two files: the service keeps the position where it was first defined', () => {
  const proxy = proxyOf(mergeFixture());
  assert.equal(proxy.file, join(DIR, 'compose.yml'));
  assert.equal(proxy.range.start.line, 7);
  assert.equal(proxy.pointer, '/services/socket-proxy');
});

/** Merges inline files and returns service p. */
function merged(...texts: string[]): ComposeService {
  const result = parseComposeFiles(texts.map((text, i) => ({ path: `/p/f${i}.yml`, text })));
  const p = result.project?.services.find((s) => s.name === 'p');
  assert.ok(p);
  return p;
}

test('merge: scalars replace, a later file that omits a field keeps the earlier value', () => {
  const p = merged('services:\n  p:\n    image: a\n    user: "1"\n', 'services:\n  p:\n    image: b\n');
  assert.equal(p.image?.value, 'b');
  assert.equal(p.user?.value, '1');
});

test('merge: environment list in one file and map in the other merge by key', () => {
  const p = merged(
    'services:\n  p:\n    environment:\n      - A=1\n      - B=1\n',
    'services:\n  p:\n    environment:\n      B: 2\n      C: 3\n',
  );
  assert.deepEqual(
    [...p.environment.values()].map((e) => [e.name, e.value]),
    [
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
    ],
  );
});

test('merge: entrypoint list is replaced by a later string', () => {
  const p = merged('services:\n  p:\n    entrypoint: [a, b]\n', 'services:\n  p:\n    entrypoint: c d\n');
  assert.deepEqual(p.entrypoint?.value, ['c', 'd']);
});

test('merge: !reset drops a field, !override replaces instead of merging', () => {
  const base = 'services:\n  p:\n    ports: ["2375:2375"]\n    environment: {A: 1, B: 1}\n    labels: [x=1]\n';
  const p = merged(
    base,
    'services:\n  p:\n    ports: !reset []\n    environment: !override {C: 1}\n    labels: [y=1]\n',
  );
  assert.deepEqual(p.ports, []);
  assert.deepEqual([...p.environment.keys()], ['C']);
  assert.deepEqual([...p.labels.keys()], ['x', 'y']);
});

test('merge: a service written as !reset in a later file is removed', () => {
  const result = parseComposeFiles([
    { path: 'a.yml', text: 'services:\n  p:\n    image: a\n  q:\n    image: b\n' },
    { path: 'b.yml', text: 'services:\n  p: !reset null\n' },
  ]);
  assert.deepEqual(
    result.project?.services.map((s) => s.name),
    ['q'],
  );
});

test('merge: several YAML documents in one file merge like several files', () => {
  const p = merged(
    'services:\n  p:\n    image: a\n    environment: [A=1]\n---\nservices:\n  p:\n    environment: [A=2]\n',
  );
  assert.equal(p.image?.value, 'a');
  assert.equal(p.environment.get('A')?.value, '2');
});

test('merge: env_file lists append; a path listed again keeps its first place, so b.env is read last', () => {
  const files: Record<string, string> = { '/p/a.env': 'A=a\nSHARED=a\n', '/p/b.env': 'SHARED=b\n' };
  const result = parseComposeFiles(
    [
      { path: '/p/f0.yml', text: 'services:\n  p:\n    env_file: a.env\n' },
      { path: '/p/f1.yml', text: 'services:\n  p:\n    env_file: [b.env, a.env]\n' },
    ],
    { readText: (path) => files[path] },
  );
  const p = result.project?.services[0];
  assert.deepEqual(
    p?.envFiles.map((ref) => ref.path),
    ['a.env', 'b.env'],
  );
  assert.deepEqual(
    [...(p?.environment.values() ?? [])].map((e) => [e.name, e.value]),
    [
      ['A', 'a'],
      ['SHARED', 'b'],
    ],
  );
});
