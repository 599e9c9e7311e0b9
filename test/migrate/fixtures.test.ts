/**
 * Golden migrations: every fixtures/compose/<source>-<scenario>/ holds a compose project
 * (compose.yml, optional compose.override.yml, .env, env files, rules files) and what migrating it
 * must produce: expected.policy.yaml (several proxies: one YAML document each), expected.warnings.json
 * and expected.parity.json (by service), expected.compose.diff. A missing expected file fails;
 * UPDATE_GOLDEN=1 rewrites them for review. Besides the goldens, every fixture must give a lint-clean
 * policy with no startup problems, zero unexplained parity differences, and a compose file that
 * still parses and runs Sockguard with the policy mounted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComposeService, VolumeMount } from '../../src/compose/model.js';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import { planMigration } from '../../src/migrate/plan-migration.js';
import { POLICY_MOUNT_TARGET, SOCKGUARD_IMAGE } from '../../src/migrate/service-change.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { renderComposeDiff } from '../../src/render/compose-diff.js';
import { toWarningJson } from '../../src/render/migration-report.js';
import { assertGolden } from '../helpers/golden.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const FIXTURES = join(REPO_ROOT, 'fixtures/compose');
const COMPOSE_FILES = ['compose.yml', 'compose.override.yml'];

function migrateFixture(dir: string) {
  const read = (path: string): string | undefined =>
    existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : undefined;
  const inputs = COMPOSE_FILES.flatMap((path) => {
    const text = read(path);
    return text === undefined ? [] : [{ path, text }];
  });
  const parsed = parseComposeFiles(inputs, { env: {}, readText: read });
  assert.deepEqual(
    parsed.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.ok(parsed.project);
  const plans = planMigration(parsed.project, {
    keepExfiltration: false,
    policyPath: (service, count) => (count === 1 ? 'sockguard.yaml' : `sockguard.${service}.yaml`),
    readText: read,
  });
  return { plans, read };
}

const names = readdirSync(FIXTURES).sort();

test('there is a fixture for every source', () => {
  for (const source of ['tecnativa', 'linuxserver', 'wollomatic', 'elevennotes', 'cetusguard']) {
    assert.ok(
      names.some((name) => name.startsWith(`${source}-`)),
      `no fixtures/compose/${source}-*`,
    );
  }
});

for (const name of names) {
  test(`fixtures/compose/${name}`, () => {
    const dir = join(FIXTURES, name);
    const { plans, read } = migrateFixture(dir);
    assert.ok(plans.length > 0);

    assertGolden(join(dir, 'expected.policy.yaml'), plans.map((p) => p.policyText).join('---\n'));
    const byService = <T>(f: (plan: (typeof plans)[number]) => T): Record<string, T> =>
      Object.fromEntries(plans.map((plan) => [plan.name, f(plan)]));
    assertGolden(
      join(dir, 'expected.warnings.json'),
      `${JSON.stringify(
        byService((p) => p.warnings.map(toWarningJson)),
        null,
        2,
      )}\n`,
    );
    const parity = byService((p) =>
      p.parity.kind === 'unavailable' ? { unavailable: p.parity.reason } : { summary: p.parity.result.summary },
    );
    assertGolden(join(dir, 'expected.parity.json'), `${JSON.stringify(parity, null, 2)}\n`);
    const changes = plans.flatMap((p) => p.composeChanges);
    assertGolden(join(dir, 'expected.compose.diff'), renderComposeDiff(changes));

    for (const plan of plans) {
      // Lint-clean (the pipeline refuses errors; check it independently) and startable.
      const lint = lintPolicyText(plan.policyText);
      assert.deepEqual(
        lint.filter((d) => d.severity === 'error'),
        [],
        `${plan.name}: lint errors`,
      );
      const loaded = loadPolicy(plan.policyText);
      assert.ok(loaded.policy);
      assert.deepEqual(compilePolicy(loaded.policy).startupProblems, [], `${plan.name}: startup problems`);
      if (plan.parity.kind === 'compared') {
        assert.deepEqual(
          plan.parity.result.summary.unexplained,
          { tightened: 0, loosened: 0 },
          `${plan.name}: unexplained`,
        );
      }
    }

    // The rewritten project still parses, and each proxy now runs Sockguard with its policy mounted.
    const after = new Map(changes.map((c) => [c.file, c.after]));
    const rewritten = parseComposeFiles(
      COMPOSE_FILES.flatMap((path) => {
        const text = after.get(path) ?? read(path);
        return text === undefined ? [] : [{ path, text }];
      }),
      { env: {}, readText: read },
    );
    const project = rewritten.project;
    assert.ok(project);
    for (const plan of plans) {
      const service: ComposeService | undefined = project.services.find((s) => s.name === plan.name);
      assert.equal(service?.image?.value, SOCKGUARD_IMAGE);
      const mount: VolumeMount | undefined = service?.volumes.find((v) => v.target === POLICY_MOUNT_TARGET);
      assert.equal(mount?.source, `./${plan.policyPath}`);
      assert.equal(mount?.readOnly, true);
    }
  });
}
