import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { PeerCredentialReader } from '../../../src/proxy/peer-credentials.js';
import { makeCa, makeCert, type ClientCert } from '../tls-certs.js';
import { send, startClientProxy, waitForExchanges, type ClientProxy } from './client-proxy.js';

const ROOT = `
rules:
  - match: { method: GET, path: /_ping }
    action: allow
  - match: { method: GET, path: /containers/json }
    action: allow
health: { enabled: true }
metrics: { enabled: true }
insecure_allow_read_exfiltration: true
`;

const PROFILES = `
  profiles:
    - name: ci
      rules:
        - match: { method: GET, path: /_ping }
          action: allow
    - name: ops
      rules:
        - match: { method: GET, path: /** }
          action: allow
    - name: watcher
      mode: WARN
      rules:
        - match: { method: GET, path: /_ping }
          action: allow
`;

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('client gates: clients.allowed_cidrs', () => {
  const proxies: ClientProxy[] = [];
  after(() => Promise.all(proxies.map((p) => p.close())));

  const cases: { name: string; listen: 'tcp' | 'unix'; cidrs: string; admitted: boolean }[] = [
    { name: 'TCP client outside every prefix', listen: 'tcp', cidrs: '[10.0.0.0/8]', admitted: false },
    { name: 'TCP client inside a prefix', listen: 'tcp', cidrs: '[10.0.0.0/8, 127.0.0.1/32]', admitted: true },
    { name: 'an IPv6 prefix never admits an IPv4 client', listen: 'tcp', cidrs: '["::/0"]', admitted: false },
    { name: 'unix client under a non-empty list', listen: 'unix', cidrs: '[0.0.0.0/0]', admitted: false },
    { name: 'empty list admits everyone', listen: 'unix', cidrs: '[]', admitted: true },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.admitted ? 'admitted' : '403 client_ip_not_allowed'}, /health and /metrics too`, async () => {
      const proxy = await startClientProxy(`${ROOT}clients:\n  allowed_cidrs: ${c.cidrs}\n`, { listen: c.listen });
      proxies.push(proxy);
      for (const target of ['/v1.45/_ping', '/health', '/metrics']) {
        const response = await send(proxy.endpoint, 'GET', target);
        if (c.admitted) {
          assert.notEqual(response.status, 403, target);
        } else {
          assert.equal(response.status, 403, target);
          assert.deepEqual(json(response.body), { message: 'client IP not allowed' });
        }
      }
      await waitForExchanges(proxy, 3);
      if (!c.admitted) {
        assert.deepEqual(proxy.forwarded(), []);
        assert.deepEqual(
          proxy.exchanges.map((e) => e.result?.reasonCode),
          ['client_ip_not_allowed', 'client_ip_not_allowed', 'client_ip_not_allowed'],
        );
        assert.equal(proxy.logs[0]?.decision, '', 'answered before the rule filter');
      }
    });
  }
});

describe('client gates before the request-target check', () => {
  const proxies: ClientProxy[] = [];
  after(() => Promise.all(proxies.map((p) => p.close())));

  // A refused client must not learn which request-targets we refuse (400 request_target_invalid).
  for (const target of ['/v1.45/containers/x/../json', '/v1.45/_ping#x', '/v1.12/_ping']) {
    it(`an unlisted client asking for ${target} gets the ACL's 403, an admitted one the 400`, async () => {
      const refused = await startClientProxy(`${ROOT}clients:\n  allowed_cidrs: [10.0.0.0/8]\n`, { listen: 'tcp' });
      const admitted = await startClientProxy(`${ROOT}clients:\n  allowed_cidrs: [127.0.0.1/32]\n`, { listen: 'tcp' });
      proxies.push(refused, admitted);
      const denied = await send(refused.endpoint, 'GET', target);
      assert.equal(denied.status, 403);
      assert.deepEqual(json(denied.body), { message: 'client IP not allowed' });
      const invalid = await send(admitted.endpoint, 'GET', target);
      assert.equal(invalid.status, 400, invalid.body);
      await waitForExchanges(admitted, 1);
      assert.equal(admitted.exchanges[0]?.result?.reasonCode, 'request_target_invalid');
      assert.deepEqual([...refused.forwarded(), ...admitted.forwarded()], []);
    });
  }
});

describe('client gates: profile resolution', () => {
  it('source_ip_profiles pick the profile whose rules then judge; default_profile otherwise', async () => {
    const proxy = await startClientProxy(
      `${ROOT}clients:\n  source_ip_profiles: [{ profile: ci, cidrs: [127.0.0.0/8] }]\n  default_profile: ops\n${PROFILES}`,
      { listen: 'tcp' },
    );
    try {
      assert.equal((await send(proxy.endpoint, 'GET', '/_ping')).status, 200);
      const denied = await send(proxy.endpoint, 'GET', '/containers/json');
      assert.equal(denied.status, 403);
      await waitForExchanges(proxy, 2);
      assert.deepEqual(
        proxy.exchanges.map((e) => [e.profile, e.result?.reasonCode]),
        [
          ['ci', undefined],
          ['ci', 'no_matching_allow_rule'],
        ],
      );
      assert.equal(proxy.logs[1]?.profile, 'ci');
      assert.deepEqual(proxy.forwarded(), ['GET /_ping']);
    } finally {
      await proxy.close();
    }
  });

  it('unix_peer_profiles read SO_PEERCRED; unreadable credentials are 502, never the default profile', async () => {
    const asUid = (uid: number) =>
      new PeerCredentialReader({
        warn: () => undefined,
        load: { addon: { peerCredentials: () => ({ uid, gid: uid, pid: 4242 }) } },
      });
    const yaml = `${ROOT}clients:\n  unix_peer_profiles: [{ profile: ci, uids: [1000] }]\n  default_profile: ops\n${PROFILES}`;
    const table: [PeerCredentialReader, number, string | undefined, string | undefined][] = [
      [asUid(1000), 403, 'ci', 'no_matching_allow_rule'],
      [asUid(1001), 200, 'ops', undefined],
      [
        new PeerCredentialReader({ warn: () => undefined, load: { error: 'no addon' } }),
        502,
        undefined,
        'client_identity_lookup_failed',
      ],
    ];
    for (const [reader, status, profile, reasonCode] of table) {
      const proxy = await startClientProxy(yaml, { peerCredentials: reader });
      try {
        const response = await send(proxy.endpoint, 'GET', '/containers/json');
        assert.equal(response.status, status);
        if (status === 502) assert.deepEqual(json(response.body), { message: 'client identity lookup failed' });
        await waitForExchanges(proxy, 1);
        assert.equal(proxy.exchanges[0]?.profile, profile);
        assert.equal(proxy.exchanges[0]?.result?.reasonCode, reasonCode);
      } finally {
        await proxy.close();
      }
    }
  });
});

describe('client gates: client_certificate_profiles on an mTLS listener', () => {
  it('the verified leaf selects the profile before the source address does', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgcert-'));
    const { caCert } = makeCa(dir);
    const server = makeCert(dir, 'server', 'proxy', 'IP:127.0.0.1', 'serverAuth');
    const alice = makeCert(dir, 'alice', 'alice', 'URI:spiffe://example/alice', 'clientAuth');
    const bob = makeCert(dir, 'bob', 'bob', 'DNS:bob.example', 'clientAuth');
    const proxy = await startClientProxy(
      `${ROOT}listen:\n  tls: { cert_file: ${server.cert}, key_file: ${server.key}, client_ca_file: ${caCert} }
clients:
  client_certificate_profiles: [{ profile: ci, spiffe_ids: ["SPIFFE://example/alice"] }]
  source_ip_profiles: [{ profile: ops, cidrs: [127.0.0.0/8] }]
${PROFILES}`,
      { listen: 'tcp' },
    );
    const port = (proxy.endpoint as { port: number }).port;
    const get = (client: ClientCert) =>
      new Promise<number>((resolve, reject) => {
        https
          .get(
            {
              host: '127.0.0.1',
              port,
              path: '/containers/json',
              ca: readFileSync(caCert),
              cert: readFileSync(client.cert),
              key: readFileSync(client.key),
              agent: false,
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          )
          .on('error', reject);
      });
    try {
      assert.equal(await get(alice), 403);
      assert.equal(await get(bob), 200);
      await waitForExchanges(proxy, 2);
      assert.deepEqual(
        proxy.exchanges.map((e) => [e.profile, e.client?.certificate?.commonName]),
        [
          ['ci', 'alice'],
          ['ops', 'bob'],
        ],
      );
    } finally {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('client gates: listeners[].allowed_profiles', () => {
  it('a listener admits only the profiles it lists, never the root policy; pre-auth even under warn', async () => {
    const listeners = `
listeners:
  - { name: ci-only, socket: "{dir}/ci.sock", allowed_profiles: [ci] }
  - { name: warn-only, socket: "{dir}/warn.sock", allowed_profiles: [watcher] }
  - { name: any, socket: "{dir}/any.sock", allowed_profiles: ["*"] }
`;
    const table: [string, string, number][] = [
      ['default_profile: ci', 'ci-only', 200],
      ['default_profile: ops', 'ci-only', 403],
      ['default_profile: ""', 'ci-only', 403],
      ['default_profile: ops', 'warn-only', 403],
      ['default_profile: ops', 'any', 200],
      ['default_profile: ""', 'any', 200],
    ];
    for (const [selection, listener, status] of table) {
      const proxy = await startClientProxy(`${ROOT}${listeners}clients:\n  ${selection}\n${PROFILES}`);
      try {
        const socketPath = proxy.proxy.listeners.find((l) => l.info.name === listener)!.info.address;
        const response = await send({ socketPath }, 'GET', '/_ping');
        assert.equal(response.status, status, `${selection} on ${listener}`);
        if (status === 403) {
          assert.deepEqual(json(response.body), { message: 'client profile not allowed on this listener' });
          await waitForExchanges(proxy, 1);
          assert.equal(proxy.exchanges[0]?.result?.reasonCode, 'listener_profile_not_allowed');
          assert.deepEqual(proxy.forwarded(), []);
        }
      } finally {
        await proxy.close();
      }
    }
  });
});

describe('client gates: clients.container_labels', () => {
  const container = (labels: Record<string, string>, ip = '127.0.0.1') => [
    { Id: 'c1', Names: ['/caller'], Labels: labels, NetworkSettings: { Networks: { bridge: { IPAddress: ip } } } },
  ];
  const cases: {
    name: string;
    list: unknown;
    listStatus?: number;
    profile?: string;
    target: string;
    status: number;
    body?: Record<string, unknown>;
    reasonCode?: string;
    forwarded: boolean;
  }[] = [
    {
      name: 'a label allows the request (and the rules still apply)',
      list: container({ 'com.sockguard.allow.get': '/_ping,/info' }),
      target: '/_ping',
      status: 200,
      forwarded: true,
    },
    {
      name: 'labels present, none matches',
      list: container({ 'com.sockguard.allow.get': '/_ping' }),
      target: '/containers/json',
      status: 403,
      body: { message: 'client label policy denied request' },
      reasonCode: 'client_label_policy_denied_request',
      forwarded: false,
    },
    {
      name: 'a label allowing what the rules deny does not widen the rules',
      list: container({ 'com.sockguard.allow.post': '/containers/create' }),
      target: '/containers/json',
      status: 403,
      reasonCode: 'client_label_policy_denied_request',
      forwarded: false,
    },
    {
      name: 'unknown method suffix',
      list: container({ 'com.sockguard.allow.fetch': '/_ping' }),
      target: '/_ping',
      status: 502,
      body: { message: 'client label ACL evaluation failed' },
      reasonCode: 'client_label_acl_evaluation_failed',
      forwarded: false,
    },
    {
      name: 'the daemon fails the lookup',
      list: { message: 'boom' },
      listStatus: 500,
      target: '/_ping',
      status: 502,
      body: { message: 'client label ACL lookup failed' },
      reasonCode: 'client_label_acl_lookup_failed',
      forwarded: false,
    },
    {
      name: 'a garbled container list',
      list: [{ Labels: 'not a map' }],
      target: '/_ping',
      status: 502,
      reasonCode: 'client_label_acl_lookup_failed',
      forwarded: false,
    },
    {
      name: 'no container has the address: unchanged',
      list: container({ 'com.sockguard.allow.get': '/_ping' }, '10.9.9.9'),
      target: '/containers/json?all=1',
      status: 200,
      forwarded: true,
    },
    {
      name: 'a warn profile forwards a label denial as would_deny',
      list: container({ 'com.sockguard.allow.get': '/_ping' }),
      profile: 'watcher',
      target: '/info',
      status: 200,
      reasonCode: 'client_label_policy_denied_request',
      forwarded: true,
    },
    {
      name: 'a warn profile still answers a failed evaluation',
      list: container({ 'com.sockguard.allow.get': '' }),
      profile: 'watcher',
      target: '/_ping',
      status: 502,
      reasonCode: 'client_label_acl_evaluation_failed',
      forwarded: false,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status}`, async () => {
      const profiles = c.profile ? `  default_profile: ${c.profile}\n${PROFILES}` : '';
      const proxy = await startClientProxy(`${ROOT}clients:\n  container_labels: { enabled: true }\n${profiles}`, {
        listen: 'tcp',
        handle: (req, res) => {
          res.statusCode = req.url === '/containers/json' ? (c.listStatus ?? 200) : 200;
          res.setHeader('Content-Type', 'application/json');
          res.end(req.url === '/containers/json' ? JSON.stringify(c.list) : '{}');
        },
      });
      try {
        const response = await send(proxy.endpoint, 'GET', c.target);
        assert.equal(response.status, c.status);
        if (c.body) assert.deepEqual(json(response.body), c.body);
        await waitForExchanges(proxy, 1);
        const exchange = proxy.exchanges[0]!;
        if (c.status === 200 && c.reasonCode) {
          assert.equal(exchange.wouldDeny?.reasonCode, c.reasonCode);
          assert.equal(exchange.wouldDeny?.mode, 'warn');
        } else if (c.reasonCode) {
          assert.equal(exchange.result?.reasonCode, c.reasonCode);
        }
        assert.equal(proxy.forwarded().length > 0, c.forwarded);
      } finally {
        await proxy.close();
      }
    });
  }

  it('unix clients are never looked up; lookups are cached per address', async () => {
    const list = container({ 'com.sockguard.allow.get': '/_ping' });
    const handle = (req: { url: string }, res: import('node:http').ServerResponse) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url === '/containers/json' ? JSON.stringify(list) : '{}');
    };
    const unix = await startClientProxy(`${ROOT}clients:\n  container_labels: { enabled: true }\n`, { handle });
    const tcp = await startClientProxy(`${ROOT}clients:\n  container_labels: { enabled: true }\n`, {
      listen: 'tcp',
      handle,
    });
    try {
      assert.equal((await send(unix.endpoint, 'GET', '/containers/json')).status, 200);
      assert.equal(unix.daemon.requests.filter((r) => r.url === '/containers/json').length, 1, 'the request itself');
      for (let i = 0; i < 3; i++) await send(tcp.endpoint, 'GET', '/_ping');
      assert.equal(tcp.daemon.requests.filter((r) => r.url === '/containers/json').length, 1);
    } finally {
      await unix.close();
      await tcp.close();
    }
  });
});
