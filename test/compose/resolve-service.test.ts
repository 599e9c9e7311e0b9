import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { ComposeOptions, ComposeParseResult } from '../../src/compose/model.js';

function parse(body: string, files: Record<string, string>, options: ComposeOptions = {}): ComposeParseResult {
  const text = 'services:\n  p:\n' + body.replace(/^/gm, '    ') + '\n';
  return parseComposeFiles([{ path: '/p/c.yml', text }], { readText: (path) => files[path], ...options });
}

const envOf = (result: ComposeParseResult): [string, string | undefined, string][] =>
  [...(result.project?.services[0]?.environment.values() ?? [])].map((e) => [e.name, e.value, e.from]);

test('env_file: values are read in order, later files win, environment wins over all', () => {
  const files = { '/p/a.env': 'A=a\nB=a\nC=a\n', '/p/b.env': 'B=b\nC=b\n' };
  const result = parse('env_file: [a.env, b.env]\nenvironment:\n  C: own', files);
  assert.deepEqual(envOf(result), [
    ['A', 'a', 'env_file'],
    ['B', 'b', 'env_file'],
    ['C', 'own', 'environment'],
  ]);
  assert.deepEqual(result.diagnostics, []);
});

test('env_file: entries point at their env-file line', () => {
  const result = parse('env_file: a.env', { '/p/a.env': '# c\n\nexport POST=1\n' });
  const post = result.project?.services[0]?.environment.get('POST');
  assert.deepEqual(
    [post?.file, post?.pointer, post?.range.start.line, post?.range.start.col, post?.written],
    ['/p/a.env', '/POST', 3, 8, '1'],
  );
});

test('env_file: interpolation sees earlier env files, then the service environment, then the project', () => {
  const files = { '/p/a.env': 'FIRST=1\n', '/p/b.env': 'X=${FIRST}-${OWN}-${SHELL_VAR}-${NOPE:-d}\n' };
  const result = parse('env_file: [a.env, b.env]\nenvironment:\n  OWN: own', files, {
    env: { SHELL_VAR: 's', OWN: 'shell' },
  });
  assert.equal(result.project?.services[0]?.environment.get('X')?.value, '1-own-s-d');
});

test('env_file: a missing required file is an error, a missing optional one is skipped', () => {
  const required = parse('env_file: gone.env', {});
  assert.deepEqual(
    required.diagnostics.map((d) => [d.code, d.severity, d.pointer, d.range?.start.line]),
    [['compose/env-file-missing', 'error', '/services/p/env_file', 3]],
  );
  assert.match(required.diagnostics[0]?.message ?? '', /\/p\/gone\.env/);
  const optional = parse('env_file:\n  - path: gone.env\n    required: false', {});
  assert.deepEqual(optional.diagnostics, []);
});

test('env_file: without readText nothing can be read, which is said', () => {
  const result = parseComposeFiles([
    { path: '/p/c.yml', text: 'services:\n  p:\n    env_file:\n      - path: x.env\n        required: false\n' },
  ]);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.severity]),
    [['compose/env-file-missing', 'warning']],
  );
});

test('env_file: syntax and interpolation problems are diagnostics of the env file', () => {
  const result = parse('env_file: a.env', { '/p/a.env': 'OK=1\nX=${REQ:?needed}\nBAD KEY=1\n' });
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.severity, d.file, d.range?.start.line]),
    [
      ['compose/required-variable', 'error', '/p/a.env', 2],
      ['compose/env-file-syntax', 'error', '/p/a.env', 3],
    ],
  );
});

test('bare KEY: inherits from the environment compose runs in, .env included; unset ones are unset and warned about', () => {
  const files = { '/p/.env': 'FROM_DOTENV=dot\n' };
  const result = parse('environment:\n  - FROM_SHELL\n  - FROM_DOTENV\n  - MISSING', files, {
    env: { FROM_SHELL: 'sh' },
  });
  assert.deepEqual(envOf(result), [
    ['FROM_SHELL', 'sh', 'inherited'],
    ['FROM_DOTENV', 'dot', 'inherited'],
    ['MISSING', undefined, 'inherited'],
  ]);
  assert.deepEqual(
    result.diagnostics.map((d) => [d.code, d.severity, d.range?.start.line]),
    [
      ['compose/inherited-variable', 'info', 4],
      ['compose/inherited-variable', 'info', 5],
      ['compose/inherited-variable', 'warning', 6],
    ],
  );
});

test('bare KEY: an unset inherited entry overrides an env_file value with nothing, as compose does', () => {
  const result = parse('env_file: a.env\nenvironment:\n  - POST', { '/p/a.env': 'POST=1\n' });
  assert.deepEqual(envOf(result), [['POST', undefined, 'inherited']]);
});

test('map form with null value inherits like a bare list entry', () => {
  const result = parse('environment:\n  POST:', {}, { env: { POST: '1' } });
  assert.deepEqual(envOf(result), [['POST', '1', 'inherited']]);
});
