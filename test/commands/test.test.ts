import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Test from '../../src/commands/test.js';
import { loadPolicy } from '../../src/policy/load.js';
import { compilePolicy, decide } from '../../src/policy/compile.js';
import { REPO_ROOT, runCommand } from '../helpers/run-cli.js';
import { assertGolden as assertGoldenFile } from '../helpers/golden.js';

// Paths in output are as given, so run from the repository root for stable golden files.
process.chdir(REPO_ROOT);

const POLICY = 'fixtures/cases/policy.yaml';
const DEFAULTS = 'fixtures/cases/defaults.sockguard.yaml';
const GOLDEN = join(REPO_ROOT, 'fixtures/cases/golden');

const sockguardTest = (...argv: string[]) => runCommand(Test, argv);

/** Compares with the golden file of that name under fixtures/cases/golden. */
const assertGolden = (name: string, actual: string): void => assertGoldenFile(join(GOLDEN, name), actual);

async function json(...argv: string[]): Promise<unknown> {
  const result = await sockguardTest(...argv, '--json');
  assert.ok(result.exitCode === 0 || result.exitCode === 1, result.stderr);
  return JSON.parse(result.stdout);
}

/** A temporary directory holding one policy file; removed after the callback. */
async function withPolicy<T>(text: string, run: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-test-'));
  try {
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, text);
    return await run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inDirectory<T>(files: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-cwd-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(REPO_ROOT);
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- output shapes -------------------------------------------------------------------------------

test('text output for one request (golden)', async () => {
  const result = await sockguardTest('-c', POLICY, '--request', 'GET /v1.45/containers/json?all=1');
  assert.equal(result.exitCode, 0);
  assert.equal(result.stderr, '');
  assertGolden('request.txt', result.stdout);
});

test('text output for several requests: one aligned block each (golden)', async () => {
  const result = await sockguardTest(
    '-c',
    POLICY,
    '-r',
    'GET /_ping',
    '-r',
    'post /v1.45/containers/web/exec',
    '-r',
    'GET /containers/x/../../secrets',
  );
  assert.equal(result.exitCode, 0);
  assertGolden('requests.txt', result.stdout);
});

test('--json for one request is one match object (golden)', async () => {
  const result = await sockguardTest('-c', POLICY, '-r', 'GET /v1.45/containers/web/json', '--json');
  assert.equal(result.exitCode, 0);
  assertGolden('request.json', result.stdout);
  assert.deepEqual(JSON.parse(result.stdout), {
    config: POLICY,
    method: 'GET',
    path: '/v1.45/containers/web/json',
    normalized_path: '/containers/web/json',
    decision: 'allow',
    matched_rule: { index: 4, method: 'GET', path: '/containers/*/json', action: 'allow', line: 18 },
  });
});

test('--json for several requests is an array (golden)', async () => {
  const result = await sockguardTest(
    '-c',
    POLICY,
    '-r',
    'HEAD /_ping',
    '-r',
    'POST /containers/a/exec',
    '-r',
    'GET /info',
    '--json',
  );
  assert.equal(result.exitCode, 0);
  assertGolden('requests.json', result.stdout);
  const parsed = JSON.parse(result.stdout) as { decision: string; reason?: string; matched_rule?: { index: number } }[];
  assert.deepEqual(
    parsed.map((p) => [p.decision, p.matched_rule?.index, p.reason]),
    [
      ['allow', 1, undefined],
      ['deny', 5, 'exec is never allowed'],
      ['deny', 6, 'no matching allow rule'],
    ],
  );
});

// --- sockguard-config.md §3.7: the reference's own example ---------------------------------------

test('§3.7: CONTAINERS=1 on a defaults file gives GET,HEAD /containers/** rule 4 with compat_mode (golden)', async () => {
  const result = await sockguardTest(
    '-c',
    DEFAULTS,
    '--env',
    'CONTAINERS=1',
    '-r',
    'GET /v1.45/containers/json',
    '--json',
  );
  assert.equal(result.exitCode, 0);
  assertGolden('compat.json', result.stdout);
  assert.deepEqual(JSON.parse(result.stdout), {
    config: DEFAULTS,
    method: 'GET',
    path: '/v1.45/containers/json',
    normalized_path: '/containers/json',
    decision: 'allow',
    compat_mode: true,
    matched_rule: { index: 4, method: 'GET,HEAD', path: '/containers/**', action: 'allow' },
  });
  // Compat never sets the exfiltration acknowledgement: the reference proxy would not start.
  assert.match(result.stderr, /warning: the proxy would refuse to start: rules allow raw archive\/export/);
});

test('§3.7 text: Mode line and the compat variable behind the rule', async () => {
  const result = await sockguardTest('-c', DEFAULTS, '--env', 'CONTAINERS=1', '-r', 'GET /v1.45/containers/json');
  assert.match(result.stdout, /^Mode: {12}tecnativa compatibility$/m);
  assert.match(
    result.stdout,
    /^Matched rule: {4}#4 allow GET,HEAD \/containers\/\*\* \(compat rule generated from CONTAINERS=1\)$/m,
  );
});

test('compat is off without --env, and with the built-in policy it works the same', async () => {
  const off = (await json('-c', DEFAULTS, '-r', 'GET /containers/json')) as Record<string, unknown>;
  assert.equal(off.decision, 'deny');
  assert.equal(off.compat_mode, undefined);
  await inDirectory({}, async () => {
    const on = (await json('--env', 'CONTAINERS=1', '-r', 'GET /containers/json')) as Record<string, unknown>;
    assert.equal(on.decision, 'allow');
    assert.equal(on.compat_mode, true);
    assert.equal(on.config, '(built-in default policy)');
  });
});

test('compat variables with a non-default policy are ignored, with a warning', async () => {
  const result = await sockguardTest('-c', POLICY, '--env', 'CONTAINERS=1', '-r', 'GET /containers/json/x', '--json');
  assert.equal(JSON.parse(result.stdout).compat_mode, undefined);
  assert.match(result.stderr, /compat variables have no effect/);
});

test('compat: unparseable values fail closed with a warning; misspelt names get a did-you-mean', async () => {
  const result = await sockguardTest(
    '-c',
    DEFAULTS,
    '--env',
    'PING=on',
    '--env',
    'CONTAINER=1',
    '-r',
    'GET /_ping',
    '--json',
  );
  assert.equal(JSON.parse(result.stdout).decision, 'deny');
  assert.match(result.stderr, /unparseable boolean value: PING="on"/);
  assert.match(result.stderr, /CONTAINER is not a compat variable and is ignored; did you mean CONTAINERS\?/);
});

// --- sockguard-config.md §3.4: path normalization, through the command ---------------------------

const NORMALIZATION: [string, string][] = [
  ['/v1.45/containers/json', '/containers/json'],
  ['/v5.0.0/libpod/containers/json', '/libpod/containers/json'],
  ['/v1/containers/json', '/containers/json'],
  ['/v1.45', '/v1.45'],
  ['/v1.45/', '/v1.45'],
  ['/v1.45./containers/json', '/v1.45./containers/json'],
  ['/v1.45.0.0/containers/json', '/v1.45.0.0/containers/json'],
  ['/V1.45/containers/json', '/V1.45/containers/json'],
  ['/v1.45/v1.44/containers/json', '/v1.44/containers/json'],
  ['/containers/json/', '/containers/json'],
  ['/containers/../images/json', '/images/json'],
  ['/containers/a%2Fb/json', '/containers/a/b/json'],
  ['/%73warm', '/swarm'],
  ['/containers/%252e%252e/json', '/containers/%2e%2e/json'],
  // Beyond the table: query strings never participate; dot segments and // collapse.
  ['/containers/json?all=1&filters={"a":["/x"]}', '/containers/json'],
  ['//containers//json', '/containers/json'],
  ['/./containers/./json', '/containers/json'],
  ['/../../containers/json', '/containers/json'],
  ['/containers/%2e%2e/secrets', '/secrets'],
];

for (const [path, normalized] of NORMALIZATION) {
  test(`§3.4 through the command: ${path} -> ${normalized}`, async () => {
    const out = (await json('-c', POLICY, '-r', `GET ${path}`)) as Record<string, unknown>;
    assert.equal(out.path, path);
    assert.equal(out.normalized_path, normalized);
  });
}

test('encoded paths are decided on the once-decoded path', async () => {
  const rows: [string, 'allow' | 'deny'][] = [
    ['/%63ontainers/json', 'allow'],
    ['/containers/a%2Fexec/json', 'deny'],
    ['/containers/web%2Fexec', 'deny'],
    ['/containers/%252e%252e/json', 'allow'],
    ['/containers/web/json%3Fx', 'deny'],
  ];
  for (const [path, decision] of rows) {
    const out = (await json('-c', POLICY, '-r', `GET ${path}`)) as Record<string, unknown>;
    assert.equal(out.decision, decision, path);
  }
  const exec = (await json('-c', POLICY, '-r', 'POST /containers/web%2Fexec')) as Record<string, unknown>;
  assert.equal(exec.normalized_path, '/containers/web/exec');
  assert.equal(exec.reason, 'exec is never allowed');
});

test('traversal is judged on the cleaned path, and the text says serve answers 400', async () => {
  const result = await sockguardTest('-c', POLICY, '-r', 'GET /containers/web/../../version');
  assert.match(result.stdout, /^Normalized path: \/version$/m);
  assert.match(result.stdout, /^Decision: {8}ALLOW$/m);
  assert.match(result.stdout, /^Note: {12}sockguard serve answers 400 to this target: .*not canonical/m);
});

test('lower-case methods are upper-cased; HEAD is not GET', async () => {
  const out = (await json('-c', POLICY, '-r', 'head /_ping', '-r', 'head /version')) as Record<string, unknown>[];
  assert.deepEqual(
    out.map((o) => [o.method, o.decision]),
    [
      ['HEAD', 'allow'],
      ['HEAD', 'deny'],
    ],
  );
});

// --- sockguard-config.md §3.6: the glob table, through the command -------------------------------

const GLOBS: [string, string[], string[]][] = [
  ['/containers/json', ['/containers/json'], ['/containers/json2', '/containers']],
  ['/containers/*', ['/containers/json', '/containers/abc'], ['/containers/abc/start']],
  ['/containers/*/start', ['/containers/abc/start'], ['/containers/a/b/start']],
  ['/containers/**', ['/containers', '/containers/json', '/containers/a/b/c'], ['/containersfoo']],
  ['/a/**/b', ['/a/b', '/a/x/y/b'], ['/a/xb']],
  ['/containers**', ['/containers', '/containersfoo', '/containers/x'], []],
  ['/images/sha256:*', ['/images/sha256:abc'], []],
  ['/**', ['/', '/anything/at/all'], []],
];

for (const [pattern, yes, no] of GLOBS) {
  test(`§3.6 through the command: ${pattern}`, async () => {
    const policy = `rules:\n  - match: { method: POST, path: "${pattern}" }\n    action: allow\n  - match: { method: "*", path: "/**" }\n    action: deny\n    reason: no matching allow rule\n`;
    await withPolicy(policy, async (file) => {
      const argv = [...yes, ...no].flatMap((p) => ['-r', `POST ${p}`]);
      const out = (await json('-c', file, ...argv, '--json')) as Record<string, unknown>[] | Record<string, unknown>;
      const list = Array.isArray(out) ? out : [out];
      assert.deepEqual(
        list.map((o) => o.decision),
        [...yes.map(() => 'allow'), ...no.map(() => 'deny')],
      );
    });
  });
}

// --- profiles ------------------------------------------------------------------------------------

test('--profile decides with the profile rules and points at their lines', async () => {
  const out = (await json('-c', POLICY, '--profile', 'ci', '-r', 'POST /build', '-r', 'GET /_ping')) as Record<
    string,
    unknown
  >[];
  assert.deepEqual(out[0], {
    config: POLICY,
    method: 'POST',
    path: '/build',
    normalized_path: '/build',
    decision: 'allow',
    profile: 'ci',
    profile_selected_by: 'flag',
    matched_rule: { index: 1, method: 'POST', path: '/build', action: 'allow', line: 6 },
    // An allowed build reaches the build inspector even without --body, as it would in serve.
    body: {
      inspector: 'build',
      decision: 'allow',
      notes: ['no request body given: judged as an empty body, as serve judges a request sent without one'],
    },
  });
  assert.equal(out[1]?.reason, 'ci may only build');
});

test('an unknown --profile exits 2 listing the known profiles', async () => {
  const result = await sockguardTest('-c', POLICY, '--profile', 'nightly', '-r', 'GET /_ping');
  assert.equal(result.exitCode, 2);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    /--profile: no client profile named "nightly" in fixtures\/cases\/policy.yaml \(known: ci\)/,
  );
});

// --- --expect and exit codes ---------------------------------------------------------------------

test('--expect: a match exits 0, any mismatch exits 1 and names the request', async () => {
  assert.equal((await sockguardTest('-c', POLICY, '-r', 'GET /_ping', '--expect', 'allow')).exitCode, 0);
  assert.equal((await sockguardTest('-c', POLICY, '-r', 'POST /_ping', '--expect', 'deny')).exitCode, 0);
  const result = await sockguardTest('-c', POLICY, '-r', 'GET /_ping', '-r', 'POST /_ping', '--expect', 'allow');
  assert.equal(result.exitCode, 1);
  assert.match(result.stderr, /expected allow, got deny: POST \/_ping/);
  assert.doesNotMatch(result.stderr, /GET \/_ping/);
  const withJson = await sockguardTest('-c', POLICY, '-r', 'POST /_ping', '--expect', 'allow', '--json');
  assert.equal(withJson.exitCode, 1);
  assert.equal(JSON.parse(withJson.stdout).decision, 'deny');
});

/** [name, argv, stderr pattern]: every "could not run" case exits 2 with one clear message. */
const USAGE: [string, string[], RegExp][] = [
  ['no request and no cases', ['-c', POLICY], /give --request "METHOD PATH" or --cases FILE/],
  ['a request without a path', ['-c', POLICY, '-r', 'GET'], /--request: expected "METHOD PATH"/],
  [
    'a path without a leading slash',
    ['-c', POLICY, '-r', 'GET containers/json'],
    /--request: the request path must start with "\/"/,
  ],
  ['a bad percent-escape', ['-c', POLICY, '-r', 'GET /a%zz'], /--request: invalid percent-escape "%zz"/],
  ['a bad method', ['-c', POLICY, '-r', 'G@T /'], /--request: "G@T" is not an HTTP method/],
  ['a bad --env', ['-c', POLICY, '-r', 'GET /', '--env', 'CONTAINERS'], /--env: expected KEY=VALUE/],
  [
    'an explicit missing config',
    ['-c', 'fixtures/cases/missing.yaml', '-r', 'GET /'],
    /fixtures\/cases\/missing.yaml: no such file/,
  ],
  ['a config that is a directory', ['-c', 'fixtures', '-r', 'GET /'], /fixtures: is a directory/],
  [
    'a bad --expect value',
    ['-c', POLICY, '-r', 'GET /', '--expect', 'maybe'],
    /Expected --expect=maybe to be one of: allow, deny/,
  ],
  [
    '--request with --cases',
    ['-r', 'GET /', '--cases', 'fixtures/cases/passing.cases.yaml'],
    /cannot also be provided/,
  ],
  [
    '--expect with --cases',
    ['--expect', 'allow', '--cases', 'fixtures/cases/passing.cases.yaml'],
    /cannot also be provided/,
  ],
];

for (const [name, argv, message] of USAGE) {
  test(`exit 2: ${name}`, async () => {
    const result = await sockguardTest(...argv);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('exit 2 under --json still says why on stderr', async () => {
  const result = await sockguardTest('-c', POLICY, '-r', 'GET', '--json');
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr, /--request: expected "METHOD PATH"/);
});

test('an invalid policy prints file:line:col diagnostics and exits 2', async () => {
  const result = await sockguardTest('-c', 'fixtures/cases/invalid-policy.yaml', '-r', 'GET /_ping');
  assert.equal(result.exitCode, 2);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  assert.match(
    lines[0]!,
    /^fixtures\/cases\/invalid-policy.yaml:5:13: error: rules\[1\]\.action must be "allow" or "deny", got "alow".* \[schema\/enum\]$/,
  );
  assert.match(
    lines[1]!,
    /^fixtures\/cases\/invalid-policy.yaml:4:\d+: error: rule 2: match.path .* \[config\/percent-in-path\]$/,
  );
  assert.equal(lines[2], 'sockguard: fixtures/cases/invalid-policy.yaml: the policy has 2 errors');
});

test('startup problems are warnings; the decision is still shown', async () => {
  const result = await sockguardTest('-c', 'fixtures/cases/exfiltration.yaml', '-r', 'GET /containers/web/logs');
  assert.equal(result.exitCode, 0);
  assert.match(result.stdout, /^Decision: {8}ALLOW$/m);
  assert.match(
    result.stderr,
    /^sockguard: warning: the proxy would refuse to start: rules allow raw archive\/export.*Exposed endpoints: GET \/containers\/sockguard-test\/archive/m,
  );
});

// --- the config file default ---------------------------------------------------------------------

test('without -c and without ./sockguard.yaml: the built-in default policy, with a note', async () => {
  await inDirectory({}, async () => {
    const result = await sockguardTest('-r', 'POST /containers/create');
    assert.equal(result.exitCode, 0);
    assert.match(result.stderr, /note: no \.\/sockguard.yaml here; testing the built-in default policy/);
    assert.match(result.stdout, /^Config: {10}\(built-in default policy\)$/m);
    assert.match(result.stdout, /^Matched rule: {4}#5 deny \* \/\*\* \(default policy\)$/m);
    assert.match(result.stdout, /^Reason: {10}no_matching_allow_rule \(no matching allow rule\)$/m);
  });
});

test('without -c, ./sockguard.yaml is used when present', async () => {
  const policy = 'rules:\n  - match: { method: GET, path: /info }\n    action: allow\n';
  await inDirectory({ 'sockguard.yaml': policy }, async () => {
    const result = await sockguardTest('-r', 'GET /info', '--json');
    assert.equal(result.stderr, '');
    assert.deepEqual(JSON.parse(result.stdout).matched_rule, {
      index: 1,
      method: 'GET',
      path: '/info',
      action: 'allow',
      line: 2,
    });
    assert.equal(JSON.parse(result.stdout).config, 'sockguard.yaml');
  });
});

test('a policy file without rules tests the default rules, named as such', async () => {
  await withPolicy('log: { level: debug }\n', async (file) => {
    const result = await sockguardTest('-c', file, '-r', 'GET /version');
    assert.match(result.stdout, /^Matched rule: {4}#3 allow GET \/version \(default policy\)$/m);
  });
});

// --- colour ---------------------------------------------------------------------------------------

const ESC = String.fromCharCode(27);

test('colour only on a terminal, and never with NO_COLOR', async () => {
  const stdout = process.stdout as { isTTY: boolean | undefined };
  const wasTTY = stdout.isTTY;
  const noColor = process.env.NO_COLOR;
  try {
    stdout.isTTY = true;
    delete process.env.NO_COLOR;
    assert.ok((await sockguardTest('-c', POLICY, '-r', 'GET /_ping')).stdout.includes(`${ESC}[32mALLOW${ESC}[39m`));
    process.env.NO_COLOR = '1';
    assert.ok(!(await sockguardTest('-c', POLICY, '-r', 'GET /_ping')).stdout.includes(ESC));
    delete process.env.NO_COLOR;
    stdout.isTTY = false;
    assert.ok(!(await sockguardTest('-c', POLICY, '-r', 'GET /_ping')).stdout.includes(ESC));
  } finally {
    stdout.isTTY = wasTTY;
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  }
});

// --- case suites ---------------------------------------------------------------------------------

test('a passing suite: ✓ per case with its line, summary, exit 0 (golden)', async () => {
  const result = await sockguardTest('--cases', 'fixtures/cases/passing.cases.yaml');
  assert.equal(result.exitCode, 0, result.stderr);
  assertGolden('passing.cases.txt', result.stdout);
  assert.match(result.stdout, /4 passed, 0 failed\n$/);
});

test('a failing suite: ✗ with the reasons, exit 1 (golden text and JSON)', async () => {
  const text = await sockguardTest('--cases', 'fixtures/cases/failing.cases.yaml');
  assert.equal(text.exitCode, 1);
  assertGolden('failing.cases.txt', text.stdout);
  assert.match(text.stdout, /1 passed, 3 failed\n$/);
  const result = await sockguardTest('--cases', 'fixtures/cases/failing.cases.yaml', '--json');
  assert.equal(result.exitCode, 1);
  assertGolden('failing.cases.json', result.stdout);
  const report = JSON.parse(result.stdout) as {
    passed: number;
    failed: number;
    cases: { passed: boolean; line: number }[];
  };
  assert.equal(report.passed, 1);
  assert.equal(report.failed, 3);
  assert.deepEqual(
    report.cases.map((c) => [c.line, c.passed]),
    [
      [3, true],
      [6, false],
      [9, false],
      [13, false],
    ],
  );
});

test('a suite with env: compat applies to its config', async () => {
  const result = await sockguardTest('--cases', 'fixtures/cases/compat.cases.yaml', '--json');
  assert.equal(result.exitCode, 0, result.stdout);
  const report = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.equal(report.compat_mode, true);
  assert.equal(report.config, 'fixtures/cases/defaults.sockguard.yaml');
});

test('-c overrides the suite config; --env overrides the suite env', async () => {
  const overridden = await sockguardTest('--cases', 'fixtures/cases/passing.cases.yaml', '-c', DEFAULTS, '--json');
  assert.equal(overridden.exitCode, 1);
  assert.equal(JSON.parse(overridden.stdout).config, DEFAULTS);
  const compatOff = await sockguardTest('--cases', 'fixtures/cases/compat.cases.yaml', '--env', 'CONTAINERS=0');
  assert.equal(compatOff.exitCode, 1);
  assert.match(compatOff.stdout, /✗ compat lists containers/);
});

test('--profile is the default profile of a suite', async () => {
  await withPolicy('- {name: build, request: POST /build, expect: allow}\n', async (suite) => {
    assert.equal((await sockguardTest('--cases', suite, '-c', POLICY)).exitCode, 1);
    assert.equal((await sockguardTest('--cases', suite, '-c', POLICY, '--profile', 'ci')).exitCode, 0);
  });
});

test('an invalid suite: file:line:col diagnostics, exit 2, nothing run', async () => {
  const result = await sockguardTest('--cases', 'fixtures/cases/invalid.cases.yaml', '-c', POLICY);
  assert.equal(result.exitCode, 2);
  assert.equal(result.stdout, '');
  assert.deepEqual(result.stderr.trim().split('\n'), [
    'fixtures/cases/invalid.cases.yaml:7:5: error: unknown key "expected"; did you mean "expect"? [cases/unknown-key]',
    'fixtures/cases/invalid.cases.yaml:5:5: error: case 2 has no "expect" [cases/missing-key]',
    'fixtures/cases/invalid.cases.yaml:9:14: error: "request": the request path must start with "/", got "_ping" [cases/bad-request]',
    'sockguard: fixtures/cases/invalid.cases.yaml: the suite has 3 errors',
  ]);
});

test('a missing suite file exits 2', async () => {
  const result = await sockguardTest('--cases', 'fixtures/cases/nope.cases.yaml');
  assert.equal(result.exitCode, 2);
  assert.match(result.stderr, /nope.cases.yaml: no such file/);
});

// --- bundled examples ----------------------------------------------------------------------------

const EXAMPLES = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.sockguard.yaml'));

test('every example policy has a case suite', () => {
  assert.ok(EXAMPLES.length >= 2);
  for (const policy of EXAMPLES) {
    assert.ok(existsSync(join(REPO_ROOT, 'examples', policy.replace('.sockguard.yaml', '.cases.yaml'))), policy);
  }
});

for (const policy of EXAMPLES) {
  test(`example ${policy}: its suite passes`, async () => {
    const result = await sockguardTest('--cases', `examples/${policy.replace('.sockguard.yaml', '.cases.yaml')}`);
    assert.equal(result.exitCode, 0, result.stdout);
    assert.equal(result.stderr, '');
  });

  test(`example ${policy}: deny by default, explicit /_ping and /version, starts without acknowledgements`, () => {
    const loaded = loadPolicy(readFileSync(join(REPO_ROOT, 'examples', policy), 'utf8'));
    assert.deepEqual(loaded.diagnostics, []);
    const rules = loaded.document.rules ?? [];
    assert.deepEqual(rules.at(-1), {
      match: { method: '*', path: '/**' },
      action: 'deny',
      reason: 'no matching allow rule',
    });
    for (const path of ['/_ping', '/version']) {
      assert.ok(
        rules.some((r) => r.action === 'allow' && r.match?.path === path),
        `${policy} needs an explicit allow rule for ${path}`,
      );
    }
    const compiled = compilePolicy(loaded.policy!);
    assert.deepEqual(compiled.startupProblems, []);
    assert.equal(loaded.policy!.insecure_allow_read_exfiltration, false);
    assert.equal(loaded.policy!.insecure_allow_body_blind_writes, false);
    // No write method reaches the daemon.
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      for (const path of ['/containers/x/start', '/containers/create', '/containers/x', '/images/create']) {
        assert.equal(decide(compiled, method, path).decision, 'deny', `${policy}: ${method} ${path}`);
      }
    }
  });
}

// --- request bodies and clients (issue 5) --------------------------------------------------------

const INSPECTION = 'fixtures/cases/inspection/policy.yaml';
const CIDR_POLICY = 'fixtures/cases/inspection/cidr-policy.yaml';
const FIXTURE = (name: string) => `fixtures/cases/inspection/${name}`;

type Match = Record<string, unknown> & { body?: Record<string, unknown> };

test('a privileged create with --body: denied, naming HostConfig.Privileged and the policy key (JSON golden)', async () => {
  const result = await sockguardTest(
    '-c',
    INSPECTION,
    '-r',
    'POST /v1.45/containers/create',
    '--body',
    FIXTURE('privileged-create.json'),
    '--json',
  );
  assert.equal(result.exitCode, 0, result.stderr);
  assertGolden('body-deny.json', result.stdout);
  const out = JSON.parse(result.stdout) as Match;
  assert.equal(out.decision, 'deny');
  assert.equal(out.status, 403);
  assert.equal(out.reason_code, 'request_body_policy_denied');
  assert.equal(out.reason, 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false');
  assert.deepEqual(out.matched_rule, {
    index: 2,
    method: 'POST',
    path: '/containers/create',
    action: 'allow',
    line: 62,
  });
  assert.equal(out.body?.inspector, 'container-create');
});

test('a body denial as text for a resolved unix client (golden)', async () => {
  const result = await sockguardTest(
    '-c',
    INSPECTION,
    '-r',
    'POST /v1.45/containers/create',
    '--body',
    FIXTURE('bind-root-create.json'),
    '--unix-peer',
    '1000:1000',
    '--listener',
    'local',
  );
  assert.equal(result.exitCode, 0, result.stderr);
  assertGolden('body-deny.txt', result.stdout);
  assert.match(result.stdout, /^Decision: {8}DENY \(403\)$/m);
  assert.match(result.stdout, /^Profile: {9}deployer \(selected by clients\.unix_peer_profiles\)$/m);
  assert.match(result.stdout, /^Body: {12}container-create: denied \(53 bytes\), 403 request_body_policy_denied$/m);
});

/** [scenario, argv after -c, expected decision, reason pattern]. */
const SCENARIOS: [string, string[], 'allow' | 'deny', RegExp][] = [
  [
    'bind of /',
    ['-r', 'POST /containers/create', '--body', FIXTURE('bind-root-create.json')],
    'deny',
    /HostConfig\.Binds\[0\] mounts host path "\/"; it is not under request_body\.container_create\.allowed_bind_mounts/,
  ],
  [
    'bind under an allowed path',
    ['-r', 'POST /containers/create', '--body', FIXTURE('bind-allowed-create.json')],
    'allow',
    /^$/,
  ],
  [
    'exec as root',
    ['-r', 'POST /containers/web/exec', '--body', FIXTURE('exec-root.json')],
    'deny',
    /User "root" runs as root; request_body\.exec\.allow_root_user is false/,
  ],
  ['exec as uid 1000', ['-r', 'POST /containers/web/exec', '--body', FIXTURE('exec-healthcheck.json')], 'allow', /^$/],
  [
    'pull outside the allowlist, no flags needed',
    ['-r', 'POST /images/create?fromImage=evil.example/miner&tag=latest'],
    'deny',
    /registry "evil\.example"; it is not in request_body\.image_pull\.allowed_registries/,
  ],
  ['pull from the allowlist', ['-r', 'POST /images/create?fromImage=ghcr.io/acme/app&tag=1'], 'allow', /^$/],
  [
    'pull credentials for another registry (--header)',
    [
      '-r',
      'POST /images/create?fromImage=ghcr.io/acme/app&tag=1',
      '--header',
      `X-Registry-Auth: ${Buffer.from('{"serveraddress":"evil.example"}').toString('base64')}`,
    ],
    'deny',
    /evil\.example/,
  ],
  [
    'a build context with RUN (a tar body)',
    ['-r', 'POST /build', '--body', FIXTURE('build-run.tar')],
    'deny',
    /RUN.*request_body\.build\.allow_run_instructions/,
  ],
  ['a build context without RUN', ['-r', 'POST /build?t=app', '--body', FIXTURE('build-copy.tar')], 'allow', /^$/],
  [
    'duplicate JSON keys (400)',
    ['-r', 'POST /containers/create', '--body', FIXTURE('duplicate-keys-create.json')],
    'deny',
    /duplicate key/,
  ],
  [
    'a JSON body sent as text/plain (400)',
    ['-r', 'POST /containers/create', '--body', FIXTURE('typical-create.json'), '--header', 'Content-Type: text/plain'],
    'deny',
    /needs Content-Type application\/json/,
  ],
  [
    'the typical create body',
    ['-r', 'POST /v1.45/containers/create', '--body', FIXTURE('typical-create.json')],
    'allow',
    /^$/,
  ],
];

for (const [name, argv, decision, reason] of SCENARIOS) {
  test(`--body/--header scenario: ${name} -> ${decision}`, async () => {
    const out = (await json('-c', INSPECTION, ...argv)) as Match;
    assert.equal(out.decision, decision);
    assert.match(String(out.reason ?? ''), reason);
  });
}

test('statuses: 400 for a malformed body, 413 for one over the limit', async () => {
  const malformed = (await json(
    '-c',
    INSPECTION,
    '-r',
    'POST /containers/create',
    '--body',
    FIXTURE('duplicate-keys-create.json'),
  )) as Match;
  assert.deepEqual([malformed.status, malformed.reason_code], [400, 'request_body_inspection_failed']);
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-body-'));
  try {
    const big = join(dir, 'big.json');
    writeFileSync(big, `{"Image":"${'x'.repeat(1024 * 1024)}"}`);
    const tooLarge = (await json('-c', INSPECTION, '-r', 'POST /containers/create', '--body', big)) as Match;
    assert.deepEqual([tooLarge.status, tooLarge.reason_code], [413, 'request_body_too_large']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unlisted CIDR is refused before the rules (JSON golden)', async () => {
  const result = await sockguardTest('-c', CIDR_POLICY, '-r', 'GET /_ping', '--client-ip', '203.0.113.5', '--json');
  assert.equal(result.exitCode, 0, result.stderr);
  assertGolden('client-refused.json', result.stdout);
  assert.deepEqual(JSON.parse(result.stdout), {
    config: CIDR_POLICY,
    method: 'GET',
    path: '/_ping',
    normalized_path: '/_ping',
    decision: 'deny',
    reason: 'client IP not allowed',
    status: 403,
    reason_code: 'client_ip_not_allowed',
  });
  const inside = (await json('-c', CIDR_POLICY, '-r', 'GET /_ping', '--client-ip', '::ffff:10.2.3.4')) as Match;
  assert.deepEqual([inside.decision, inside.profile_selected_by], ['allow', 'none']);
});

test('two unix peers with different uids resolve to different profiles (JSON golden)', async () => {
  const outputs: Match[] = [];
  for (const peer of ['1000:1000', '1001:1001']) {
    const result = await sockguardTest(
      '-c',
      INSPECTION,
      '-r',
      'POST /containers/create',
      '--unix-peer',
      peer,
      '--json',
    );
    assert.equal(result.exitCode, 0, result.stderr);
    assertGolden(`unix-peer-${peer.split(':')[0]}.json`, result.stdout);
    outputs.push(JSON.parse(result.stdout) as Match);
  }
  assert.deepEqual(
    outputs.map((o) => [o.profile, o.profile_selected_by, o.decision, o.reason]),
    [
      ['deployer', 'unix_peer', 'allow', undefined],
      ['viewer', 'unix_peer', 'deny', 'viewers only read'],
    ],
  );
  assert.equal(outputs[1]?.profile_mode, 'warn');
  assert.deepEqual(outputs[1]?.notes, [
    'profile "viewer" is in warn mode: serve forwards this request instead and logs request_would_deny',
  ]);
});

test('--client-cert: the SPIFFE ID selects the profile, the listener admits it; the text names the selector', async () => {
  const argv = [
    '-c',
    INSPECTION,
    '-r',
    'POST /images/create?fromImage=nginx&tag=1',
    '--client-ip',
    '192.0.2.4',
    '--listener',
    'public',
  ];
  const ci = await sockguardTest(...argv, '--client-cert', FIXTURE('ci-client.pem'));
  assert.equal(ci.exitCode, 0, ci.stderr);
  assert.match(ci.stdout, /^Decision: {8}ALLOW$/m);
  assert.match(
    ci.stdout,
    /^Client: {10}source IP 192\.0\.2\.4; certificate CN=ci-runner, DNS ci\.internal, IP 10\.1\.2\.3, SPIFFE ID spiffe:\/\/example\.org\/ns\/ci\/sa\/runner, SPKI sha256:5720453b/m,
  );
  assert.match(ci.stdout, /^Profile: {9}ci \(selected by clients\.client_certificate_profiles\)$/m);
  const other = (await json(...argv, '--client-cert', FIXTURE('other-client.pem'))) as Match;
  assert.deepEqual(
    [other.decision, other.reason_code, other.profile_selected_by],
    ['deny', 'listener_profile_not_allowed', 'none'],
  );
});

test('--listener alone checks the hand-picked profile against allowed_profiles', async () => {
  const refused = (await json('-c', INSPECTION, '-r', 'GET /_ping', '--listener', 'public')) as Match;
  assert.equal(refused.reason_code, 'listener_profile_not_allowed');
  const admitted = (await json(
    '-c',
    INSPECTION,
    '-r',
    'POST /images/create?fromImage=nginx',
    '--listener',
    'public',
    '--profile',
    'ci',
  )) as Match;
  assert.deepEqual([admitted.decision, admitted.profile_selected_by], ['allow', 'flag']);
});

test('exec start without the daemon: decided as serve without an exec inspect, and said so', async () => {
  const result = await sockguardTest('-c', INSPECTION, '-r', 'POST /exec/abc/start');
  assert.match(result.stdout, /^Decision: {8}DENY \(403\)$/m);
  assert.match(result.stdout, /^Note: {12}serve re-checks exec start against the daemon's exec inspect/m);
});

test('--request without body flags still inspects an allowed inspected route, judging an empty body', async () => {
  const out = (await json('-c', INSPECTION, '-r', 'POST /containers/create')) as Match;
  assert.equal(out.decision, 'allow');
  assert.deepEqual(out.body, {
    inspector: 'container-create',
    decision: 'allow',
    notes: ['no request body given: judged as an empty body, as serve judges a request sent without one'],
  });
});

test('--expect sees body denials', async () => {
  const result = await sockguardTest(
    '-c',
    INSPECTION,
    '-r',
    'POST /containers/create',
    '--body',
    FIXTURE('privileged-create.json'),
    '--expect',
    'allow',
  );
  assert.equal(result.exitCode, 1);
  assert.match(result.stderr, /expected allow, got deny: POST \/containers\/create/);
});

/** [name, argv, stderr pattern]: bad body, header and client flags exit 2 naming the flag. */
const BAD_INPUT: [string, string[], RegExp][] = [
  [
    'a missing --body file',
    ['-r', 'POST /containers/create', '--body', 'fixtures/cases/inspection/nope.json'],
    /--body: fixtures\/cases\/inspection\/nope.json: no such file/,
  ],
  ['a --body directory', ['-r', 'POST /containers/create', '--body', 'fixtures'], /--body: fixtures: is a directory/],
  [
    'a --header without a colon',
    ['-r', 'GET /_ping', '--header', 'Content-Type application/json'],
    /--header: expected "Name: value"/,
  ],
  [
    'a framing --header',
    ['-r', 'GET /_ping', '--header', 'Content-Length: 10'],
    /--header: Content-Length describes framing/,
  ],
  [
    'a --client-ip with a prefix',
    ['-r', 'GET /_ping', '--client-ip', '10.0.0.1/8'],
    /--client-ip: expected an IP address/,
  ],
  [
    'a --client-ip with leading zeros',
    ['-r', 'GET /_ping', '--client-ip', '010.0.0.1'],
    /--client-ip: expected an IP address/,
  ],
  [
    'a --unix-peer without gid',
    ['-r', 'GET /_ping', '--unix-peer', '1000'],
    /--unix-peer: expected uid:gid or uid:gid:pid/,
  ],
  [
    'a negative --unix-peer uid',
    ['-r', 'GET /_ping', '--unix-peer', '-1:0'],
    /--unix-peer: uid must be a decimal number/,
  ],
  [
    'a missing --client-cert',
    ['-r', 'GET /_ping', '--client-cert', 'fixtures/cases/inspection/nope.pem'],
    /--client-cert: fixtures\/cases\/inspection\/nope.pem: no such file/,
  ],
  [
    'a --client-cert that is not a certificate',
    ['-r', 'GET /_ping', '--client-cert', FIXTURE('not-a-certificate.pem')],
    /--client-cert: .*not-a-certificate.pem: not a readable X\.509 certificate/,
  ],
  [
    'a --client-cert that is JSON',
    ['-r', 'GET /_ping', '--client-cert', FIXTURE('exec-root.json')],
    /--client-cert: .*no "-----BEGIN CERTIFICATE-----" block/,
  ],
  [
    'an unknown --listener',
    ['-r', 'GET /_ping', '--listener', 'nope'],
    /--listener: no listener named "nope" \(known: local, public\)/,
  ],
  [
    '--unix-peer with --client-ip',
    ['-r', 'GET /_ping', '--unix-peer', '1000:1000', '--client-ip', '10.0.0.1'],
    /--unix-peer: a unix-socket client has no IP address or certificate/,
  ],
  [
    '--unix-peer on a TCP listener',
    ['-r', 'GET /_ping', '--unix-peer', '1000:1000', '--listener', 'public'],
    /--unix-peer: listener "public" is a TCP listener.*give --client-ip instead/,
  ],
  [
    '--client-ip on a unix listener',
    ['-r', 'GET /_ping', '--client-ip', '10.0.0.1', '--listener', 'local'],
    /--client-ip: listener "local" is a unix socket/,
  ],
  [
    '--profile with --client-ip',
    ['-r', 'GET /_ping', '--profile', 'ci', '--client-ip', '10.0.0.1'],
    /--client-ip=10.0.0.1 cannot also be provided when using --profile/,
  ],
  [
    '--body with --cases',
    ['--cases', 'fixtures/cases/passing.cases.yaml', '--body', FIXTURE('exec-root.json')],
    /cannot also be provided/,
  ],
];

for (const [name, argv, message] of BAD_INPUT) {
  test(`exit 2: ${name}`, async () => {
    const result = await sockguardTest('-c', INSPECTION, ...argv);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('exit 2: --client-cert without --client-ip where the policy judges addresses', async () => {
  const result = await sockguardTest('-c', CIDR_POLICY, '-r', 'GET /_ping', '--client-cert', FIXTURE('ci-client.pem'));
  assert.equal(result.exitCode, 2);
  assert.match(
    result.stderr,
    /--client-ip: a TLS client also has a source address.*give --client-ip with --client-cert/,
  );
});

test('a case suite with bodies, headers and clients (every issue-5 scenario) passes', async () => {
  const result = await sockguardTest('--cases', 'fixtures/cases/inspection/inspection.cases.yaml');
  assert.equal(result.exitCode, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /12 passed, 0 failed\n$/);
  const report = JSON.parse(
    (await sockguardTest('--cases', 'fixtures/cases/inspection/inspection.cases.yaml', '--json')).stdout,
  ) as {
    cases: { name: string; result?: Match }[];
  };
  const uid = report.cases.find((c) => c.name === 'uid 1000 deploys')?.result;
  assert.deepEqual([uid?.profile, uid?.profile_selected_by], ['deployer', 'unix_peer']);
});

/** [name, suite text, stderr pattern]: a case input that cannot be read stops the run (exit 2). */
const BAD_SUITES: [string, string, RegExp][] = [
  [
    'a missing body_file',
    '- {name: a, request: POST /containers/create, expect: deny, body_file: nope.json}',
    /suite.yaml:1: case "a": .*nope.json: no such file/,
  ],
  [
    'a client_cert that is not one',
    `- {name: a, request: GET /_ping, expect: deny, client_cert: ${join(REPO_ROOT, FIXTURE('not-a-certificate.pem'))}}`,
    /suite.yaml:1: case "a": client_cert .*not a readable X\.509 certificate/,
  ],
  [
    'an unknown listener',
    '- {name: a, request: GET /_ping, expect: deny, listener: nope}',
    /suite.yaml:1: case "a": listener: no listener named "nope"/,
  ],
  [
    'a unix peer with an address',
    '- {name: a, request: GET /_ping, expect: deny, unix_peer: "1:1", client_ip: 10.0.0.1}',
    /case "a": unix_peer: a unix-socket client has no IP address/,
  ],
];

for (const [name, text, message] of BAD_SUITES) {
  test(`exit 2: a suite with ${name}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sockguard-suite-'));
    try {
      const suite = join(dir, 'suite.yaml');
      writeFileSync(suite, text);
      const result = await sockguardTest('--cases', suite, '-c', INSPECTION);
      assert.equal(result.exitCode, 2, result.stdout);
      assert.match(result.stderr, message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// The command from source in a child process: stdin for --body -, and which modules a run loads.
function runFromSource(
  argv: string[],
  options: { input?: Buffer; trace?: string } = {},
): { stdout: string; status: number } {
  const hooks = options.trace !== undefined ? ['--import', join(REPO_ROOT, 'test/helpers/trace-modules.mjs')] : [];
  const script =
    "const { default: T } = await import('./src/commands/test.ts'); await T.run(process.argv.slice(1), process.cwd());";
  try {
    const stdout = execFileSync(
      process.execPath,
      ['--import', 'tsx', ...hooks, '--input-type=module', '-e', script, '--', ...argv],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        input: options.input ?? '',
        env: {
          ...process.env,
          NO_COLOR: '1',
          ...(options.trace !== undefined ? { SOCKGUARD_TRACE_MODULES: options.trace } : {}),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    return { stdout, status: 0 };
  } catch (error) {
    const e = error as { stdout: string; status: number };
    return { stdout: e.stdout, status: e.status };
  }
}

test('--body - reads the body from stdin', () => {
  const { stdout, status } = runFromSource(
    ['-c', INSPECTION, '-r', 'POST /containers/create', '--body', '-', '--json'],
    {
      input: readFileSync(join(REPO_ROOT, FIXTURE('privileged-create.json'))),
    },
  );
  assert.equal(status, 0);
  assert.equal((JSON.parse(stdout) as Match).reason_code, 'request_body_policy_denied');
});

const HEAVY =
  /src\/(policy\/(body\/inspect-|body\/compile-body-policy|clients\/compile-clients)|cases\/explain-full-request)/;

test('--request stays light: the body and client cores load only when a request needs them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-trace-'));
  try {
    const loaded = (argv: string[]) => {
      const log = join(dir, `${argv.join('_').replace(/[^a-z0-9]/gi, '')}.log`);
      writeFileSync(log, '');
      assert.equal(runFromSource(['-c', INSPECTION, ...argv], { trace: log }).status, 0);
      return readFileSync(log, 'utf8');
    };
    assert.doesNotMatch(loaded(['-r', 'GET /_ping', '-r', 'DELETE /containers/x']), HEAVY);
    assert.match(loaded(['-r', 'POST /containers/create']), HEAVY);
    assert.match(loaded(['-r', 'GET /_ping', '--client-ip', '10.1.0.1']), HEAVY);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- the real binary -----------------------------------------------------------------------------

const BUILT = existsSync(join(REPO_ROOT, 'dist/commands/test.js'));

test(
  'end to end: bin/run.js test (compiled, lazy imports resolve)',
  { skip: !BUILT && 'run npm run build first' },
  () => {
    const stdout = execFileSync(
      process.execPath,
      [
        join(REPO_ROOT, 'bin/run.js'),
        'test',
        '-c',
        DEFAULTS,
        '--env',
        'CONTAINERS=1',
        '-r',
        'GET /v1.45/containers/json',
        '--json',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    assert.equal(stdout, readFileSync(join(GOLDEN, 'compat.json'), 'utf8'));
    const suite = execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'bin/run.js'), 'test', '--cases', 'examples/traefik.cases.yaml'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    assert.match(suite, /\d+ passed, 0 failed\n$/);
  },
);

// --- owner isolation and the response policy ------------------------------------------------------

const OWNED = (name: string) => `fixtures/cases/ownership/${name}`;
const OWNED_POLICY = OWNED('policy.yaml');

test('ownership: what serve does with each kind of request, offline (golden)', async () => {
  const requests = [
    'GET /v1.45/containers/json?all=1',
    'POST /containers/web/start',
    'GET /containers/x/checkpoints',
    'GET /images/x/attestations?statement=1',
    'GET /images/x/attestations',
    'GET /_ping',
  ];
  const argv = ['-c', OWNED_POLICY, ...requests.flatMap((r) => ['-r', r])];
  const text = await sockguardTest(...argv);
  assert.equal(text.exitCode, 0, text.stderr);
  assertGolden('ownership.txt', text.stdout);
  const result = await sockguardTest(...argv, '--json');
  assertGolden('ownership.json', result.stdout);
  const decisions = (JSON.parse(result.stdout) as Match[]).map((m) => [m.decision, m.reason_code]);
  assert.deepEqual(decisions, [
    ['allow', undefined],
    ['allow', undefined],
    ['deny', 'owner_policy_denied_access'],
    ['deny', 'attestation_statements_denied'],
    ['allow', undefined],
    ['allow', undefined],
  ]);
});

test('ownership: a create with --body shows the stamped body and the references serve checks (golden)', async () => {
  const argv = ['-c', OWNED_POLICY, '-r', 'POST /containers/create', '--body', OWNED('create.json')];
  const text = await sockguardTest(...argv);
  assert.equal(text.exitCode, 0, text.stderr);
  assertGolden('ownership-create.txt', text.stdout);
  assertGolden('ownership-create.json', (await sockguardTest(...argv, '--json')).stdout);
});

test('ownership: --expect sees the offline owner denial', async () => {
  const result = await sockguardTest('-c', OWNED_POLICY, '-r', 'GET /containers/x/checkpoints', '--expect', 'allow');
  assert.equal(result.exitCode, 1);
  assert.match(result.stderr, /expected allow, got deny/);
});

test('--response: list filtered, inspect hidden, env redacted, refused responses (golden)', async () => {
  const run = async (name: string, request: string, response: string, ...extra: string[]) => {
    const argv = ['-c', OWNED_POLICY, '-r', request, '--response', OWNED(response), ...extra];
    const text = await sockguardTest(...argv);
    assert.equal(text.exitCode, 0, text.stderr);
    assertGolden(`${name}.txt`, text.stdout);
    const result = await sockguardTest(...argv, '--json');
    assertGolden(`${name}.json`, result.stdout);
    return (JSON.parse(result.stdout) as { response?: { outcome: string; status: number } }).response;
  };
  const list = await run('response-list', 'GET /containers/json', 'containers.json');
  assert.deepEqual([list?.outcome, list?.status], ['rewritten', 200]);
  const profile = await run('response-list-profile', 'GET /containers/json', 'containers.json', '--profile', 'ci');
  assert.equal(profile?.outcome, 'rewritten');
  assert.equal((await run('response-hidden', 'GET /containers/web-3/json', 'inspect-dev.json'))?.status, 404);
  assert.equal(
    (await run('response-redacted', 'GET /containers/web-1/json', 'inspect-prod.json'))?.outcome,
    'rewritten',
  );
  const rejected = await run('response-rejected', 'GET /containers/json', 'create.json');
  assert.deepEqual([rejected?.outcome, rejected?.status], ['rejected', 502]);
  const upstreamError = await run('response-404', 'GET /containers/x/json', 'create.json', '--status', '404');
  assert.deepEqual([upstreamError?.outcome, upstreamError?.status], ['unchanged', 404]);
});

test('--response is not used for a denied request, and --status needs --response', async () => {
  const denied = await sockguardTest(
    '-c',
    OWNED_POLICY,
    '-r',
    'DELETE /containers/x',
    '--response',
    OWNED('containers.json'),
    '--json',
  );
  const match = JSON.parse(denied.stdout) as { response?: unknown; notes?: string[] };
  assert.equal(match.response, undefined);
  assert.ok(match.notes?.some((n) => n.includes('never forwards it')));
  const status = await sockguardTest('-c', OWNED_POLICY, '-r', 'GET /_ping', '--status', '404');
  assert.equal(status.exitCode, 2);
  const missing = await sockguardTest('-c', OWNED_POLICY, '-r', 'GET /_ping', '--response', OWNED('nope.json'));
  assert.equal(missing.exitCode, 2);
  assert.match(missing.stderr, /--response.*no such file/);
});
