/**
 * `sockguard migrate` through oclif, in-process: exit codes, what is (not) written, the JSON report,
 * non-compose inputs, input errors, and the done criterion: every compose example of the
 * reference gets a lint-clean policy, a diff that applies, and zero unexplained parity differences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import Migrate from '../../src/commands/migrate.js';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import { POLICY_MOUNT_TARGET, SOCKGUARD_IMAGE } from '../../src/migrate/service-change.js';
import type { MigrationJson } from '../../src/render/migration-report.js';
import { assertGolden } from '../helpers/golden.js';
import { REPO_ROOT, runCommand } from '../helpers/run-cli.js';

const migrate = (...argv: string[]) => runCommand(Migrate, argv);
const FIXTURES = join(REPO_ROOT, 'fixtures/compose');
const EXAMPLES = join(REPO_ROOT, '../shared/reference/compose-examples');

const TECNATIVA = `services:
  proxy:
    image: tecnativa/docker-socket-proxy:0.4.1
    environment:
      - CONTAINERS=1
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock:ro
`;

/** Runs `fn` with a fresh temporary directory holding `files` as the working directory. */
async function inDirectory<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-migrate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  process.chdir(dir);
  try {
    return await fn(dir);
  } finally {
    process.chdir(REPO_ROOT);
    rmSync(dir, { recursive: true, force: true });
  }
}

const listing = (dir: string) => readdirSync(dir).sort();

async function json(...argv: string[]): Promise<MigrationJson> {
  const result = await migrate(...argv, '--json');
  assert.equal(result.exitCode, 0, result.stderr);
  return JSON.parse(result.stdout) as MigrationJson;
}

test('the default run reports, writes nothing and exits 0', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA }, async (dir) => {
    const result = await migrate('compose.yml');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^proxy proxy \(tecnativa\/docker-socket-proxy:0\.4\.1\) → Sockguard\n/);
    assert.match(result.stdout, /\npolicy {4}sockguard\.yaml \(not written: add --out\)\n/);
    assert.match(result.stdout, /\n\+ {4}image: codeswhat\/sockguard:1\.7\n/);
    assert.match(result.stdout, /\nparity {4}[\d,]+ requests — .* 0 unexplained\n/);
    assert.match(result.stdout, /\nnext steps\n {2}sockguard migrate compose\.yml --write$/m);
    assert.deepEqual(listing(dir), ['compose.yml']);
  });
});

test('without a file argument, the compose file docker compose would use is read', async () => {
  await inDirectory({ 'docker-compose.yml': TECNATIVA }, async () => {
    const report = await json();
    assert.deepEqual(report.plans[0]?.compose.files, ['docker-compose.yml']);
  });
  await inDirectory({}, async () => {
    const result = await migrate();
    assert.equal(result.exitCode, 2);
    assert.match(
      result.stderr,
      /^sockguard: no compose file given and none of compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml here/,
    );
  });
});

test('--json: the whole report, golden', async () => {
  const dir = join(FIXTURES, 'tecnativa-dozzle-published-port');
  process.chdir(dir);
  try {
    const result = await migrate('compose.yml', '--json');
    assert.equal(result.exitCode, 0, result.stderr);
    assertGolden(join(dir, 'expected.migrate.json'), result.stdout);
  } finally {
    process.chdir(REPO_ROOT);
  }
});

test('--verify adds every difference to the JSON and the grouped table to the text', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA }, async () => {
    const report = await json('compose.yml', '--verify');
    const parity = report.plans[0]!.parity as { groups: unknown[]; differences: { explained_by: string[] }[] };
    assert.ok(parity.differences.length > 0);
    assert.ok(parity.differences.every((d) => d.explained_by.length > 0));
    const text = await migrate('compose.yml', '--verify');
    assert.match(text.stdout, /\nchange +count +endpoint +explained by +example\n/);
  });
});

test('--strict exits 1 on any warning; with only info it exits 0', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA, 'clean.list': 'GET %API_PREFIX_CONTAINERS%/json\n' }, async () => {
    assert.equal((await migrate('compose.yml', '--strict')).exitCode, 1);
    const clean = await migrate(
      '--from',
      'cetusguard',
      'clean.list',
      '--args',
      '-frontend-addr=unix:///run/cg/docker.sock -no-builtin-rules',
      '--strict',
    );
    assert.equal(clean.exitCode, 0, clean.stdout);
    assert.match(clean.stdout, /warnings {2}\d+ info\n/);
  });
});

test('--out writes the policy, refuses to overwrite without --force, and keeps a .bak with it', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA }, async (dir) => {
    const first = await migrate('compose.yml', '--out', 'policy.yaml');
    assert.equal(first.exitCode, 0, first.stderr);
    const policy = readFileSync(join(dir, 'policy.yaml'), 'utf8');
    assert.deepEqual(
      lintPolicyText(policy).filter((d) => d.severity === 'error'),
      [],
    );
    assert.match(first.stdout, /\npolicy {4}policy\.yaml \(written\)\n/);
    assert.deepEqual(listing(dir), ['compose.yml', 'policy.yaml']);

    writeFileSync(join(dir, 'policy.yaml'), '# mine\n');
    const refused = await migrate('compose.yml', '--out', 'policy.yaml');
    assert.equal(refused.exitCode, 2);
    assert.equal(refused.stderr, 'sockguard: policy.yaml exists; pass --force to overwrite it (a .bak copy is kept)\n');
    assert.equal(readFileSync(join(dir, 'policy.yaml'), 'utf8'), '# mine\n');

    const forced = await migrate('compose.yml', '--out', 'policy.yaml', '--force');
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.equal(readFileSync(join(dir, 'policy.yaml.bak'), 'utf8'), '# mine\n');
    assert.equal(readFileSync(join(dir, 'policy.yaml'), 'utf8'), policy);
  });
});

test('--write applies the change keeping <file>.bak, writes the mounted policy, and refuses an existing .bak', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA }, async (dir) => {
    const result = await migrate('compose.yml', '--write');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(listing(dir), ['compose.yml', 'compose.yml.bak', 'sockguard.yaml']);
    assert.equal(readFileSync(join(dir, 'compose.yml.bak'), 'utf8'), TECNATIVA);
    const after = readFileSync(join(dir, 'compose.yml'), 'utf8');
    assert.match(after, /image: codeswhat\/sockguard:1\.7\n/);
    assert.match(after, /- \.\/sockguard\.yaml:\/etc\/sockguard\/sockguard\.yaml:ro\n/);
    assert.match(result.stdout, /compose {3}compose\.yml \(applied, \.bak kept\)/);
    assert.match(
      result.stdout,
      /next steps\n {2}sockguard lint sockguard\.yaml\n {2}docker compose -f compose\.yml up -d proxy$/m,
    );

    // The original is back and the .bak is still there: refuse rather than lose the first backup.
    writeFileSync(join(dir, 'compose.yml'), TECNATIVA);
    rmSync(join(dir, 'sockguard.yaml'));
    const refused = await migrate('compose.yml', '--write');
    assert.equal(refused.exitCode, 2);
    assert.equal(refused.stderr, 'sockguard: compose.yml.bak exists; pass --force to replace it\n');
    assert.equal(readFileSync(join(dir, 'compose.yml'), 'utf8'), TECNATIVA);
    assert.ok(!existsSync(join(dir, 'sockguard.yaml')), 'nothing is written when one output is refused');
  });
});

test('several -f files are merged like docker compose; a second proxy gets its own policy file', async () => {
  const override =
    'services:\n  proxy:\n    environment:\n      - INFO=1\n  other:\n    image: wollomatic/socket-proxy:1.13.1\n    command: ["-allowGET=/_ping"]\n';
  await inDirectory({ 'compose.yml': TECNATIVA, 'compose.override.yml': override }, async () => {
    const report = await json('-f', 'compose.yml', '-f', 'compose.override.yml');
    assert.deepEqual(
      report.plans.map((p) => [p.service, p.source, p.policy.path]),
      [
        ['proxy', 'tecnativa', 'sockguard.proxy.yaml'],
        ['other', 'wollomatic', 'sockguard.other.yaml'],
      ],
    );
    assert.match(report.plans[0]!.policy.text, /# INFO=1\n/);
    // The override file's INFO entry is removed there; the image is replaced where it is written.
    assert.deepEqual(report.plans[0]!.compose.files, ['compose.yml', 'compose.override.yml']);
  });
});

test('compose --env-file replaces the .env beside the file for interpolation', async () => {
  const text =
    'services:\n  proxy:\n    image: tecnativa/docker-socket-proxy:${TAG}\n    environment:\n      - CONTAINERS=${READ}\n';
  await inDirectory(
    { 'compose.yml': text, '.env': 'TAG=0.1.1\nREAD=0\n', 'vars.env': 'TAG=0.4.1\nREAD=1\n' },
    async () => {
      const dotenv = (await json('compose.yml')).plans[0]!;
      assert.equal(dotenv.release.version, '0.1.1');
      assert.doesNotMatch(dotenv.policy.text, /# CONTAINERS=1/);
      const flagged = (await json('compose.yml', '--env-file', 'vars.env')).plans[0]!;
      assert.equal(flagged.release.version, '0.4.1');
      assert.match(flagged.policy.text, /# CONTAINERS=1/);
    },
  );
});

test('--service picks one proxy, --source forces the translator', async () => {
  const text = `${TECNATIVA}  custom:\n    image: mycorp/docker-proxy:1\n    environment: [CONTAINERS=1]\n`;
  await inDirectory({ 'compose.yml': text }, async () => {
    assert.deepEqual(
      (await json('compose.yml', '--service', 'custom', '--source', 'tecnativa')).plans.map((p) => [
        p.service,
        p.forced,
      ]),
      [['custom', true]],
    );
    const refused = await migrate('compose.yml', '--service', 'custom');
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /service custom runs mycorp\/docker-proxy:1, which is none of the proxies/);
  });
});

test('no proxy service: exit 2 and the services with their images', async () => {
  await inDirectory({ 'compose.yml': 'services:\n  web:\n    image: nginx\n' }, async () => {
    const result = await migrate('compose.yml');
    assert.equal(result.exitCode, 2);
    assert.equal(
      result.stderr,
      'sockguard: no socket proxy service found in compose.yml; services: web (nginx). Pass --service NAME --source SOURCE to migrate a service whose image is not recognised.\n',
    );
    assert.equal(result.stdout, '');
  });
});

test('a compose file that does not parse: one line with file:line:col, exit 2, no stack trace', async () => {
  const broken = 'services:\n  proxy:\n    image: tecnativa/docker-socket-proxy\n    image: other\n';
  await inDirectory({ 'compose.yml': broken }, async () => {
    const result = await migrate('compose.yml');
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^sockguard: compose\.yml:4:5: .*\(yaml\/duplicate-key\)\n$/);
  });
  const missing = await migrate('nowhere.yml');
  assert.equal(missing.exitCode, 2);
  assert.equal(missing.stderr, 'sockguard: nowhere.yml: no such file\n');
});

test('--from tecnativa --env-file: warnings point into the env file; --out writes the policy', async () => {
  await inDirectory({ 'proxy.env': 'CONTAINERS=true\nPOST=0\n' }, async (dir) => {
    const report = await json(
      '--from',
      'tecnativa',
      '--env-file',
      'proxy.env',
      '--image',
      'tecnativa/docker-socket-proxy:0.4.1',
    );
    const [plan] = report.plans;
    assert.equal(plan?.service, 'tecnativa');
    assert.equal(plan?.release.version, '0.4.1');
    assert.deepEqual(plan?.compose, { files: [], written: false, diff: '' });
    const off = plan?.warnings.find((w) => w.code === 'migrate/haproxy/true-means-off');
    assert.deepEqual(off && [off.file, off.range?.start.line], ['proxy.env', 1]);
    const text = await migrate('--from', 'tecnativa', '--env-file', 'proxy.env');
    assert.match(
      text.stdout,
      /^source {4}Tecnativa \(forced by --source\/--from\), newest release assumed: .* \(pass --image to pin the release\)$/m,
    );
    assert.match(
      text.stdout,
      /\n {2}proxy\.env:1:1 {2}warning {2}CONTAINERS=true is OFF.*\n {2}> 1 \| CONTAINERS=true\n/,
    );
    assert.match(
      text.stdout,
      /next steps\n {2}sockguard migrate --from tecnativa --env-file proxy\.env --out sockguard\.yaml$/m,
    );
    assert.equal((await migrate('--from', 'tecnativa', '--env-file', 'proxy.env', '--out', 'p.yaml')).exitCode, 0);
    assert.deepEqual(listing(dir), ['p.yaml', 'proxy.env']);
  });
});

test('--from wollomatic --args: positions are columns inside --args, shown with a code frame', async () => {
  const args = "-listenip=0.0.0.0 -allowfrom=traefik '-allowGET=/v1\\..{1,2}/(version|containers/.*)'";
  await inDirectory({}, async () => {
    const report = await json('--from', 'wollomatic', '--args', args);
    const hostname = report.plans[0]!.warnings.find((w) => w.code === 'migrate/hostname-admission');
    assert.deepEqual(hostname && [hostname.file, hostname.range], [
      '--args',
      { start: { line: 1, col: 19 }, end: { line: 1, col: 37 } },
    ]);
    const text = await migrate('--from', 'wollomatic', `--args=${args}`);
    assert.match(
      text.stdout,
      /\n {2}--args:1:19 {2}warning {2}-allowfrom=traefik: .*\n {2}> 1 \| -listenip=0\.0\.0\.0 -allowfrom=traefik /,
    );
  });
});

test('--from cetusguard rules.list: rules read from the file, warnings at its lines', async () => {
  await inDirectory(
    { 'rules.list': '! containers\nGET %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json\n' },
    async () => {
      const report = await json('--from', 'cetusguard', 'rules.list');
      assert.match(report.plans[0]!.policy.text, /path: \/containers\/\*\/json \}/);
      const inexact = report.plans[0]!.warnings.find((w) => w.code === 'migrate/regex-not-exact');
      assert.deepEqual(inexact && [inexact.file, inexact.range?.start.line], ['rules.list', 2]);
    },
  );
});

test('input and flag mistakes: exit 2 with one line naming the flag', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA, 'p.env': 'CONTAINERS=1\n' }, async () => {
    const table: [string[], RegExp][] = [
      [['--from', 'tecnativa'], /^sockguard: --from: needs the proxy configuration/],
      [['--from', 'tecnativa', 'p.env'], /^sockguard: --from: tecnativa has no rules file/],
      [
        ['--from', 'tecnativa', '--env-file', 'p.env', '-f', 'compose.yml'],
        /^sockguard: --file: compose files cannot be combined with --from/,
      ],
      [
        ['--from', 'tecnativa', '--env-file', 'p.env', '--service', 'x'],
        /^sockguard: --service: applies to compose input/,
      ],
      [['compose.yml', '--args', '-x'], /^sockguard: --args: only with --from/],
      [
        ['--from', 'wollomatic', '--args', '-allowGET=/(a|b)'],
        /^sockguard: --args: unexpected "\(" at offset 11 \(it is split like a compose command string: quote/,
      ],
      [
        ['compose.yml', '--answer', 'nonsense'],
        /^sockguard: --answer: expected \[service:\]choice=value, got "nonsense"/,
      ],
      [
        ['compose.yml', '--interactive'],
        /^sockguard: --interactive: needs a terminal on standard input; answer with --answer instead/,
      ],
      [['compose.yml', '--source', 'nope'], /Expected --source=nope to be one of/],
    ];
    for (const [argv, message] of table) {
      const result = await migrate(...argv);
      assert.equal(result.exitCode, 2, argv.join(' '));
      assert.match(result.stderr, message, argv.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});

test('--answer applies a choice, and --keep-exfiltration keeps the endpoints with the acknowledgement', async () => {
  await inDirectory({ 'compose.yml': TECNATIVA }, async () => {
    const answered = await json('compose.yml', '--answer', 'proxy:keep-read-exfiltration=keep');
    assert.equal(answered.plans[0]!.choices[0]!.applied, 'keep');
    assert.match(answered.plans[0]!.policy.text, /^insecure_allow_read_exfiltration: true$/m);
    const kept = await json('compose.yml', '--keep-exfiltration');
    assert.match(kept.plans[0]!.policy.text, /^insecure_allow_read_exfiltration: true$/m);
    const safe = await json('compose.yml');
    assert.doesNotMatch(safe.plans[0]!.policy.text, /insecure_allow_read_exfiltration/);
  });
});

// --- the done criterion ------------------------------------------------------------------------

const examples = existsSync(EXAMPLES)
  ? readdirSync(EXAMPLES)
      .filter((f) => f.endsWith('.yml'))
      .sort()
  : [];

test(
  'the reference compose examples are all in fixtures/compose (so their goldens cover them)',
  { skip: examples.length === 0 && 'reference not present' },
  () => {
    const copies = readdirSync(FIXTURES).map((name) => readFileSync(join(FIXTURES, name, 'compose.yml'), 'utf8'));
    for (const example of examples) {
      assert.ok(copies.includes(readFileSync(join(EXAMPLES, example), 'utf8')), `${example} has no fixture copy`);
    }
  },
);

for (const example of examples) {
  test(`newcomer: sockguard migrate ${example} --verify gives a lint-clean policy, a diff that applies, zero unexplained`, async () => {
    await inDirectory({ 'compose.yml': readFileSync(join(EXAMPLES, example), 'utf8') }, async (dir) => {
      const before = readFileSync(join(dir, 'compose.yml'), 'utf8');
      const report = await json('compose.yml', '--verify');
      assert.ok(report.plans.length > 0);
      let patched = before;
      for (const plan of report.plans) {
        assert.deepEqual(
          lintPolicyText(plan.policy.text).filter((d) => d.severity === 'error'),
          [],
          `${plan.service}: lint errors`,
        );
        assert.ok('summary' in plan.parity);
        assert.deepEqual(plan.parity.summary.unexplained, { tightened: 0, loosened: 0 });
        const applied = applyPatch(patched, plan.compose.diff);
        assert.ok(typeof applied === 'string', 'the diff applies to the file');
        patched = applied;
      }
      // --write does exactly what the diff shows, and the result runs Sockguard with the policy mounted.
      const written = await migrate('compose.yml', '--write');
      assert.equal(written.exitCode, 0, written.stderr);
      const after = readFileSync(join(dir, 'compose.yml'), 'utf8');
      assert.equal(after, patched);
      const { project } = parseComposeFiles([{ path: 'compose.yml', text: after }], { env: {} });
      for (const plan of report.plans) {
        const service = project?.services.find((s) => s.name === plan.service);
        assert.equal(service?.image?.value, SOCKGUARD_IMAGE);
        const mount = service?.volumes.find((v) => v.target === POLICY_MOUNT_TARGET);
        assert.ok(mount && existsSync(join(dir, mount.source ?? '')), 'the mounted policy exists');
        assert.equal(readFileSync(join(dir, mount.source ?? ''), 'utf8'), plan.policy.text);
      }
    });
  });
}

test('the bundled example migrates cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-example-'));
  cpSync(join(REPO_ROOT, 'examples/compose'), dir, { recursive: true });
  process.chdir(dir);
  try {
    const report = await json('compose.yml');
    assert.deepEqual(
      report.plans.map((p) => [p.service, p.source]),
      [['socket-proxy', 'tecnativa']],
    );
    const consumers = report.plans[0]!.warnings.filter((w) => w.code === 'migrate/consumer-endpoint-kept');
    assert.equal(consumers.length, 2, 'Traefik and Homepage keep their endpoint');
  } finally {
    process.chdir(REPO_ROOT);
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- the real binary -----------------------------------------------------------------------------

const BUILT = existsSync(join(REPO_ROOT, 'dist/commands/migrate.js'));

test(
  'end to end: bin/run.js migrate --verify (compiled, lazy imports resolve)',
  { skip: !BUILT && 'run npm run build first' },
  () => {
    const stdout = execFileSync(
      process.execPath,
      [join(REPO_ROOT, 'bin/run.js'), 'migrate', 'examples/compose/compose.yml', '--verify'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    assert.match(stdout, /^proxy socket-proxy \(ghcr\.io\/tecnativa\/docker-socket-proxy:0\.4\.1\) → Sockguard\n/);
    assert.match(stdout, /0 unexplained\n/);
  },
);
