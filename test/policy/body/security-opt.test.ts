import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveNoNewPrivileges, parseSecurityOpt } from '../../../src/policy/body/security-opt.js';

test('SecurityOpt entries split at "=" or the legacy ":"', () => {
  assert.deepEqual(parseSecurityOpt('seccomp=unconfined'), { key: 'seccomp', value: 'unconfined', hasValue: true });
  assert.deepEqual(parseSecurityOpt('seccomp:unconfined'), { key: 'seccomp', value: 'unconfined', hasValue: true });
  assert.deepEqual(parseSecurityOpt('label=type:spc_t'), { key: 'label', value: 'type:spc_t', hasValue: true });
  assert.deepEqual(parseSecurityOpt('label:disable'), { key: 'label', value: 'disable', hasValue: true });
  assert.deepEqual(parseSecurityOpt('disable'), { key: 'label', value: 'disable', hasValue: true });
  assert.deepEqual(parseSecurityOpt('APPARMOR=unconfined'), { key: 'apparmor', value: 'unconfined', hasValue: true });
  assert.equal(parseSecurityOpt('no-new-privileges').value, 'true');
});

test('no-new-privileges: the last entry wins, values go through ParseBool', () => {
  assert.equal(effectiveNoNewPrivileges(['no-new-privileges']), true);
  assert.equal(effectiveNoNewPrivileges(['no-new-privileges:true']), true);
  assert.equal(effectiveNoNewPrivileges(['no-new-privileges=1']), true);
  assert.equal(effectiveNoNewPrivileges(['no-new-privileges:true', 'no-new-privileges=false']), false);
  assert.equal(effectiveNoNewPrivileges(['no-new-privileges:yes']), false);
  assert.equal(effectiveNoNewPrivileges(['NO-NEW-PRIVILEGES:true']), false);
  assert.equal(effectiveNoNewPrivileges(undefined), false);
});
