/**
 * "Could not migrate" failures of the pure pipeline, each with a stable code; the command turns
 * them into one stderr line and exit status 2. Findings (warnings, parity differences) are data.
 */

export type MigrateErrorCode =
  /** An input given by flag (env file, `--args`) cannot be read as the old proxy would. */
  | 'migrate/bad-input'
  /** `--service` names no service of the project. */
  | 'migrate/unknown-service'
  /** `--service` names a service whose image is none of the five sources, and no `--source` was given. */
  | 'migrate/not-a-proxy'
  /** No service of the project runs a known proxy. */
  | 'migrate/no-proxy'
  /** The generated policy has an error-level lint finding: a translator bug, never the user's fault. */
  | 'migrate/invalid-policy'
  /** The compose file could not be rewritten (it no longer parses as YAML). */
  | 'migrate/rewrite-failed';

export class MigrateError extends Error {
  constructor(
    readonly code: MigrateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MigrateError';
  }
}
