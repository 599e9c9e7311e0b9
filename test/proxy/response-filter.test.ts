/**
 * serve's response filter (response-filter.ts) in front of a fake daemon: default redaction rewrites
 * protected reads with a fresh length and no stale encoding, untouched answers keep the daemon's exact
 * bytes, anything it cannot read is 502 (never passed on), hidden resources are 404, per-profile
 * visibility is merged with the root's, streams and errors pass unbuffered, and the client's
 * Accept-Encoding never reaches the daemon on a route that may be rewritten. Also the attestation
 * statements denial.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ServerResponse } from 'node:http';
import { compileResponseScopes, selectResponsePolicy } from '../../src/policy/response/response-scopes.js';
import { MAX_FILTERED_RESPONSE_BYTES } from '../../src/policy/response/response-routes.js';
import { startFakeDaemon, type FakeDaemon, type RecordedRequest } from '../helpers/fake-daemon.js';
import { compileYaml, request, sendRaw, startTestProxy, type TestProxy } from './fixture.js';

const POLICY = `
rules:
  - { match: { method: "*", path: "/**" }, action: allow }
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
response:
  visible_resource_labels: [env=prod]
clients:
  profiles:
    - name: team-a
      rules: [{ match: { method: "*", path: "/**" }, action: allow }]
      response:
        visible_resource_labels: [team=a]
`;

const INSPECT = {
  Id: 'c1',
  Name: '/web',
  Config: { Image: 'busybox', Env: ['SECRET=hunter2'], Labels: { env: 'prod' } },
  HostConfig: { Binds: ['/srv/secret:/data'] },
};

type Handler = (req: RecordedRequest, res: ServerResponse) => void;
const json =
  (body: unknown, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

describe('response filter in serve', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  let teamProxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(POLICY, daemon.socketPath);
    // The same policy, where every client resolves to the team-a profile.
    teamProxy = await startTestProxy(
      POLICY.replace('clients:\n', 'clients:\n  default_profile: team-a\n'),
      daemon.socketPath,
    );
  });
  after(async () => {
    await proxy.close();
    await teamProxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
  });

  it('redacts env values and host bind paths, with a fresh Content-Length and no Content-Encoding', async () => {
    daemon.handle = json(INSPECT, { 'Content-Encoding': 'identity' });
    const response = await request(proxy.socketPath, 'GET', '/v1.41/containers/web/json');
    assert.equal(response.status, 200, response.body);
    assert.ok(!response.body.includes('hunter2'));
    assert.ok(!response.body.includes('/srv/secret'));
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(response.body)));
    assert.equal(response.headers['content-encoding'], undefined);
    const document = JSON.parse(response.body) as typeof INSPECT;
    assert.equal(document.Id, 'c1');
  });

  it('redacts a read sent with an Upgrade header (answered on the raw socket) all the same', async () => {
    daemon.handle = json(INSPECT);
    const raw = await sendRaw(
      proxy.socketPath,
      'GET /containers/web/json HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
      2_000,
    );
    assert.match(raw.text, /^HTTP\/1\.1 200 /);
    assert.match(raw.text, /"Id":"c1"/);
    assert.ok(!raw.text.includes('hunter2'));
    assert.ok(!raw.text.includes('/srv/secret'));
    assert.ok(raw.closed);
  });

  it("keeps the daemon's exact bytes when nothing needed rewriting", async () => {
    const bytes = '{ "Id" : "c1",  "Config": {"Labels": {"env": "prod"}} }\n';
    daemon.handle = json(bytes);
    const response = await request(proxy.socketPath, 'GET', '/containers/web/json');
    assert.equal(response.status, 200);
    assert.equal(response.body, bytes);
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(bytes)));
  });

  it("never forwards the client's Accept-Encoding on a route that may be rewritten, and does elsewhere", async () => {
    daemon.handle = json(INSPECT);
    await request(proxy.socketPath, 'GET', '/containers/web/json', { headers: { 'Accept-Encoding': 'gzip' } });
    await request(proxy.socketPath, 'GET', '/_ping', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(daemon.requests[0]!.headers['accept-encoding'], undefined);
    assert.equal(daemon.requests[1]!.headers['accept-encoding'], 'gzip');
  });

  const rejections: { name: string; handle: Handler; message: string }[] = [
    {
      name: 'a gzip-encoded protected response',
      handle: json(gzipSync(JSON.stringify(INSPECT)).toString('latin1'), { 'Content-Encoding': 'gzip' }),
      message: 'upstream Docker response rejected by sockguard policy',
    },
    {
      // Readable as it is, but we asked for identity: an encoded protected response is never judged.
      name: 'a protected response labelled gzip',
      handle: json(INSPECT, { 'Content-Encoding': 'gzip' }),
      message: 'upstream Docker response rejected by sockguard policy',
    },
    {
      name: 'a protected response that is not JSON',
      handle: json('<html>'),
      message: 'upstream Docker response rejected by sockguard policy',
    },
    {
      name: 'a protected response of the wrong shape',
      handle: json({ Id: 'c1', Config: { Env: 'SECRET=1', Labels: { env: 'prod' } } }),
      message: 'upstream Docker response rejected by sockguard policy',
    },
    {
      name: 'a protected response over the buffering cap',
      handle: (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('[' + ' '.repeat(MAX_FILTERED_RESPONSE_BYTES) + ']');
      },
      message: 'upstream response too large to filter',
    },
  ];
  for (const rejection of rejections) {
    it(`answers 502 for ${rejection.name}`, async () => {
      daemon.handle = rejection.handle;
      const path = rejection.name.includes('cap') ? '/containers/json' : '/containers/web/json';
      const response = await request(proxy.socketPath, 'GET', path);
      assert.equal(response.status, 502);
      assert.deepEqual(JSON.parse(response.body), { message: rejection.message });
      assert.ok(!response.body.includes('hunter2'));
    });
  }

  it('answers 502 when the daemon dies in the middle of a protected response', async () => {
    daemon.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"Id":"c1","Config":{"Env":["SECRET=hunter2"]');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await request(proxy.socketPath, 'GET', '/containers/web/json');
    assert.equal(response.status, 502);
    assert.ok(!response.body.includes('hunter2'));
  });

  it('hides a resource outside the visibility with 404 resource not found', async () => {
    daemon.handle = json({ ...INSPECT, Config: { ...INSPECT.Config, Labels: { env: 'dev' } } });
    const response = await request(proxy.socketPath, 'GET', '/containers/web/json');
    assert.equal(response.status, 404);
    assert.deepEqual(JSON.parse(response.body), { message: 'resource not found' });
  });

  it('drops invisible list items and sends the shorter list with its own length', async () => {
    daemon.handle = json([
      { Id: 'a', Names: ['/a'], Labels: { env: 'prod' } },
      { Id: 'b', Names: ['/b'], Labels: { env: 'dev' } },
    ]);
    const response = await request(proxy.socketPath, 'GET', '/containers/json');
    assert.equal(response.status, 200);
    assert.deepEqual(
      (JSON.parse(response.body) as { Id: string }[]).map((c) => c.Id),
      ['a'],
    );
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(response.body)));
  });

  it("applies a client profile's visibility on top of the root's", async () => {
    const labelled = (labels: Record<string, string>) => json({ Id: 'c1', Config: { Labels: labels } });
    const cases = [
      { labels: { env: 'prod' }, profile: undefined, status: 200 },
      { labels: { env: 'prod' }, profile: 'team-a', status: 404 },
      { labels: { env: 'prod', team: 'a' }, profile: 'team-a', status: 200 },
      { labels: { team: 'a' }, profile: 'team-a', status: 404 },
    ];
    for (const c of cases) {
      daemon.handle = labelled(c.labels);
      const via = c.profile === 'team-a' ? teamProxy : proxy;
      const response = await request(via.socketPath, 'GET', '/containers/web/json');
      assert.equal(response.status, c.status, JSON.stringify(c));
    }
  });

  it('passes error answers, HEAD and streams through unbuffered', async () => {
    daemon.handle = (req, res) => {
      if (req.method === 'GET' && req.url === '/containers/web/json') {
        // The visibility stage's lookup before the logs.
        json({ Id: 'c1', Config: { Labels: { env: 'prod' } } })(req, res);
        return;
      }
      res.writeHead(req.url.includes('missing') ? 404 : 200, { 'Content-Type': 'text/plain' });
      res.end(req.method === 'HEAD' ? undefined : 'SECRET=hunter2 raw');
    };
    const missing = await request(proxy.socketPath, 'GET', '/containers/missing/json');
    assert.equal(missing.status, 404);
    assert.equal(missing.body, 'SECRET=hunter2 raw');
    const logs = await request(proxy.socketPath, 'GET', '/containers/web/logs?stdout=1');
    assert.equal(logs.body, 'SECRET=hunter2 raw');
    const head = await request(proxy.socketPath, 'HEAD', '/containers/web/json');
    assert.equal(head.status, 200);
  });

  const attestations = [
    { query: 'statement=true', status: 403 },
    { query: 'statement=1&statement=0', status: 403 },
    { query: 'statement=%', status: 403 },
    { query: 'statement=false', status: 200 },
    { query: '', status: 200 },
  ];
  for (const a of attestations) {
    it(`attestations?${a.query}: ${a.status}`, async () => {
      daemon.handle = (req, res) =>
        json(req.url === '/images/busybox/json' ? { Id: 'sha256:1', Config: { Labels: { env: 'prod' } } } : [])(
          req,
          res,
        );
      const response = await request(proxy.socketPath, 'GET', `/images/busybox/attestations?${a.query}`);
      assert.equal(response.status, a.status);
      const forwarded = daemon.requests.filter((r) => r.url.includes('/attestations'));
      assert.equal(forwarded.length, a.status === 200 ? 1 : 0);
    });
  }
});

describe('compileResponseScopes', () => {
  it('compiles the root and each profile, with the owner scope when ownership is on', () => {
    const { policy } = compileYaml(POLICY + 'ownership:\n  owner: alice\n');
    const compiled = compileResponseScopes(policy, {
      owner: 'alice',
      labelKey: 'com.sockguard.owner',
      allowUnownedImages: true,
      allowCrossOwnerNamespaceSharing: false,
    });
    assert.ok(compiled.ok);
    const root = selectResponsePolicy(compiled.scopes, undefined)!;
    const profile = selectResponsePolicy(compiled.scopes, 'team-a')!;
    assert.equal(root.visibility?.owner?.owner, 'alice');
    assert.deepEqual(profile.visibility?.selectors, [
      { key: 'env', value: 'prod' },
      { key: 'team', value: 'a' },
    ]);
    assert.equal(root.redaction.redact_container_env, true);
    assert.equal(root.redaction.redact_host_topology, false);
    assert.equal(selectResponsePolicy(compiled.scopes, 'nobody'), undefined);
  });

  it('names every visibility that does not compile', () => {
    const { policy } = compileYaml(
      POLICY.replace('[env=prod]', '["=x"]').replace('[team=a]', '[team=a]\n        name_patterns: [""]'),
    );
    const compiled = compileResponseScopes(policy, undefined);
    assert.deepEqual(compiled.ok ? [] : compiled.problems, [
      'response: invalid label selector "=x"',
      'clients.profiles[0].response: invalid label selector "=x"',
    ]);
  });
});
