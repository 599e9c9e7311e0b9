import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldGoName, toLowerGo, toUpperGo } from '../../../src/policy/body/go-fold.js';

test('foldGoName equates exactly the keys Go matches to one field', () => {
  const same: [string, string][] = [
    ['HostConfig', 'hostconfig'],
    ['Binds', 'Bind\u017f'],
    ['NetworkMode', 'Networ\u212amode'],
    ['Privileged', 'PRIVILEGED'],
  ];
  for (const [a, b] of same) assert.equal(foldGoName(a), foldGoName(b), `${a} ~ ${b}`);
  const different: [string, string][] = [
    ['Privileged', 'Pr\u0130vileged'],
    ['Binds', 'Binds '],
    ['Image', 'Imag\u00e9'],
  ];
  for (const [a, b] of different) assert.notEqual(foldGoName(a), foldGoName(b), `${a} !~ ${b}`);
  assert.equal(foldGoName('\u00c5'), foldGoName('\u212b'), 'Angstrom sign folds with A-ring');
});

test('toUpperGo and toLowerGo map rune by rune like Go', () => {
  assert.equal(toUpperGo('\u017fys_admin'), 'SYS_ADMIN');
  assert.equal(toUpperGo('stra\u00dfe'), 'STRA\u00dfE', 'no expansion of sharp s');
  assert.equal(toUpperGo('\ufb00'), '\ufb00', 'no expansion of ligatures');
  assert.equal(toLowerGo('ONBU\u0130LD'), 'onbuild');
  assert.equal(toLowerGo('\u212aEEP'), 'keep');
  assert.equal(toLowerGo('RUN'), 'run');
});
