/**
 * `sockguard serve` enforcing client gates, profiles, body policies and rate limits in front of a
 * real dockerd, driven by the real docker CLI (as root and as `nobody`) and by raw API calls; for
 * every scenario `sockguard test` (in-process, same policy file, the client given by flags) must
 * report the status and reason code serve answered with.
 *
 * Proxy A: one unix listener (0660, group nogroup) whose upstream is a recording relay in front of
 * dockerd, so a denial can be shown to send nothing to the daemon. Root resolves to the root
 * policy; uid 65534 to the read-only profile `viewer`.
 * Proxy B: TCP on 127.0.0.1 and ::1 with `allowed_cidrs: [127.0.0.1/32]`; 127.0.0.1 resolves to the
 * rate-limited profile `burst` (its clock is frozen, so no token refills during the burst).
 * Skips where dockerd cannot run (test/helpers/docker-daemon.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Test from '../../src/commands/test.js';
import type { Exchange } from '../../src/proxy/exchange.js';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';
import { dockerAvailable, startDockerDaemon, TEST_IMAGE, type DockerDaemon } from '../helpers/docker-daemon.js';
import { runCommand } from '../helpers/run-cli.js';
import { compileYaml } from '../proxy/fixture.js';

const NOBODY = 65534;
const DOCKER_CLI = '/usr/local/bin/docker';
const BURST = 5;
const CONCURRENT = 12;

const POLICY_A = `
listeners:
  - name: local
    socket: "{dir}/a.sock"
    socket_mode: "0660"
    socket_gid: ${NOBODY}
    allowed_profiles: ["*"]
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: /version }, action: allow }
  - { match: { method: GET, path: /containers/json }, action: allow }
  - { match: { method: GET, path: "/containers/*/json" }, action: allow }
  - { match: { method: POST, path: /containers/create }, action: allow }
  - { match: { method: POST, path: "/containers/*/exec" }, action: allow }
  - { match: { method: POST, path: "/exec/*/start" }, action: allow }
  - { match: { method: GET, path: "/exec/*/json" }, action: allow }
  - { match: { method: POST, path: /images/create }, action: allow }
insecure_allow_body_blind_writes: true
request_body:
  container_create:
    allowed_bind_mounts: [/srv/data]
  exec:
    allowed_commands: [["echo", "*"]]
  image_pull:
    allow_official: false
    allowed_registries: [registry.example.com]
clients:
  unix_peer_profiles:
    - { profile: viewer, uids: [${NOBODY}] }
  profiles:
    - name: viewer
      rules:
        - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
        - { match: { method: GET, path: /version }, action: allow }
        - { match: { method: GET, path: /containers/json }, action: allow }
`;

const POLICY_B = `
listeners:
  - { name: v4, address: "127.0.0.1:0", allowed_profiles: ["*"] }
  - { name: v6, address: "[::1]:0", allowed_profiles: ["*"] }
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: /version }, action: allow }
clients:
  allowed_cidrs: [127.0.0.1/32]
  source_ip_profiles:
    - { profile: burst, cidrs: [127.0.0.1/32] }
  profiles:
    - name: burst
      rules:
        - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
      limits:
        rate: { tokens_per_second: 1, burst: ${BURST} }
`;

const PRIVILEGED = { Image: TEST_IMAGE, Cmd: ['true'], HostConfig: { Privileged: true } };
const bindOf = (bind: string) => ({ Image: TEST_IMAGE, Cmd: ['true'], HostConfig: { Binds: [bind] } });
const execAs = (user: string) => ({ User: user, Cmd: ['echo', 'hi'], AttachStdout: true, AttachStderr: true });

interface Outcome {
  status: number;
  reasonCode: string | undefined;
}

/** A unix-socket relay to dockerd that keeps every byte sent to the daemon. */
function startRelay(listenPath: string, daemonPath: string): Promise<{ sent: () => string; close(): void }> {
  const chunks: Buffer[] = [];
  // Half-open both ways: `docker exec` closes its sending side at once and still reads the output.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ path: daemonPath, allowHalfOpen: true });
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    // pipe() ends each side after the other's end, once the pending bytes are written.
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(listenPath, () =>
      resolve({ sent: () => Buffer.concat(chunks).toString('latin1'), close: () => server.close() }),
    ),
  );
}

function rawRequest(
  target: { socketPath: string } | { host: string; port: number },
  method: string,
  apiPath: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path: apiPath, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const availability = dockerAvailable();

describe(
  'serve enforces client gates, profiles and limits in front of a real dockerd',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let daemon: DockerDaemon;
    let relay: Awaited<ReturnType<typeof startRelay>>;
    let proxyA: RunningProxy;
    let proxyB: RunningProxy;
    let dir: string;
    let socketA: string;
    let policyA: string;
    let policyB: string;
    let nobodyConfig: string;
    const exchanges: Exchange[] = [];
    const observer = { finished: (e: Exchange) => exchanges.push(e), failed: () => undefined };

    /** The last finished exchange for `method` on a path matching `pathPattern`. */
    async function served(method: string, pathPattern: RegExp): Promise<Outcome> {
      for (let i = 0; i < 200; i++) {
        const found = exchanges.findLast((e) => e.req.method === method && pathPattern.test(e.target.normalizedPath));
        if (found?.result) return { status: found.result.status, reasonCode: found.result.reasonCode };
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no exchange for ${method} ${pathPattern}`);
    }

    /** What `sockguard test` decides for one request, as status and reason code (allow = below 400). */
    async function offline(config: string, request: string, flags: string[], body?: unknown): Promise<Outcome> {
      const bodyFlags: string[] = [];
      if (body !== undefined) {
        const file = path.join(dir, `body-${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(file, JSON.stringify(body));
        bodyFlags.push('--body', file);
      }
      const result = await runCommand(Test, ['-c', config, '-r', request, ...bodyFlags, ...flags, '--json']);
      assert.notEqual(result.exitCode, 2, result.stderr);
      const json = JSON.parse(result.stdout) as { decision: string; status?: number; reason_code?: string };
      return json.decision === 'allow'
        ? { status: 200, reasonCode: undefined }
        : { status: json.status ?? 403, reasonCode: json.reason_code };
    }

    /** Serve's outcome and `sockguard test`'s agree (an allow is any status below 400). */
    function assertSameOutcome(serve: Outcome, test: Outcome): void {
      if (serve.status < 400) assert.equal(test.status < 400, true, `serve allowed, test said ${test.status}`);
      else assert.deepEqual(test, serve);
    }

    const asRoot = (args: string[]) => daemon.docker(args, { host: `unix://${socketA}`, timeoutMs: 30_000 });

    /** The docker CLI as uid/gid 65534 (asynchronously: the proxy answers from this process). */
    function asNobody(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
      const argv = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', DOCKER_CLI, '-H', `unix://${socketA}`];
      const env = { PATH: process.env['PATH'] ?? '', HOME: nobodyConfig, DOCKER_CONFIG: nobodyConfig };
      return new Promise((resolve) => {
        execFile('setpriv', [...argv, ...args], { encoding: 'utf8', timeout: 30_000, env }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        });
      });
    }

    before(async () => {
      daemon = await startDockerDaemon();
      dir = mkdtempSync(path.join(os.tmpdir(), 'sgcli-'));
      chmodSync(dir, 0o755);
      nobodyConfig = path.join(dir, 'nobody-docker');
      mkdirSync(nobodyConfig, { mode: 0o777 });
      chmodSync(nobodyConfig, 0o777);
      socketA = path.join(dir, 'a.sock');
      relay = await startRelay(path.join(dir, 'relay.sock'), daemon.socketPath);
      policyA = path.join(dir, 'a.yaml');
      policyB = path.join(dir, 'b.yaml');
      writeFileSync(policyA, POLICY_A.replaceAll('{dir}', dir));
      writeFileSync(policyB, POLICY_B);
      proxyA = await startProxy({
        compiled: compileYaml(POLICY_A.replaceAll('{dir}', dir)),
        upstream: { kind: 'unix', socketPath: path.join(dir, 'relay.sock') },
        observer,
      });
      proxyB = await startProxy({
        compiled: compileYaml(POLICY_B),
        upstream: { kind: 'unix', socketPath: daemon.socketPath },
        observer,
        now: () => 0,
      });
    });
    after(async () => {
      await proxyA?.shutdown(1_000);
      await proxyB?.shutdown(1_000);
      relay?.close();
      await daemon?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('docker create --privileged is denied by the root request_body', async () => {
      const result = await asRoot(['create', '--pull', 'never', '--privileged', TEST_IMAGE, 'true']);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /request denied by sockguard policy/);
      const serve = await served('POST', /^\/containers\/create$/);
      assert.deepEqual(serve, { status: 403, reasonCode: 'request_body_policy_denied' });
      assertSameOutcome(
        serve,
        await offline(
          policyA,
          'POST /v1.41/containers/create',
          ['--unix-peer', '0:0', '--listener', 'local'],
          PRIVILEGED,
        ),
      );
    });

    it('a bind of / is denied; the allowed bind path is created', async () => {
      const denied = await asRoot(['create', '--pull', 'never', '-v', '/:/host', TEST_IMAGE, 'true']);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /request denied by sockguard policy/);
      const deniedServe = await served('POST', /^\/containers\/create$/);
      assert.deepEqual(deniedServe, { status: 403, reasonCode: 'request_body_policy_denied' });
      assertSameOutcome(
        deniedServe,
        await offline(policyA, 'POST /v1.41/containers/create', ['--unix-peer', '0:0'], bindOf('/:/host')),
      );

      const allowed = await asRoot(['create', '--pull', 'never', '-v', '/srv/data:/data', TEST_IMAGE, 'true']);
      assert.equal(allowed.code, 0, allowed.stderr);
      const binds = await daemon.docker(['inspect', '--format', '{{json .HostConfig.Binds}}', allowed.stdout.trim()]);
      assert.equal(binds.stdout.trim(), '["/srv/data:/data"]');
      const allowedServe = await served('POST', /^\/containers\/create$/);
      assert.equal(allowedServe.status, 201);
      assertSameOutcome(
        allowedServe,
        await offline(policyA, 'POST /v1.41/containers/create', ['--unix-peer', '0:0'], bindOf('/srv/data:/data')),
      );
    });

    it('docker exec -u root is denied by the exec policy; the same command as uid 1000 runs', async () => {
      const id = await daemon.createContainer({ name: 'sg-exec' });
      await daemon.startContainer(id);
      const denied = await asRoot(['exec', '-u', 'root', id, 'echo', 'hi']);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /request denied by sockguard policy/);
      const serve = await served('POST', /^\/containers\/[^/]+\/exec$/);
      assert.deepEqual(serve, { status: 403, reasonCode: 'request_body_policy_denied' });
      assertSameOutcome(
        serve,
        await offline(policyA, `POST /v1.41/containers/${id}/exec`, ['--unix-peer', '0:0'], execAs('root')),
      );
      const allowed = await asRoot(['exec', '-u', '1000', id, 'echo', 'hi']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal(allowed.stdout.trim(), 'hi');
    });

    it('a pull from a registry outside image_pull.allowed_registries never reaches the daemon', async () => {
      const image = 'registry.invalid/evil/image';
      const target = `/v1.41/images/create?fromImage=${encodeURIComponent(image)}&tag=1`;
      const response = await rawRequest({ socketPath: socketA }, 'POST', target);
      assert.equal(response.status, 403);
      assert.deepEqual(JSON.parse(response.body), { message: 'request denied by sockguard policy' });
      const serve = await served('POST', /^\/images\/create$/);
      assert.deepEqual(serve, { status: 403, reasonCode: 'request_body_policy_denied' });
      // The relay saw every byte proxy A sent to dockerd: no pull among them.
      assert.ok(relay.sent().includes('/containers/create'), 'the relay records what was forwarded');
      assert.ok(!relay.sent().includes('images/create'), 'the pull reached the daemon');
      assertSameOutcome(
        serve,
        await offline(policyA, `POST /v1.41/images/create?fromImage=${image}&tag=1`, ['--unix-peer', '0:0']),
      );
    });

    it('two unix clients with different uids get different profiles', async () => {
      const rootPs = await asRoot(['ps', '-q']);
      assert.equal(rootPs.code, 0, rootPs.stderr);
      const nobodyPs = await asNobody(['ps', '-q']);
      assert.equal(nobodyPs.code, 0, nobodyPs.stderr);
      assert.equal(exchanges.findLast((e) => e.target.normalizedPath === '/containers/json')?.profile, 'viewer');

      const nobodyCreate = await asNobody(['create', '--pull', 'never', TEST_IMAGE, 'true']);
      assert.notEqual(nobodyCreate.code, 0);
      // The deny comes before the body is read; serve then discards the small body (as Go's server
      // does) so the CLI reads our message rather than a broken pipe.
      assert.match(nobodyCreate.stderr, /request denied by sockguard policy/);
      const serve = await served('POST', /^\/containers\/create$/);
      assert.deepEqual(serve, { status: 403, reasonCode: 'no_matching_allow_rule' });
      assert.equal(exchanges.findLast((e) => e.target.normalizedPath === '/containers/create')?.profile, 'viewer');
      assertSameOutcome(
        serve,
        await offline(
          policyA,
          'POST /v1.41/containers/create',
          ['--unix-peer', `${NOBODY}:${NOBODY}`, '--listener', 'local'],
          { Image: TEST_IMAGE, Cmd: ['true'] },
        ),
      );

      const rootCreate = await asRoot(['create', '--pull', 'never', TEST_IMAGE, 'true']);
      assert.equal(rootCreate.code, 0, rootCreate.stderr);
      assert.equal(exchanges.findLast((e) => e.target.normalizedPath === '/containers/create')?.profile, undefined);
    });

    it('a TCP client from an unlisted address is refused before anything else', async () => {
      const v6 = proxyB.listeners.find((l) => l.info.name === 'v6')!.info.address;
      const port = Number(v6.split(':').at(-1));
      const result = await daemon.docker(['version', '--format', '{{.Server.APIVersion}}'], {
        host: `tcp://[::1]:${port}`,
        timeoutMs: 30_000,
      });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /client IP not allowed/);
      const serve = await served('GET', /^\/version$|^\/_ping$/);
      assert.deepEqual(serve, { status: 403, reasonCode: 'client_ip_not_allowed' });
      assertSameOutcome(
        serve,
        await offline(policyB, 'GET /v1.41/version', ['--client-ip', '::1', '--listener', 'v6']),
      );
    });

    it(`a burst of ${CONCURRENT} concurrent requests: exactly ${BURST} pass, the rest get 429 with Retry-After`, async () => {
      const v4 = proxyB.listeners.find((l) => l.info.name === 'v4')!.info.address;
      const target = { host: '127.0.0.1', port: Number(v4.split(':').at(-1)) };
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT }, () => rawRequest(target, 'GET', '/v1.41/_ping')),
      );
      const ok = responses.filter((r) => r.status === 200);
      const limited = responses.filter((r) => r.status === 429);
      assert.equal(ok.length, BURST);
      assert.equal(limited.length, CONCURRENT - BURST);
      for (const r of limited) {
        assert.deepEqual(JSON.parse(r.body), { reason: 'rate_limit_exceeded', retry_after_seconds: 1 });
        assert.equal(r.headers['retry-after'], '1');
      }
      // `sockguard test` judges one request of a fresh client: the profile and its rules, which allow
      // it. Whether a burst exhausts the bucket depends on request history it cannot see.
      const test = await runCommand(Test, [
        '-c',
        policyB,
        '-r',
        'GET /v1.41/_ping',
        '--client-ip',
        '127.0.0.1',
        '--listener',
        'v4',
        '--json',
      ]);
      const json = JSON.parse(test.stdout) as { decision: string; profile?: string };
      assert.equal(json.decision, 'allow');
      assert.equal(json.profile, 'burst');
    });
  },
);
