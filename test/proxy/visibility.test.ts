/**
 * serve enforces visibility on the request side (stages/visibility.ts) in front of a fake daemon: an
 * action on a hidden resource (by label selector or name pattern; through an exec instance's
 * container; through a query reference) is 404 `resource not found` and never forwarded, lists,
 * prunes and events get the selectors injected into their filters, an unknown reference is left to
 * the daemon, and a failed lookup is 502.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeDaemon, type FakeDaemon, type RecordedRequest } from '../helpers/fake-daemon.js';
import { request, startTestProxy, type TestProxy } from './fixture.js';

const POLICY = `
rules:
  - { match: { method: "*", path: "/**" }, action: allow }
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
response:
  visible_resource_labels: [env=prod]
  name_patterns: ["web-*"]
`;

const inspect = (name: string, labels: Record<string, string>) => ({
  Id: `${name}-id`,
  Name: `/${name}`,
  Config: { Image: 'busybox', Labels: labels },
});

function answer(req: RecordedRequest): { status: number; body: unknown } {
  if (req.method !== 'GET') return { status: 200, body: {} };
  switch (req.url) {
    case '/containers/web-1/json':
      return { status: 200, body: inspect('web-1', { env: 'prod' }) };
    case '/containers/web-dev/json':
      return { status: 200, body: inspect('web-dev', { env: 'dev' }) };
    case '/containers/db-1/json':
      return { status: 200, body: inspect('db-1', { env: 'prod' }) };
    case '/containers/broken/json':
      return { status: 500, body: { message: 'boom' } };
    case '/exec/e-dev/json':
      return { status: 200, body: { ID: 'e-dev', ContainerID: 'web-dev' } };
    default:
      return { status: 404, body: { message: 'No such object' } };
  }
}

describe('visibility on the request side', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(POLICY, daemon.socketPath);
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
    daemon.handle = (req, res) => {
      const { status, body } = answer(req);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
  });
  const forwarded = () => daemon.requests.filter((r) => r.method !== 'GET' || !r.url.endsWith('/json'));

  const cases = [
    { name: 'a visible container', method: 'POST', target: '/containers/web-1/start', status: 200 },
    {
      name: 'a container outside the label selectors',
      method: 'POST',
      target: '/containers/web-dev/stop',
      status: 404,
    },
    { name: 'a container outside the name patterns', method: 'DELETE', target: '/containers/db-1', status: 404 },
    { name: "a hidden container's logs", method: 'GET', target: '/containers/web-dev/logs?stdout=1', status: 404 },
    {
      name: 'an exec instance of a hidden container',
      method: 'POST',
      target: '/exec/e-dev/resize?h=1&w=1',
      status: 404,
    },
    { name: 'a commit of a hidden container', method: 'POST', target: '/commit?container=web-dev', status: 404 },
    {
      name: 'a reference the daemon does not know (its own 404)',
      method: 'POST',
      target: '/containers/nope/start',
      status: 200,
    },
    { name: 'a lookup the daemon fails', method: 'POST', target: '/containers/broken/start', status: 502 },
  ];
  for (const c of cases) {
    it(`${c.method} ${c.target}: ${c.name} -> ${c.status}`, async () => {
      const response = await request(proxy.socketPath, c.method, c.target);
      assert.equal(response.status, c.status, response.body);
      if (c.status === 404) assert.deepEqual(JSON.parse(response.body), { message: 'resource not found' });
      if (c.status === 502) assert.deepEqual(JSON.parse(response.body), { message: 'visibility policy lookup failed' });
      assert.equal(forwarded().length, c.status === 200 ? 1 : 0);
    });
  }

  const bodies = [
    {
      name: "joining a hidden container's PID namespace",
      target: '/containers/create',
      body: { Image: 'busybox', HostConfig: { PidMode: 'container:web-dev' } },
      status: 404,
    },
    {
      name: 'linking a hidden container',
      target: '/containers/create',
      body: { Image: 'busybox', HostConfig: { Links: ['db-1:db'] } },
      status: 404,
    },
    {
      name: "joining a visible container's network namespace",
      target: '/containers/create',
      body: { Image: 'busybox', HostConfig: { NetworkMode: 'container:web-1' } },
      status: 200,
    },
    {
      name: 'connecting a hidden container to a network',
      target: '/networks/net1/connect',
      body: { Container: 'web-dev' },
      status: 404,
    },
  ];
  for (const b of bodies) {
    it(`POST ${b.target}: ${b.name} -> ${b.status}`, async () => {
      daemon.handle = (req, res) => {
        const found =
          req.url === '/networks/net1' ? { status: 200, body: { Id: 'n1', Labels: { env: 'prod' } } } : answer(req);
        res.writeHead(found.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(found.body));
      };
      const response = await request(proxy.socketPath, 'POST', b.target, {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(b.body),
      });
      assert.equal(response.status, b.status, response.body);
      assert.equal(daemon.requests.filter((r) => r.method === 'POST').length, b.status === 200 ? 1 : 0);
    });
  }

  for (const [method, target] of [
    ['GET', '/v1.41/events?since=1'],
    ['POST', '/containers/prune'],
    ['GET', '/volumes?filters=%7B%22dangling%22%3A%5B%22true%22%5D%7D'],
  ] as const) {
    it(`${method} ${target} gets the label selectors injected into its filters`, async () => {
      daemon.handle = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(target.includes('volumes') ? '{"Volumes":[],"Warnings":null}' : '{}');
      };
      await request(proxy.socketPath, method, target);
      const sent = new URLSearchParams(daemon.requests[0]!.url.split('?')[1]);
      const filters = JSON.parse(sent.get('filters')!) as Record<string, Record<string, boolean>>;
      assert.deepEqual(filters.label, { 'env=prod': true });
      if (target.includes('dangling')) assert.deepEqual(filters.dangling, { true: true });
    });
  }
});
