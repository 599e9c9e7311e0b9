import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { MigrationPlan } from '../../src/migrate/migration-plan.js';
import { planMigration } from '../../src/migrate/plan-migration.js';
import type { Diagnostic } from '../../src/policy/diagnostic.js';
import { renderMigrationReport, toMigrationJson } from '../../src/render/migration-report.js';

const TEXT = `services:
  proxy:
    image: tecnativa/docker-socket-proxy:0.4.1
    environment:
      - CONTAINERS=1
    ports:
      - 2375:2375
  app:
    image: app
    environment:
      DOCKER_HOST: tcp://proxy:2375
`;
const { project } = parseComposeFiles([{ path: 'compose.yml', text: TEXT }], { env: {} });
assert.ok(project);
const [PLAN] = planMigration(project, {
  keepExfiltration: false,
  policyPath: () => 'sockguard.yaml',
  readText: (path) => (path === 'compose.yml' ? TEXT : undefined),
});
assert.ok(PLAN);
const SOURCES = new Map([['compose.yml', TEXT]]);
const ESC = '\u001b[';

/** Section headers in the order they appear (lines starting with a known word). */
function sections(report: string): string[] {
  return report
    .split('\n')
    .map((line) => /^(proxy|source|policy|warnings|choices|lint|compose|parity|next steps|input)\b/.exec(line)?.[1])
    .filter((s): s is string => s !== undefined);
}

test('one block per proxy: source, policy, warnings, choices, lint, compose diff, parity; then next steps', () => {
  const report = renderMigrationReport([PLAN], { sources: SOURCES, next: ['sockguard migrate compose.yml --write'] });
  assert.deepEqual(sections(report), [
    'proxy',
    'source',
    'policy',
    'warnings',
    'choices',
    'lint',
    'compose',
    'parity',
    'next steps',
  ]);
  assert.match(
    report,
    /^proxy proxy \(tecnativa\/docker-socket-proxy:0\.4\.1\) → Sockguard\nsource {4}Tecnativa: release v0\.4\.1\n/,
  );
  assert.match(report, /policy {4}sockguard\.yaml \(not written: add --out\)\n\n {4}# Sockguard policy generated/);
  assert.match(
    report,
    /compose {3}compose\.yml \(not applied: add --write\)\n\n--- compose\.yml\n\+\+\+ compose\.yml\n/,
  );
  assert.match(
    report,
    /parity {4}[\d,]+ requests — [\d,]+ identical, [\d,]+ tightened \(explained\), 0 loosened, 0 unexplained\n/,
  );
  assert.match(report, /next steps\n {2}sockguard migrate compose\.yml --write$/);
  assert.ok(!report.includes(ESC), 'no colour unless asked');
});

test('warnings: counted, grouped by severity, each with file:line:col, message, code and a code frame', () => {
  const report = renderMigrationReport([PLAN], { sources: SOURCES });
  const warnings = report.slice(report.indexOf('\nwarnings'), report.indexOf('\nchoices'));
  assert.match(warnings, /^\nwarnings {2}\d+ warnings, \d+ info\n/);
  const headers = warnings.split('\n').filter((line) => /^ {2}(compose\.yml|\(no position\))/.test(line));
  const severities = headers.map((line) => / {2}(error|warning|info) {2}/.exec(line)?.[1]);
  assert.deepEqual(
    severities,
    [...severities].sort((a, b) => ['error', 'warning', 'info'].indexOf(a!) - ['error', 'warning', 'info'].indexOf(b!)),
  );
  assert.match(
    warnings,
    / {2}compose\.yml:7:9 {2}warning {2}Port 2375 is published .* {2}migrate\/port-published-all-interfaces\n {4}6 \| {5}ports:\n {2}> 7 \| {7}- 2375:2375\n {6}\| {9}\^{9}\n/,
  );
  assert.match(
    warnings,
    / {2}\(no position\) {2}info {2}Sockguard rejects request-targets .* {2}migrate\/non-canonical-target-rejected/,
  );
});

test('warnings about the same place share one code frame, under the last of a run of them', () => {
  const report = renderMigrationReport([PLAN], { sources: SOURCES });
  const lines = report.split('\n');
  const places = lines.filter((line) => /^ {2}compose\.yml:\d+:\d+ {2}/.test(line)).map((line) => line.split('  ')[1]);
  assert.ok(places.filter((p) => p === 'compose.yml:3:12').length >= 2, 'several warnings point at the image line');
  const runs = places.filter((p, i) => p === 'compose.yml:3:12' && places[i + 1] !== p).length;
  assert.equal(lines.filter((line) => line === '  > 3 |     image: tecnativa/docker-socket-proxy:0.4.1').length, runs);
});

test('a written policy shows its path only; an applied compose change says so', () => {
  const report = renderMigrationReport([PLAN], {
    sources: SOURCES,
    writtenPolicies: new Set(['sockguard.yaml']),
    composeWritten: true,
  });
  assert.match(report, /policy {4}sockguard\.yaml \(written\)\n\nwarnings/);
  assert.match(report, /compose {3}compose\.yml \(applied, \.bak kept\)/);
});

test('the answered choice is marked as such, the alternatives listed', () => {
  const answered: MigrationPlan = { ...PLAN, choices: PLAN.choices.map((c) => ({ ...c, applied: 'keep' })) };
  const report = renderMigrationReport([answered]);
  assert.match(report, /→ Keep them, as answered: keep them allowed/);
  assert.match(report, / {6}or Withhold them \(safe\): deny rules/);
});

test('parity: --verify prints the table; unexplained differences are always listed, loudly', () => {
  assert.ok(PLAN.parity.kind === 'compared');
  const verified = renderMigrationReport([PLAN], { verify: true });
  assert.match(verified, /\nparity {4}[\d,]+ requests[^\n]*\n\nchange +count +endpoint +explained by +example\n/);
  const { result } = PLAN.parity;
  const rows = result.rows.map((row) => (row.change === 'tightened' ? { ...row, explainedBy: [] } : row));
  const unexplained = result.summary.tightened;
  const broken: MigrationPlan = {
    ...PLAN,
    parity: {
      kind: 'compared',
      result: { rows, summary: { ...result.summary, unexplained: { tightened: unexplained, loosened: 0 } } },
    },
  };
  const report = renderMigrationReport([broken], { color: true });
  assert.match(
    report,
    new RegExp(`${unexplained.toLocaleString('en-US')} differences no warning announces \\(a translator bug`),
  );
  assert.match(report, /tightened \d+× [A-Z]+ \S+/);
  assert.ok(report.includes(`${ESC}31m`), 'in red');
});

test('parity that could not be checked says why', () => {
  const report = renderMigrationReport([{ ...PLAN, parity: { kind: 'unavailable', reason: 'nginx era' } }]);
  assert.match(report, /parity {4}not checked: nginx era/);
});

test('input findings come first, with their code frame', () => {
  const input: Diagnostic[] = [
    {
      code: 'compose/unset-variable',
      severity: 'warning',
      message: 'TAG is not set; using an empty string',
      pointer: '/services/proxy/image',
      file: 'compose.yml',
      range: { start: { line: 3, col: 12 }, end: { line: 3, col: 20 } },
    },
  ];
  const report = renderMigrationReport([PLAN], { sources: SOURCES, input });
  assert.deepEqual(sections(report).slice(0, 2), ['input', 'proxy']);
  assert.match(
    report,
    /^input\n\n {2}compose\.yml:3:12 {2}warning {2}TAG is not set; using an empty string {2}compose\/unset-variable\n/,
  );
});

test('JSON: the whole report, parity rows only with --verify', () => {
  const json = toMigrationJson([PLAN], { next: ['x'], writtenPolicies: new Set(['sockguard.yaml']) });
  assert.deepEqual(Object.keys(json), ['input', 'plans', 'next']);
  const [plan] = json.plans;
  assert.ok(plan);
  assert.deepEqual(Object.keys(plan), [
    'service',
    'source',
    'image',
    'repository',
    'forced',
    'release',
    'policy',
    'choices',
    'warnings',
    'lint',
    'compose',
    'parity',
  ]);
  assert.deepEqual(plan.policy, { path: 'sockguard.yaml', written: true, text: PLAN.policyText });
  assert.deepEqual(plan.release, { version: '0.4.1', era: '0.1.2', assumed: false, note: 'release v0.4.1' });
  assert.deepEqual(Object.keys(plan.parity), ['summary']);
  assert.equal(plan.compose.written, false);
  assert.match(plan.compose.diff, /^--- compose\.yml\n/);
  const port = plan.warnings.find((w) => w.code === 'migrate/port-published-all-interfaces');
  assert.deepEqual(port && { origin: port.origin, file: port.file, range: port.range }, {
    origin: 'ports:0',
    file: 'compose.yml',
    range: { start: { line: 7, col: 9 }, end: { line: 7, col: 18 } },
  });
  const verified = toMigrationJson([PLAN], { verify: true }).plans[0]!;
  assert.deepEqual(Object.keys(verified.parity), ['summary', 'groups', 'differences']);
  const unavailable = toMigrationJson([{ ...PLAN, parity: { kind: 'unavailable', reason: 'r' } }]).plans[0]!;
  assert.deepEqual(unavailable.parity, { unavailable: 'r' });
});
