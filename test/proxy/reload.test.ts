/** Reload: valid policies swap in atomically; invalid or immutable changes are refused and logged. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { preparePolicy, readConfigText } from '../../src/proxy/config-source.js';
import { findImmutableChanges, Reloader } from '../../src/proxy/reload.js';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { request, sleep } from './fixture.js';

const policyWith = (extraRule: string, metrics = false) => `
rules:
  - { match: { method: GET, path: /_ping }, action: allow }
${extraRule}
  - { match: { method: "*", path: "/**" }, action: deny, reason: no matching allow rule }
metrics: { enabled: ${metrics} }
admin: { enabled: true }
`;
const VERSION_RULE = '  - { match: { method: GET, path: /version }, action: allow }';

describe('reload', () => {
  let daemon: FakeDaemon;
  let dir: string;
  let file: string;
  let socketPath: string;
  let proxy: RunningProxy;
  let reloader: Reloader;
  const logged: { msg: string; result?: string; keys?: string[]; errors?: string[] }[] = [];

  before(async () => {
    daemon = await startFakeDaemon();
    dir = mkdtempSync(path.join(os.tmpdir(), 'sgreload-'));
    file = path.join(dir, 'sockguard.yaml');
    socketPath = path.join(dir, 'proxy.sock');
    writeFileSync(file, policyWith(''));
    const location = { path: file, explicit: true };
    const flags = { listenSocket: socketPath, upstreamSocket: daemon.socketPath };
    const { compiled } = preparePolicy(readConfigText(location), { file, env: {}, flags });
    const logger = pino(
      { base: null },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          logged.push(JSON.parse(chunk.toString()) as (typeof logged)[number]);
          done();
        },
      }),
    );
    proxy = await startProxy({ compiled, upstream: { kind: 'unix', socketPath: daemon.socketPath } });
    reloader = new Reloader({
      location,
      env: {},
      flags,
      store: proxy.store,
      metrics: proxy.metrics,
      logger,
      debounceMs: 30,
      pollIntervalMs: 0,
    });
    reloader.start();
  });
  after(async () => {
    reloader.stop();
    await proxy.shutdown(100);
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes a valid policy for new requests when the file changes', async () => {
    assert.equal((await request(socketPath, 'GET', '/version')).status, 403);
    writeFileSync(file, policyWith(VERSION_RULE));
    for (let i = 0; i < 500 && proxy.store.current.version === 1; i++) await sleep(20);
    assert.equal(proxy.store.current.version, 2);
    assert.equal((await request(socketPath, 'GET', '/version')).status, 200);
    const version = JSON.parse((await request(socketPath, 'GET', '/admin/policy/version')).body) as { source: string };
    assert.equal(version.source, 'reload');
  });

  it('rejects an unparsable file and keeps serving the old policy', async () => {
    writeFileSync(file, 'rules: [\n');
    assert.equal(await reloader.reload('test'), 'reject_load');
    assert.equal((await request(socketPath, 'GET', '/version')).status, 200);
    assert.ok(logged.some((l) => l.result === 'reject_load' && (l.errors?.length ?? 0) > 1));
  });

  it('rejects a policy that fails the startup probes', async () => {
    writeFileSync(file, policyWith('  - { match: { method: GET, path: "/containers/**" }, action: allow }'));
    assert.equal(await reloader.reload('test'), 'reject_validation');
    assert.equal((await request(socketPath, 'GET', '/containers/json')).status, 403);
  });

  it('rejects a response visibility that does not compile, naming it', async () => {
    writeFileSync(file, policyWith(VERSION_RULE) + 'response:\n  name_patterns: [""]\n');
    assert.equal(await reloader.reload('test'), 'reject_validation');
    assert.ok(logged.at(-1)?.errors?.some((e) => e.includes('name_patterns must not contain an empty pattern')));
    assert.equal((await request(socketPath, 'GET', '/version')).status, 200);
  });

  it('rejects a change to a setting that cannot change while running, naming it', async () => {
    writeFileSync(file, policyWith(VERSION_RULE, true));
    assert.equal(await reloader.reload('test'), 'reject_immutable');
    assert.deepEqual(logged.at(-1)?.keys, ['metrics']);
    const text = await proxy.metrics.registry.metrics();
    assert.match(text, /sockguard_config_reload_total\{result="reject_immutable"\} 1/);
    assert.match(text, /sockguard_config_reload_total\{result="ok"\} 1/);
  });

  it('collapses a burst of triggers into one reload', async () => {
    writeFileSync(file, policyWith(''));
    const before = proxy.store.current.version;
    for (let i = 0; i < 5; i++) reloader.trigger('burst');
    await sleep(300);
    assert.equal(proxy.store.current.version, before + 1);
  });
});

describe('findImmutableChanges', () => {
  it('ignores listeners[].allowed_profiles and rule changes', () => {
    const base = preparePolicy('listeners:\n  - name: a\n    socket: /tmp/a.sock\n    allowed_profiles: ["*"]\n', {
      env: {},
    }).compiled.policy;
    const rules = { ...base, rules: [] };
    assert.deepEqual(findImmutableChanges(base, rules), []);
    const moved = { ...base, upstream: { ...base.upstream, socket: '/other.sock' } };
    assert.deepEqual(findImmutableChanges(base, moved), ['upstream.socket']);
  });
});
