import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDotEnv } from '../../src/compose/dotenv.js';

const none = (): undefined => undefined;
const valuesOf = (text: string, lookup: (name: string) => string | undefined = none): Record<string, string> =>
  Object.fromEntries([...parseDotEnv(text, lookup).entries].map(([name, entry]) => [name, entry.value]));

// One line (or a few) -> the variables it defines.
const LINES: [string, Record<string, string>][] = [
  ['A=1', { A: '1' }],
  ['A = 1 ', { A: '1' }],
  ['export A=1', { A: '1' }],
  ['export=1', { export: '1' }],
  ['A: 1', { A: '1' }],
  ['A=', { A: '' }],
  ['A=1 # comment', { A: '1' }],
  ['A=1#not-a-comment', { A: '1#not-a-comment' }],
  ['A=a b  c', { A: 'a b  c' }],
  ['# comment\n\n  # indented comment\nA=1', { A: '1' }],
  ['A="quoted # not a comment"', { A: 'quoted # not a comment' }],
  ["A='single $B \\n'", { A: 'single $B \\n' }],
  ['A="line\\nbreak\\ttab \\"q\\" \\\\ \\$B"', { A: 'line\nbreak\ttab "q" \\ $B' }],
  ['A="\\0123"', { A: 'S' }],
  ['A="multi\nline"', { A: 'multi\nline' }],
  ['A="x" # trailing comment\nB=2', { A: 'x', B: '2' }],
  ["A='it\\'s'", { A: "it's" }],
  ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
  ['\uFEFFA=1', { A: '1' }],
  ['A=1\nA=2', { A: '2' }],
  ['A.B-C[0]=1', { 'A.B-C[0]': '1' }],
  ['A=x\nB=${A}-$A', { A: 'x', B: 'x-x' }],
  ['B="${A:-d}"', { B: 'd' }],
  ["B='${A:-d}'", { B: '${A:-d}' }],
  ['B=$$A', { B: '$A' }],
];

test('parseDotEnv: compose .env syntax', () => {
  for (const [text, expected] of LINES) assert.deepEqual(valuesOf(text), expected, JSON.stringify(text));
});

test('parseDotEnv: a bare KEY takes the lookup value and is skipped without one', () => {
  const lookup = (name: string): string | undefined => (name === 'FROM_SHELL' ? 'shell' : undefined);
  assert.deepEqual(valuesOf('FROM_SHELL\nNOT_SET\nLAST', lookup), { FROM_SHELL: 'shell' });
  const entry = parseDotEnv('FROM_SHELL\n', lookup).entries.get('FROM_SHELL');
  assert.equal(entry?.inherited, true);
});

test('parseDotEnv: earlier keys of the same file win over the lookup when interpolating', () => {
  const lookup = (name: string): string | undefined => (name === 'A' ? 'outer' : undefined);
  assert.deepEqual(valuesOf('B=${A}\nA=inner\nC=${A}', lookup), { B: 'outer', A: 'inner', C: 'inner' });
});

test('parseDotEnv: entries keep the line and written text of their last definition', () => {
  const parsed = parseDotEnv('# c\nA=1\n  export B="two" # c\nA=3\n', none);
  assert.deepEqual(
    [...parsed.entries.values()].map((e) => [
      e.name,
      e.written,
      e.range.start.line,
      e.range.start.col,
      e.range.end.col,
    ]),
    [
      ['A', '3', 4, 1, 4],
      ['B', '"two"', 3, 10, 17],
    ],
  );
});

test('parseDotEnv: problems are reported with positions, parsing stops at a syntax error', () => {
  const cases: [string, RegExp, number, number][] = [
    ['A=1\nB C=2\nD=4', /cannot contain a space/, 2, 1],
    ['A=1\nB!=2', /unexpected character "!"/, 2, 2],
    ['A="open\nB=2', /unterminated quoted value/, 1, 3],
    ['=1', /no variable name/, 1, 1],
  ];
  for (const [text, message, line, col] of cases) {
    const parsed = parseDotEnv(text, none);
    assert.equal(parsed.problems.length, 1, text);
    assert.match(parsed.problems[0]?.message ?? '', message, text);
    assert.deepEqual(parsed.problems[0]?.range.start, { line, col }, text);
    assert.equal(parsed.entries.has('D'), false);
  }
});

test('parseDotEnv: unset and required variables are interpolation problems at the variable', () => {
  const parsed = parseDotEnv('A=x ${NOPE}\nB=${REQ:?set REQ}', none);
  assert.deepEqual(
    parsed.problems.map((p) => [p.interpolation?.kind, p.range.start.line, p.range.start.col]),
    [
      ['unset', 1, 5],
      ['required', 2, 3],
    ],
  );
});
