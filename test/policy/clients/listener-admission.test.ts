import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admitOnListener, listenerAdmits } from '../../../src/policy/clients/listener-admission.js';
import { policyFrom, profileYaml } from './fixture.js';

test('listenerAdmits: "*" and the legacy listener admit every profile and the root policy; lists admit only themselves', () => {
  const cases: [readonly string[] | undefined, string | undefined, boolean][] = [
    [undefined, undefined, true],
    [undefined, 'ci', true],
    [['*'], undefined, true],
    [['*'], 'ci', true],
    [['ci'], 'ci', true],
    [['ci', 'ops'], 'ops', true],
    [['ci'], 'ops', false],
    // A concrete list never admits the unprofiled root policy.
    [['ci'], undefined, false],
    [['ci'], '*', false],
    [['Ci'], 'ci', false],
    // An empty list (invalid configuration) admits nobody.
    [[], 'ci', false],
    [[], undefined, false],
  ];
  for (const [allowed, profile, admitted] of cases) {
    assert.equal(listenerAdmits(allowed, profile).ok, admitted, `${JSON.stringify(allowed)} / ${profile}`);
  }
});

test('listenerAdmits: the refusal is 403 client profile not allowed on this listener', () => {
  assert.deepEqual(listenerAdmits(['ci'], 'ops'), {
    ok: false,
    status: 403,
    body: { message: 'client profile not allowed on this listener' },
    reasonCode: 'listener_profile_not_allowed',
    reason: 'client profile not allowed on this listener',
    alwaysEnforced: true,
  });
});

test('admitOnListener looks the listener up by name; an unknown name is a 500, never an admission', () => {
  const policy = policyFrom(`listeners:
  - name: public
    address: 127.0.0.1:2375
    allowed_profiles: [ci]
  - name: local
    socket: /run/sockguard.sock
    allowed_profiles: ['*']
clients:
  profiles:
${profileYaml('ci')}`);
  assert.equal(admitOnListener(policy, 'public', 'ci').ok, true);
  assert.equal(admitOnListener(policy, 'public', undefined).ok, false);
  assert.equal(admitOnListener(policy, 'local', undefined).ok, true);
  const missing = admitOnListener(policy, 'gone', 'ci');
  assert.equal(missing.ok, false);
  assert.equal(!missing.ok && missing.status, 500);
  assert.equal(!missing.ok && missing.reasonCode, 'listener_config_missing');
  // The legacy listen block is one listener "default" admitting everything.
  const legacy = policyFrom('listen: { address: 127.0.0.1:2375 }\n');
  assert.equal(admitOnListener(legacy, 'default', undefined).ok, true);
  assert.equal(admitOnListener(legacy, 'default', 'anything').ok, true);
});
