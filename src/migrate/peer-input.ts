/**
 * What every source reader (src/peers/<source>.ts) may need, in one source-independent shape, and
 * where each origin a reader or translator names (`env:POST`, `arg:3`, `label:traefik:...`,
 * `rules-file:/etc/cetusguard/rules.list:4`) was written. Built from a compose service
 * (compose-subject.ts) or from loose files and flags (standalone-subject.ts).
 */
import type { Origin } from '../compose/model.js';
import type { PeerEnvVar } from '../peers/origin.js';
import type { SourceKind } from '../translators/types.js';

export interface LabeledService {
  service: string;
  labels: readonly { name: string; value: string }[];
}

export interface MountedFile {
  hostPath: string;
  text: string;
}

export interface PeerInput {
  /** The strings the container sees; variables whose value is unknown (host pass-through) are left out. */
  environment: Readonly<Record<string, string>>;
  /** The same entries in order; `null` marks a host pass-through whose value is unknown. */
  env: readonly PeerEnvVar[];
  /** Arguments after the binary (`command:`, plus `entrypoint:` arguments when it is overridden). */
  argv: readonly string[];
  /** The image tag without repository; undefined when untagged, pinned by digest or unknown. */
  imageTag: string | undefined;
  /** Other services on the proxy's networks with their labels (wollomatic label allowlists). */
  labeledServices: readonly LabeledService[];
  /**
   * A file the proxy opens, by the path it opens it with (CetusGuard rules files): where it lives on
   * the host and its text, or undefined when it cannot be read (not mounted, missing).
   */
  readMounted: (path: string) => MountedFile | undefined;
  /** Where an origin was written, or undefined when it names nothing the user wrote (`image-default:EVENTS`). */
  locate: (origin: string) => Origin | undefined;
}

/** Which old proxy a subject runs and how that was decided. */
export interface SourceDetection {
  source: SourceKind;
  /** The image reference as compose resolved it; absent for non-compose input without `--image`. */
  image?: string;
  /** The known repository the image matched (`tecnativa/docker-socket-proxy`). */
  repository?: string;
  /** True when `--source` or `--from` named the source instead of the image. */
  forced: boolean;
}

/** One old proxy to migrate: a compose service, or the configuration given with `--from`. */
export interface MigrationSubject {
  /** The compose service name, or the source name for non-compose input. */
  name: string;
  detection: SourceDetection;
  input: PeerInput;
}

/** Resolves a `rules-file:<path>:<line>` origin once the file's host path is known. */
export function locateRulesFileOrigin(
  origin: string,
  hostPathOf: (path: string) => string | undefined,
): Origin | undefined {
  const match = /^rules-file:(.*):(\d+)$/.exec(origin);
  if (!match) return undefined;
  const file = hostPathOf(match[1]!);
  if (file === undefined) return undefined;
  const line = Number(match[2]);
  return { file, pointer: '', range: { start: { line, col: 1 }, end: { line: line + 1, col: 1 } } };
}

/** The argument index of `arg:3` / `arg:3 line 2`, or undefined for other origins. */
export function argumentIndexOf(origin: string): number | undefined {
  const match = /^arg:(\d+)(?: line \d+)?$/.exec(origin);
  return match ? Number(match[1]) : undefined;
}

/** The variable of `env:NAME` / `env:NAME line 2`, or undefined for other origins. */
export function variableOf(origin: string): string | undefined {
  const match = /^env:(\S+)(?: line \d+)?$/.exec(origin);
  return match ? match[1] : undefined;
}
