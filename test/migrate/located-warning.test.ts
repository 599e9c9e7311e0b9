import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeWarning, sortWarnings, type LocatedWarning } from '../../src/migrate/located-warning.js';

const at = (file: string, line: number, col = 1) => ({
  file,
  pointer: '',
  range: { start: { line, col }, end: { line, col: col + 1 } },
});

test('a warning is placed where its origin was written; unplaced ones keep no position', () => {
  const warning = { code: 'migrate/x', severity: 'info' as const, message: 'm', origin: 'env:A' };
  assert.deepEqual(placeWarning(warning, at('c.yml', 3)), {
    ...warning,
    file: 'c.yml',
    pointer: '',
    range: at('c.yml', 3).range,
  });
  assert.deepEqual(placeWarning(warning, undefined), warning);
});

test('sorted by severity, then file and position, unplaced last; equal ones keep their order', () => {
  const w = (code: string, severity: LocatedWarning['severity'], place?: [string, number, number]): LocatedWarning => ({
    code,
    severity,
    message: code,
    ...(place ? placeWarning({ code, severity, message: code }, at(...place)) : {}),
  });
  const sorted = sortWarnings([
    w('info-a', 'info', ['a.yml', 1, 1]),
    w('warn-none', 'warning'),
    w('warn-b-2', 'warning', ['b.yml', 2, 1]),
    w('warn-a-9', 'warning', ['a.yml', 9, 1]),
    w('warn-a-2-5', 'warning', ['a.yml', 2, 5]),
    w('warn-a-2-3', 'warning', ['a.yml', 2, 3]),
    w('warn-a-2-3-again', 'warning', ['a.yml', 2, 3]),
    w('error', 'error', ['z.yml', 1, 1]),
  ]);
  assert.deepEqual(
    sorted.map((x) => x.code),
    ['error', 'warn-a-2-3', 'warn-a-2-3-again', 'warn-a-2-5', 'warn-a-9', 'warn-b-2', 'warn-none', 'info-a'],
  );
});
