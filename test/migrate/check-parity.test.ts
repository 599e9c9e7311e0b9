import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmulationUnavailableError } from '../../src/emulators/types.js';
import { checkParity } from '../../src/migrate/check-parity.js';
import { sharedCorpus } from '../../src/verify/corpus.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { resolvePolicy } from '../../src/policy/load.js';

const compiled = compilePolicy(
  resolvePolicy({
    rules: [
      { match: { method: 'GET', path: '/_ping' }, action: 'allow' },
      { match: { method: '*', path: '/**' }, action: 'deny' },
    ],
  }),
);

test('differences are explained by the warnings given and by strict canonicalisation', () => {
  // An old proxy that allowed every GET whose raw target mentions _ping.
  const old = () => (request: { method: string; target: string }) => ({
    allow: request.method === 'GET' && request.target.includes('_ping'),
    status: 0,
    reason: 'old',
  });
  const bare = checkParity(old, compiled, []);
  assert.equal(bare.kind, 'compared');
  if (bare.kind !== 'compared') return;
  const { summary, rows } = bare.result;
  assert.equal(summary.total, sharedCorpus().length);
  // Without the translation's warnings only serve's canonicalisation explains anything.
  const rejected = rows.filter((r) => r.change !== 'identical' && r.new.rejected !== undefined);
  assert.ok(rejected.length > 0);
  assert.ok(rejected.every((r) => r.explainedBy.includes('migrate/non-canonical-target-rejected')));
  assert.ok(summary.unexplained.tightened > 0);

  const announced = checkParity(old, compiled, [{ code: 'test/ping-forms', explains: () => true }]);
  assert.equal(announced.kind, 'compared');
  if (announced.kind !== 'compared') return;
  assert.deepEqual(announced.result.summary.unexplained, { tightened: 0, loosened: 0 });
});

test('an emulator that cannot reproduce the old proxy makes parity unavailable, with its reason', () => {
  const outcome = checkParity(
    () => {
      throw new EmulationUnavailableError('nginx-era location blocks are not in the reference');
    },
    compiled,
    [],
  );
  assert.deepEqual(outcome, { kind: 'unavailable', reason: 'nginx-era location blocks are not in the reference' });
});

test('any other failure is a bug and propagates', () => {
  assert.throws(
    () =>
      checkParity(
        () => {
          throw new TypeError('boom');
        },
        compiled,
        [],
      ),
    TypeError,
  );
});
