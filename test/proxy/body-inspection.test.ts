/**
 * serve enforces the root request_body: denied bodies never reach the daemon, allowed ones arrive
 * byte for byte, oversized ones are 413, and exec start is re-checked against the daemon's inspect.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import type { Exchange, ExchangeResult } from '../../src/proxy/exchange.js';
import { compileYaml, request, sendRaw, startTestProxy, type TestProxy } from './fixture.js';

const POLICY = `
rules:
  - match: { method: POST, path: "/containers/create" }
    action: allow
  - match: { method: POST, path: "/containers/*/exec" }
    action: allow
  - match: { method: POST, path: "/exec/*/start" }
    action: allow
  - match: { method: PUT, path: "/containers/*/archive" }
    action: allow
  - match: { method: "*", path: "/**" }
    action: deny
request_body:
  container_create:
    allowed_bind_mounts: [/srv/data]
  exec:
    allowed_commands: [["ls", "-l"]]
`;
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const MIB = 1024 * 1024;
/** The buffer limit for bodies no inspector reads; inspected bodies have the core's own limits. */
const UNINSPECTED_LIMIT = 1024;

/** What the daemon reports for an exec instance (GET /exec/{id}/json). */
function execInspect(entrypoint: string, args: string[]): string {
  return JSON.stringify({ ID: 'e1', ProcessConfig: { entrypoint, arguments: args, privileged: false, user: 'app' } });
}

describe('request body inspection', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  const results: ExchangeResult[] = [];
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startTestProxy(POLICY, daemon.socketPath, {
      bodyLimits: { maxBytes: UNINSPECTED_LIMIT, timeoutMs: 5_000 },
      observer: {
        finished: (exchange: Exchange) => results.push(exchange.result!),
        failed: () => undefined,
      },
    });
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });
  beforeEach(() => {
    daemon.requests.length = 0;
    results.length = 0;
    daemon.handle = (req, res) => {
      if (req.url === '/exec/e1/json') res.end(execInspect('ls', ['-l']));
      else if (req.url === '/exec/e2/json') res.end(execInspect('sh', ['-c', 'id']));
      else if (req.url.endsWith('/json')) {
        res.statusCode = 404;
        res.end('{"message":"No such exec instance"}');
      } else res.end('{}');
    };
  });

  const denials = [
    {
      name: 'a privileged create',
      body: '{"Image":"alpine","HostConfig":{"Privileged":true}}',
      field: /allow_privileged/,
    },
    {
      name: 'a bind of /',
      body: '{"Image":"alpine","HostConfig":{"Binds":["/:/host"]}}',
      field: /allowed_bind_mounts/,
    },
  ];
  for (const { name, body, field } of denials) {
    it(`denies ${name} with the policy key named in the log, and nothing reaches the daemon`, async () => {
      const response = await request(proxy.socketPath, 'POST', '/v1.45/containers/create', {
        headers: JSON_HEADERS,
        body,
      });
      assert.equal(response.status, 403);
      assert.deepEqual(JSON.parse(response.body), { message: 'request denied by sockguard policy' });
      assert.equal(daemon.requests.length, 0);
      assert.equal(results[0]?.reasonCode, 'request_body_policy_denied');
      assert.match(results[0]?.reason ?? '', field);
    });
  }

  it('forwards an allowed create byte for byte', async () => {
    const body = '{ "HostConfig" : {"Binds":["/srv/data:/data:ro"]},\n  "Image":"alpine" , "Cmd":["true"] }';
    const response = await request(proxy.socketPath, 'POST', '/v1.45/containers/create?name=web', {
      headers: JSON_HEADERS,
      body,
    });
    assert.equal(response.status, 200);
    assert.equal(daemon.requests.length, 1);
    assert.equal(daemon.requests[0]!.url, '/v1.45/containers/create?name=web');
    assert.equal(daemon.requests[0]!.body.toString(), body);
  });

  it('refuses a body over the inspection limit with 413 and forwards nothing', async () => {
    const body = `{"Image":"alpine","Labels":{"x":"${'x'.repeat(MIB)}"}}`;
    const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
    assert.equal(response.status, 413);
    assert.equal(results[0]?.reasonCode, 'request_body_too_large');
    assert.equal(daemon.requests.length, 0);
  });

  it('buffers an archive upload past the plain buffer limit and judges its entries', async () => {
    // 10 KiB of tar holding a symlink to ../../etc: streamed, it could not have been judged at all.
    const body = readFileSync(new URL('../policy/body/fixtures/gnu-tar-gnu-format.tar', import.meta.url));
    assert.ok(body.length > UNINSPECTED_LIMIT);
    const response = await request(proxy.socketPath, 'PUT', '/containers/x/archive?path=/tmp', {
      headers: { 'Content-Type': 'application/x-tar' },
      body,
    });
    assert.equal(response.status, 403);
    assert.equal(results[0]?.reasonCode, 'request_body_policy_denied');
    assert.match(results[0]?.reason ?? '', /allow_escaping_links/);
    assert.equal(daemon.requests.length, 0);
  });

  it('answers a malformed body with 400 before the daemon sees it', async () => {
    const response = await request(proxy.socketPath, 'POST', '/containers/create', {
      headers: JSON_HEADERS,
      body: '{"Image":',
    });
    assert.equal(response.status, 400);
    assert.equal(results[0]?.reasonCode, 'request_body_inspection_failed');
    assert.equal(daemon.requests.length, 0);
  });

  it("re-checks exec start against the daemon's exec inspect", async () => {
    const allowed = await request(proxy.socketPath, 'POST', '/exec/e1/start', { headers: JSON_HEADERS, body: '{}' });
    assert.equal(allowed.status, 200);
    assert.deepEqual(
      daemon.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /exec/e1/json', 'POST /exec/e1/start'],
    );
    daemon.requests.length = 0;
    const denied = await request(proxy.socketPath, 'POST', '/exec/e2/start', { headers: JSON_HEADERS, body: '{}' });
    assert.equal(denied.status, 403);
    assert.match(results.at(-1)?.reason ?? '', /exec start: Cmd \["sh","-c","id"\] matches no template/);
    assert.deepEqual(
      daemon.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /exec/e2/json'],
    );
  });

  it('re-checks a hijacked exec start before any tunnel opens', async () => {
    const { text } = await sendRaw(
      proxy.socketPath,
      'POST /v1.45/exec/e2/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n' +
        'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      5_000,
      1,
    );
    assert.match(text, /^HTTP\/1\.1 403 /);
    assert.deepEqual(
      daemon.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /exec/e2/json'],
    );
  });

  it('answers 502 when the exec instance cannot be looked up', async () => {
    const response = await request(proxy.socketPath, 'POST', '/exec/gone/start', { headers: JSON_HEADERS, body: '{}' });
    assert.equal(response.status, 502);
    assert.match(JSON.parse(response.body).message, /could not look up the exec instance.*404/);
    assert.equal(results[0]?.reasonCode, 'exec_lookup_failed');
    assert.deepEqual(
      daemon.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /exec/gone/json'],
    );
  });

  it('follows a reload: the new version judges with its own request_body', async () => {
    const body = '{"Image":"alpine","HostConfig":{"Privileged":true}}';
    proxy.proxy.store.publish(
      compileYaml(`${POLICY.replace('container_create:\n', 'container_create:\n    allow_privileged: true\n')}`),
    );
    try {
      const response = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
      assert.equal(response.status, 200);
    } finally {
      proxy.proxy.store.publish(compileYaml(POLICY));
    }
    const again = await request(proxy.socketPath, 'POST', '/containers/create', { headers: JSON_HEADERS, body });
    assert.equal(again.status, 403);
  });
});

describe('request body inspection, verbose denials', () => {
  it('names method, path and the violated key like a rule deny', async () => {
    const daemon = await startFakeDaemon();
    const proxy = await startTestProxy(`${POLICY}response:\n  deny_verbosity: verbose\n`, daemon.socketPath);
    try {
      const response = await request(proxy.socketPath, 'POST', '/v1.45/containers/create', {
        headers: JSON_HEADERS,
        body: '{"Image":"alpine","HostConfig":{"Privileged":true}}',
      });
      assert.equal(response.status, 403);
      assert.deepEqual(JSON.parse(response.body), {
        message: 'request denied by sockguard policy',
        method: 'POST',
        path: '/v1.45/containers/create',
        reason: 'HostConfig.Privileged is true; request_body.container_create.allow_privileged is false',
      });
      assert.equal(daemon.requests.length, 0);
    } finally {
      await proxy.close();
      await daemon.close();
    }
  });
});
