import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientThrottle, clientKeyOf, type ThrottleRequest } from '../../../src/policy/clients/client-throttle.js';
import type { ClientRefusal } from '../../../src/policy/clients/client-refusal.js';
import { clientsFrom, profileYaml } from './fixture.js';

function setup(profiles: string, global = '') {
  let now = 0;
  const throttle = new ClientThrottle(clientsFrom(`clients:\n${global}  profiles:\n${profiles}`), { now: () => now });
  return {
    throttle,
    advance: (ms: number) => (now += ms),
    admit: (profile: string | undefined, clientKey = 'c1', method = 'GET', normalizedPath = '/containers/json') =>
      throttle.admit({ profile, clientKey, method, normalizedPath } satisfies ThrottleRequest),
  };
}

const limits = (yaml: string) => `      limits:\n${yaml}`;
const reasonOf = (r: ReturnType<ReturnType<typeof setup>['admit']>) =>
  r.ok ? (r.wouldDeny ? `would ${r.wouldDeny.reasonCode}` : 'ok') : r.reasonCode;

test('rate limit: 429 with the reference body and Retry-After, refilled by the clock', () => {
  const { admit, advance } = setup(profileYaml('ci', limits('        rate: { tokens_per_second: 1, burst: 2 }\n')));
  assert.equal(admit('ci').ok, true);
  assert.equal(admit('ci').ok, true);
  const refused = admit('ci') as ClientRefusal;
  assert.deepEqual(
    {
      status: refused.status,
      body: refused.body,
      headers: refused.headers,
      reasonCode: refused.reasonCode,
      alwaysEnforced: refused.alwaysEnforced,
    },
    {
      status: 429,
      body: { reason: 'rate_limit_exceeded', retry_after_seconds: 1 },
      headers: { 'Retry-After': '1' },
      reasonCode: 'rate_limit_exceeded',
      alwaysEnforced: false,
    },
  );
  assert.equal(JSON.stringify(refused.body), '{"reason":"rate_limit_exceeded","retry_after_seconds":1}');
  advance(1000);
  assert.equal(admit('ci').ok, true);
});

test('rate limit: endpoint costs, separate clients, separate profiles, no limit for the root policy', () => {
  const { admit } = setup(
    profileYaml(
      'ci',
      limits(
        '        rate: { tokens_per_second: 1, burst: 5, endpoint_costs: [{ path: /build, methods: [POST], cost: 5 }] }\n',
      ),
    ) + profileYaml('other', limits('        rate: { tokens_per_second: 1, burst: 1 }\n')),
  );
  assert.equal(admit('ci', 'c1', 'POST', '/build').ok, true);
  const refused = admit('ci', 'c1', 'GET', '/_ping') as ClientRefusal;
  assert.equal(refused.reasonCode, 'rate_limit_exceeded');
  assert.deepEqual(refused.body, { reason: 'rate_limit_exceeded', retry_after_seconds: 1 });
  assert.equal(admit('ci', 'c2', 'POST', '/build').ok, true, 'another client of the same profile has its own bucket');
  assert.equal(admit('other', 'c1').ok, true, 'another profile has its own buckets');
  for (let i = 0; i < 100; i++) assert.equal(admit(undefined).ok, true, 'the root policy has no rate limit');
});

test('concurrency cap: per client, refusals not counted, release frees the slot exactly once', () => {
  const { admit, throttle } = setup(profileYaml('ci', limits('        concurrency: { max_inflight: 2 }\n')));
  const first = admit('ci');
  const second = admit('ci');
  const third = admit('ci') as ClientRefusal;
  assert.deepEqual(
    [third.status, third.body, third.reasonCode],
    [429, { reason: 'concurrency_cap' }, 'concurrency_cap'],
  );
  assert.equal(admit('ci', 'c2').ok, true, 'another client has its own cap');
  assert.equal(throttle.inflight('ci'), 3);
  assert.ok(first.ok && second.ok);
  first.release();
  first.release();
  assert.equal(throttle.inflight('ci'), 2, 'a second release does nothing');
  assert.equal(admit('ci').ok, true);
  assert.equal(reasonOf(admit('ci')), 'concurrency_cap');
});

test('global cap: priority floors low 50 %, normal 80 %, high 100 %; root requests count as normal', () => {
  const { admit, throttle } = setup(
    profileYaml('low', limits('        priority: low\n')) +
      profileYaml('normal', '') +
      profileYaml('high', limits('        priority: high\n')),
    '  global_concurrency: { max_inflight: 10 }\n',
  );
  const held = [];
  for (let i = 0; i < 5; i++) held.push(admit('low'));
  assert.equal(reasonOf(admit('low')), 'priority_floor');
  assert.deepEqual((admit('low') as ClientRefusal).body, { reason: 'priority_floor' });
  for (let i = 0; i < 3; i++) held.push(admit(undefined));
  assert.equal(reasonOf(admit(undefined)), 'priority_floor');
  assert.equal(reasonOf(admit('normal')), 'priority_floor');
  held.push(admit('high'), admit('high'));
  assert.equal(reasonOf(admit('high')), 'priority_floor');
  assert.equal(throttle.globalInflight(), 10);
  for (const h of held) if (h.ok) h.release();
  assert.equal(throttle.globalInflight(), 0);
  assert.equal(admit('low').ok, true);
});

test('a concurrency refusal gives back the global slot it took', () => {
  const { admit, throttle } = setup(
    profileYaml('ci', limits('        concurrency: { max_inflight: 1 }\n')),
    '  global_concurrency: { max_inflight: 10 }\n',
  );
  admit('ci');
  assert.equal(reasonOf(admit('ci')), 'concurrency_cap');
  assert.equal(throttle.globalInflight(), 1);
});

test('warn and audit profiles: limits are reported as would-deny and the request goes on', () => {
  for (const mode of ['warn', 'audit']) {
    const { admit, throttle } = setup(
      profileYaml(
        'dry',
        `      mode: ${mode}\n` +
          limits(
            '        rate: { tokens_per_second: 1, burst: 1 }\n        concurrency: { max_inflight: 1 }\n        priority: low\n',
          ),
      ),
      '  global_concurrency: { max_inflight: 2 }\n',
    );
    const first = admit('dry');
    assert.equal(reasonOf(first), 'ok');
    // Over the rate, the per-client cap and the low floor (1 of 2) at once: the last one is reported.
    const second = admit('dry');
    assert.equal(reasonOf(second), 'would concurrency_cap', mode);
    assert.equal(throttle.globalInflight(), 2, 'the global slot is still taken, so dashboards show real load');
    assert.equal(throttle.inflight('dry'), 1, 'the per-client slot is not');
    assert.ok(second.ok);
    second.release();
    assert.equal(throttle.globalInflight(), 1);
    assert.equal(reasonOf(admit('dry', 'c2')), 'would priority_floor');
  }
  const { admit } = setup(
    profileYaml('dry', '      mode: warn\n' + limits('        rate: { tokens_per_second: 1, burst: 1 }\n')),
  );
  admit('dry');
  const over = admit('dry');
  assert.ok(over.ok && over.wouldDeny);
  assert.deepEqual(over.wouldDeny.body, { reason: 'rate_limit_exceeded', retry_after_seconds: 1 });
});

test('configure (reload) keeps what is in flight and the buckets of unchanged rates', () => {
  const yaml = (tps: number, max: number) =>
    clientsFrom(
      `clients:\n  global_concurrency: { max_inflight: ${max} }\n  profiles:\n${profileYaml('ci', limits(`        rate: { tokens_per_second: ${tps} }\n        concurrency: { max_inflight: 1 }\n`))}`,
    );
  let now = 0;
  const throttle = new ClientThrottle(yaml(1, 10), { now: () => now });
  const request = { profile: 'ci', clientKey: 'c1', method: 'GET', normalizedPath: '/_ping' };
  const held = throttle.admit(request);
  assert.ok(held.ok);
  throttle.configure(yaml(1, 10));
  assert.equal(reasonOf(throttle.admit(request)), 'rate_limit_exceeded', 'same rate: the empty bucket carries over');
  now += 1000;
  assert.equal(reasonOf(throttle.admit(request)), 'concurrency_cap', 'the in-flight request still counts');
  throttle.configure(yaml(5, 2));
  assert.equal(throttle.globalInflight(), 1);
  assert.equal(
    reasonOf(throttle.admit({ ...request, clientKey: 'c2' })),
    'priority_floor',
    'new global cap applies (normal: 1 of 2)',
  );
  held.release();
  assert.equal(throttle.globalInflight(), 0);
  assert.equal(throttle.inflight('ci'), 0);
  assert.equal(reasonOf(throttle.admit(request)), 'ok', 'a changed rate starts from full buckets');
});

test('clientKeyOf: certificate key, else unix uid, else source address, else anonymous', () => {
  const spki = 'AB'.repeat(32);
  const certificate = { dnsNames: [], ipAddresses: [], uriSans: [], spkiSha256: spki };
  assert.equal(clientKeyOf({ certificate, sourceIp: '10.0.0.1' }), `spki:${spki.toLowerCase()}`);
  assert.equal(clientKeyOf({ unixPeer: { uid: 1000, gid: 1, pid: 5 } }), 'uid:1000');
  assert.equal(clientKeyOf({ unixPeer: 'unreadable' }), 'anonymous');
  assert.equal(clientKeyOf({ sourceIp: '::ffff:10.0.0.1' }), 'ip:10.0.0.1');
  assert.equal(clientKeyOf({ sourceIp: '2001:DB8::1' }), 'ip:2001:db8:0:0:0:0:0:1');
  assert.equal(clientKeyOf({}), 'anonymous');
});

test('a global cap too small for a priority admits none of it (the Go floor arithmetic)', () => {
  const { admit } = setup(profileYaml('ci', ''), '  global_concurrency: { max_inflight: 1 }\n');
  assert.equal(reasonOf(admit('ci')), 'priority_floor');
  assert.equal(reasonOf(admit(undefined)), 'priority_floor');
});
