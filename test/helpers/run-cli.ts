/**
 * Runs one oclif command in-process, the way `bin/run.js` would, and captures what it wrote and the
 * exit status it set. oclif reports failure through `process.exitCode`; the helper reads and resets
 * it so one test's status never leaks into the next.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, type Interfaces } from '@oclif/core';

/** The repository root: oclif loads package.json (its `oclif` section) from here. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Any oclif command class (`static run(argv, config)`). */
export interface RunnableCommand {
  run(argv?: string[], config?: Config): Promise<unknown>;
}

let sharedConfig: Promise<Config> | undefined;

/**
 * The CLI's configuration (package.json `oclif`: bin, exit codes) without command discovery. The
 * command under test is run directly, so discovering commands would only import every built file
 * in dist/ on each run: slow, and a broken sibling command would print warnings into every test.
 */
function loadConfig(): Promise<Config> {
  sharedConfig ??= (() => {
    const pjson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Interfaces.PJSON;
    const { commands: _commands, ...oclif } = pjson.oclif;
    return Config.load({ root: REPO_ROOT, pjson: { ...pjson, oclif } });
  })();
  return sharedConfig;
}

type Write = typeof process.stdout.write;

/**
 * Captures string writes. Binary chunks pass through untouched: under `node --test` the test runner
 * reports each finished test to the parent process as serialized Buffers on this same stdout, often
 * while the next test's command is running; swallowing them would lose test results.
 */
function capture(stream: NodeJS.WriteStream, sink: string[]): () => void {
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    sink.push(chunk);
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;
  return () => {
    stream.write = original;
  };
}

export async function runCommand(command: RunnableCommand, argv: readonly string[]): Promise<CliResult> {
  const config = await loadConfig();
  const out: string[] = [];
  const err: string[] = [];
  const restoreOut = capture(process.stdout, out);
  const restoreErr = capture(process.stderr, err);
  const before = process.exitCode;
  process.exitCode = undefined;
  let exitCode: number;
  try {
    await command.run([...argv], config);
    exitCode = Number(process.exitCode ?? 0);
  } catch (error) {
    // oclif's own failures (flag parsing, this.exit) are thrown with their exit status attached.
    const e = error as Error & { oclif?: { exit?: number } };
    err.push(`${e.message}\n`);
    exitCode = e.oclif?.exit ?? Number(process.exitCode ?? 1);
  } finally {
    restoreOut();
    restoreErr();
    process.exitCode = before;
  }
  return { stdout: out.join(''), stderr: err.join(''), exitCode };
}
