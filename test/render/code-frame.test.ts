import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCodeFrame } from '../../src/render/code-frame.js';

const SOURCE = [
  'rules:',
  '  - match: { method: GET, path: /x }',
  '    action: allow',
  '  - match: { method: GET, path: /y }',
].join('\n');
const at = (line: number, col: number, endLine: number, endCol: number) => ({
  start: { line, col },
  end: { line: endLine, col: endCol },
});

test('code frames: context lines, a marker on the range and carets under it', () => {
  const cases: [name: string, source: string, range: ReturnType<typeof at>, expected: string[]][] = [
    [
      'single line',
      SOURCE,
      at(2, 33, 2, 35),
      [
        '  1 | rules:',
        '> 2 |   - match: { method: GET, path: /x }',
        '    |                                 ^^',
        '  3 |     action: allow',
      ],
    ],
    [
      'zero width shows one caret; first line has no line before it',
      SOURCE,
      at(1, 1, 1, 1),
      ['> 1 | rules:', '    | ^', '  2 |   - match: { method: GET, path: /x }'],
    ],
    [
      'multi-line range underlines from the first non-blank character of later lines',
      SOURCE,
      at(2, 5, 3, 18),
      [
        '  1 | rules:',
        '> 2 |   - match: { method: GET, path: /x }',
        '    |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '> 3 |     action: allow',
        '    |     ^^^^^^^^^^^^^',
        '  4 |   - match: { method: GET, path: /y }',
      ],
    ],
    [
      'a range ending at column 1 of the next line ends with the line before',
      SOURCE,
      at(3, 5, 4, 1),
      [
        '  2 |   - match: { method: GET, path: /x }',
        '> 3 |     action: allow',
        '    |     ^^^^^^^^^^^^^',
        '  4 |   - match: { method: GET, path: /y }',
      ],
    ],
    [
      'tabs before the range are kept so carets line up',
      'a:\n\tb: c',
      at(2, 5, 2, 6),
      ['  1 | a:', '> 2 | \tb: c', '    | \t   ^'],
    ],
    [
      'the gutter is as wide as the largest line number shown',
      Array.from({ length: 10 }, (_, i) => `l${i + 1}`).join('\n'),
      at(9, 1, 9, 3),
      ['   8 | l8', '>  9 | l9', '     | ^^', '  10 | l10'],
    ],
    ['CRLF line endings', 'a: 1\r\nb: 2\r\n', at(2, 4, 2, 5), ['  1 | a: 1', '> 2 | b: 2', '    |    ^', '  3 |']],
  ];
  for (const [name, source, range, expected] of cases) {
    assert.equal(renderCodeFrame(source, range), expected.join('\n'), name);
  }
});

test('long ranges are cut after maxRangeLines', () => {
  const source = Array.from({ length: 8 }, (_, i) => `line${i + 1}`).join('\n');
  const frame = renderCodeFrame(source, at(2, 1, 7, 6), { maxRangeLines: 2, contextLines: 0 });
  assert.deepEqual(frame.split('\n'), ['> 2 | line2', '    | ^^^^^', '> 3 | line3', '    | ^^^^^', '    | ...']);
});

test('a range outside the source gives no frame', () => {
  assert.equal(renderCodeFrame('a: 1', at(5, 1, 5, 2)), '');
  assert.equal(renderCodeFrame('a: 1', at(0, 1, 0, 2)), '');
});

test('colour only when asked', () => {
  const ESC = '\u001b[';
  assert.ok(!renderCodeFrame(SOURCE, at(2, 33, 2, 35)).includes(ESC));
  assert.ok(renderCodeFrame(SOURCE, at(2, 33, 2, 35), { color: true, severity: 'error' }).includes(ESC));
});
