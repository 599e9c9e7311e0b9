import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.swarm.${field}`;
const swarm = (fields: NonNullable<RequestBodyDocument['swarm']>): RequestBodyDocument => ({ swarm: fields });
const post = (policy: RequestBodyDocument, target: string, body: object = {}) =>
  judge(rootPolicy(policy), 'POST', target, body);

test('swarm init: force-new-cluster, external CAs, signing CA and auto-lock', () => {
  assertAllowed(post({}, '/swarm/init', { ListenAddr: '0.0.0.0:2377', Spec: {} }));
  assertDenied(post({}, '/swarm/init', { ForceNewCluster: true }), 403, key('allow_force_new_cluster'));
  assertDenied(
    post({}, '/swarm/init', { Spec: { CAConfig: { ExternalCAs: [{ URL: 'https://ca' }] } } }),
    403,
    'Spec.CAConfig.ExternalCAs',
    key('allow_external_ca'),
  );
  assertDenied(
    post({}, '/swarm/init', { Spec: { CAConfig: { SigningCACert: 'PEM' } } }),
    403,
    key('allow_signing_ca_update'),
  );
  assertDenied(post({}, '/swarm/init', { AutoLockManagers: true }), 403, key('allow_auto_lock_managers'));
  assertAllowed(
    post(swarm({ allow_force_new_cluster: true, allow_external_ca: true }), '/swarm/init', {
      ForceNewCluster: true,
      Spec: { CAConfig: { ExternalCAs: [{}] } },
    }),
  );
});

test('swarm join: remote addresses must be listed; an empty list denies unless acknowledged', () => {
  assertDenied(
    post({}, '/swarm/join', { RemoteAddrs: ['10.0.0.1:2377'] }),
    403,
    key('allowed_join_remote_addrs'),
    'insecure_allow_body_blind_writes',
  );
  const listed = swarm({ allowed_join_remote_addrs: ['Manager.Internal:2377'] });
  assertAllowed(post(listed, '/swarm/join', { RemoteAddrs: ['manager.internal:2377'] }));
  assertDenied(
    post(listed, '/swarm/join', { RemoteAddrs: ['manager.internal:2377', 'attacker:2377'] }),
    403,
    '"attacker:2377"',
  );
  assertAllowed(
    judge(rootPolicy({}, { insecureAllowBodyBlindWrites: true }), 'POST', '/swarm/join', { RemoteAddrs: ['x:2377'] }),
  );
});

test('swarm update: spec changes and rotation flags with dockerd boolean parsing', () => {
  assertAllowed(post({}, '/swarm/update?version=10', { Name: 'default' }));
  assertDenied(
    post({}, '/swarm/update?version=10', { EncryptionConfig: { AutoLockManagers: true } }),
    403,
    key('allow_auto_lock_managers'),
  );
  assertDenied(
    post({}, '/swarm/update?version=10', { CAConfig: { ForceRotate: 1 } }),
    403,
    key('allow_signing_ca_update'),
  );
  for (const query of ['rotateWorkerToken=true', 'rotateManagerToken=1', 'rotateWorkerToken=on']) {
    assertDenied(post({}, `/swarm/update?version=1&${query}`), 403, key('allow_token_rotation'));
  }
  assertAllowed(post({}, '/swarm/update?version=1&rotateWorkerToken=false&rotateManagerToken=0'));
  assertDenied(post({}, '/swarm/update?rotateManagerUnlockKey=yes'), 403, key('allow_manager_unlock_key_rotation'));
  assertAllowed(post(swarm({ allow_token_rotation: true }), '/swarm/update?rotateWorkerToken=true'));
});

test('swarm unlock needs allow_unlock', () => {
  assertDenied(post({}, '/swarm/unlock', { UnlockKey: 'SWMKEY-1-x' }), 403, key('allow_unlock'));
  assertAllowed(post(swarm({ allow_unlock: true }), '/swarm/unlock', { UnlockKey: 'SWMKEY-1-x' }));
  assertDenied(judge(rootPolicy(swarm({ allow_unlock: true })), 'POST', '/swarm/unlock', '{"UnlockKey":'), 400);
});
