import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitShellWords } from '../../src/compose/shell-words.js';

// String -> argv compose gives the container (go-shellwords, default options).
const SPLITS: [string, string[]][] = [
  ['', []],
  ['   ', []],
  ['-R updatetest_updatetest_1', ['-R', 'updatetest_updatetest_1']],
  ['npx --yes playwright test', ['npx', '--yes', 'playwright', 'test']],
  ['a\tb\nc\r\nd', ['a', 'b', 'c', 'd']],
  ['nginx -g "daemon off;"', ['nginx', '-g', 'daemon off;']],
  ["echo 'single $X \\n'", ['echo', 'single $X \\n']],
  ['echo "a\\"b" a\\ b', ['echo', 'a"b', 'a b']],
  ['echo "x\\ny"', ['echo', 'xny']],
  ['echo "" \'\'', ['echo', '', '']],
  ['a"b c"d', ['ab cd']],
  ["'-allowGET=/v1\\..{1,2}/(version|containers/.*)'", ['-allowGET=/v1\\..{1,2}/(version|containers/.*)']],
  ['echo $HOME ${X}', ['echo', '$HOME', '${X}']],
  ['echo `date +%s` x', ['echo', '`date +%s`', 'x']],
  ['echo $(date +%s) x', ['echo', '$(date +%s)', 'x']],
];

test('splitShellWords: quotes, escapes, white space', () => {
  for (const [line, args] of SPLITS) {
    const words = splitShellWords(line);
    assert.deepEqual(words.args, args, line);
    assert.equal(words.error, undefined, line);
  }
});

test('splitShellWords: an unquoted ; & | < > ends the command and the rest is dropped', () => {
  const cases: [string, string[], number][] = [
    ['sh -c echo hi && rm -rf /', ['sh', '-c', 'echo', 'hi'], 14],
    ['a;b', ['a'], 1],
    ['a | b', ['a'], 2],
    ['run < in', ['run'], 4],
    ['run 2>/dev/null', ['run'], 5],
    ['run x>out', ['run', 'x'], 5],
  ];
  for (const [line, args, stoppedAt] of cases) assert.deepEqual(splitShellWords(line), { args, stoppedAt }, line);
});

test('splitShellWords: strings compose refuses', () => {
  // An unquoted regex group is a stray parenthesis to compose: wollomatic flags must be quoted.
  for (const line of [
    '-allowGET=/v1\\..{1,2}/(version|containers/.*)',
    'echo "open',
    "echo 'open",
    'echo trailing\\',
    'echo (x)',
    'echo `open',
    'echo a)b',
  ]) {
    assert.notEqual(splitShellWords(line).error, undefined, line);
  }
});
