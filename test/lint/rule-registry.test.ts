import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CATALOG } from '../../src/lint/diagnostic-catalog.js';
import { LINT_RULES } from '../../src/lint/rule-registry.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

test('every module in src/lint/rules is registered once, under its file name', () => {
  const files = readdirSync(join(REPO_ROOT, 'src/lint/rules'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
  assert.deepEqual(LINT_RULES.map((r) => r.id).sort(), files);
});

test('codes are <family>/<id> in one of three families; ids are kebab-case', () => {
  for (const rule of LINT_RULES) {
    assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
    assert.match(rule.code, new RegExp(`^(rule|exposure|policy)/${rule.id}$`));
  }
});

test('the diagnostic catalog describes every code once, with a summary and help text', () => {
  const codes = DIAGNOSTIC_CATALOG.map((c) => c.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const rule of LINT_RULES) assert.ok(codes.includes(rule.code), rule.code);
  for (const entry of DIAGNOSTIC_CATALOG) {
    assert.ok(entry.summary.length > 10 && entry.help.length > 40, `${entry.code} is described`);
  }
});
