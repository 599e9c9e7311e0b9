import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from '../../src/policy/diagnostic.js';
import { countSeverities, renderDiagnosticsJson, toLintJson } from '../../src/render/diagnostics-json.js';

const ranged: Diagnostic = {
  code: 'rule/shadowed',
  severity: 'error',
  message: 'm',
  pointer: '/rules/1/match/path',
  file: 'ignored-here.yaml',
  range: { start: { line: 4, col: 3 }, end: { line: 4, col: 9 } },
  suggestion: '/x',
};
const bare: Diagnostic = { code: 'schema/not-implemented', severity: 'info', message: 'n', pointer: '/mutations' };

test('one entry per file with counts; file, range and suggestion appear only where they belong', () => {
  assert.deepEqual(toLintJson([{ file: 'p.yaml', source: 'ignored', diagnostics: [ranged, bare] }]), [
    {
      file: 'p.yaml',
      errorCount: 1,
      warningCount: 0,
      infoCount: 1,
      diagnostics: [
        {
          code: 'rule/shadowed',
          severity: 'error',
          message: 'm',
          pointer: '/rules/1/match/path',
          range: { start: { line: 4, col: 3 }, end: { line: 4, col: 9 } },
          suggestion: '/x',
        },
        { code: 'schema/not-implemented', severity: 'info', message: 'n', pointer: '/mutations' },
      ],
    },
  ]);
});

test('key order is stable (the report is compared byte for byte by golden tests)', () => {
  const text = renderDiagnosticsJson([{ file: 'p.yaml', diagnostics: [{ ...ranged, suggestion: 's' }] }]);
  const keys = [...text.matchAll(/^\s*"(\w+)":/gm)].map((m) => m[1]);
  assert.deepEqual(keys.slice(0, 10), [
    'file',
    'errorCount',
    'warningCount',
    'infoCount',
    'diagnostics',
    'code',
    'severity',
    'message',
    'pointer',
    'range',
  ]);
  assert.equal(text, JSON.stringify(JSON.parse(text), null, 2));
});

test('countSeverities', () => {
  assert.deepEqual(countSeverities([ranged, ranged, bare]), { errorCount: 2, warningCount: 0, infoCount: 1 });
  assert.deepEqual(countSeverities([]), { errorCount: 0, warningCount: 0, infoCount: 0 });
});
