/**
 * Owner isolation end to end: two `sockguard serve` instances (owners alice and bob) in front of one
 * real dockerd, each driven by the real docker CLI. Each owner creates containers, networks and
 * volumes through its own proxy and sees only its own in `docker ps -a`, `docker network ls`,
 * `docker volume ls` and `docker events`; every attempt on the other's container (inspect, start,
 * stop, exec, rm, joining its network or PID namespace), by name or by ID prefix, is denied; prunes
 * remove only the owner's objects; and `docker inspect` through the (default) redacting proxy shows no
 * env values or host bind paths while the CLI still renders it. A third instance (no owner, label
 * visibility `tier=web`) shows and acts on labelled containers only. Skips cleanly where dockerd cannot run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dockerAvailable, startDockerDaemon, TEST_IMAGE, type DockerDaemon } from '../helpers/docker-daemon.js';
import { compileYaml, request } from '../proxy/fixture.js';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';

const BIND_DIR = '/srv/owner-data';
const policyFor = (owner: string) => `
rules:
  - { match: { method: "*", path: "/**" }, action: allow }
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
request_body:
  container_create:
    allowed_bind_mounts: [${BIND_DIR}]
  exec:
    allow_root_user: true
ownership:
  owner: ${owner}
`;
const NOT_OWNED = /not owned by this client/;
const availability = dockerAvailable();

describe(
  'two owners on one dockerd, each through its own serve',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let daemon: DockerDaemon;
    const proxies: RunningProxy[] = [];
    let dir: string;
    const sockets: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
    const ids: Record<string, string> = {};
    let since: string;
    const as = (owner: keyof typeof sockets, args: string[]) =>
      daemon.docker(args, { host: `unix://${sockets[owner]}`, timeoutMs: 30_000 });
    const run = async (owner: keyof typeof sockets, args: string[]) => {
      const result = await as(owner, args);
      assert.equal(result.code, 0, `${owner}: docker ${args.join(' ')}: ${result.stderr}`);
      return result.stdout.trim();
    };
    const lines = (text: string) => text.split('\n').filter((l) => l !== '');

    before(async () => {
      daemon = await startDockerDaemon();
      dir = mkdtempSync(path.join(os.tmpdir(), 'sgown-'));
      for (const owner of ['alice', 'bob'] as const) {
        const compiled = compileYaml(policyFor(owner));
        sockets[owner] = path.join(dir, `${owner}.sock`);
        compiled.policy.listen.socket = sockets[owner];
        proxies.push(await startProxy({ compiled, upstream: { kind: 'unix', socketPath: daemon.socketPath } }));
      }
      const carol = compileYaml(
        policyFor('').replace(/ownership:[^]*$/, 'response:\n  visible_resource_labels: [tier=web]\n'),
      );
      sockets.carol = path.join(dir, 'carol.sock');
      carol.policy.listen.socket = sockets.carol;
      proxies.push(await startProxy({ compiled: carol, upstream: { kind: 'unix', socketPath: daemon.socketPath } }));
      ids['web'] = await daemon.createContainer({ name: 'carol-web', labels: { tier: 'web' } });
      ids['db'] = await daemon.createContainer({ name: 'carol-db', labels: { tier: 'db' } });
      since = String(Math.floor(Date.now() / 1000) - 1);
      for (const owner of ['alice', 'bob'] as const) {
        ids[`${owner}-app`] = await run(owner, [
          'run',
          '-d',
          '--pull',
          'never',
          '--network',
          'none',
          '--name',
          `${owner}-app`,
          '-e',
          `SECRET=${owner}-hunter2`,
          '-v',
          `${BIND_DIR}:/data`,
          TEST_IMAGE,
          'sleep',
          '86400',
        ]);
        ids[`${owner}-stopped`] = await run(owner, [
          'create',
          '--pull',
          'never',
          '--network',
          'none',
          '--name',
          `${owner}-stopped`,
          TEST_IMAGE,
          'true',
        ]);
        await run(owner, ['network', 'create', '--internal', `${owner}-net`]);
        await run(owner, ['volume', 'create', `${owner}-vol`]);
      }
    });
    after(async () => {
      for (const proxy of proxies) await proxy.shutdown(1_000);
      await daemon?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const owner of ['alice', 'bob'] as const) {
      const other = owner === 'alice' ? 'bob' : 'alice';
      it(`${owner} lists only ${owner}'s containers, networks and volumes`, async () => {
        const containers = lines(await run(owner, ['ps', '-a', '--format', '{{.Names}}'])).sort();
        assert.deepEqual(containers, [`${owner}-app`, `${owner}-stopped`]);
        assert.deepEqual(lines(await run(owner, ['network', 'ls', '--format', '{{.Name}}'])), [`${owner}-net`]);
        assert.deepEqual(lines(await run(owner, ['volume', 'ls', '--format', '{{.Name}}'])), [`${owner}-vol`]);
      });

      it(`${owner} sees only ${owner}'s container events`, async () => {
        const until = String(Math.floor(Date.now() / 1000) + 1);
        const events = await run(owner, [
          'events',
          '--since',
          since,
          '--until',
          until,
          '--filter',
          'type=container',
          '--format',
          '{{.Actor.Attributes.name}}',
        ]);
        assert.ok(lines(events).includes(`${owner}-app`), events);
        assert.ok(
          lines(events).every((name) => name.startsWith(`${owner}-`)),
          events,
        );
        assert.ok(!events.includes(other), events);
      });
    }

    it('alice runs, attaches to and execs into her own containers (hijacks resolved to full IDs)', async () => {
      assert.equal(
        await run('alice', ['run', '--rm', '--pull', 'never', '--network', 'none', TEST_IMAGE, 'echo', 'hello']),
        'hello',
      );
      assert.equal(await run('alice', ['exec', 'alice-app', 'echo', 'hi']), 'hi');
      assert.equal(await run('alice', ['exec', ids['alice-app']!.slice(0, 8), 'echo', 'by prefix']), 'by prefix');
    });

    const attempts: { name: string; args: (ref: string) => string[] }[] = [
      { name: 'inspect', args: (ref) => ['container', 'inspect', ref] },
      { name: 'start', args: (ref) => ['start', ref] },
      { name: 'stop', args: (ref) => ['stop', ref] },
      { name: 'exec', args: (ref) => ['exec', ref, 'true'] },
      { name: 'rm -f', args: (ref) => ['rm', '-f', ref] },
      {
        name: 'run --network container:',
        args: (ref) => ['run', '--rm', '--pull', 'never', '--network', `container:${ref}`, TEST_IMAGE, 'true'],
      },
      {
        name: 'run --pid container:',
        args: (ref) => [
          'run',
          '--rm',
          '--pull',
          'never',
          '--network',
          'none',
          '--pid',
          `container:${ref}`,
          TEST_IMAGE,
          'true',
        ],
      },
    ];
    for (const attempt of attempts) {
      for (const by of ['name', 'ID prefix'] as const) {
        it(`alice cannot ${attempt.name} bob's container by ${by}`, async () => {
          const ref = by === 'name' ? 'bob-app' : ids['bob-app']!.slice(0, 8);
          const result = await as('alice', attempt.args(ref));
          assert.notEqual(result.code, 0, result.stdout);
          assert.match(result.stderr, NOT_OWNED);
          const state = await daemon.docker(['inspect', '--format', '{{.State.Running}}', ids['bob-app']!]);
          assert.equal(state.stdout.trim(), 'true', "bob's container is untouched");
        });
      }
    }

    it("alice cannot start bob's exec instance", async () => {
      const exec = await request(sockets.bob, 'POST', `/v1.41/containers/bob-app/exec`, {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Cmd: ['true'] }),
      });
      assert.equal(exec.status, 201, exec.body);
      const execId = (JSON.parse(exec.body) as { Id: string }).Id;
      const start = await request(sockets.alice, 'POST', `/v1.41/exec/${execId}/start`, {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Detach: true }),
      });
      assert.equal(start.status, 403, start.body);
      assert.match(start.body, NOT_OWNED);
    });

    it('docker inspect through the redacting proxy shows no env values or host bind paths, and still renders', async () => {
      const inspect = await run('alice', ['inspect', 'alice-app']);
      const [document] = JSON.parse(inspect) as { Id: string; Config: { Env: string[] } }[];
      assert.equal(document!.Id, ids['alice-app']);
      assert.ok(!inspect.includes('alice-hunter2'), 'no env value');
      assert.ok(!inspect.includes(BIND_DIR), 'no host bind path');
      const formatted = await run('alice', ['inspect', '--format', '{{.Name}} {{.State.Running}}', 'alice-app']);
      assert.equal(formatted, '/alice-app true');
      const raw = await daemon.docker(['inspect', '--format', '{{json .Config.Env}}', 'alice-app']);
      assert.match(raw.stdout, /alice-hunter2/, 'the daemon itself still has it');
    });

    it('a visibility-scoped client sees and acts on visible containers only', async () => {
      assert.deepEqual(lines(await run('carol', ['ps', '-a', '--format', '{{.Names}}'])), ['carol-web']);
      await run('carol', ['start', 'carol-web']);
      for (const args of [
        ['start', 'carol-db'],
        ['container', 'inspect', 'carol-db'],
        ['rm', ids['db']!.slice(0, 8)],
      ]) {
        const result = await as('carol', args);
        assert.notEqual(result.code, 0, args.join(' '));
        assert.match(result.stderr, /resource not found/, args.join(' '));
      }
      // `docker rm -f` reads our 404 as "already gone" and exits 0; the container must still be there.
      assert.equal((await as('carol', ['rm', '-f', 'carol-db'])).code, 0);
      const state = await daemon.docker(['inspect', '--format', '{{.State.Status}}', ids['db']!]);
      assert.equal(state.stdout.trim(), 'created', 'the hidden container is untouched');
    });

    it("prunes through alice remove only alice's stopped containers and unused volumes", async () => {
      await run('alice', ['container', 'prune', '-f']);
      await run('alice', ['volume', 'prune', '-f']);
      const containers = lines((await daemon.docker(['ps', '-a', '--format', '{{.Names}}'])).stdout);
      assert.ok(!containers.includes('alice-stopped'), containers.join(','));
      assert.ok(containers.includes('bob-stopped'), containers.join(','));
      const volumes = lines((await daemon.docker(['volume', 'ls', '--format', '{{.Name}}'])).stdout);
      assert.ok(!volumes.includes('alice-vol'), volumes.join(','));
      assert.ok(volumes.includes('bob-vol'), volumes.join(','));
    });
  },
);
