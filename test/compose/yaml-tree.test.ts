import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlTree, type TreeNode } from '../../src/compose/yaml-tree.js';

/** A tree as plain JS (scalars as their compose string), for compact assertions. */
function plain(node: TreeNode | undefined): unknown {
  if (node === undefined) return undefined;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries([...node.entries.values()].map((entry) => [entry.key, plain(entry.value)]));
}

const codes = (text: string): string[] => parseYamlTree('f.yml', text).diagnostics.map((d) => d.code);

test('parseYamlTree: scalars keep their written text, YAML kind and compose string', () => {
  const tree = parseYamlTree('f.yml', 'a: 1\nb: "1"\nc: true\nd: yes\ne: 010\nf:\ng: !!str 1\n');
  const root = tree.documents[0];
  assert.equal(root?.kind, 'map');
  if (root?.kind !== 'map') return;
  const rows = [...root.entries.values()].map((e) =>
    e.value.kind === 'scalar' ? [e.key, e.value.written, e.value.yamlKind, e.value.value] : [],
  );
  assert.deepEqual(rows, [
    ['a', '1', 'int', '1'],
    ['b', '"1"', 'string', '1'],
    ['c', 'true', 'bool', 'true'],
    ['d', 'yes', 'string', 'yes'],
    ['e', '010', 'int', '8'],
    ['f', '', 'null', null],
    ['g', '1', 'string', '1'],
  ]);
  assert.deepEqual(tree.diagnostics, []);
});

test('parseYamlTree: ranges are 1-based with an exclusive end; single-line values know where their content starts', () => {
  const root = parseYamlTree('f.yml', 'services:\n  p:\n    image: "x/y:1"\n').documents[0];
  const image = root?.kind === 'map' && root.entries.get('services')?.value;
  const p = image && image.kind === 'map' ? image.entries.get('p')?.value : undefined;
  const scalar = p?.kind === 'map' ? p.entries.get('image')?.value : undefined;
  assert.deepEqual(scalar?.range, { start: { line: 3, col: 12 }, end: { line: 3, col: 19 } });
  assert.deepEqual(scalar?.kind === 'scalar' ? scalar.contentStart : undefined, { line: 3, col: 13 });
});

test('parseYamlTree: duplicate keys are errors naming both positions; the later one is kept', () => {
  const text = 'services:\n  a:\n    image: x\nservices:\n  b:\n    image: y\n';
  const tree = parseYamlTree('f.yml', text);
  assert.deepEqual(plain(tree.documents[0]), { services: { b: { image: 'y' } } });
  assert.equal(tree.diagnostics.length, 1);
  const [duplicate] = tree.diagnostics;
  assert.equal(duplicate?.code, 'yaml/duplicate-key');
  assert.equal(duplicate?.severity, 'error');
  assert.equal(duplicate?.pointer, '/services');
  assert.deepEqual(duplicate?.range?.start, { line: 4, col: 1 });
  assert.match(duplicate?.message ?? '', /line 1, col 1 and line 4, col 1/);
  assert.match(duplicate?.message ?? '', /later one wins/);
});

test('parseYamlTree: duplicate keys deep in a service are found too', () => {
  const tree = parseYamlTree('f.yml', 'services:\n  p:\n    environment:\n      POST: 0\n      POST: 1\n');
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.code, d.pointer, d.range?.start.line]),
    [['yaml/duplicate-key', '/services/p/environment/POST', 5]],
  );
  assert.deepEqual(plain(tree.documents[0]), { services: { p: { environment: { POST: '1' } } } });
});

test('parseYamlTree: tab indentation is an error per line, read with tab stops every 8 columns', () => {
  const tree = parseYamlTree('f.yml', 'services:\n\tproxy:\n\t\timage: x\n\t\tenvironment:\n\t\t  POST: 1\n');
  assert.deepEqual(plain(tree.documents[0]), { services: { proxy: { image: 'x', environment: { POST: '1' } } } });
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.code, d.severity, d.range?.start.line]),
    [
      ['yaml/tab-indent', 'error', 2],
      ['yaml/tab-indent', 'error', 3],
      ['yaml/tab-indent', 'error', 4],
      ['yaml/tab-indent', 'error', 5],
    ],
  );
  assert.match(tree.diagnostics[0]?.message ?? '', /tab stops every 8 columns/);
});

test('parseYamlTree: positions on tab-indented lines point into the original text', () => {
  const root = parseYamlTree('f.yml', 'services:\n\tproxy:\n\t\timage: x\n').documents[0];
  const services = root?.kind === 'map' ? root.entries.get('services')?.value : undefined;
  const proxy = services?.kind === 'map' ? services.entries.get('proxy') : undefined;
  assert.deepEqual(proxy?.keyRange.start, { line: 2, col: 2 });
  const image = proxy?.value.kind === 'map' ? proxy.value.entries.get('image')?.value : undefined;
  assert.deepEqual(image?.range.start, { line: 3, col: 10 });
});

test('parseYamlTree: tabs that still do not parse are reported as the parser saw them', () => {
  assert.deepEqual(
    codes('a:\n\tb: 1\n  c: 2\n').filter((c) => c !== 'yaml/syntax'),
    ['yaml/tab-indent', 'yaml/recovered'],
  );
});

test('parseYamlTree: other syntax errors are reported with position and a note that the rest is a guess', () => {
  const tree = parseYamlTree('f.yml', 'services:\n  a:\n    image: x\n   environment:\n     - A=1\n');
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.code, d.severity]),
    [
      ['yaml/syntax', 'error'],
      ['yaml/recovered', 'warning'],
    ],
  );
  assert.equal(tree.diagnostics[0]?.range?.start.line, 4);
  assert.deepEqual(codes('a: "open\n'), ['yaml/syntax', 'yaml/recovered']);
});

test('parseYamlTree: merge keys, explicit keys win, earlier merge sources win', () => {
  const text = [
    'x-a: &a {A: a, B: a, C: a}',
    'x-b: &b {A: b, D: b}',
    'svc:',
    '  A: own',
    '  <<: [*a, *b]',
    '  env:',
    '    <<: *b',
    '    D: own',
  ].join('\n');
  const root = parseYamlTree('f.yml', text).documents[0];
  const svc = root?.kind === 'map' ? root.entries.get('svc')?.value : undefined;
  assert.deepEqual(plain(svc), { A: 'own', B: 'a', C: 'a', D: 'b', env: { A: 'b', D: 'own' } });
});

test('parseYamlTree: merged entries keep the position where the anchor wrote them', () => {
  const root = parseYamlTree('f.yml', 'x: &x\n  POST: 1\nsvc:\n  <<: *x\n').documents[0];
  const svc = root?.kind === 'map' ? root.entries.get('svc')?.value : undefined;
  const post = svc?.kind === 'map' ? svc.entries.get('POST') : undefined;
  assert.deepEqual(post?.keyRange.start, { line: 2, col: 3 });
});

test('parseYamlTree: a quoted "<<" is an ordinary key, a merge of a scalar is an error', () => {
  assert.deepEqual(plain(parseYamlTree('f.yml', '"<<": 1\n').documents[0]), { '<<': '1' });
  assert.deepEqual(codes('a: &a 1\nb:\n  <<: *a\n'), ['yaml/syntax']);
});

test('parseYamlTree: aliases share nodes; unknown and self-referencing aliases are errors read as null', () => {
  assert.deepEqual(plain(parseYamlTree('f.yml', 'a: &a [1, 2]\nb: *a\n').documents[0]), {
    a: ['1', '2'],
    b: ['1', '2'],
  });
  const tree = parseYamlTree('f.yml', 'a: *nope\nb: &r [*r]\n');
  assert.deepEqual(plain(tree.documents[0]), { a: null, b: [null] });
  assert.deepEqual(
    tree.diagnostics.map((d) => [d.code, d.pointer]),
    [
      ['yaml/unknown-alias', '/a'],
      ['yaml/unknown-alias', '/b/0'],
    ],
  );
});

test('parseYamlTree: nested aliases (a billion laughs) are converted once each, not expanded', () => {
  const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 30; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  const started = Date.now();
  const tree = parseYamlTree('f.yml', lines.join('\n'));
  assert.equal(tree.documents.length, 1);
  assert.ok(Date.now() - started < 2000);
});

test('parseYamlTree: compose tags are kept, unknown tags are warned about', () => {
  const root = parseYamlTree('f.yml', 'a: !reset []\nb: !override {x: 1}\n').documents[0];
  assert.deepEqual(root?.kind === 'map' ? [...root.entries.values()].map((e) => e.value.tag) : [], [
    '!reset',
    '!override',
  ]);
  assert.deepEqual(codes('a: !reset []\nb: !override {x: 1}\n'), []);
  assert.deepEqual(codes('a: !vault x\n'), ['yaml/unknown-tag']);
});

test('parseYamlTree: documents are returned in order; empty ones are dropped', () => {
  assert.deepEqual(parseYamlTree('f.yml', '---\na: 1\n---\n---\nb: 2\n...\n').documents.map(plain), [
    { a: '1' },
    { b: '2' },
  ]);
  assert.deepEqual(parseYamlTree('f.yml', '').documents, []);
  assert.deepEqual(parseYamlTree('f.yml', '# only a comment\n').documents, []);
});
