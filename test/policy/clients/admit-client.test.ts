import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admitClient } from '../../../src/policy/clients/admit-client.js';
import { parseIpPrefix } from '../../../src/policy/clients/ip-address.js';

const prefixes = (...cidrs: string[]) => cidrs.map((c) => parseIpPrefix(c)!);

test('admitClient: allowed_cidrs admits only clients inside a prefix, unix clients included in the refusal', () => {
  const allowed = prefixes('10.0.0.0/8', '2001:db8::/32');
  const cases: [string | undefined, boolean][] = [
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['11.0.0.1', false],
    ['::ffff:11.0.0.1', false],
    ['2001:db8::7', true],
    ['2001:db9::7', false],
    ['127.0.0.1', false],
    // A unix-socket client has no address: a CIDR list admits nobody it cannot place.
    [undefined, false],
    ['', false],
    ['garbage', false],
    ['fe80::1%lo', false],
  ];
  for (const [ip, admitted] of cases) assert.equal(admitClient(ip, allowed).ok, admitted, String(ip));
});

test('admitClient: an empty list admits everyone, unix clients too', () => {
  for (const ip of ['10.0.0.1', '::1', undefined]) assert.deepEqual(admitClient(ip, []), { ok: true });
});

test('admitClient: the refusal is the Go proxy 403, enforced whatever the profile mode', () => {
  assert.deepEqual(admitClient('192.0.2.1', prefixes('10.0.0.0/8')), {
    ok: false,
    status: 403,
    body: { message: 'client IP not allowed' },
    reasonCode: 'client_ip_not_allowed',
    reason: 'client IP not allowed',
    alwaysEnforced: true,
  });
});
