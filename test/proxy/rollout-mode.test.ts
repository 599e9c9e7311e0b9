import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { send, startClientProxy, waitForExchanges, type ClientProxy } from './stages/client-proxy.js';

/**
 * One profile per mode. The profiles allow /_ping and container creation; their request_body
 * blocks differ from the root one (which allows privileged containers), so a per-profile body
 * policy shows in the outcome.
 */
const policy = (mode: string, requestBody = '') => `
rules:
  - match: { method: "*", path: /** }
    action: allow
request_body:
  container_create: { allow_privileged: true }
insecure_allow_body_blind_writes: true
insecure_allow_read_exfiltration: true
log: { audit: { enabled: true } }
clients:
  default_profile: p
  profiles:
    - name: p
      mode: ${mode}
      rules:
        - match: { method: GET, path: /_ping }
          action: allow
        - match: { method: POST, path: /containers/create }
          action: allow
${requestBody}
`;

const PRIVILEGED = { Image: 'busybox', HostConfig: { Privileged: true } };

async function metric(proxy: ClientProxy, labels: Record<string, string>): Promise<number> {
  const values = (await proxy.proxy.metrics.registry.getSingleMetric('sockguard_http_denied_requests_total')?.get())
    ?.values;
  return values?.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value ?? 0;
}

describe('profile rollout modes', () => {
  const modes: { mode: string; forwarded: boolean; msg: string; level: number; rollout?: string }[] = [
    { mode: 'enforce', forwarded: false, msg: 'request_denied', level: 40 },
    { mode: '""', forwarded: false, msg: 'request_denied', level: 40 },
    { mode: 'WARN', forwarded: true, msg: 'request_would_deny', level: 40, rollout: 'warn' },
    { mode: 'Audit', forwarded: true, msg: 'request_would_deny', level: 30, rollout: 'audit' },
  ];
  for (const m of modes) {
    it(`mode ${m.mode}: a rule denial is ${m.forwarded ? 'forwarded and logged as would_deny' : 'answered'}`, async () => {
      const proxy = await startClientProxy(policy(m.mode));
      try {
        const response = await send(proxy.endpoint, 'GET', '/info');
        assert.equal(response.status, m.forwarded ? 200 : 403);
        assert.deepEqual(proxy.forwarded(), m.forwarded ? ['GET /info'] : []);
        await waitForExchanges(proxy, 1);
        const line = proxy.logs.find((l) => l.msg !== undefined && l.method === 'GET')!;
        assert.equal(line.msg, m.msg);
        assert.equal(line.level, m.level);
        assert.equal(line.decision, m.forwarded ? 'would_deny' : 'deny');
        assert.equal(line.reason_code, 'no_matching_allow_rule');
        assert.equal(line.rollout_mode, m.rollout);
        assert.equal(line.profile, 'p');
        const audit = proxy.audits.find((a) => a.event_type === 'http_request')!;
        assert.equal(audit.decision, line.decision);
        assert.equal(audit.rollout_mode, m.rollout);
        assert.equal(audit.reason_code, 'no_matching_allow_rule');
        assert.equal(
          await metric(proxy, { mode: m.rollout ?? 'enforce', profile: 'p', reason_code: 'no_matching_allow_rule' }),
          1,
        );
      } finally {
        await proxy.close();
      }
    });
  }

  it('an allowed request under a warn profile is logged as a plain request, with its rollout mode', async () => {
    const proxy = await startClientProxy(policy('warn'));
    try {
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 200);
      await waitForExchanges(proxy, 1);
      const line = proxy.logs.find((l) => l.method === 'GET')!;
      assert.equal(line.msg, 'request');
      assert.equal(line.decision, 'allow');
      assert.equal(line.rollout_mode, 'warn');
    } finally {
      await proxy.close();
    }
  });
});

describe('request_body per profile', () => {
  const cases: { name: string; yaml: string; status: number; wouldDeny?: string }[] = [
    {
      name: 'a profile without request_body gets all zero values, not the root defaults',
      yaml: policy('enforce'),
      status: 403,
    },
    {
      name: "a profile's own request_body judges its clients",
      yaml: policy('enforce', '      request_body:\n        container_create: { allow_privileged: true }'),
      status: 200,
    },
    {
      name: 'a warn profile forwards a body denial as would_deny',
      yaml: policy('warn'),
      status: 200,
      wouldDeny: 'request_body_policy_denied',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status}`, async () => {
      const proxy = await startClientProxy(c.yaml);
      try {
        const response = await send(proxy.endpoint, 'POST', '/v1.45/containers/create', { body: PRIVILEGED });
        assert.equal(response.status, c.status, response.body);
        await waitForExchanges(proxy, 1);
        const exchange = proxy.exchanges[0]!;
        if (c.status === 403) assert.equal(exchange.result?.reasonCode, 'request_body_policy_denied');
        assert.equal(exchange.wouldDeny?.reasonCode, c.wouldDeny);
        assert.equal(proxy.forwarded().length, c.status === 200 ? 1 : 0);
      } finally {
        await proxy.close();
      }
    });
  }
});
