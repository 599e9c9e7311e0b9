/**
 * Shapes shared by the per-source settings parsers (src/peers/<source>.ts): what one variable of the
 * old proxy's configuration IS (raw text, what the image makes of it, whether that image version
 * reads it at all), which image release the tag denotes, and findings about both.
 */

import type { Severity } from '../policy/diagnostic.js';

/** One environment variable as the old image sees it. */
export interface EnvSetting<T> {
  name: string;
  /** `env:NAME` when the environment sets it (map back to the compose line), `image-default:NAME` otherwise. */
  origin: string;
  /** The string the container sees; undefined when the variable is unset. */
  raw: string | undefined;
  /** The image's own default (Dockerfile `ENV`); undefined when the image leaves it unset. */
  defaultRaw: string | undefined;
  /** Whether this image version reads the variable at all; when false, `effective` is the "absent" value. */
  read: boolean;
  /** The value the image acts on. */
  effective: T;
}

/** The release an image tag denotes and the behaviour era it falls in. */
export interface ImageRelease<Era extends string> {
  /** Tag as written (without repository); undefined when untagged or pinned by digest only. */
  tag: string | undefined;
  origin: 'image';
  era: Era;
  /** The release whose behaviour we apply, e.g. `0.4.1` or `3.4.3-r0-ls92`; undefined when assumed. */
  version: string | undefined;
  /** True when the tag could not be pinned to a known release (untagged, `latest`, floating, newer than known). */
  assumedNewest: boolean;
  /** One sentence on how the tag was read, for reports. */
  note: string;
}

/** Closed list of finding codes; translators prefix them (`migrate/tecnativa/true-means-off`). */
export type PeerFindingCode =
  | 'true-means-off'
  | 'not-a-number-means-off'
  | 'leading-space-means-off'
  | 'empty-means-off'
  | 'non-canonical-on'
  | 'false-means-on'
  | 'post-needs-literal-1'
  | 'not-read-by-version'
  | 'never-read'
  | 'near-miss-name'
  | 'allow-needs-post'
  | 'exec-create-needs-containers'
  | 'subpath-denied-by-default'
  | 'stop-needs-restarts'
  | 'stop-governed-by-allow-stop'
  | 'assumed-newest'
  | 'tag-not-published'
  | 'empty-socket-path'
  | 'undocumented-log-level'
  | 'uid-gid-not-integer'
  | 'tcp-listener-exposed';

export interface PeerFinding {
  code: PeerFindingCode;
  severity: Severity;
  /** `env:NAME`, `image` or `user`: where in the service definition the finding points. */
  origin: string;
  message: string;
  suggestion?: string;
}

/** `env:NAME` when set, `image-default:NAME` when the image default applies. */
export function originOf(name: string, environment: Readonly<Record<string, string>>): string {
  return Object.hasOwn(environment, name) ? `env:${name}` : `image-default:${name}`;
}

/** The raw value of a variable, or undefined when unset (own properties only: `constructor` is not a variable). */
export function rawValueOf(name: string, environment: Readonly<Record<string, string>>): string | undefined {
  return Object.hasOwn(environment, name) ? environment[name] : undefined;
}

/** `CONTAINERS=true`, `EVENTS unset (image default 1)` or `GRPC unset`: a variable as a reason string shows it. */
export function describeSetting(setting: EnvSetting<unknown>): string {
  if (setting.raw !== undefined) return `${setting.name}=${setting.raw}`;
  if (setting.defaultRaw !== undefined) return `${setting.name} unset (image default ${setting.defaultRaw})`;
  return `${setting.name} unset`;
}
