/**
 * `sockguard serve` in front of a real dockerd, driven by the real docker CLI
 * (`docker -H unix://<proxy.sock>`): every allowed command works through the proxy and every denied
 * one prints our message. Skips cleanly where dockerd cannot run (see test/helpers/docker-daemon.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerAvailable, startDockerDaemon, TEST_IMAGE, type DockerDaemon } from '../helpers/docker-daemon.js';
import { compileYaml } from '../proxy/fixture.js';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';

const POLICY = `
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: /version }, action: allow }
  - { match: { method: GET, path: /events }, action: allow }
  - { match: { method: GET, path: /containers/json }, action: allow }
  - { match: { method: GET, path: "/containers/*/json" }, action: allow }
  - { match: { method: GET, path: "/containers/*/logs" }, action: allow }
  - { match: { method: GET, path: "/containers/*/export" }, action: allow }
  - { match: { method: "GET,HEAD,PUT", path: "/containers/*/archive" }, action: allow }
  - { match: { method: POST, path: /containers/create }, action: allow }
  - { match: { method: POST, path: "/containers/*/start" }, action: allow }
  - { match: { method: POST, path: "/containers/*/stop" }, action: allow }
  - { match: { method: POST, path: "/containers/*/wait" }, action: allow }
  - { match: { method: POST, path: "/containers/*/attach" }, action: allow }
  - { match: { method: GET, path: "/containers/*/attach/ws" }, action: allow }
  - { match: { method: POST, path: "/containers/*/resize" }, action: allow }
  - { match: { method: POST, path: "/containers/*/exec" }, action: allow }
  - { match: { method: POST, path: "/exec/*/start" }, action: allow }
  - { match: { method: POST, path: "/exec/*/resize" }, action: allow }
  - { match: { method: GET, path: "/exec/*/json" }, action: allow }
  - { match: { method: "*", path: "/**" }, action: deny, reason: no matching allow rule }
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
request_body:
  container_create:
    allowed_bind_mounts: [/srv/data]
  exec:
    allow_root_user: true
`;

const DENIED = 'Error response from daemon: request denied by sockguard policy';
const availability = dockerAvailable();

describe(
  'serve in front of a real dockerd, driven by the docker CLI',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let daemon: DockerDaemon;
    let proxy: RunningProxy;
    let dir: string;
    let host: string;
    let seed: string;
    const docker = (args: string[], input?: string) =>
      daemon.docker(args, { host, ...(input !== undefined ? { input } : {}), timeoutMs: 30_000 });

    before(async () => {
      daemon = await startDockerDaemon();
      dir = mkdtempSync(path.join(os.tmpdir(), 'sgint-'));
      const compiled = compileYaml(POLICY);
      compiled.policy.listen.socket = path.join(dir, 'proxy.sock');
      proxy = await startProxy({ compiled, upstream: { kind: 'unix', socketPath: daemon.socketPath } });
      host = `unix://${path.join(dir, 'proxy.sock')}`;
      seed = await daemon.createContainer({ name: 'sg-seed', cmd: ['sh', '-c', 'echo seeded; exec sleep 86400'] });
      await daemon.startContainer(seed);
    });
    after(async () => {
      await proxy?.shutdown(1_000);
      await daemon?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('docker version', async () => {
      const result = await docker(['version', '--format', '{{.Server.APIVersion}}']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), '1.41');
    });

    it('docker ps and docker inspect', async () => {
      const ps = await docker(['ps', '--format', '{{.Names}}']);
      assert.equal(ps.code, 0, ps.stderr);
      assert.match(ps.stdout, /sg-seed/);
      const inspect = await docker(['inspect', '--format', '{{.State.Running}}', 'sg-seed']);
      assert.equal(inspect.code, 0, inspect.stderr);
      assert.equal(inspect.stdout.trim(), 'true');
    });

    it('docker logs -f streams until the container exits', async () => {
      const id = await daemon.createContainer({ cmd: ['sh', '-c', 'echo one; sleep 1; echo two'] });
      await daemon.startContainer(id);
      const result = await docker(['logs', '-f', id]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'one\ntwo\n');
    });

    it('docker events streams live events', async () => {
      const since = Math.floor(Date.now() / 1000) - 1;
      const stream = docker([
        'events',
        '--since',
        String(since),
        '--until',
        String(since + 6),
        '--filter',
        'event=start',
      ]);
      const id = await daemon.createContainer({ cmd: ['true'] });
      await daemon.startContainer(id);
      const result = await stream;
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`container start ${id}`));
    });

    it('docker exec without a TTY, with stdin (half-close ends it)', async () => {
      const plain = await docker(['exec', 'sg-seed', 'echo', 'hi']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stdout, 'hi\n');
      const piped = await docker(['exec', '-i', 'sg-seed', 'cat'], 'through stdin\n');
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(piped.stdout, 'through stdin\n');
      const status = await docker(['exec', 'sg-seed', 'sh', '-c', 'exit 3']);
      assert.equal(status.code, 3);
    });

    it('docker exec with a TTY', async () => {
      const result = await docker(['exec', '-t', 'sg-seed', 'echo', 'tty']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'tty\r\n');
    });

    it('docker attach (start -a) and docker run', async () => {
      const id = await daemon.createContainer({ cmd: ['sh', '-c', 'echo attached; echo err >&2'] });
      const attached = await docker(['start', '-a', id]);
      assert.equal(attached.code, 0, attached.stderr);
      assert.equal(attached.stdout, 'attached\n');
      assert.equal(attached.stderr, 'err\n');
      const run = await docker(
        ['run', '--pull', 'never', '--rm=false', '-i', '--network', 'none', TEST_IMAGE, 'sh', '-c', 'cat; echo done'],
        'piped\n',
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, 'piped\ndone\n');
    });

    it('docker stop and docker start', async () => {
      const id = await daemon.createContainer();
      await daemon.startContainer(id);
      const stop = await docker(['stop', id]);
      assert.equal(stop.code, 0, stop.stderr);
      assert.equal((await docker(['inspect', '--format', '{{.State.Running}}', id])).stdout.trim(), 'false');
      const start = await docker(['start', id]);
      assert.equal(start.code, 0, start.stderr);
      assert.equal((await docker(['inspect', '--format', '{{.State.Running}}', id])).stdout.trim(), 'true');
    });

    it('docker cp in both directions', async () => {
      const local = path.join(dir, 'upload.txt');
      writeFileSync(local, 'uploaded through sockguard\n');
      const up = await docker(['cp', local, 'sg-seed:/tmp/upload.txt']);
      assert.equal(up.code, 0, up.stderr);
      const back = path.join(dir, 'download.txt');
      const down = await docker(['cp', 'sg-seed:/tmp/upload.txt', back]);
      assert.equal(down.code, 0, down.stderr);
      assert.equal(readFileSync(back, 'utf8'), 'uploaded through sockguard\n');
    });

    it('docker export', async () => {
      const out = path.join(dir, 'export.tar');
      const result = await docker(['export', '-o', out, 'sg-seed']);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(statSync(out).size > 1_000_000, `export is ${statSync(out).size} bytes`);
    });

    for (const args of [
      ['kill', 'sg-seed'],
      ['rm', '-f', 'sg-seed'],
      ['images'],
      ['info'],
      ['pause', 'sg-seed'],
      ['network', 'ls'],
    ]) {
      it(`denied: docker ${args.join(' ')} prints our message`, async () => {
        const result = await docker(args);
        assert.notEqual(result.code, 0);
        assert.ok(result.stderr.includes(DENIED), result.stderr);
      });
    }

    // Request-body inspection: the rules allow POST /containers/create; the body decides.
    for (const { flags, key } of [
      { flags: ['--privileged'], key: 'allow_privileged' },
      { flags: ['-v', '/:/host'], key: 'allowed_bind_mounts' },
    ]) {
      it(`denied by body inspection: docker create ${flags.join(' ')} prints our message`, async () => {
        const result = await docker(['create', '--pull', 'never', ...flags, TEST_IMAGE, 'true']);
        assert.notEqual(result.code, 0);
        assert.ok(result.stderr.includes(DENIED), result.stderr);
        assert.ok(!result.stderr.includes(key), 'minimal denials do not explain themselves');
      });
    }

    it('allowed by body inspection: docker create -v /srv/data:/data (an allowed bind mount)', async () => {
      const result = await docker(['create', '--pull', 'never', '-v', '/srv/data:/data', TEST_IMAGE, 'true']);
      assert.equal(result.code, 0, result.stderr);
      // Read back from dockerd itself: through the proxy, default redaction hides host bind paths.
      const inspect = ['inspect', '--format', '{{json .HostConfig.Binds}}', result.stdout.trim()];
      assert.equal((await daemon.docker(inspect)).stdout.trim(), '["/srv/data:/data"]');
      assert.notEqual((await docker(inspect)).stdout.trim(), '["/srv/data:/data"]');
    });

    it('denied: docker top (a route the policy does not name) prints our message', async () => {
      const result = await docker(['container', 'top', 'sg-seed']);
      assert.ok(result.stderr.includes(DENIED), result.stderr);
    });

    it('tunnels the attach websocket only after dockerd answered 101', async () => {
      const socketPath = host.slice('unix://'.length);
      const text = await new Promise<string>((resolve) => {
        let received = '';
        const socket = net.connect({ path: socketPath }, () =>
          socket.write(
            `GET /v1.41/containers/${seed}/attach/ws?logs=1&stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n` +
              'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          ),
        );
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
          if (received.includes('seeded')) socket.destroy();
        });
        socket.on('close', () => resolve(received));
        socket.on('error', () => resolve(received));
        setTimeout(() => socket.destroy(), 5_000);
      });
      assert.match(text, /^HTTP\/1\.1 101 /);
      assert.match(text, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i);
      assert.match(text, /seeded/);
    });
  },
);
