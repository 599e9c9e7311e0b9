/**
 * unix_peer_profiles with real processes: two system users are created, clients run under them
 * (setpriv), connect to an HTTP server on a unix socket, and the server reads their SO_PEERCRED
 * through the native addon, resolves their profile and applies the listener's allowed_profiles —
 * the same functions `serve` uses. Needs root (useradd, setpriv); the users are removed afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientGate } from '../../src/policy/clients/client-refusal.js';
import { ClientThrottle, clientKeyOf, type ThrottleAdmission } from '../../src/policy/clients/client-throttle.js';
import { compileClients } from '../../src/policy/clients/compile-clients.js';
import { admitOnListener } from '../../src/policy/clients/listener-admission.js';
import { resolveProfile } from '../../src/policy/clients/resolve-profile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { PeerCredentialReader } from '../../src/proxy/peer-credentials.js';

const CLIENT_TIMEOUT_MS = 10_000;
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

function createUser(name: string): TestUser {
  execFileSync('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name]);
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { name, uid: id('-u'), gid: id('-g') };
}

function removeUser(name: string): void {
  for (const [command, args] of [
    ['userdel', [name]],
    ['groupdel', [name]],
  ] as const) {
    try {
      execFileSync(command, [...args], { stdio: 'ignore' });
    } catch {
      // Already gone (userdel removes the user's own group).
    }
  }
}

/** Sends one GET over the unix socket from a process running as `uid:gid`; returns its pid and the answer. */
function requestAs(
  socketPath: string,
  ids: { uid: number; gid: number; groups?: number[] } | 'root-then-drop',
  drop?: TestUser,
): Promise<{ pid: number; status: number; body: Record<string, unknown> }> {
  // Raw HTTP so the client can change user between connect() and sending the request.
  const script = `
    const net = require('node:net');
    const [path, dropUid, dropGid] = process.argv.slice(1);
    const socket = net.connect(path, () => {
      if (dropUid) { process.setgroups([]); process.setgid(Number(dropGid)); process.setuid(Number(dropUid)); }
      socket.write('GET /whoami HTTP/1.1\\r\\nHost: sockguard\\r\\nConnection: close\\r\\n\\r\\n');
    });
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => process.stdout.write(text));
    socket.on('error', (e) => { process.stderr.write(String(e)); process.exit(3); });
  `;
  const node = process.execPath;
  const args =
    ids === 'root-then-drop'
      ? [node, '-e', script, socketPath, String(drop!.uid), String(drop!.gid)]
      : [
          'setpriv',
          `--reuid=${ids.uid}`,
          `--regid=${ids.gid}`,
          ...(ids.groups ? [`--groups=${ids.groups.join(',')}`] : ['--clear-groups']),
          node,
          '-e',
          script,
          socketPath,
        ];
  return new Promise((resolve, reject) => {
    const child = spawn(args[0]!, args.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`client exited ${code}: ${err}`));
      const [head = '', body = ''] = out.split('\r\n\r\n');
      resolve({
        pid: child.pid!,
        status: Number(head.split(' ')[1]),
        body: JSON.parse(body) as Record<string, unknown>,
      });
    });
  });
}

describe('unix_peer_profiles with clients running as different users', { skip: !isRoot && 'needs root' }, () => {
  const suffix = process.pid.toString(36);
  const names = [`sgpeer-a-${suffix}`, `sgpeer-b-${suffix}`];
  let alice: TestUser;
  let bob: TestUser;
  let dir: string;
  let socketPath: string;
  let server: http.Server;
  const warnings: string[] = [];

  before(async () => {
    names.forEach(removeUser);
    [alice, bob] = names.map(createUser) as [TestUser, TestUser];
    dir = mkdtempSync(join(tmpdir(), 'sockguard-peer-'));
    chmodSync(dir, 0o755);
    socketPath = join(dir, 'sockguard.sock');
    const loaded = loadPolicy(`listeners:
  - name: local
    socket: ${socketPath}
    allowed_profiles: [alpha, beta]
clients:
  unix_peer_profiles:
    - profile: alpha
      uids: [${alice.uid}, ${alice.uid + 1000}]
    - profile: beta
      gids: [${bob.gid}]
  profiles:
    - name: alpha
      rules: [{ match: { method: GET, path: /_ping }, action: allow }]
      limits:
        rate: { tokens_per_second: 1, burst: 3 }
    - name: beta
      rules: [{ match: { method: GET, path: /version }, action: allow }]
`);
    assert.ok(loaded.policy, loaded.diagnostics.map((d) => d.message).join('\n'));
    const policy = loaded.policy;
    const clients = compileClients(policy.clients);
    const reader = new PeerCredentialReader({ warn: (m) => warnings.push(m) });
    // A frozen clock: the bucket never refills during the test, whatever the machine's speed.
    const throttle = new ClientThrottle(clients, { now: () => 0 });
    server = http.createServer((req, res) => {
      const peer = reader.read(req.socket as Socket);
      const resolution = resolveProfile({ unixPeer: peer }, clients);
      let gate: ClientGate | ThrottleAdmission = resolution.ok
        ? admitOnListener(policy, 'local', resolution.profile)
        : resolution;
      if (gate.ok && resolution.ok) {
        const admission = throttle.admit({
          profile: resolution.profile,
          clientKey: clientKeyOf({ unixPeer: peer }),
          method: req.method ?? '',
          normalizedPath: req.url ?? '',
        });
        if (admission.ok) res.once('close', admission.release);
        gate = admission;
      }
      const profile = resolution.ok ? (resolution.profile ?? null) : null;
      const payload = JSON.stringify({ peer, profile, ...(gate.ok ? {} : gate.body) });
      res.writeHead(gate.ok ? 200 : gate.status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(payload),
      });
      res.end(payload);
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    chmodSync(socketPath, 0o666);
  });

  after(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
    names.forEach(removeUser);
  });

  test('each user gets the credentials of its own process and its own profile', async () => {
    const a = await requestAs(socketPath, alice);
    assert.deepEqual(a.body.peer, { uid: alice.uid, gid: alice.gid, pid: a.pid });
    assert.equal(a.body.profile, 'alpha');
    assert.equal(a.status, 200);
    const b = await requestAs(socketPath, bob);
    assert.deepEqual(b.body.peer, { uid: bob.uid, gid: bob.gid, pid: b.pid });
    assert.equal(b.body.profile, 'beta');
    assert.equal(b.status, 200);
    assert.notEqual(alice.uid, bob.uid);
    assert.deepEqual(warnings, []);
  });

  test('a burst from one uid is limited across its processes and connections; another uid of the profile is not', async () => {
    // alice already spent one token above; the profile allows a burst of 3 per client key (uid).
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await requestAs(socketPath, alice)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const refused = await requestAs(socketPath, alice);
    assert.equal(refused.body.reason, 'rate_limit_exceeded');
    // A uid with no passwd entry is still a uid: setpriv runs the client as it.
    const other = await requestAs(socketPath, { uid: alice.uid + 1000, gid: alice.gid });
    assert.equal(other.body.profile, 'alpha');
    assert.equal(other.status, 200, 'a second client of the same profile has its own bucket');
  });

  test('gids select by the primary group only: a supplementary group does not count', async () => {
    const r = await requestAs(socketPath, { uid: bob.uid, gid: alice.gid, groups: [bob.gid] });
    assert.deepEqual(r.body.peer, { uid: bob.uid, gid: alice.gid, pid: r.pid });
    assert.equal(r.body.profile, null);
    assert.equal(r.status, 403);
    assert.equal(r.body.message, 'client profile not allowed on this listener');
  });

  test('credentials are those at connect(): dropping to another user afterwards changes nothing', async () => {
    const r = await requestAs(socketPath, 'root-then-drop', alice);
    assert.deepEqual(r.body.peer, { uid: 0, gid: 0, pid: r.pid });
    assert.equal(r.body.profile, null, 'root matches no unix peer profile');
    assert.equal(r.status, 403, 'the root policy is not admitted on a listener that lists profiles');
  });
});
