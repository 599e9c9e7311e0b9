/**
 * "Could not run" failures: typed, with a stable code and the exit status the CLI returns.
 * Findings (lint problems, failed cases) are data and never go through these.
 */

export const EXIT_OK = 0;
/** Ran and found problems: lint errors, failed cases, --expect mismatch, --strict warnings. */
export const EXIT_FINDINGS = 1;
/** Could not run: bad flags, unreadable input, invalid policy for serve. */
export const EXIT_USAGE = 2;

export type CliErrorCode =
  | 'input/not-found'
  | 'input/unreadable'
  | 'input/is-directory'
  | 'input/invalid'
  | 'flag/invalid'
  | 'output/exists'
  | 'output/unwritable'
  | 'policy/invalid'
  | 'serve/listen-failed'
  | 'serve/upstream';

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad flag value: the message names the flag. */
export function flagError(flag: string, problem: string): CliError {
  return new CliError('flag/invalid', `--${flag}: ${problem}`);
}
