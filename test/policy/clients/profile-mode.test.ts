import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyProfileMode, parseProfileMode } from '../../../src/policy/clients/profile-mode.js';

test('parseProfileMode: enforce by default, case-insensitive', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'enforce'],
    ['', 'enforce'],
    ['enforce', 'enforce'],
    ['WARN', 'warn'],
    ['Audit', 'audit'],
  ];
  for (const [text, mode] of cases) assert.equal(parseProfileMode(text), mode, String(text));
});

test('applyProfileMode: warn/audit forward policy denials as would-deny; pre-auth gates always enforce', () => {
  const policyDenial = { alwaysEnforced: false, reasonCode: 'no_matching_allow_rule' };
  const preAuth = { alwaysEnforced: true, reasonCode: 'client_ip_not_allowed' };
  const ruleDeny = { reasonCode: 'matched_deny_rule' };
  assert.deepEqual(applyProfileMode('enforce', policyDenial), { forward: false, refusal: policyDenial });
  assert.deepEqual(applyProfileMode('warn', policyDenial), {
    forward: true,
    wouldDeny: policyDenial,
    logLevel: 'warn',
  });
  assert.deepEqual(applyProfileMode('audit', policyDenial), {
    forward: true,
    wouldDeny: policyDenial,
    logLevel: 'info',
  });
  assert.deepEqual(applyProfileMode('audit', ruleDeny), { forward: true, wouldDeny: ruleDeny, logLevel: 'info' });
  for (const mode of ['enforce', 'warn', 'audit'] as const) {
    assert.deepEqual(applyProfileMode(mode, preAuth), { forward: false, refusal: preAuth }, mode);
  }
});
