/**
 * Where a source proxy's setting came from, so every parsed value and every finding can be traced
 * back to a compose line: `default`, `arg:3` (index in the `command:` argv), `env:SP_ALLOW_GET`,
 * `label:traefik:socket-proxy.allow.get`, `builtin:2`, `rules-file:/etc/cetusguard/rules.list:4`,
 * `env:CETUSGUARD_RULES line 2`, `arg:5 line 1`.
 */
import type { Diagnostic, SourceRange } from '../policy/diagnostic.js';

export type Origin = string;

export interface Sourced<T> {
  value: T;
  origin: Origin;
}

/** One environment entry as the container receives it; `null` = passed through from the host (unknown). */
export interface PeerEnvVar {
  name: string;
  value: string | null;
}

/** Where an origin lives in the user's files; supplied by the caller that read them. */
export interface OriginLocation {
  pointer: string;
  file?: string;
  range?: SourceRange;
}

export type LocateOrigin = (origin: Origin) => OriginLocation | undefined;

export interface PeerDiagnostic<Code extends string = string> extends Diagnostic<Code> {
  origin: Origin;
}

/** Builds a finding; `range` (e.g. a line/column inside a rules text) wins over the located one. */
export function createPeerDiagnostic<Code extends string>(
  code: Code,
  severity: Diagnostic['severity'],
  message: string,
  origin: Origin,
  locate: LocateOrigin | undefined,
  range?: SourceRange,
): PeerDiagnostic<Code> {
  const at = locate?.(origin);
  return {
    code,
    severity,
    message,
    origin,
    pointer: at?.pointer ?? '',
    ...(at?.file !== undefined ? { file: at.file } : {}),
    ...(range ? { range } : at?.range ? { range: at.range } : {}),
  };
}

/**
 * The environment as Go's os.LookupEnv sees it. Compose hands the container the last value of a
 * repeated key; a `null` value (host pass-through) is unknown and treated as unset.
 */
export function indexEnvironment(env: readonly PeerEnvVar[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { name, value } of env) {
    if (value === null) out.delete(name);
    else out.set(name, value);
  }
  return out;
}
