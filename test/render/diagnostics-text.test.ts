import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/policy/diagnostic.js';
import { renderDiagnosticsText, renderSummary } from '../../src/render/diagnostics-text.js';

const source = 'rules:\n  - match: { method: GETT, path: /x }\n    action: allow\n';
const error: Diagnostic = {
  code: 'rule/unknown-method',
  severity: 'error',
  message: 'rule 1: method "GETT" is not an HTTP method',
  pointer: '/rules/0/match/method',
  range: { start: { line: 2, col: 22 }, end: { line: 2, col: 26 } },
};
const warning: Diagnostic = { code: 'schema/unknown-key', severity: 'warning', message: 'unknown key', pointer: '/x' };
const info: Diagnostic = { ...warning, code: 'schema/not-implemented', severity: 'info', message: 'not enforced' };

test('each finding: file:line:col  severity  message  code, then its code frame', () => {
  const text = renderDiagnosticsText([{ file: 'p.yaml', source, diagnostics: [error, warning] }]);
  assert.equal(
    text,
    [
      'p.yaml:2:22  error  rule 1: method "GETT" is not an HTTP method  rule/unknown-method',
      '  1 | rules:',
      '> 2 |   - match: { method: GETT, path: /x }',
      '    |                      ^^^^',
      '  3 |     action: allow',
      '',
      'p.yaml  warning  unknown key  schema/unknown-key',
      '',
      '✖ 2 problems (1 error, 1 warning)',
    ].join('\n'),
  );
});

test('without the source text a finding has no frame', () => {
  assert.equal(
    renderDiagnosticsText([{ file: 'p.yaml', diagnostics: [error] }]).split('\n')[0],
    'p.yaml:2:22  error  rule 1: method "GETT" is not an HTTP method  rule/unknown-method',
  );
  assert.equal(renderDiagnosticsText([{ file: 'p.yaml', diagnostics: [error] }]).split('\n').length, 3);
});

test('summary line: counts, plurals, info, clean', () => {
  const cases: [Diagnostic[], string][] = [
    [[], '✔ no problems'],
    [[info], '✔ no problems (1 info)'],
    [[warning], '✖ 1 problem (0 errors, 1 warning)'],
    [[error, error, warning, info], '✖ 4 problems (2 errors, 1 warning, 1 info)'],
  ];
  for (const [diagnostics, expected] of cases) assert.equal(renderSummary(diagnostics), expected);
});

test('findings of several files are listed in order, with one summary', () => {
  const text = renderDiagnosticsText([
    { file: 'a.yaml', diagnostics: [warning] },
    { file: 'b.yaml', diagnostics: [] },
    { file: 'c.yaml', diagnostics: [warning] },
  ]);
  assert.deepEqual(text.split('\n\n'), [
    'a.yaml  warning  unknown key  schema/unknown-key',
    'c.yaml  warning  unknown key  schema/unknown-key',
    '✖ 2 problems (0 errors, 2 warnings)',
  ]);
});

test('--max-warnings: the report says when the warnings exceed it', () => {
  const files = [{ file: 'p.yaml', diagnostics: [warning, warning] }];
  assert.ok(!renderDiagnosticsText(files, { maxWarnings: 2 }).includes('max-warnings'));
  assert.match(renderDiagnosticsText(files, { maxWarnings: 1 }), /✖ 2 warnings, more than --max-warnings 1 allows$/);
});

test('colour only when asked', () => {
  const ESC = '\u001b[';
  const files = [{ file: 'p.yaml', source, diagnostics: [error] }];
  assert.ok(!renderDiagnosticsText(files).includes(ESC));
  assert.ok(renderDiagnosticsText(files, { color: true }).includes(ESC));
});
