/**
 * Golden fixtures for every lint rule: fixtures/policies/<rule-id>/{valid,invalid}/*.yaml, each
 * with the expected JSON report next to it (<name>.diagnostics.json). Valid fixtures must not
 * trigger their rule, invalid ones must; both must match their golden report exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import { LINT_RULES } from '../../src/lint/rule-registry.js';
import { renderDiagnosticsJson } from '../../src/render/diagnostics-json.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { assertGolden } from '../helpers/golden.js';

const FIXTURES = 'fixtures/policies';

function yamlFiles(dir: string): string[] {
  const absolute = join(REPO_ROOT, dir);
  return existsSync(absolute)
    ? readdirSync(absolute)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : [];
}

test('every fixture directory belongs to a registered rule', () => {
  const ids = new Set<string>(LINT_RULES.map((r) => r.id));
  for (const dir of readdirSync(join(REPO_ROOT, FIXTURES))) assert.ok(ids.has(dir), `${dir} is not a lint rule id`);
});

for (const rule of LINT_RULES) {
  for (const kind of ['valid', 'invalid'] as const) {
    const dir = `${FIXTURES}/${rule.id}/${kind}`;
    test(`${rule.id}: ${kind} fixtures`, () => {
      const files = yamlFiles(dir);
      assert.ok(files.length > 0, `${dir} has no fixtures`);
      for (const name of files) {
        const file = `${dir}/${name}`;
        const diagnostics = lintPolicyText(readFileSync(join(REPO_ROOT, file), 'utf8'), { file });
        const own = diagnostics.filter((d) => d.code === rule.code);
        if (kind === 'valid') assert.deepEqual(own, [], `${file} must not trigger ${rule.code}`);
        else assert.ok(own.length > 0, `${file} must trigger ${rule.code}`);
        for (const d of own) assert.ok(d.range, `${file}: ${rule.code} finding without a source range`);
        const golden = join(REPO_ROOT, dir, name.replace(/\.yaml$/, '.diagnostics.json'));
        assertGolden(golden, `${renderDiagnosticsJson([{ file, diagnostics }])}\n`);
      }
    });
  }
}
