import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanDockerfile } from '../../../src/policy/body/dockerfile-scan.js';

// Each Dockerfile hides (or does not contain) a RUN instruction; the line is where it starts.
const RUN: [string, string, number | undefined][] = [
  ['plain', 'FROM busybox\nRUN id\n', 2],
  ['lower case', 'from busybox\nrun id', 2],
  ['indented', 'FROM busybox\n   \tRUN id', 2],
  ['exec form', 'FROM busybox\nRUN ["id"]', 2],
  ['ONBUILD RUN', 'FROM busybox\nONBUILD RUN id', 2],
  ['onbuild with dotted I (Go lower-cases U+0130 to i)', 'FROM busybox\nONBU\u0130LD RUN id', 2],
  ['keyword split by a continuation', 'FROM busybox\nR\\\nUN id', 2],
  ['keyword split with a comment line between', 'FROM busybox\nR\\\n# note\nUN id', 2],
  ['keyword split with a backtick escape', '# escape=`\nFROM busybox\nR`\nUN id', 3],
  ['escape directive turns backslash into a literal', '# escape=`\nFROM busybox\nLABEL a=b \\\nRUN id', 4],
  ['CRLF line endings', 'FROM busybox\r\nRUN id\r\n', 2],
  ['byte-order mark', '\uFEFFRUN id', 1],
  ['heredoc body line (false positive is acceptable)', 'FROM busybox\nCOPY <<EOF /x\nRUN not really\nEOF', 3],
  ['no RUN', 'FROM busybox\nCOPY . /app\nCMD ["app"]\n# RUN in a comment\nLABEL note="RUN id"', undefined],
  ['RUN word later in the line', 'FROM busybox\nENV X=RUN', undefined],
  ['RUNNER is not RUN', 'FROM busybox\nRUNNER id', undefined],
];
for (const [name, source, line] of RUN) {
  test(`RUN scan: ${name}`, () => assert.equal(scanDockerfile(source).runLine, line));
}

test('RUN --network=host is found in every spelling BuildKit accepts (and then some)', () => {
  assert.equal(scanDockerfile('FROM x\nRUN --network=host curl x').hostNetworkLine, 2);
  assert.equal(scanDockerfile('FROM x\nRUN --network="host" curl x').hostNetworkLine, 2);
  assert.equal(scanDockerfile('FROM x\nRUN \\\n  --network=HOST curl x').hostNetworkLine, 2);
  assert.equal(scanDockerfile('FROM x\nRUN --network=none curl x').hostNetworkLine, undefined);
  assert.equal(scanDockerfile('FROM x\nCOPY --network=host a b').hostNetworkLine, undefined);
});

test('the syntax directive is read only from the directive block at the top', () => {
  assert.equal(scanDockerfile('# syntax=docker/dockerfile:1\nFROM x').syntax, 'docker/dockerfile:1');
  assert.equal(scanDockerfile('#syntax = evil/frontend \nFROM x').syntax, 'evil/frontend');
  assert.equal(scanDockerfile('# escape=`\n# syntax=evil/f\nFROM x').syntax, 'evil/f');
  assert.equal(scanDockerfile('FROM x\n# syntax=evil/f').syntax, undefined);
  assert.equal(scanDockerfile('# comment\n# syntax=evil/f\nFROM x').syntax, undefined);
});

test('long lines cost linear time (no regex backtracking on directive values)', () => {
  const started = performance.now();
  scanDockerfile(`# syntax=x${' '.repeat(200_000)}y\nFROM x\n${'\\ '.repeat(100_000)}\nRUN id`);
  assert.ok(performance.now() - started < 1000);
  assert.equal(scanDockerfile(`# syntax=docker/dockerfile:1   \nFROM x`).syntax, 'docker/dockerfile:1');
});
