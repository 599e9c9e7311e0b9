import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeCapability } from '../../../src/policy/body/capabilities.js';

test('capability names: Go upper-casing, CAP_ optional', () => {
  assert.equal(normalizeCapability('sys_admin'), 'SYS_ADMIN');
  assert.equal(normalizeCapability('CAP_SYS_ADMIN'), 'SYS_ADMIN');
  assert.equal(normalizeCapability('cap_net_admin'), 'NET_ADMIN');
  assert.equal(normalizeCapability('\u017fys_admin'), 'SYS_ADMIN');
  assert.equal(normalizeCapability(' all '), 'ALL');
});
