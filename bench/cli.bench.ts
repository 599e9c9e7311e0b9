/**
 * Wall time of the built CLI as a user runs it (spawned `node bin/run.js ...`, median of several runs),
 * beside two baselines from the same run: a bare `node -e 0` and `sockguard --version` (oclif start-up).
 * Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import endpoints from '../src/policy/docker-endpoints.json' with { type: 'json' };
import { median, printTable } from './stats.js';

const RUNS = 7;

function wallMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    times.push(performance.now() - start);
  }
  return median(times);
}

/** A 1,000-rule policy over the real endpoints (what a large multi-tenant policy looks like). */
function thousandRulePolicy(): string {
  const lines = ['rules:'];
  const templates = endpoints.filter((e) => e.path.includes('{'));
  for (let i = 0; i < 999; i++) {
    const e = templates[i % templates.length]!;
    const path = e.path.replace(/\{[^}]+\}/, `app-${Math.floor(i / templates.length)}`).replace(/\{[^}]+\}/g, '*');
    lines.push(`  - match: { method: ${e.method}, path: "${path}" }`, `    action: ${i % 7 === 0 ? 'deny' : 'allow'}`);
  }
  lines.push('  - match: { method: "*", path: "/**" }', '    action: deny', '    reason: no matching allow rule');
  return lines.join('\n') + '\n';
}

export default async function run(): Promise<void> {
  if (!existsSync('dist/commands')) execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'sockguard-bench-'));
  const big = join(dir, 'thousand.yaml');
  writeFileSync(big, thousandRulePolicy());
  try {
    const bare = wallMs(['-e', '0']);
    const version = wallMs(['bin/run.js', '--version']);
    const rows: [string, number][] = [
      ['test --request "GET /_ping" (built-in policy)', wallMs(['bin/run.js', 'test', '--request', 'GET /_ping'])],
      [
        'test -c examples/traefik.sockguard.yaml --request ...',
        wallMs([
          'bin/run.js',
          'test',
          '-c',
          'examples/traefik.sockguard.yaml',
          '--request',
          'GET /v1.45/containers/json',
        ]),
      ],
      ['lint (1,000-rule policy)', wallMs(['bin/run.js', 'lint', big])],
      [
        'migrate examples/compose/compose.yml --verify',
        wallMs(['bin/run.js', 'migrate', 'examples/compose/compose.yml', '--verify']),
      ],
    ];
    printTable(
      ['command (median wall time)', 'time', 'vs bare node', 'vs --version'],
      [
        ['node -e 0 (baseline)', `${bare.toFixed(0)} ms`, '1.0x', ''],
        ['sockguard --version (oclif start-up)', `${version.toFixed(0)} ms`, `${(version / bare).toFixed(1)}x`, '1.0x'],
        ...rows.map(([name, t]) => [
          name,
          `${t.toFixed(0)} ms`,
          `${(t / bare).toFixed(1)}x`,
          `${(t / version).toFixed(1)}x`,
        ]),
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
