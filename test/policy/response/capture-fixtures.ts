/**
 * Captures the response fixtures under ./fixtures from a real dockerd (Engine API 1.41), so the
 * redaction and visibility tests run on bodies the daemon really sends. Not a test: run it by hand
 * (as root, with dockerd installed) when the fixtures need refreshing:
 *
 *   node --import tsx test/policy/response/capture-fixtures.ts
 *
 * The daemon gets one internal bridge network (so containers have addresses), a bind mount of a
 * scratch directory, a named volume, a device mapping, an env with a secret, owner labels, and a
 * single-node swarm with a secret, a config and a service (so swarm shapes carry tokens and TLS data).
 * Everything lives in the harness's private run directory and is removed with the daemon.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDockerDaemon, TEST_IMAGE, type DockerDaemon } from '../../helpers/docker-daemon.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const API = '/v1.41';

async function call(daemon: DockerDaemon, method: string, apiPath: string, body?: unknown): Promise<string> {
  const response = await daemon.request(
    method,
    API + apiPath,
    body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, timeoutMs: 60_000 },
  );
  if (response.status >= 300) throw new Error(`${method} ${apiPath}: ${response.status} ${response.body}`);
  return response.body;
}

async function save(name: string, body: string): Promise<void> {
  // Pretty-printed for review; the tests re-read them byte-exactly, numbers included.
  await writeFile(path.join(FIXTURES, name), body.endsWith('\n') ? body : body + '\n');
  console.log(`saved ${name}`);
}

async function captureEngine(daemon: DockerDaemon): Promise<void> {
  const hostDir = path.join(daemon.runDir, 'hostdir');
  await mkdir(hostDir);
  const network = JSON.parse(
    await call(daemon, 'POST', '/networks/create', {
      Name: 'sg-net',
      Driver: 'bridge',
      Internal: true,
      Labels: { 'com.sockguard.owner': 'alice' },
      IPAM: { Config: [{ Subnet: '10.231.0.0/24', Gateway: '10.231.0.1' }] },
    }),
  ) as { Id: string };
  await call(daemon, 'POST', '/volumes/create', { Name: 'sg-data', Labels: { 'com.sockguard.owner': 'alice' } });
  const created = JSON.parse(
    await call(daemon, 'POST', '/containers/create?name=sg-web', {
      Image: TEST_IMAGE,
      Cmd: ['sleep', '3600'],
      Env: ['SECRET_TOKEN=hunter2', 'MODE=prod'],
      Labels: { 'com.sockguard.owner': 'alice', app: 'web' },
      HostConfig: {
        Binds: [`${hostDir}:/host:ro`, 'sg-data:/data'],
        Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/sgnull', CgroupPermissions: 'rwm' }],
        NetworkMode: 'sg-net',
        Init: true,
      },
    }),
  ) as { Id: string };
  await call(daemon, 'POST', `/containers/${created.Id}/start`);
  const exec = JSON.parse(
    await call(daemon, 'POST', `/containers/${created.Id}/exec`, { Cmd: ['true'], Env: ['EXEC_SECRET=x'] }),
  ) as { Id: string };

  await save('container-inspect.json', await call(daemon, 'GET', `/containers/${created.Id}/json?size=1`));
  await save('container-list.json', await call(daemon, 'GET', '/containers/json?all=1'));
  await save('exec-inspect.json', await call(daemon, 'GET', `/exec/${exec.Id}/json`));
  await save('volume-inspect.json', await call(daemon, 'GET', '/volumes/sg-data'));
  await save('volume-list.json', await call(daemon, 'GET', '/volumes'));
  await save('network-inspect.json', await call(daemon, 'GET', `/networks/${network.Id}`));
  await save('network-list.json', await call(daemon, 'GET', '/networks'));
  await save('image-inspect.json', await call(daemon, 'GET', `/images/${encodeURIComponent(TEST_IMAGE)}/json`));
  await save('image-list.json', await call(daemon, 'GET', '/images/json'));
  await save('system-df.json', await call(daemon, 'GET', '/system/df'));
}

async function captureSwarm(daemon: DockerDaemon): Promise<void> {
  await call(daemon, 'POST', '/swarm/init', { ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
  const label = { 'com.sockguard.owner': 'alice' };
  const secret = JSON.parse(
    await call(daemon, 'POST', '/secrets/create', {
      Name: 'sg-secret',
      Labels: label,
      Data: Buffer.from('s3cret').toString('base64'),
    }),
  ) as { ID: string };
  const config = JSON.parse(
    await call(daemon, 'POST', '/configs/create', {
      Name: 'sg-config',
      Labels: label,
      Data: Buffer.from('password=s3cret\n').toString('base64'),
    }),
  ) as { ID: string };
  const service = JSON.parse(
    await call(daemon, 'POST', '/services/create', {
      Name: 'sg-svc',
      Labels: label,
      TaskTemplate: {
        ContainerSpec: {
          Image: TEST_IMAGE,
          Command: ['sleep', '3600'],
          Env: ['SERVICE_TOKEN=hunter2'],
          Labels: label,
          Mounts: [{ Type: 'bind', Source: daemon.runDir, Target: '/host', ReadOnly: true }],
          Secrets: [
            {
              SecretID: secret.ID,
              SecretName: 'sg-secret',
              File: { Name: 'sg-secret', UID: '0', GID: '0', Mode: 292 },
            },
          ],
          Configs: [
            {
              ConfigID: config.ID,
              ConfigName: 'sg-config',
              File: { Name: '/sg-config', UID: '0', GID: '0', Mode: 292 },
            },
          ],
        },
        Networks: [],
      },
      Mode: { Replicated: { Replicas: 1 } },
    }),
  ) as { ID: string };
  // Give the orchestrator a moment to create the task.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const nodes = JSON.parse(await call(daemon, 'GET', '/nodes')) as { ID: string }[];

  await save('swarm-inspect.json', await call(daemon, 'GET', '/swarm'));
  await save('swarm-unlockkey.json', await call(daemon, 'GET', '/swarm/unlockkey'));
  await save('info-swarm.json', await call(daemon, 'GET', '/info'));
  await save('node-list.json', JSON.stringify(nodes, null, 0));
  await save('node-inspect.json', await call(daemon, 'GET', `/nodes/${nodes[0]!.ID}`));
  await save('secret-inspect.json', await call(daemon, 'GET', `/secrets/${secret.ID}`));
  await save('config-inspect.json', await call(daemon, 'GET', `/configs/${config.ID}`));
  await save('config-list.json', await call(daemon, 'GET', '/configs'));
  await save('service-inspect.json', await call(daemon, 'GET', `/services/${service.ID}`));
  await save('service-list.json', await call(daemon, 'GET', '/services'));
  await save('task-list.json', await call(daemon, 'GET', '/tasks'));
  await call(daemon, 'DELETE', `/services/${service.ID}`);
  await call(daemon, 'POST', '/swarm/leave?force=1');
}

const daemon = await startDockerDaemon();
try {
  await mkdir(FIXTURES, { recursive: true });
  await save('info.json', await call(daemon, 'GET', '/info'));
  await captureEngine(daemon);
  await captureSwarm(daemon);
} finally {
  await daemon.stop();
}
