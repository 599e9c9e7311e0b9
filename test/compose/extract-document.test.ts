import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { ComposeParseResult } from '../../src/compose/model.js';

const parse = (text: string): ComposeParseResult => parseComposeFiles([{ path: 'c.yml', text }]);
const names = (result: ComposeParseResult): string[] | undefined => result.project?.services.map((s) => s.name);
const codes = (result: ComposeParseResult): string[] => result.diagnostics.map((d) => d.code);

test('fragments: top-level mappings with service keys are read as services, with one warning', () => {
  const result = parse(
    'proxy:\n  image: tecnativa/docker-socket-proxy\n  environment: [CONTAINERS=1]\nweb:\n  build: .\n',
  );
  assert.deepEqual(names(result), ['proxy', 'web']);
  assert.deepEqual(codes(result), ['compose/no-services-key']);
  assert.match(result.diagnostics[0]?.message ?? '', /read proxy, web as services/);
  assert.deepEqual(result.diagnostics[0]?.range?.start, { line: 1, col: 1 });
  assert.equal(result.project?.services[0]?.environment.get('CONTAINERS')?.pointer, '/proxy/environment/0');
});

test('fragments: known top-level keys, x- keys and mappings without service keys are not services', () => {
  const result = parse(
    'version: "2"\nx-common: {image: a}\nvolumes:\n  data: {}\nnetworks:\n  n: {internal: true}\nsettings:\n  debug: true\nproxy:\n  image: b\n',
  );
  assert.deepEqual(names(result), ['proxy']);
  assert.deepEqual(codes(result), ['compose/no-services-key', 'compose/unknown-top-level-key']);
  assert.equal(result.diagnostics[1]?.pointer, '/settings');
});

test('fragments: a file with nothing service-like has no services, and says why for unknown keys', () => {
  const result = parse('settings:\n  debug: true\n');
  assert.deepEqual(names(result), []);
  assert.deepEqual(codes(result), ['compose/unknown-top-level-key']);
});

test('with services:, other unknown top-level keys are reported, not read as services', () => {
  const result = parse('services:\n  a:\n    image: x\nproxy:\n  image: y\n');
  assert.deepEqual(names(result), ['a']);
  assert.deepEqual(codes(result), ['compose/unknown-top-level-key']);
});

test('services must be a mapping; null means none', () => {
  assert.deepEqual(codes(parse('services: [a]\n')), ['compose/invalid-value']);
  const empty = parse('services:\n');
  assert.deepEqual(names(empty), []);
  assert.deepEqual(codes(empty), []);
});

test('include is reported as not followed', () => {
  assert.deepEqual(codes(parse('include:\n  - other.yml\nservices: {}\n')), ['compose/unsupported-key']);
});

test('top-level networks: internal and external flags', () => {
  const result = parse(
    'services: {}\nnetworks:\n  a: {internal: true}\n  b: {external: true}\n  c:\n  d: {external: {name: x}}\n',
  );
  assert.deepEqual(
    [...(result.project?.networks.values() ?? [])].map((n) => [n.name, n.internal, n.external, n.range.start.line]),
    [
      ['a', true, false, 3],
      ['b', false, true, 4],
      ['c', false, false, 5],
      ['d', false, true, 6],
    ],
  );
});
