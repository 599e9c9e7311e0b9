/**
 * serve enforces owner isolation (stages/ownership.ts) in front of a fake daemon that plays the
 * lookups: every status path (403 foreign, 404 unknown, 400 unreadable, 502 lookup failed), the
 * forward target rewritten to the full ID, the owner filter on lists, the stamped body with its own
 * length, owner-labelled volume pre-creation, hijacked exec start, and the body plan.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { auditRecord } from '../../src/proxy/audit-log.js';
import type { Exchange } from '../../src/proxy/exchange.js';
import { planOwnedBodies, MAX_OWNED_BODY_BYTES } from '../../src/proxy/stages/ownership.js';
import { startFakeDaemon, type FakeDaemon, type RecordedRequest } from '../helpers/fake-daemon.js';
import { request, sendRaw, startTestProxy, type TestProxy } from './fixture.js';

const POLICY = `
rules:
  - { match: { method: "*", path: "/**" }, action: allow }
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
ownership:
  owner: alice
`;
const LABEL = 'com.sockguard.owner';
const ALICE_ID = 'a11ce'.padEnd(64, '0');
const BOB_ID = 'b0b'.padEnd(64, '0');
const JSON_HEADERS = { 'Content-Type': 'application/json' };

function container(id: string, owner: string | undefined) {
  return { Id: id, Name: `/${id.slice(0, 5)}`, Config: { Image: 'busybox', Labels: owner ? { [LABEL]: owner } : {} } };
}

/** The daemon's side of the lookups; everything else answers `{}`. */
function answer(req: RecordedRequest): { status: number; body: unknown } {
  const url = req.url.replace(/^\/v[\d.]+/, '');
  if (req.method === 'GET') {
    if (
      url === '/containers/a11ce/json' ||
      url === '/containers/alices-app/json' ||
      url === `/containers/${ALICE_ID}/json`
    )
      return { status: 200, body: container(ALICE_ID, 'alice') };
    if (url === '/containers/b0b/json' || url === '/containers/bobs-app/json')
      return { status: 200, body: container(BOB_ID, 'bob') };
    if (url === '/containers/broken/json') return { status: 500, body: { message: 'boom' } };
    if (url === '/containers/garbled/json') return { status: 200, body: 'not json' };
    if (url === '/exec/e-bob/json') return { status: 200, body: { ID: 'e-bob', ContainerID: BOB_ID } };
    if (url === `/containers/${BOB_ID}/json`) return { status: 200, body: container(BOB_ID, 'bob') };
    if (url === '/images/busybox/json') return { status: 200, body: { Id: 'sha256:1', Config: { Labels: null } } };
    if (url.startsWith('/containers/json')) {
      return { status: 200, body: [{ Id: ALICE_ID, Names: ['/a'], Labels: { [LABEL]: 'alice' } }] };
    }
    return { status: 404, body: { message: 'No such object' } };
  }
  if (req.method === 'POST' && url === '/volumes/create') {
    const asked = JSON.parse(req.body.toString()) as { Name: string; Labels: Record<string, string> };
    // "taken" already exists and is bob's: dockerd answers with the existing volume.
    if (asked.Name === 'failing') return { status: 500, body: { message: 'disk full' } };
    const labels = asked.Name === 'taken' ? { [LABEL]: 'bob' } : asked.Labels;
    return { status: 201, body: { Name: asked.Name, Labels: labels } };
  }
  return { status: 200, body: {} };
}

describe('ownership in serve', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  /** What the logs get: the audit record of each finished exchange. */
  const audits: Record<string, unknown>[] = [];
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(POLICY, daemon.socketPath, {
      observer: { finished: (exchange) => audits.push(auditRecord(exchange)), failed: () => undefined },
    });
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
    audits.length = 0;
    daemon.handle = (req, res) => {
      if (req.url.startsWith('/containers/dropped/')) {
        res.socket?.destroy();
        return;
      }
      const { status, body } = answer(req);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
  });
  // The stage's lookups are GETs; everything else reached the daemon because it was forwarded.
  const forwarded = () => daemon.requests.filter((r) => r.method !== 'GET');

  it('forwards an own container reached by ID prefix or by name to its full ID', async () => {
    for (const reference of ['a11ce', 'alices-app']) {
      daemon.requests.length = 0;
      const response = await request(proxy.socketPath, 'POST', `/v1.41/containers/${reference}/start`);
      assert.equal(response.status, 200, response.body);
      assert.deepEqual(
        forwarded().map((r) => `${r.method} ${r.url}`),
        [`POST /v1.41/containers/${ALICE_ID}/start`],
      );
    }
  });

  const REASON_CODES: Record<number, string> = {
    400: 'owner_request_invalid',
    403: 'owner_policy_denied_access',
    404: 'owner_policy_denied_access',
    502: 'owner_policy_lookup_failed',
  };
  const waitForAudit = async () => {
    for (let i = 0; i < 100 && audits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('logs the ownership block of the audit record', async () => {
    await request(proxy.socketPath, 'GET', '/_ping');
    await waitForAudit();
    assert.deepEqual(audits[0]!.ownership, { enabled: true, owner: 'alice', label_key: LABEL });
  });

  const denials = [
    {
      name: "another owner's container by ID prefix",
      target: '/containers/b0b/start',
      status: 403,
      message: /not owned/,
    },
    {
      name: "another owner's container by name",
      target: '/containers/bobs-app/stop',
      status: 403,
      message: /not owned/,
    },
    {
      name: 'a container the daemon does not know',
      target: '/containers/nope/start',
      status: 404,
      message: /^No such container: nope$/,
    },
    {
      name: 'a lookup the daemon fails',
      target: '/containers/broken/start',
      status: 502,
      message: /^owner policy lookup failed$/,
    },
    {
      name: 'a lookup answer that is not JSON',
      target: '/containers/garbled/start',
      status: 502,
      message: /^owner policy lookup failed$/,
    },
    {
      name: 'a lookup whose connection drops',
      target: '/containers/dropped/start',
      status: 502,
      message: /^owner policy lookup failed$/,
    },
    {
      name: 'an endpoint ownership cannot scope',
      target: '/containers/a11ce/frobnicate',
      status: 403,
      message: /owner isolation has no rule/,
    },
  ];
  for (const denial of denials) {
    it(`denies ${denial.name} with ${denial.status}, forwarding nothing`, async () => {
      const response = await request(proxy.socketPath, 'POST', denial.target);
      assert.equal(response.status, denial.status, response.body);
      assert.equal(response.headers['content-type'], 'application/json');
      assert.match((JSON.parse(response.body) as { message: string }).message, denial.message);
      assert.deepEqual(forwarded(), []);
      await waitForAudit();
      assert.equal(audits[0]!.status, denial.status);
      assert.equal(audits[0]!.reason_code, REASON_CODES[denial.status]);
    });
  }

  it("refuses a create body that sets another owner's label", async () => {
    const body = JSON.stringify({ Name: 'net1', Labels: { [LABEL]: 'bob' } });
    const response = await request(proxy.socketPath, 'POST', '/networks/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 403, response.body);
    assert.deepEqual(forwarded(), []);
  });

  it('answers an unreadable create body with 400 owner_request_invalid', async () => {
    const response = await request(proxy.socketPath, 'POST', '/networks/create', { headers: JSON_HEADERS, body: '{' });
    assert.equal(response.status, 400, response.body);
    assert.deepEqual(forwarded(), []);
  });

  it('stamps the owner label into a create body and sends it with its own length', async () => {
    const body = JSON.stringify({ Name: 'net1', Labels: { keep: 'me' } });
    const response = await request(proxy.socketPath, 'POST', '/networks/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 200, response.body);
    const [sent] = forwarded();
    const labels = (JSON.parse(sent!.body.toString()) as { Labels: Record<string, string> }).Labels;
    assert.deepEqual(labels, { [LABEL]: 'alice', keep: 'me' });
    assert.equal(sent!.headers['content-length'], String(sent!.body.length));
  });

  it('creates a missing named volume with the owner label before forwarding the container create', async () => {
    const body = JSON.stringify({ Image: 'busybox', HostConfig: { Binds: ['fresh:/data'] } });
    const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 200, response.body);
    const calls = forwarded();
    assert.deepEqual(
      calls.map((r) => `${r.method} ${r.url}`),
      ['POST /volumes/create', 'POST /containers/create'],
    );
    assert.deepEqual(JSON.parse(calls[0]!.body.toString()), { Name: 'fresh', Labels: { [LABEL]: 'alice' } });
    const created = JSON.parse(calls[1]!.body.toString()) as { Labels: Record<string, string> };
    assert.equal(created.Labels[LABEL], 'alice');
  });

  it('answers 502 when the owner-labelled volume cannot be created, forwarding nothing else', async () => {
    const body = JSON.stringify({ Image: 'busybox', HostConfig: { Binds: ['failing:/data'] } });
    const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 502, response.body);
    assert.deepEqual(JSON.parse(response.body), { message: 'owner policy lookup failed' });
    assert.deepEqual(
      forwarded().map((r) => `${r.method} ${r.url}`),
      ['POST /volumes/create'],
    );
  });

  it("refuses a volume that turns out to be another owner's when it is created", async () => {
    const body = JSON.stringify({ Image: 'busybox', HostConfig: { Binds: ['taken:/data'] } });
    const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 403, response.body);
    assert.deepEqual(
      forwarded().map((r) => `${r.method} ${r.url}`),
      ['POST /volumes/create'],
    );
  });

  it("denies a create that joins another owner's namespaces", async () => {
    for (const mode of ['NetworkMode', 'PidMode']) {
      daemon.requests.length = 0;
      const body = JSON.stringify({ Image: 'busybox', HostConfig: { [mode]: 'container:bobs-app' } });
      const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
      assert.equal(response.status, 403, `${mode}: ${response.body}`);
      assert.deepEqual(forwarded(), []);
    }
  });

  it('injects the owner filter into a list and post-filters its answer', async () => {
    const response = await request(proxy.socketPath, 'GET', '/v1.41/containers/json?all=1');
    assert.equal(response.status, 200, response.body);
    const [sent] = daemon.requests;
    const filters = JSON.parse(new URLSearchParams(sent!.url.split('?')[1]).get('filters')!) as Record<string, unknown>;
    assert.deepEqual(filters, { label: { [`${LABEL}=alice`]: true } });
  });

  it('checks a hijacked exec start through its container before any tunnel', async () => {
    const raw = await sendRaw(
      proxy.socketPath,
      'POST /v1.41/exec/e-bob/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n' +
        'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      1_000,
    );
    assert.match(raw.text, /^HTTP\/1\.1 403 /);
    assert.match(raw.text, /not owned/);
    assert.ok(raw.closed);
    assert.equal(daemon.requests.filter((r) => r.upgrade).length, 0);
  });
});

describe('ownership under a warn-mode profile', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    daemon.handle = (req, res) => {
      const { status, body } = answer(req);
      res.writeHead(status, JSON_HEADERS);
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    // The profile's rules deny every start, but warn mode forwards what they deny: owner isolation
    // must still stop a start of bob's container and let alice's through.
    proxy = await startTestProxy(
      `${POLICY}clients:
  default_profile: rollout
  profiles:
    - name: rollout
      mode: warn
      rules:
        - { match: { method: "POST", path: "/containers/*/start" }, action: deny }
        - { match: { method: "*", path: "/**" }, action: allow }
`,
      daemon.socketPath,
    );
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });

  it("still refuses another owner's container when the rules' denial is only logged", async () => {
    const foreign = await request(proxy.socketPath, 'POST', '/v1.41/containers/bobs-app/start');
    assert.equal(foreign.status, 403, foreign.body);
    const own = await request(proxy.socketPath, 'POST', '/v1.41/containers/alices-app/start');
    assert.equal(own.status, 200, own.body);
    assert.deepEqual(
      daemon.requests.filter((r) => r.method === 'POST').map((r) => r.url),
      [`/v1.41/containers/${ALICE_ID}/start`],
    );
  });
});

describe('planOwnedBodies', () => {
  const stream = () => ({ mode: 'stream' }) as const;
  const exchangeFor = (method: string, path: string, owner: string | undefined) =>
    ({
      req: { method },
      target: { normalizedPath: path },
      policy: {
        ownership: owner
          ? { owner, labelKey: LABEL, allowUnownedImages: true, allowCrossOwnerNamespaceSharing: false }
          : undefined,
      },
    }) as unknown as Exchange;
  const cases = [
    { method: 'POST', path: '/containers/create', owner: 'alice', mode: 'buffer' },
    { method: 'POST', path: '/networks/n/connect', owner: 'alice', mode: 'buffer' },
    { method: 'POST', path: '/containers/create', owner: undefined, mode: 'stream' },
    { method: 'PUT', path: '/containers/c/archive', owner: 'alice', mode: 'stream' },
    { method: 'POST', path: '/build', owner: 'alice', mode: 'stream' },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.path} with owner ${c.owner ?? '(none)'}: ${c.mode}`, () => {
      const plan = planOwnedBodies(stream)(exchangeFor(c.method, c.path, c.owner));
      assert.equal(plan.mode, c.mode);
      if (plan.mode === 'buffer') assert.equal(plan.maxBytes, MAX_OWNED_BODY_BYTES);
    });
  }
});
