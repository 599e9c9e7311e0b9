/**
 * `sockguard serve` as a command: it refuses to start (exit 2, reasons on stderr) on a bad policy,
 * and, as a real process, SIGTERM lets the request in flight finish before it exits 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Serve from '../../src/commands/serve.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { runCommand } from '../helpers/run-cli.js';
import { request, sleep } from '../proxy/fixture.js';

const MAIN = fileURLToPath(new URL('../proxy/serve-main.ts', import.meta.url));

interface Run {
  code: Promise<number | null>;
  stderr: () => string;
  kill(signal: NodeJS.Signals): void;
}

function serve(args: string[], env: Record<string, string> = {}): Run {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('SOCKGUARD_') && !k.startsWith('DOCKER_')),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  return {
    code: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
}

describe('serve as a process', () => {
  let dir: string;
  let daemon: FakeDaemon;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sgproc-'));
    daemon = await startFakeDaemon();
  });
  after(async () => {
    await daemon.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refusals: { name: string; yaml?: string; args?: string[]; env?: Record<string, string>; stderr: RegExp }[] = [
    {
      name: 'a missing --config file',
      args: ['-c', '/nonexistent/sockguard.yaml'],
      stderr: /config file: \/nonexistent\/sockguard\.yaml: no such file/,
    },
    {
      name: 'an invalid policy',
      yaml: 'log:\n  level: loud\n',
      stderr: /config validation failed:\n {2}- .*:2:10: log\.level must be/,
    },
    {
      name: 'read-exfiltration endpoints without the acknowledgement (listing them)',
      yaml: 'rules:\n  - match: {method: GET, path: "/containers/**"}\n    action: allow\n',
      stderr: /Exposed endpoints: GET \/containers\/sockguard-test\/archive, GET \/containers\/sockguard-test\/export/,
    },
    {
      name: 'compat CONTAINERS=1 without SOCKGUARD_INSECURE_ALLOW_READ_EXFILTRATION',
      env: { CONTAINERS: '1' },
      stderr: /Exposed endpoints: GET \/containers\/sockguard-test\/archive/,
    },
    {
      name: 'settings this proxy does not enforce',
      yaml: 'policy_bundle:\n  enabled: true\n',
      stderr: /this proxy does not enforce:\n {2}- policy_bundle/,
    },
    {
      name: 'a visibility that does not compile',
      yaml: 'response:\n  visible_resource_labels: ["=x"]\n',
      stderr: /config validation failed:\n {2}- response: invalid label selector "=x"/,
    },
  ];
  for (const refusal of refusals) {
    it(`exits 2 on ${refusal.name}`, async () => {
      const file = path.join(dir, 'refused.yaml');
      writeFileSync(file, refusal.yaml ?? '');
      const saved = { ...process.env };
      Object.assign(process.env, refusal.env ?? {});
      let result;
      try {
        result = await runCommand(
          Serve,
          refusal.args ?? [
            '-c',
            file,
            '--listen-socket',
            path.join(dir, 'r.sock'),
            '--upstream-socket',
            daemon.socketPath,
          ],
        );
      } finally {
        for (const key of Object.keys(refusal.env ?? {})) if (!(key in saved)) delete process.env[key];
      }
      assert.equal(result.exitCode, 2);
      assert.match(result.stderr, refusal.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('drains the request in flight on SIGTERM, then exits 0 and removes its socket', { timeout: 30_000 }, async () => {
    daemon.handle = (req, res) => {
      if (req.url === '/version') setTimeout(() => res.end('{"slow":true}'), 600);
      else res.end('OK');
    };
    const file = path.join(dir, 'drain.yaml');
    writeFileSync(
      file,
      'rules:\n  - {match: {method: GET, path: /_ping}, action: allow}\n  - {match: {method: GET, path: /version}, action: allow}\n',
    );
    const socketPath = path.join(dir, 'drain.sock');
    const run = serve(['-c', file, '--listen-socket', socketPath, '--upstream-socket', daemon.socketPath]);
    for (let i = 0; i < 200 && !existsSync(socketPath); i++) await sleep(25);
    assert.equal((await request(socketPath, 'GET', '/_ping')).status, 200);
    const slow = request(socketPath, 'GET', '/version');
    await sleep(150);
    run.kill('SIGTERM');
    const response = await slow;
    assert.equal(response.status, 200);
    assert.equal(response.body, '{"slow":true}');
    assert.equal(await run.code, 0);
    assert.equal(existsSync(socketPath), false);
  });
});
