/**
 * Shared behaviour of every sockguard command: CliError becomes one clear line on stderr and its
 * exit status (never a stack trace); anything unexpected is reported as an internal error, exit 2.
 */
import { Command } from '@oclif/core';
import { CliError, EXIT_USAGE } from './errors.js';

export abstract class SockguardCommand extends Command {
  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // Written directly: oclif's logToStderr is silent under --json, and a failure must never vanish.
    if (error instanceof CliError) {
      process.stderr.write(`sockguard: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return undefined;
    }
    // oclif's own errors (flag parsing, this.exit) carry their exit status already.
    if (error.oclif?.exit !== undefined) return super.catch(error);
    process.stderr.write(`sockguard: internal error: ${error.message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = EXIT_USAGE;
    return undefined;
  }

  /** Sets the exit status without throwing, so buffered output is flushed first. */
  protected setExitCode(code: number): void {
    process.exitCode = code;
  }
}
