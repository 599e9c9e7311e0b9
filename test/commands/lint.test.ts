import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Lint from '../../src/commands/lint.js';
import { REPO_ROOT, runCommand } from '../helpers/run-cli.js';

// File names in the output are as given: run from the repository root for stable expectations.
process.chdir(REPO_ROOT);

const lint = (...argv: string[]) => runCommand(Lint, argv);
const fixture = (rule: string, kind: 'valid' | 'invalid', name: string) =>
  `fixtures/policies/${rule}/${kind}/${name}.yaml`;

const CLEAN = fixture('shadowed', 'valid', 'exception-first');
const ERRORS = fixture('shadowed', 'invalid', 'covered');
const WARNINGS = fixture('unknown-endpoint', 'invalid', 'typos'); // 5 warnings, no error
const INFO = fixture('compat-defaults', 'invalid', 'default-rules');
const STACK_FRAME = /^\s+at /m;

test('exit 0 and a clean summary for a clean policy', async () => {
  const result = await lint(CLEAN);
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, '✔ no problems\n');
});

test('exit 0 for info findings and for warnings within --max-warnings', async () => {
  assert.equal((await lint(INFO)).exitCode, 0);
  assert.equal((await lint(WARNINGS)).exitCode, 0);
  assert.equal((await lint(WARNINGS, '--max-warnings', '5')).exitCode, 0);
});

test('exit 1 for errors, and for more warnings than --max-warnings', async () => {
  const errors = await lint(ERRORS);
  assert.equal(errors.exitCode, 1);
  assert.match(
    errors.stdout,
    /^fixtures\/policies\/shadowed\/invalid\/covered\.yaml:7:35 {2}error {2}rule 3 is covered/,
  );
  assert.match(errors.stdout, /✖ 5 problems \(2 errors, 3 warnings\)\n$/);
  const tooMany = await lint(WARNINGS, '--max-warnings', '4');
  assert.equal(tooMany.exitCode, 1);
  assert.match(tooMany.stdout, /✖ 5 warnings, more than --max-warnings 4 allows\n$/);
});

test('exit 2 when a file is missing: one line naming it, no stack trace, nothing on stdout', async () => {
  for (const argv of [['nope.yaml'], [CLEAN, 'nope.yaml', ERRORS]]) {
    const result = await lint(...argv);
    assert.equal(result.exitCode, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /sockguard: nope\.yaml: no such file\n$/);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
  }
});

test('exit 2 for a directory and for bad flags', async () => {
  const directory = await lint('fixtures');
  assert.equal(directory.exitCode, 2);
  assert.match(directory.stderr, /sockguard: fixtures: is a directory/);
  for (const argv of [['--format', 'xml', CLEAN], ['--max-warnings', '-1', CLEAN], []]) {
    const result = await lint(...argv);
    assert.equal(result.exitCode, 2, argv.join(' '));
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, STACK_FRAME);
  }
});

test('--format json is the documented report, identical to the golden fixture report', async () => {
  const result = await lint(ERRORS, '--format', 'json');
  assert.equal(result.exitCode, 1);
  const golden = readFileSync(join(REPO_ROOT, ERRORS.replace(/\.yaml$/, '.diagnostics.json')), 'utf8');
  assert.equal(result.stdout, golden);
});

test('--json prints the same report as --format json', async () => {
  const json = await lint(ERRORS, WARNINGS, '--json');
  const format = await lint(ERRORS, WARNINGS, '--format', 'json');
  assert.equal(json.stdout, format.stdout);
  assert.equal(json.exitCode, 1);
  const report = JSON.parse(json.stdout) as { file: string; errorCount: number; warningCount: number }[];
  assert.deepEqual(
    report.map((f) => [f.file, f.errorCount, f.warningCount]),
    [
      [ERRORS, 2, 3],
      [WARNINGS, 0, 5],
    ],
  );
});

test('--format sarif: one run, the tool named with its version, one result per finding', async () => {
  const result = await lint(ERRORS, '--format', 'sarif');
  assert.equal(result.exitCode, 1);
  const log = JSON.parse(result.stdout);
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs[0].tool.driver.name, 'sockguard');
  assert.equal(log.runs[0].tool.driver.version, version);
  assert.equal(log.runs[0].results.length, 5);
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, ERRORS);
});

test('--quiet reports errors only; warnings still count for --max-warnings', async () => {
  const quiet = await lint(ERRORS, '--quiet', '--format', 'json');
  const [report] = JSON.parse(quiet.stdout) as { diagnostics: { severity: string }[] }[];
  assert.deepEqual(
    report!.diagnostics.map((d) => d.severity),
    ['error', 'error'],
  );
  const warningsOnly = await lint(WARNINGS, '-q');
  assert.equal(warningsOnly.stdout, '✔ no problems\n');
  assert.equal(warningsOnly.exitCode, 0);
  assert.equal((await lint(WARNINGS, '-q', '--max-warnings', '0')).exitCode, 1);
});

test('YAML errors are findings (exit 1) with file:line:col, not failures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-lint-'));
  try {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'rules:\n  - match: { method: GET, path: /x\n    action: allow\n');
    const result = await lint(file);
    assert.equal(result.exitCode, 1);
    assert.match(
      result.stdout,
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ {2}error {2}.* {2}yaml/syntax\\n`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
