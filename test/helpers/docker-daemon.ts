/**
 * A real Docker Engine for integration tests: Debian's dockerd 20.10 (Engine API 1.41) on a private unix
 * socket in its own /tmp directory, seeded with a busybox image imported from a local tar, driven through
 * the Engine API and the real docker CLI. Nothing here ever contacts a registry.
 * Steps and observed behaviour: shared/reference/real-docker-upstream.md (§ numbers below refer to it).
 *
 * One daemon per test file: start it in before(), stop it in after().
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants as fsConstants, openSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

/** The seeded image: a local, non-Hub-looking name so a mistaken pull can never hit Docker Hub (§9). */
export const TEST_IMAGE = 'proxytest/busybox:latest';
/** Every container created through the harness carries this label. */
export const TEST_LABEL = 'proxytest';

const API_PREFIX = '/v1.41';
/** Unix socket paths are limited to 107 bytes; mkdtemp under /tmp keeps ours around 30. */
const RUN_DIR_PREFIX = '/tmp/sgd-';
const DEFAULT_STORAGE_DRIVERS = ['overlay2', 'vfs'] as const;
const READY_DEADLINE_MS = 30_000;
const PING_TIMEOUT_MS = 1_000;
const PING_INTERVAL_MS = 100;
const STOP_DEADLINE_MS = 30_000;
const LEFTOVER_DEADLINE_MS = 5_000;
const CLI_TIMEOUT_MS = 60_000;
const LOG_TAIL_LINES = 40;
/** Searched after PATH: a non-root PATH often lacks the sbin directories where dockerd lives. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export type DockerAvailability = { ok: true } | { ok: false; reason: string };

/** What the host offers; gathered by dockerAvailable(), judged by assessDockerHost(). */
export interface DockerHostFacts {
  platform: string;
  uid: number | undefined;
  dockerd: string | undefined;
  dockerCli: string | undefined;
  busybox: string | undefined;
  busyboxIsStatic: boolean;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ApiRequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface ContainerOptions {
  name?: string;
  /** Defaults to a long sleep so the container stays up until stop() removes it. */
  cmd?: readonly string[];
  /** Merged over `{ proxytest: 'harness' }`. */
  labels?: Readonly<Record<string, string>>;
}

export interface DockerCliOptions {
  /** A `docker -H` value such as `unix:///tmp/x/proxy.sock`; defaults to the daemon's own socket. */
  host?: string;
  /** Written to the CLI's stdin (then closed); without it stdin is empty. */
  input?: string;
  timeoutMs?: number;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerDaemon {
  readonly runDir: string;
  readonly socketPath: string;
  /** `unix://<socketPath>`, the value for `docker -H` or DOCKER_HOST. */
  readonly host: string;
  /** The DOCKER_CONFIG of every docker() run, isolated from the user's ~/.docker. */
  readonly configDir: string;
  readonly storageDriver: string;
  readonly pid: number;
  /** Launch to first `/_ping` 200, and image seeding, in milliseconds. */
  readonly timings: { readonly startMs: number; readonly seedMs: number };
  request(method: string, apiPath: string, options?: ApiRequestOptions): Promise<ApiResponse>;
  /** Creates a container from TEST_IMAGE with no network, tini as PID 1 and a 1 s stop timeout; returns its id. */
  createContainer(options?: ContainerOptions): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Runs the real docker CLI; args start with the subcommand (`['exec', id, 'echo', 'hi']`). */
  docker(args: readonly string[], options?: DockerCliOptions): Promise<CommandResult>;
  /** Removes containers, stops dockerd, unmounts and deletes the run dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Tried in order; the next is used when dockerd exits during startup. */
  storageDrivers?: readonly string[];
}

export function assessDockerHost(facts: DockerHostFacts): DockerAvailability {
  if (facts.platform !== 'linux') return { ok: false, reason: `dockerd needs Linux (this is ${facts.platform})` };
  if (facts.uid !== 0) return { ok: false, reason: 'starting dockerd needs root' };
  const install = 'run scripts/ensure-docker.sh as root';
  if (facts.dockerd === undefined) return { ok: false, reason: `dockerd is not installed (${install})` };
  if (facts.dockerCli === undefined) return { ok: false, reason: `the docker CLI is not installed (${install})` };
  if (facts.busybox === undefined) return { ok: false, reason: `busybox is not installed (${install})` };
  // The image has no libc: a dynamically linked busybox would not run inside it (§3).
  if (!facts.busyboxIsStatic) {
    return { ok: false, reason: `${facts.busybox} is not statically linked (install busybox-static)` };
  }
  return { ok: true };
}

export function dockerAvailable(): DockerAvailability {
  return assessDockerHost(gatherHostFacts());
}

/**
 * Why running `docker <args>` could contact a registry, or undefined when it cannot. The CLI pulls a
 * missing image on run/create unless told not to (§9); tests must never depend on the network.
 * A guard against accidents, not a parser: `--pull never` anywhere in the arguments counts.
 */
export function findRegistryAccess(args: readonly string[]): string | undefined {
  const [first = '', second = ''] = args;
  const command = ['container', 'image', 'plugin', 'builder'].includes(first) ? `${first} ${second}` : first;
  if (REGISTRY_COMMANDS.has(command)) return `docker ${command} talks to a registry`;
  if (PULLING_COMMANDS.has(command) && !hasPullNever(args)) {
    return `docker ${command} pulls a missing image: pass --pull never`;
  }
  if (BUILD_COMMANDS.has(command) && args.some((arg) => arg === '--pull' || arg === '--pull=true')) {
    return `docker ${command} --pull refreshes the base image from a registry`;
  }
  return undefined;
}

const REGISTRY_COMMANDS = new Set([
  'pull',
  'push',
  'login',
  'search',
  'manifest',
  'trust',
  'image pull',
  'image push',
  'plugin install',
  'plugin upgrade',
  'plugin push',
]);
const PULLING_COMMANDS = new Set(['run', 'create', 'container run', 'container create']);
const BUILD_COMMANDS = new Set(['build', 'image build', 'builder build']);

function hasPullNever(args: readonly string[]): boolean {
  return args.some((arg, i) => arg === '--pull=never' || (arg === '--pull' && args[i + 1] === 'never'));
}

export async function startDockerDaemon(options: StartOptions = {}): Promise<DockerDaemon> {
  const facts = gatherHostFacts();
  const availability = assessDockerHost(facts);
  if (!availability.ok) throw new Error(`cannot start dockerd: ${availability.reason}`);
  const { dockerd, dockerCli, busybox } = facts;
  if (dockerd === undefined || dockerCli === undefined || busybox === undefined) {
    throw new Error('unreachable: assessDockerHost accepted a host without its tools');
  }

  const runDir = await mkdtemp(RUN_DIR_PREFIX);
  try {
    const socketPath = path.join(runDir, 'docker.sock');
    const configDir = path.join(runDir, 'cli-config');
    await mkdir(configDir);
    // An empty config file keeps /etc/docker/daemon.json (hosts, bridges, registries) out of our daemon.
    await writeFile(path.join(runDir, 'daemon.json'), '{}\n');
    const launched = await launchWithFallback(dockerd, runDir, socketPath, options.storageDrivers);

    const api = (method: string, apiPath: string, requestOptions: ApiRequestOptions = {}) =>
      requestApi(socketPath, method, apiPath, requestOptions);
    const seedStarted = Date.now();
    await seedImage(api, runDir, busybox);
    const seedMs = Date.now() - seedStarted;

    // If a test file forgets stop() (or calls process.exit), SIGTERM still lets dockerd stop its
    // containers and containerd by itself; the child is unref'd so it cannot keep the test process alive.
    const stopOnExit = () => {
      if (launched.exit === undefined) launched.child.kill('SIGTERM');
    };
    process.once('exit', stopOnExit);
    launched.child.unref();

    let stopping: Promise<void> | undefined;
    const host = `unix://${socketPath}`;
    return {
      runDir,
      socketPath,
      host,
      configDir,
      storageDriver: launched.storageDriver,
      pid: launched.pid,
      timings: { startMs: launched.startMs, seedMs },
      request: api,
      createContainer: (containerOptions = {}) => createContainer(api, containerOptions),
      startContainer: async (id) => {
        expectStatus(await api('POST', `${API_PREFIX}/containers/${encodeURIComponent(id)}/start`), [204], 'start');
      },
      docker: (args, cliOptions = {}) => runDockerCli(dockerCli, configDir, host, args, cliOptions),
      stop: () => {
        process.removeListener('exit', stopOnExit);
        stopping ??= stopDaemon(api, launched, runDir);
        return stopping;
      },
    };
  } catch (error) {
    await removeRunDir(runDir);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`dockerd in ${runDir} (now removed): ${message}`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------------
// Host facts

function gatherHostFacts(): DockerHostFacts {
  const busybox = findExecutable('busybox');
  return {
    platform: process.platform,
    uid: process.getuid?.(),
    dockerd: findExecutable('dockerd'),
    // The brief's preference: a newer CLI in /usr/local/bin (it negotiates down to API 1.41) over the packaged one.
    dockerCli: findExecutable('docker', ['/usr/local/bin']),
    busybox,
    busyboxIsStatic: busybox !== undefined && isStaticallyLinked(busybox),
  };
}

function findExecutable(name: string, preferredDirs: readonly string[] = []): string | undefined {
  const pathDirs = (process.env['PATH'] ?? '').split(':').filter((dir) => dir !== '');
  for (const dir of [...preferredDirs, ...pathDirs, ...SYSTEM_DIRS]) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function isStaticallyLinked(file: string): boolean {
  // ldd exits non-zero with "not a dynamic executable" for static binaries.
  const result = spawnSync('ldd', [file], { stdio: 'ignore' });
  return result.error === undefined && result.status !== 0;
}

// ---------------------------------------------------------------------------------------------------
// Launch (§4)

interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface LaunchedDaemon {
  child: ReturnType<typeof spawn>;
  pid: number;
  storageDriver: string;
  startedAt: number;
  /** Launch to first /_ping 200; set once ready. */
  startMs: number;
  /** Set once the process has exited. */
  exit: ExitInfo | undefined;
  exited: Promise<ExitInfo>;
}

async function launchWithFallback(
  dockerd: string,
  runDir: string,
  socketPath: string,
  storageDrivers: readonly string[] = DEFAULT_STORAGE_DRIVERS,
): Promise<LaunchedDaemon> {
  const failures: string[] = [];
  for (const storageDriver of storageDrivers) {
    const launched = launchDockerd(dockerd, runDir, socketPath, storageDriver);
    const state = await waitUntilReady(socketPath, launched);
    if (state === 'ready') return launched;
    const log = readLogTail(logPath(runDir, storageDriver));
    if (state === 'timeout') {
      launched.child.kill('SIGKILL');
      await launched.exited;
      await killProcessesMentioning(runDir);
      throw new Error(`dockerd did not answer /_ping within ${READY_DEADLINE_MS} ms; log tail:\n${log}`);
    }
    // dockerd exited during startup (e.g. the storage driver is unsupported here): try the next driver.
    failures.push(`--storage-driver=${storageDriver}: exited ${describeExit(launched.exit)}; log tail:\n${log}`);
    await killProcessesMentioning(runDir);
    await rm(socketPath, { force: true });
  }
  throw new Error(`dockerd failed to start:\n${failures.join('\n')}`);
}

function launchDockerd(dockerd: string, runDir: string, socketPath: string, storageDriver: string): LaunchedDaemon {
  const suffix = storageDriver.replace(/[^a-z0-9]/gi, '_');
  const args = [
    `--host=unix://${socketPath}`,
    `--config-file=${path.join(runDir, 'daemon.json')}`,
    `--data-root=${path.join(runDir, `data-${suffix}`)}`,
    `--exec-root=${path.join(runDir, `exec-${suffix}`)}`,
    `--pidfile=${path.join(runDir, `dockerd-${suffix}.pid`)}`,
    // No firewall rules, no docker0 bridge: the daemon must leave the host's networking alone (§4, §9).
    '--iptables=false',
    '--ip6tables=false',
    '--bridge=none',
    `--storage-driver=${storageDriver}`,
    '--log-level=warn',
  ];
  const logFd = openSync(logPath(runDir, storageDriver), 'a');
  let child: ReturnType<typeof spawn>;
  try {
    // dockerd finds containerd, runc and docker-init (tini) on PATH.
    const env = { ...process.env, PATH: [process.env['PATH'] ?? '', ...SYSTEM_DIRS].join(':') };
    child = spawn(dockerd, args, { stdio: ['ignore', logFd, logFd], env });
  } finally {
    closeSync(logFd);
  }
  const launched: LaunchedDaemon = {
    child,
    pid: child.pid ?? -1,
    storageDriver,
    startedAt: Date.now(),
    startMs: 0,
    exit: undefined,
    exited: new Promise<ExitInfo>((resolve) => {
      const settle = (exit: ExitInfo) => {
        launched.exit ??= exit;
        resolve(launched.exit);
      };
      child.once('exit', (code, signal) => settle({ code, signal }));
      child.once('error', () => settle({ code: null, signal: null }));
    }),
  };
  return launched;
}

async function waitUntilReady(socketPath: string, launched: LaunchedDaemon): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = launched.startedAt + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (launched.exit !== undefined) return 'exited';
    if (await ping(socketPath)) {
      launched.startMs = Date.now() - launched.startedAt;
      return 'ready';
    }
    await sleep(PING_INTERVAL_MS);
  }
  return 'timeout';
}

async function ping(socketPath: string): Promise<boolean> {
  try {
    const response = await requestApi(socketPath, 'GET', '/_ping', { timeoutMs: PING_TIMEOUT_MS });
    return response.status === 200;
  } catch {
    return false; // socket not there yet, or refused
  }
}

function logPath(runDir: string, storageDriver: string): string {
  return path.join(runDir, `dockerd-${storageDriver.replace(/[^a-z0-9]/gi, '_')}.log`);
}

function readLogTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '(no log)';
  }
}

function describeExit(exit: ExitInfo | undefined): string {
  if (exit === undefined) return 'not yet';
  if (exit.signal !== null) return `on ${exit.signal}`;
  return exit.code === null ? '(failed to spawn)' : `with code ${exit.code}`;
}

// ---------------------------------------------------------------------------------------------------
// Engine API

type Api = (method: string, apiPath: string, options?: ApiRequestOptions) => Promise<ApiResponse>;

function requestApi(
  socketPath: string,
  method: string,
  apiPath: string,
  options: ApiRequestOptions,
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers['Content-Length'] = Buffer.byteLength(options.body);
    const request = http.request({ socketPath, method, path: apiPath, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    if (options.timeoutMs !== undefined) {
      request.setTimeout(options.timeoutMs, () => request.destroy(new Error(`${method} ${apiPath} timed out`)));
    }
    request.on('error', reject);
    request.end(options.body);
  });
}

function expectStatus(response: ApiResponse, expected: readonly number[], what: string): void {
  if (!expected.includes(response.status)) {
    throw new Error(`${what}: expected HTTP ${expected.join(' or ')}, got ${response.status}: ${response.body.trim()}`);
  }
}

async function createContainer(api: Api, options: ContainerOptions): Promise<string> {
  const query = options.name === undefined ? '' : `?name=${encodeURIComponent(options.name)}`;
  const spec = {
    Image: TEST_IMAGE,
    Cmd: options.cmd ?? ['sleep', '86400'],
    Labels: { [TEST_LABEL]: 'harness', ...options.labels },
    // tini as PID 1 forwards SIGTERM, so stopping takes ~1 s instead of the 10 s default (§6).
    StopTimeout: 1,
    HostConfig: { NetworkMode: 'none', Init: true },
  };
  const response = await api('POST', `${API_PREFIX}/containers/create${query}`, {
    body: JSON.stringify(spec),
    headers: { 'Content-Type': 'application/json' },
  });
  expectStatus(response, [201], 'create container');
  return (JSON.parse(response.body) as { Id: string }).Id;
}

// ---------------------------------------------------------------------------------------------------
// Seed (§5)

async function seedImage(api: Api, runDir: string, busybox: string): Promise<void> {
  const tar = await buildRootfsTar(runDir, busybox);
  const query = new URLSearchParams({ fromSrc: '-', repo: TEST_IMAGE, changes: 'CMD ["/bin/sh"]' });
  const imported = await api('POST', `${API_PREFIX}/images/create?${query.toString()}`, {
    body: await readFile(tar),
    headers: { 'Content-Type': 'application/x-tar' },
  });
  expectStatus(imported, [200], 'import image');
  // An import error can arrive inside a 200 stream; the image existing is the real check.
  expectStatus(await api('GET', `${API_PREFIX}/images/${TEST_IMAGE}/json`), [200], `inspect ${TEST_IMAGE}`);
}

async function buildRootfsTar(runDir: string, busybox: string): Promise<string> {
  const root = path.join(runDir, 'rootfs');
  for (const dir of ['bin', 'etc', 'root', 'tmp']) await mkdir(path.join(root, dir), { recursive: true });
  await copyFile(busybox, path.join(root, 'bin/busybox'));
  await chmod(path.join(root, 'bin/busybox'), 0o755);
  const applets = await runCommand(busybox, ['--list']);
  for (const applet of applets.stdout.split('\n')) {
    if (applet !== '' && applet !== 'busybox') await symlink('busybox', path.join(root, 'bin', applet));
  }
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(path.join(root, 'etc/group'), 'root:x:0:\n');
  const tar = path.join(runDir, 'rootfs.tar');
  const packed = await runCommand('tar', ['-C', root, '-cf', tar, '.']);
  if (packed.code !== 0) throw new Error(`tar of the rootfs failed: ${packed.stderr}`);
  return tar;
}

// ---------------------------------------------------------------------------------------------------
// docker CLI

function runDockerCli(
  dockerCli: string,
  configDir: string,
  defaultHost: string,
  args: readonly string[],
  options: DockerCliOptions,
): Promise<CommandResult> {
  const registryAccess = findRegistryAccess(args);
  if (registryAccess !== undefined) {
    return Promise.reject(new Error(`refusing docker ${args.join(' ')}: ${registryAccess}`));
  }
  // Inherited DOCKER_HOST/DOCKER_CONTEXT/DOCKER_TLS_* would fight with -H; the config dir holds contexts,
  // credentials and CLI settings, so a private one keeps the user's ~/.docker out of the tests.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('DOCKER_')),
  );
  env['DOCKER_CONFIG'] = configDir;
  env['DOCKER_CLI_HINTS'] = 'false';
  const commandOptions: RunCommandOptions = { env, timeoutMs: options.timeoutMs ?? CLI_TIMEOUT_MS };
  if (options.input !== undefined) commandOptions.input = options.input;
  return runCommand(dockerCli, ['-H', options.host ?? defaultHost, ...args], commandOptions);
}

interface RunCommandOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

function runCommand(file: string, args: readonly string[], options: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${file} ${args.join(' ')} timed out after ${options.timeoutMs} ms; stderr: ${stderr}`));
          }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const signalNumber = signal === null ? 0 : osConstants.signals[signal];
      resolve({ code: code ?? 128 + signalNumber, stdout, stderr });
    });
    // A command may exit without reading its input; the resulting EPIPE is not our failure.
    child.stdin?.on('error', () => undefined).end(options.input);
  });
}

// ---------------------------------------------------------------------------------------------------
// Stop (§8)

async function stopDaemon(api: Api, launched: LaunchedDaemon, runDir: string): Promise<void> {
  if (launched.exit === undefined) {
    // The child was unref'd after startup; waiting for its exit must keep this process alive.
    launched.child.ref();
    // Force-remove containers first, or shutdown waits out each container's stop timeout; prune networks,
    // whose br-* interfaces outlive dockerd. Failures here are covered by the kill and sweep below.
    await removeAllContainers(api).catch(() => undefined);
    await api('POST', `${API_PREFIX}/networks/prune`, { timeoutMs: STOP_DEADLINE_MS }).catch(() => undefined);
    launched.child.kill('SIGTERM');
    if (!(await settlesWithin(launched.exited, STOP_DEADLINE_MS))) {
      launched.child.kill('SIGKILL');
      await launched.exited;
    }
  }
  await removeRunDir(runDir);
}

async function removeAllContainers(api: Api): Promise<void> {
  const listed = await api('GET', `${API_PREFIX}/containers/json?all=1`, { timeoutMs: STOP_DEADLINE_MS });
  expectStatus(listed, [200], 'list containers');
  const containers = JSON.parse(listed.body) as { Id: string }[];
  await Promise.all(
    containers.map((container) =>
      api('DELETE', `${API_PREFIX}/containers/${container.Id}?force=1&v=1`, { timeoutMs: STOP_DEADLINE_MS }),
    ),
  );
}

/** Kills leftovers, unmounts what is mounted below the run dir, then deletes it. */
async function removeRunDir(runDir: string): Promise<void> {
  await killProcessesMentioning(runDir);
  for (const mountPoint of listMountsUnder(runDir)) {
    const unmounted = await runCommand('umount', [mountPoint]);
    if (unmounted.code !== 0) await runCommand('umount', ['-l', mountPoint]);
  }
  // Deleting through a mount that is still there could reach into the host file system: refuse instead.
  const remaining = listMountsUnder(runDir);
  if (remaining.length > 0) throw new Error(`still mounted, not deleting ${runDir}: ${remaining.join(', ')}`);
  await rm(runDir, { recursive: true, force: true });
}

/**
 * After a SIGKILL, dockerd's containerd and shims keep running; their command lines name the run dir,
 * which also guards against signalling a reused PID.
 */
async function killProcessesMentioning(runDir: string): Promise<void> {
  const deadline = Date.now() + LEFTOVER_DEADLINE_MS;
  for (;;) {
    const pids = listLiveProcessesMentioning(runDir);
    if (pids.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes still running for ${runDir}: ${pids.join(', ')}`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(PING_INTERVAL_MS);
  }
}

/** PIDs (not zombies, not this process) whose command line mentions `text`. */
export function listLiveProcessesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // The state follows the parenthesised command name, which may itself contain ") ".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (cmdline.includes(text) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Mount points at or below `dir`, deepest first. */
export function listMountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => decodeMountField(line.split(' ')[1] ?? ''))
    .filter((mountPoint) => mountPoint === dir || mountPoint.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
function decodeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true), timeout]);
  clearTimeout(timer);
  return settled;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
