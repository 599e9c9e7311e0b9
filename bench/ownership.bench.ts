/**
 * The cost of owner isolation in `sockguard serve`, side by side against one real dockerd: the same
 * policy served twice in its own processes, once with `ownership.owner` set and once without (both
 * with the default redaction), plus the daemon's own socket for reference. Measured on what `docker
 * ps` and `docker inspect` send: `GET /containers/json?all=1` (owner filter injected, list
 * post-filtered) and `GET /containers/{name}/json` (one extra inspect to resolve and check the owner,
 * then the forward by full ID). Half of the daemon's containers belong to the owner. Figures and
 * ratios only, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dockerAvailable, startDockerDaemon, type DockerDaemon } from '../test/helpers/docker-daemon.js';
import { load, waitForSocket } from './serve.bench.js';
import { printTable } from './stats.js';

const CELL_MS = 1_500;
const WARMUP_MS = 300;
const CONCURRENCY = [1, 10] as const;
const CONTAINERS_PER_OWNER = 10;
const SERVE_MAIN = fileURLToPath(new URL('../test/proxy/serve-main.ts', import.meta.url));
const OWNER_LABEL = 'com.sockguard.owner';

const POLICY = `
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: /containers/json }, action: allow }
  - { match: { method: GET, path: "/containers/*/json" }, action: allow }
  - { match: { method: "*", path: "/**" }, action: deny, reason: no matching allow rule }
insecure_allow_read_exfiltration: true
`;

interface Served {
  name: string;
  socketPath: string;
  stop?: () => void;
}

async function serve(dir: string, name: string, yaml: string, upstreamSocket: string): Promise<Served> {
  const config = path.join(dir, `${name}.yaml`);
  writeFileSync(config, yaml);
  const socketPath = path.join(dir, `${name}.sock`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SERVE_MAIN, '-c', config, '--listen-socket', socketPath, '--upstream-socket', upstreamSocket],
    { stdio: 'ignore', env: { ...process.env, DOCKER_HOST: '' } },
  );
  await waitForSocket(socketPath, child);
  return { name, socketPath, stop: () => child.kill('SIGTERM') };
}

async function seed(daemon: DockerDaemon): Promise<string> {
  let owned = '';
  for (let i = 0; i < CONTAINERS_PER_OWNER; i++) {
    await daemon.createContainer({ name: `bench-owned-${i}`, labels: { [OWNER_LABEL]: 'bench' } });
    await daemon.createContainer({ name: `bench-other-${i}`, labels: { [OWNER_LABEL]: 'someone-else' } });
    owned = `bench-owned-${i}`;
  }
  return owned;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export default async function run(): Promise<void> {
  const availability = dockerAvailable();
  if (!availability.ok) {
    console.log(`skipped: ${availability.reason}`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sgbench-own-'));
  const daemon = await startDockerDaemon();
  const targets: Served[] = [{ name: 'dockerd (direct)', socketPath: daemon.socketPath }];
  try {
    const name = await seed(daemon);
    targets.push(await serve(dir, 'without-ownership', POLICY, daemon.socketPath));
    targets.push(await serve(dir, 'with-ownership', POLICY + 'ownership:\n  owner: bench\n', daemon.socketPath));
    const requests = [
      { name: 'docker ps -a (GET /containers/json?all=1)', path: '/v1.41/containers/json?all=1' },
      { name: 'docker inspect (GET /containers/{name}/json)', path: `/v1.41/containers/${name}/json` },
    ];
    const rows: string[][] = [];
    for (const req of requests) {
      for (const concurrency of CONCURRENCY) {
        const cells = [];
        for (const target of targets) {
          await load(target.socketPath, 'GET', req.path, concurrency, WARMUP_MS);
          cells.push(await load(target.socketPath, 'GET', req.path, concurrency, CELL_MS));
        }
        const [direct, plain, owned] = cells as [(typeof cells)[0], (typeof cells)[0], (typeof cells)[0]];
        rows.push([
          req.name,
          String(concurrency),
          fmt(direct.rps),
          fmt(plain.rps),
          fmt(plain.p50, 3),
          fmt(owned.rps),
          fmt(owned.p50, 3),
          fmt(owned.p99, 3),
          plain.rps > 0 ? (owned.rps / plain.rps).toFixed(2) : '-',
          plain.p50 > 0 ? (owned.p50 / plain.p50).toFixed(2) : '-',
          String(plain.errors + owned.errors),
        ]);
      }
    }
    console.log(
      `\nOwnership cost (${CONTAINERS_PER_OWNER} of ${2 * CONTAINERS_PER_OWNER} containers owned; each cell ${CELL_MS} ms ` +
        `after ${WARMUP_MS} ms warm-up; latency in ms; ratios = with ownership / without)`,
    );
    printTable(
      [
        'request',
        'conc',
        'direct req/s',
        'without req/s',
        'p50',
        'with req/s',
        'p50',
        'p99',
        'req/s ratio',
        'p50 ratio',
        'errors',
      ],
      rows,
    );
  } finally {
    for (const target of targets) target.stop?.();
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
