/**
 * `sockguard serve` against the same real dockerd, side by side in one run: (a) the daemon's own
 * socket, (b) sockguard serve in its own process, plus one column per other proxy named by
 * SOCKGUARD_BENCH_PEER_<NAME>=<unix socket path | shell command> (a command gets UPSTREAM_SOCKET and
 * LISTEN_SOCKET in its environment and must listen on LISTEN_SOCKET).
 * Requests/s and p50/p99 latency at concurrency 1, 10, 50 for GET /_ping, GET /containers/json and a
 * request sockguard denies; streaming throughput of a ~100 MB container export; RSS idle and under
 * load. Load comes from a small keep-alive client in this process, bounded in time, unix sockets only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dockerAvailable, startDockerDaemon, type DockerDaemon } from '../test/helpers/docker-daemon.js';
import { percentile, printTable } from './stats.js';

const CELL_MS = 1_500;
const WARMUP_MS = 300;
const CONCURRENCY = [1, 10, 50] as const;
const EXPORT_MB = 100;
const EXPORT_RUNS = 3;
const STARTUP_DEADLINE_MS = 20_000;
const SERVE_MAIN = fileURLToPath(new URL('../test/proxy/serve-main.ts', import.meta.url));

const POLICY = `
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: /containers/json }, action: allow }
  - { match: { method: GET, path: "/containers/*/export" }, action: allow }
  - { match: { method: "*", path: "/**" }, action: deny, reason: no matching allow rule }
insecure_allow_read_exfiltration: true
`;

const REQUESTS: readonly { name: string; method: string; path: string }[] = [
  { name: 'GET /_ping', method: 'GET', path: '/v1.41/_ping' },
  { name: 'GET /containers/json', method: 'GET', path: '/v1.41/containers/json' },
  { name: 'denied (POST /containers/{id}/kill)', method: 'POST', path: '/v1.41/containers/nonexistent/kill' },
];

interface Target {
  name: string;
  socketPath: string;
  /** The process to measure RSS of (undefined for a socket we did not start). */
  pid: number | undefined;
  child?: ChildProcess;
}

interface Cell {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function once(agent: http.Agent, socketPath: string, method: string, target: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ socketPath, method, path: target, agent, headers: { Host: 'docker' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** `concurrency` keep-alive workers send back-to-back requests for `ms`; latencies in ms. */
export async function load(
  socketPath: string,
  method: string,
  target: string,
  concurrency: number,
  ms: number,
): Promise<Cell & { latencies: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await once(agent, socketPath, method, target);
        latencies.push(performance.now() - t0);
        if (status === 0 || status >= 500) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    latencies,
  };
}

/** Streams one export to nowhere; MB/s. */
function exportOnce(socketPath: string, id: string): Promise<{ mbps: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    const req = http.request(
      { socketPath, path: `/v1.41/containers/${id}/export`, agent: false, headers: { Host: 'docker' } },
      (res) => {
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ mbps: bytes / 1024 / 1024 / ((performance.now() - t0) / 1000), bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function waitForSocket(socketPath: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening on ${socketPath}`);
    if (existsSync(socketPath) && (await once(new http.Agent(), socketPath, 'GET', '/_ping')) !== 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on ${socketPath} after ${STARTUP_DEADLINE_MS} ms`);
}

async function startSockguard(dir: string, upstreamSocket: string): Promise<Target> {
  const config = path.join(dir, 'sockguard.yaml');
  writeFileSync(config, POLICY);
  const socketPath = path.join(dir, 'sockguard.sock');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SERVE_MAIN, '-c', config, '--listen-socket', socketPath, '--upstream-socket', upstreamSocket],
    { stdio: 'ignore', env: { ...process.env, DOCKER_HOST: '' } },
  );
  await waitForSocket(socketPath, child);
  return { name: 'sockguard serve', socketPath, pid: child.pid, child };
}

async function startPeers(dir: string, upstreamSocket: string): Promise<Target[]> {
  const peers: Target[] = [];
  for (const [key, value] of Object.entries(process.env)) {
    const name = /^SOCKGUARD_BENCH_PEER_(.+)$/.exec(key)?.[1];
    if (name === undefined || value === undefined || value === '') continue;
    if (value.startsWith('/') && existsSync(value) && statSync(value).isSocket()) {
      peers.push({ name: name.toLowerCase(), socketPath: value, pid: undefined });
      continue;
    }
    const socketPath = path.join(dir, `peer-${name.toLowerCase()}.sock`);
    const child = spawn('sh', ['-c', value], {
      stdio: 'ignore',
      env: { ...process.env, UPSTREAM_SOCKET: upstreamSocket, LISTEN_SOCKET: socketPath },
    });
    try {
      await waitForSocket(socketPath, child);
      peers.push({ name: name.toLowerCase(), socketPath, pid: child.pid, child });
    } catch (error) {
      child.kill('SIGTERM');
      console.log(`peer ${name}: ${(error as Error).message}; left out`);
    }
  }
  return peers;
}

async function makeBigContainer(daemon: DockerDaemon): Promise<string> {
  const id = await daemon.createContainer({
    cmd: ['sh', '-c', `dd if=/dev/urandom of=/big bs=1M count=${EXPORT_MB} 2>/dev/null`],
  });
  await daemon.startContainer(id);
  const waited = await daemon.request('POST', `/v1.41/containers/${id}/wait`, { timeoutMs: 120_000 });
  if (waited.status !== 200) throw new Error(`waiting for the export container: ${waited.status}`);
  return id;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ratio = (b: number, a: number) => (a > 0 && Number.isFinite(b) ? `${(b / a).toFixed(2)}` : '-');

export default async function run(): Promise<void> {
  const availability = dockerAvailable();
  if (!availability.ok) {
    console.log(`skipped: ${availability.reason}`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sgbench-'));
  const daemon = await startDockerDaemon();
  const targets: Target[] = [{ name: 'dockerd (direct)', socketPath: daemon.socketPath, pid: daemon.pid }];
  try {
    targets.push(await startSockguard(dir, daemon.socketPath));
    targets.push(...(await startPeers(dir, daemon.socketPath)));
    const bigContainer = await makeBigContainer(daemon);
    const idle = targets.map((t) => rssMb(t.pid));
    const loaded: (number | undefined)[] = targets.map(() => undefined);

    // Requests: rows are request x concurrency, one column group per target.
    const rows: string[][] = [];
    for (const req of REQUESTS) {
      for (const concurrency of CONCURRENCY) {
        const cells: Cell[] = [];
        for (const [i, target] of targets.entries()) {
          await load(target.socketPath, req.method, req.path, concurrency, WARMUP_MS);
          const sampler = setInterval(() => {
            const rss = rssMb(target.pid);
            if (rss !== undefined) loaded[i] = Math.max(loaded[i] ?? 0, rss);
          }, 100);
          cells.push(await load(target.socketPath, req.method, req.path, concurrency, CELL_MS));
          clearInterval(sampler);
        }
        const base = cells[0]!;
        rows.push([
          req.name,
          String(concurrency),
          ...cells.flatMap((c, i) =>
            i === 0
              ? [fmt(c.rps), fmt(c.p50, 3), fmt(c.p99, 3)]
              : [fmt(c.rps), fmt(c.p50, 3), fmt(c.p99, 3), ratio(c.rps, base.rps), `+${fmt(c.p50 - base.p50, 3)}`],
          ),
        ]);
      }
    }
    console.log(
      `\nRequests (each cell ${CELL_MS} ms after ${WARMUP_MS} ms warm-up; latency in ms; ratio = req/s of the proxy / direct)`,
    );
    printTable(
      [
        'request',
        'conc',
        ...targets.flatMap((t, i) =>
          i === 0 ? [`${t.name} req/s`, 'p50', 'p99'] : [`${t.name} req/s`, 'p50', 'p99', 'ratio', 'Δp50'],
        ),
      ],
      rows,
    );

    // Streaming: the same export through every target, best of EXPORT_RUNS.
    const streamRows: string[][] = [];
    let directMbps = 0;
    for (const [i, target] of targets.entries()) {
      let best = 0;
      let bytes = 0;
      for (let r = 0; r < EXPORT_RUNS; r++) {
        const result = await exportOnce(target.socketPath, bigContainer);
        best = Math.max(best, result.mbps);
        bytes = result.bytes;
      }
      if (i === 0) directMbps = best;
      const cli = performance.now();
      const out = path.join(dir, 'export.tar');
      const viaCli = await daemon.docker(['export', '-o', out, bigContainer], { host: `unix://${target.socketPath}` });
      rmSync(out, { force: true });
      const cliSeconds = (performance.now() - cli) / 1000;
      streamRows.push([
        target.name,
        `${(bytes / 1024 / 1024).toFixed(1)} MB`,
        fmt(best, 1),
        i === 0 ? '1.00' : ratio(best, directMbps),
        viaCli.code === 0 ? fmt(cliSeconds, 2) : `failed: ${viaCli.stderr.trim()}`,
      ]);
    }
    console.log(
      `\nStreaming: GET /containers/{id}/export of a container with ${EXPORT_MB} MB written by dd (best of ${EXPORT_RUNS})`,
    );
    printTable(['target', 'size', 'MB/s', 'ratio', '`docker export` s'], streamRows);

    console.log('\nResident memory (MB; dockerd alone, without its containerd)');
    printTable(
      ['target', 'idle', 'under load (max)'],
      targets.map((t, i) => [t.name, fmt(idle[i] ?? NaN, 1), fmt(loaded[i] ?? NaN, 1)]),
    );
  } finally {
    for (const target of targets) target.child?.kill('SIGTERM');
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
