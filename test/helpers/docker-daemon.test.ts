import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assessDockerHost,
  dockerAvailable,
  findRegistryAccess,
  listLiveProcessesMentioning,
  listMountsUnder,
  startDockerDaemon,
  TEST_IMAGE,
  type DockerDaemon,
  type DockerHostFacts,
} from './docker-daemon.js';

const availability = dockerAvailable();
const skip = availability.ok ? false : `no real dockerd: ${availability.reason}`;

describe('assessDockerHost', () => {
  const ready: DockerHostFacts = {
    platform: 'linux',
    uid: 0,
    dockerd: '/usr/sbin/dockerd',
    dockerCli: '/usr/bin/docker',
    busybox: '/bin/busybox',
    busyboxIsStatic: true,
  };
  const cases: { name: string; facts: Partial<DockerHostFacts>; reason: RegExp | undefined }[] = [
    { name: 'root on Linux with every tool', facts: {}, reason: undefined },
    { name: 'not Linux', facts: { platform: 'darwin', uid: 501 }, reason: /needs Linux \(this is darwin\)/ },
    { name: 'not root', facts: { uid: 1000 }, reason: /needs root/ },
    { name: 'no uid (no POSIX ids)', facts: { uid: undefined }, reason: /needs root/ },
    { name: 'no dockerd', facts: { dockerd: undefined }, reason: /dockerd is not installed.*ensure-docker/ },
    { name: 'no docker CLI', facts: { dockerCli: undefined }, reason: /docker CLI is not installed/ },
    { name: 'no busybox', facts: { busybox: undefined }, reason: /busybox is not installed/ },
    { name: 'dynamic busybox', facts: { busyboxIsStatic: false }, reason: /not statically linked.*busybox-static/ },
  ];
  for (const { name, facts, reason } of cases) {
    test(name, () => {
      const result = assessDockerHost({ ...ready, ...facts });
      if (reason === undefined) {
        assert.deepEqual(result, { ok: true });
      } else {
        assert.equal(result.ok, false);
        assert.match(result.ok ? '' : result.reason, reason);
      }
    });
  }
});

describe('findRegistryAccess', () => {
  const cases: { args: string[]; reason: RegExp | undefined }[] = [
    { args: ['version'], reason: undefined },
    { args: ['exec', 'c1', 'echo', 'hi'], reason: undefined },
    { args: ['image', 'ls'], reason: undefined },
    { args: ['build', '-t', 'x', '.'], reason: undefined },
    { args: ['run', '--pull', 'never', TEST_IMAGE], reason: undefined },
    { args: ['run', '--pull=never', TEST_IMAGE], reason: undefined },
    { args: ['container', 'create', '--pull', 'never', TEST_IMAGE], reason: undefined },
    { args: ['pull', TEST_IMAGE], reason: /docker pull talks to a registry/ },
    { args: ['image', 'pull', TEST_IMAGE], reason: /docker image pull talks to a registry/ },
    { args: ['push', TEST_IMAGE], reason: /registry/ },
    { args: ['image', 'push', TEST_IMAGE], reason: /registry/ },
    { args: ['login'], reason: /registry/ },
    { args: ['search', 'busybox'], reason: /registry/ },
    { args: ['manifest', 'inspect', 'x'], reason: /registry/ },
    { args: ['trust', 'inspect', 'x'], reason: /registry/ },
    { args: ['plugin', 'install', 'x'], reason: /registry/ },
    { args: ['plugin', 'upgrade', 'x'], reason: /registry/ },
    { args: ['plugin', 'push', 'x'], reason: /registry/ },
    { args: ['run', TEST_IMAGE], reason: /docker run pulls a missing image: pass --pull never/ },
    { args: ['run', '--pull', 'always', TEST_IMAGE], reason: /--pull never/ },
    { args: ['run', '--pull=missing', TEST_IMAGE], reason: /--pull never/ },
    { args: ['create', TEST_IMAGE], reason: /docker create pulls/ },
    { args: ['container', 'run', TEST_IMAGE], reason: /docker container run pulls/ },
    { args: ['container', 'create', TEST_IMAGE], reason: /docker container create pulls/ },
    { args: ['build', '--pull', '.'], reason: /docker build --pull refreshes/ },
    { args: ['image', 'build', '--pull=true', '.'], reason: /docker image build --pull/ },
    { args: ['builder', 'build', '--pull', '.'], reason: /docker builder build --pull/ },
  ];
  for (const { args, reason } of cases) {
    test(args.join(' '), () => {
      const found = findRegistryAccess(args);
      if (reason === undefined) assert.equal(found, undefined);
      else assert.match(found ?? '', reason);
    });
  }
});

describe('a real dockerd', { skip }, () => {
  let daemon: DockerDaemon;
  before(async () => {
    daemon = await startDockerDaemon();
  });
  after(() => daemon?.stop());

  test('runs on a short private socket in its own run dir and reports Engine API 1.41 to the real CLI', async (t) => {
    t.diagnostic(`start ${daemon.timings.startMs} ms, seed ${daemon.timings.seedMs} ms (${daemon.storageDriver})`);
    assert.match(daemon.runDir, /^\/tmp\/sgd-/);
    assert.equal(daemon.socketPath, path.join(daemon.runDir, 'docker.sock'));
    assert.ok(Buffer.byteLength(daemon.socketPath) <= 107, 'unix socket paths are limited to 107 bytes');
    assert.equal(daemon.host, `unix://${daemon.socketPath}`);
    assert.equal(daemon.storageDriver, 'overlay2');
    assert.ok(listLiveProcessesMentioning(daemon.runDir).includes(daemon.pid));

    const version = await daemon.docker(['version', '--format', '{{.Server.APIVersion}}']);
    assert.deepEqual(version, { code: 0, stdout: '1.41\n', stderr: '' });
  });

  test('holds the seeded image, imported from a local tar', async () => {
    const images = await daemon.request('GET', '/v1.41/images/json');
    assert.equal(images.status, 200);
    const tags = (JSON.parse(images.body) as { RepoTags: string[] | null }[]).flatMap((image) => image.RepoTags ?? []);
    assert.deepEqual(tags, [TEST_IMAGE]);
  });

  test('createContainer and startContainer give a running, labelled container with no network', async () => {
    const id = await daemon.createContainer({
      name: 'harness-web',
      cmd: ['sh', '-c', 'echo started; exec sleep 86400'],
      labels: { role: 'web' },
    });
    await daemon.startContainer(id);

    const inspected = await daemon.request('GET', `/v1.41/containers/${id}/json`);
    assert.equal(inspected.status, 200);
    const container = JSON.parse(inspected.body) as {
      Name: string;
      State: { Running: boolean };
      Config: { Image: string; Labels: Record<string, string>; StopTimeout: number };
      HostConfig: { NetworkMode: string; Init: boolean };
    };
    assert.equal(container.Name, '/harness-web');
    assert.equal(container.State.Running, true);
    assert.equal(container.Config.Image, TEST_IMAGE);
    assert.deepEqual(container.Config.Labels, { proxytest: 'harness', role: 'web' });
    assert.equal(container.Config.StopTimeout, 1);
    assert.deepEqual(container.HostConfig, { ...container.HostConfig, NetworkMode: 'none', Init: true });

    const interfaces = await daemon.docker(['exec', 'harness-web', 'ls', '/sys/class/net']);
    assert.deepEqual(interfaces, { code: 0, stdout: 'lo\n', stderr: '' });
  });

  test('docker exec runs a command, passes stdin, and reports exit code and stderr', async () => {
    assert.deepEqual(await daemon.docker(['exec', 'harness-web', 'echo', 'hello']), {
      code: 0,
      stdout: 'hello\n',
      stderr: '',
    });
    assert.deepEqual(await daemon.docker(['exec', '-i', 'harness-web', 'cat'], { input: 'from stdin' }), {
      code: 0,
      stdout: 'from stdin',
      stderr: '',
    });
    assert.deepEqual(await daemon.docker(['exec', 'harness-web', 'sh', '-c', 'echo oops >&2; exit 3']), {
      code: 3,
      stdout: '',
      stderr: 'oops\n',
    });
  });

  test('docker logs returns what the container printed', async () => {
    const deadline = Date.now() + 5_000;
    let logs = await daemon.docker(['logs', 'harness-web']);
    // The container echoes right after start; give the log driver a moment.
    while (logs.stdout === '' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      logs = await daemon.docker(['logs', 'harness-web']);
    }
    assert.deepEqual(logs, { code: 0, stdout: 'started\n', stderr: '' });
  });

  test('docker() can target another host and gives up after timeoutMs', async () => {
    const elsewhere = await daemon.docker(['version'], { host: `unix://${daemon.runDir}/nothing.sock` });
    assert.notEqual(elsewhere.code, 0);
    assert.match(elsewhere.stderr, /nothing\.sock/);

    await assert.rejects(
      daemon.docker(['exec', 'harness-web', 'sleep', '5'], { timeoutMs: 300 }),
      /timed out after 300 ms/,
    );
  });

  test('docker() reads its CLI settings from the private config dir', async () => {
    await writeFile(path.join(daemon.configDir, 'config.json'), JSON.stringify({ psFormat: 'ps:{{.Names}}' }));
    try {
      assert.deepEqual(await daemon.docker(['ps']), { code: 0, stdout: 'ps:harness-web\n', stderr: '' });
    } finally {
      await rm(path.join(daemon.configDir, 'config.json'));
    }
  });

  test('docker() refuses a command that could pull, before running anything', async () => {
    await assert.rejects(daemon.docker(['run', 'example.invalid/nothing']), /refusing .*pass --pull never/);
  });

  test('stop removes containers, ends dockerd and its children, and deletes the run dir; again is a no-op', async (t) => {
    const started = Date.now();
    await daemon.stop();
    t.diagnostic(`stop ${Date.now() - started} ms`);
    assert.deepEqual(listLiveProcessesMentioning(daemon.runDir), []);
    assert.deepEqual(listMountsUnder(daemon.runDir), []);
    assert.equal(existsSync(daemon.runDir), false);
    await daemon.stop();
  });
});

describe('storage driver fallback', { skip }, () => {
  test('uses the next driver when dockerd exits on the first', async () => {
    const daemon = await startDockerDaemon({ storageDrivers: ['no-such-driver', 'vfs'] });
    try {
      assert.equal(daemon.storageDriver, 'vfs');
      const info = await daemon.request('GET', '/v1.41/info');
      assert.equal((JSON.parse(info.body) as { Driver: string }).Driver, 'vfs');
      assert.equal((await daemon.request('GET', `/v1.41/images/${TEST_IMAGE}/json`)).status, 200);
    } finally {
      await daemon.stop();
    }
    assert.equal(existsSync(daemon.runDir), false);
  });

  test('reports every attempt when no driver works, and leaves nothing behind', async () => {
    const failure = await startDockerDaemon({ storageDrivers: ['no-such-driver'] }).then(
      () => assert.fail('dockerd started without a storage driver'),
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    assert.match(failure, /--storage-driver=no-such-driver: exited with code \d+; log tail:\n.*no-such-driver/s);
    const runDir = /dockerd in (\/tmp\/sgd-\S+) \(now removed\)/.exec(failure)?.[1] ?? '';
    assert.notEqual(runDir, '');
    assert.deepEqual(listLiveProcessesMentioning(runDir), []);
    assert.equal(existsSync(runDir), false);
  });
});

describe('a test process that exits without stop()', { skip }, () => {
  test('still shuts its dockerd down', async () => {
    const helper = fileURLToPath(new URL('./docker-daemon.ts', import.meta.url));
    const script = `import { startDockerDaemon } from ${JSON.stringify(helper)};
      const daemon = await startDockerDaemon();
      await daemon.startContainer(await daemon.createContainer());
      console.log(daemon.runDir);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let runDir = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (runDir += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    runDir = runDir.trim();
    assert.equal(code, 0);
    assert.match(runDir, /^\/tmp\/sgd-/);

    const deadline = Date.now() + 30_000;
    while (listLiveProcessesMentioning(runDir).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(listLiveProcessesMentioning(runDir), []);
    // Nothing is left mounted, so the abandoned run dir is safe to delete.
    assert.deepEqual(listMountsUnder(runDir), []);
    await rm(runDir, { recursive: true, force: true });
  });
});
