import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGNOSTIC_CATALOG } from '../../src/lint/diagnostic-catalog.js';
import { lintPolicyText } from '../../src/lint/lint-policy.js';
import type { Diagnostic } from '../../src/policy/diagnostic.js';
import type { FileDiagnostics } from '../../src/render/diagnostics-json.js';
import { toArtifactUri, toSarif, type SarifLog } from '../../src/render/sarif.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const tool = { name: 'sockguard', version: '0.1.0', rules: DIAGNOSTIC_CATALOG };
const LEVELS = ['none', 'note', 'warning', 'error'];

/** The SARIF 2.1.0 properties that are required, or that code-scanning services rely on. */
function assertValidSarif(log: SarifLog): void {
  const value = JSON.parse(JSON.stringify(log)) as SarifLog;
  assert.equal(value.version, '2.1.0');
  assert.equal(typeof value.$schema, 'string');
  assert.ok(Array.isArray(value.runs) && value.runs.length === 1);
  for (const run of value.runs) {
    const { driver } = run.tool;
    assert.ok(typeof driver.name === 'string' && driver.name !== '');
    const ids = driver.rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const rule of driver.rules) {
      assert.ok(typeof rule.id === 'string' && rule.id !== '');
      assert.ok(rule.shortDescription.text !== '' && rule.help.text !== '', `${rule.id} has descriptions`);
      assert.ok(LEVELS.includes(rule.defaultConfiguration.level));
    }
    assert.ok(Array.isArray(run.results));
    for (const result of run.results) {
      assert.ok(typeof result.message.text === 'string' && result.message.text !== '');
      assert.ok(LEVELS.includes(result.level));
      assert.equal(driver.rules[result.ruleIndex]?.id, result.ruleId, 'ruleIndex points at ruleId');
      for (const { physicalLocation } of result.locations) {
        assert.ok(typeof physicalLocation.artifactLocation.uri === 'string');
        const region = physicalLocation.region;
        if (!region) continue;
        assert.ok(region.startLine >= 1 && region.startColumn >= 1);
        assert.ok(region.endLine >= region.startLine && region.endColumn >= 1);
        if (region.endLine === region.startLine) assert.ok(region.endColumn >= region.startColumn);
      }
    }
  }
}

function invalidFixtures(): FileDiagnostics[] {
  const root = join(REPO_ROOT, 'fixtures/policies');
  return readdirSync(root).flatMap((rule) =>
    readdirSync(join(root, rule, 'invalid'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => {
        const file = `fixtures/policies/${rule}/invalid/${f}`;
        const source = readFileSync(join(REPO_ROOT, file), 'utf8');
        return { file, source, diagnostics: lintPolicyText(source, { file }) };
      }),
  );
}

test('lint output of every invalid fixture is valid SARIF and every code is described by the catalog', () => {
  const files = invalidFixtures();
  const log = toSarif(files, tool);
  assertValidSarif(log);
  const results = log.runs[0]!.results;
  assert.equal(results.length, files.flatMap((f) => f.diagnostics).length);
  const described = new Set(DIAGNOSTIC_CATALOG.map((c) => c.code));
  for (const result of results) assert.ok(described.has(result.ruleId), `${result.ruleId} is in the catalog`);
  assert.equal(log.runs[0]!.tool.driver.rules.length, DIAGNOSTIC_CATALOG.length);
});

test('results carry level, message, region and pointer', () => {
  const d: Diagnostic = {
    code: 'rule/shadowed',
    severity: 'info',
    message: 'm',
    pointer: '/rules/2/match/path',
    range: { start: { line: 6, col: 33 }, end: { line: 6, col: 51 } },
    suggestion: '/x',
  };
  const [result] = toSarif([{ file: 'dir/p.yaml', diagnostics: [d] }], tool).runs[0]!.results;
  assert.deepEqual(result, {
    ruleId: 'rule/shadowed',
    ruleIndex: DIAGNOSTIC_CATALOG.findIndex((c) => c.code === 'rule/shadowed'),
    level: 'note',
    message: { text: 'm' },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'dir/p.yaml' },
          region: { startLine: 6, startColumn: 33, endLine: 6, endColumn: 51 },
        },
      },
    ],
    properties: { pointer: '/rules/2/match/path', suggestion: '/x' },
  });
});

test('a code the catalog lacks still gets a descriptor, and a finding without range no region', () => {
  const d: Diagnostic = { code: 'x/unknown', severity: 'error', message: 'm', pointer: '' };
  const log = toSarif([{ file: 'p.yaml', diagnostics: [d, d] }], tool);
  assertValidSarif(log);
  const { driver } = log.runs[0]!.tool;
  assert.equal(driver.rules.length, DIAGNOSTIC_CATALOG.length + 1);
  assert.equal(log.runs[0]!.results[1]!.ruleIndex, DIAGNOSTIC_CATALOG.length);
  assert.equal(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region, undefined);
});

test('artifact URIs: relative paths stay relative, absolute become file://, special characters are escaped', () => {
  const cases: [string, string][] = [
    ['policy.yaml', 'policy.yaml'],
    ['dir\\sub\\p.yaml', 'dir/sub/p.yaml'],
    ['/etc/sockguard/sockguard.yaml', 'file:///etc/sockguard/sockguard.yaml'],
    ['my policy#1?.yaml', 'my%20policy%231%3F.yaml'],
  ];
  for (const [file, uri] of cases) assert.equal(toArtifactUri(file), uri, file);
});
