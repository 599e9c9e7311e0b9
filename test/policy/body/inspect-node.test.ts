import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.node.${field}`;
const update = (policy: RequestBodyDocument, body: object) =>
  judge(rootPolicy(policy), 'POST', '/nodes/n1/update?version=5', body);

test('node updates: role, availability and name changes need their flags', () => {
  assertAllowed(update({}, {}));
  assertDenied(update({}, { Role: 'manager' }), 403, 'Role is "manager"', key('allow_role_change'));
  assertDenied(update({}, { Availability: 'drain' }), 403, key('allow_availability_change'));
  assertDenied(update({}, { Name: 'n2' }), 403, key('allow_name_change'));
  assertAllowed(
    update(
      { node: { allow_role_change: true, allow_availability_change: true, allow_name_change: true } },
      { Role: 'manager', Availability: 'drain', Name: 'n2' },
    ),
  );
});

test('node labels: only listed keys unless allow_label_mutation; clearing is a mutation', () => {
  const policy: RequestBodyDocument = { node: { allowed_label_keys: ['zone'] } };
  assertAllowed(update(policy, { Labels: { zone: 'a' } }));
  assertDenied(
    update(policy, { Labels: { zone: 'a', role: 'db' } }),
    403,
    'Labels sets "role"',
    key('allowed_label_keys'),
  );
  assertDenied(update(policy, { Labels: { Zone: 'a' } }), 403, '"Zone"');
  assertDenied(update(policy, { Labels: {} }), 403, 'clears every node label', key('allow_label_mutation'));
  assertAllowed(update({ node: { allow_label_mutation: true } }, { Labels: { anything: 'x' } }));
});
