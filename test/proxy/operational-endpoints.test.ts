/** Health, readiness, metrics, the admin API and the access log, through a running proxy. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, compileYaml, request, sleep } from './fixture.js';

const OPS = `
health:
  readiness: { enabled: true, interval: 50ms, timeout: 1s }
  watchdog: { enabled: true, interval: 50ms }
metrics: { enabled: true }
admin: { enabled: true }
response: { deny_verbosity: verbose }
`;

describe('operational endpoints', () => {
  let daemon: FakeDaemon;
  let proxy: RunningProxy;
  let dir: string;
  let socketPath: string;
  const lines: Record<string, unknown>[] = [];

  before(async () => {
    daemon = await startFakeDaemon((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      // A list must be a JSON array: default redaction refuses anything else with 502.
      res.end(/^(\/v[\d.]+)?\/containers\/json/.test(req.url) ? '[]' : 'OK');
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'sgops-'));
    socketPath = path.join(dir, 'proxy.sock');
    const compiled = compileYaml(ALLOW_ALL_GETS + OPS);
    compiled.policy.listen.socket = socketPath;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    proxy = await startProxy({
      compiled,
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
      logger: pino({ base: null }, sink),
      env: {},
      version: '9.9.9',
    });
  });
  after(async () => {
    await proxy.shutdown(100);
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('/health reports the upstream and the listeners', async () => {
    const response = await request(socketPath, 'GET', '/health');
    assert.equal(response.status, 200);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    assert.equal(body.status, 'healthy');
    assert.equal(body.upstream, 'connected');
    assert.equal(body.version, '9.9.9');
    assert.deepEqual(body.listeners, [{ name: 'default', role: 'main', network: 'unix', state: 'listening' }]);
    assert.equal(daemon.requests.filter((r) => r.url === '/health').length, 0, 'never forwarded');
  });

  it('/ready follows the readiness probe of the daemon API', async () => {
    for (let i = 0; i < 500 && (await request(socketPath, 'GET', '/ready')).status !== 200; i++) await sleep(20);
    const response = await request(socketPath, 'GET', '/ready');
    assert.equal(response.status, 200);
    assert.equal((JSON.parse(response.body) as { status: string }).status, 'ready');
    assert.ok(daemon.requests.some((r) => r.url === '/containers/json?limit=1'));
  });

  it('/metrics exposes the reference metric names with templated routes', async () => {
    await request(socketPath, 'GET', '/v1.41/containers/json');
    await request(socketPath, 'POST', '/v1.41/containers/0123abcd/kill');
    const text = (await request(socketPath, 'GET', '/metrics')).body;
    for (const name of [
      'sockguard_build_info',
      'sockguard_start_time_seconds',
      'sockguard_http_requests_total',
      'sockguard_http_denied_requests_total',
      'sockguard_http_request_duration_seconds_bucket',
      'sockguard_http_requests_active',
      'sockguard_listener_up',
      'sockguard_upstream_socket_up',
      'sockguard_upstream_watchdog_checks_total',
      'sockguard_upstream_api_up',
      'sockguard_upstream_readiness_checks_total',
      'sockguard_policy_version',
    ]) {
      assert.match(text, new RegExp(`^${name}`, 'm'), name);
    }
    assert.match(
      text,
      /sockguard_http_denied_requests_total\{listener="default",mode="enforce",profile="default",reason_code="no_matching_allow_rule",route="\/containers\/\{id\}\/kill"\} 1/,
    );
    assert.match(text, /sockguard_http_requests_total\{[^}]*route="\/containers\/json",status="200"\}/);
  });

  it('POST /admin/validate: 200 with counts, 422 with errors, empty fields omitted', async () => {
    const ok = await request(socketPath, 'POST', '/admin/validate', {
      body: 'rules:\n  - match: {method: GET, path: /_ping}\n    action: allow\n',
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { ok: true, rules: 1 });
    const empty = await request(socketPath, 'POST', '/admin/validate', { body: '' });
    assert.deepEqual(JSON.parse(empty.body), { ok: true, rules: 5 });
    const parse = await request(socketPath, 'POST', '/admin/validate', { body: 'rules: [\n' });
    assert.equal(parse.status, 422);
    const parsed = JSON.parse(parse.body) as { ok: boolean; errors: string[] };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.errors.length, 1);
    assert.match(parsed.errors[0]!, /^parse: /);
    const probes = await request(socketPath, 'POST', '/admin/validate', {
      body: 'rules:\n  - match: {method: GET, path: "/containers/**"}\n    action: allow\n',
    });
    assert.equal(probes.status, 422);
    assert.match(
      (JSON.parse(probes.body) as { errors: string[] }).errors[0]!,
      /Exposed endpoints: GET \/containers\/sockguard-test\/archive/,
    );
    assert.equal(proxy.store.current.version, 1, 'validate never changes the running policy');
  });

  it('admin: 405 with Allow, 413 over max_request_bytes, policy version', async () => {
    const wrong = await request(socketPath, 'GET', '/admin/validate');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.allow, 'POST');
    const big = await request(socketPath, 'POST', '/admin/validate', { body: 'x'.repeat(524_289) });
    assert.equal(big.status, 413);
    assert.deepEqual(JSON.parse(big.body), { message: 'request body exceeds admin.max_request_bytes' });
    const version = await request(socketPath, 'GET', '/admin/policy/version');
    const body = JSON.parse(version.body) as Record<string, unknown>;
    assert.equal(body.version, 1);
    assert.equal(body.source, 'startup');
    assert.match(String(body.config_sha256), /^[0-9a-f]{64}$/);
    assert.equal('compat_active' in body, false);
    assert.equal((await request(socketPath, 'HEAD', '/admin/policy/version')).status, 405);
  });

  it('verbose denies name method, path and reason, and redact secret names', async () => {
    const denied = await request(socketPath, 'GET', '/v1.41/secrets/db-password');
    assert.deepEqual(JSON.parse(denied.body), {
      message: 'request denied by sockguard policy',
      method: 'GET',
      path: '/v1.41/secrets/<redacted>',
      reason: 'no matching allow rule',
    });
    const unlock = await request(socketPath, 'GET', '/swarm/unlockkey');
    assert.equal((JSON.parse(unlock.body) as { path: string }).path, '/swarm/<redacted>');
  });

  it('writes one access-log record per request with the reference fields', async () => {
    lines.length = 0;
    await request(socketPath, 'POST', '/v1.41/containers/x/kill', { headers: { 'X-Request-Id': 'mine' } });
    await request(socketPath, 'GET', '/v1.41/containers/json', {
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    });
    for (let i = 0; i < 500 && lines.length < 2; i++) await sleep(10);
    const [denied, allowed] = lines as [Record<string, unknown>, Record<string, unknown>];
    assert.equal(denied.msg, 'request_denied');
    assert.equal(denied.level, 40);
    assert.equal(denied.client_request_id, 'mine');
    assert.equal(denied.decision, 'deny');
    assert.equal(denied.reason_code, 'no_matching_allow_rule');
    assert.equal(denied.normalized_path, '/containers/x/kill');
    assert.equal(denied.path, '/v1.41/containers/x/kill');
    assert.equal(denied.status, 403);
    assert.equal(denied.client, 'unix');
    assert.equal(denied.listener_name, 'default');
    assert.equal(allowed.msg, 'request');
    assert.equal(allowed.decision, 'allow');
    assert.equal(allowed.rule, 1);
    assert.equal(allowed.trace_id, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(allowed.trace_parent_id, 'b7ad6b7169203331');
    assert.equal(allowed.trace_sampled, true);
    for (const field of ['request_id', 'latency_ms', 'bytes']) assert.ok(field in allowed, field);
  });
});

describe('audit log', () => {
  it('writes one http_request event per request with the reference fields', async () => {
    const daemon = await startFakeDaemon();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgaudit-'));
    const events: Record<string, unknown>[] = [];
    const compiled = compileYaml(ALLOW_ALL_GETS + 'log:\n  audit:\n    enabled: true\n');
    compiled.policy.listen.socket = path.join(dir, 'p.sock');
    const proxy = await startProxy({
      compiled,
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
      auditLogger: pino(
        { base: null },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            events.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
            done();
          },
        }),
      ),
    });
    try {
      await request(path.join(dir, 'p.sock'), 'POST', '/v1.41/containers/%61bc/kill');
      for (let i = 0; i < 500 && events.length === 0; i++) await sleep(10);
      const event = events[0]!;
      assert.equal(event.event_type, 'http_request');
      assert.equal(event.raw_path, '/v1.41/containers/%61bc/kill');
      assert.equal(event.normalized_path, '/containers/abc/kill');
      assert.equal(event.decision, 'deny');
      assert.equal(event.reason_code, 'no_matching_allow_rule');
      assert.equal(event.matched_rule, 9);
      assert.equal(event.status, 403);
      assert.equal(event.transport_scheme, 'http');
      assert.deepEqual(event.ownership, { enabled: false, owner: '', label_key: 'com.sockguard.owner' });
    } finally {
      await proxy.shutdown(100);
      await daemon.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('admin on its own listener', () => {
  it('serves only the admin paths (404 otherwise); on the main listener those paths fall through to the rules', async () => {
    const daemon = await startFakeDaemon();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgadm-'));
    const main = path.join(dir, 'main.sock');
    const admin = path.join(dir, 'admin.sock');
    const compiled = compileYaml(`${ALLOW_ALL_GETS}admin:\n  enabled: true\n  listen:\n    socket: ${admin}\n`);
    compiled.policy.listen.socket = main;
    const proxy = await startProxy({ compiled, upstream: { kind: 'unix', socketPath: daemon.socketPath } });
    try {
      assert.equal((await request(admin, 'GET', '/admin/policy/version')).status, 200);
      const other = await request(admin, 'GET', '/_ping');
      assert.equal(other.status, 404);
      assert.deepEqual(JSON.parse(other.body), { message: 'not found' });
      assert.equal((await request(main, 'GET', '/admin/policy/version')).status, 403);
    } finally {
      await proxy.shutdown(100);
      await daemon.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
