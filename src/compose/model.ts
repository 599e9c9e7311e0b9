/**
 * What the compose reader returns: the services of one or more compose files merged the way
 * `docker compose -f a.yml -f b.yml` merges them, with every value carrying where it was written so
 * later findings can point at the compose line that caused them.
 */

import type { Diagnostic, SourceRange } from '../policy/diagnostic.js';

/** Where a value was written: the file, its 1-based range there, and its JSON pointer in that file's document. */
export interface Origin {
  file: string;
  /** RFC 6901 pointer into the document of `file` (for an env-file line: `/<KEY>`). */
  pointer: string;
  /** 1-based; `end` is the position just after the last character. */
  range: SourceRange;
}

export interface Located<T> extends Origin {
  value: T;
}

/** How YAML typed a scalar before compose turned it into a string (`1` is int, `"1"` is string). */
export type YamlScalarKind = 'string' | 'int' | 'float' | 'bool' | 'null';

/** One environment variable of a service after merging files, reading env_file entries and inheriting. */
export interface EnvEntry extends Origin {
  name: string;
  /** The string the container sees; `undefined` when the variable is not set in the container at all. */
  value: string | undefined;
  /** The source text as written: `1`, `"1"`, `true`, `POST=1`, `${X:-0}`, or an env-file line's value. */
  written: string;
  /** How YAML typed the written value (list entries and env-file lines are always `string`). */
  yamlKind: YamlScalarKind;
  /**
   * `environment`: a `KEY=VAL` / `KEY: VAL` entry; `env_file`: a line of an env_file;
   * `inherited`: a bare `- KEY` / `KEY:` whose value comes from the environment compose runs in.
   */
  from: 'environment' | 'env_file' | 'inherited';
}

/** `command:` or `entrypoint:` as the container receives it. */
export interface CommandLine extends Located<string[]> {
  /** `list` when written as a YAML sequence, `string` when compose had to split a string. */
  form: 'list' | 'string';
  /** Each argument with where it was written; for the string form every argument points at the whole string. */
  args: Located<string>[];
}

export type VolumeType = 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface VolumeMount extends Origin {
  type: VolumeType;
  /** Host path or volume name as written (after interpolation); absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  readOnly: boolean;
  form: 'short' | 'long';
}

export interface PortMapping extends Origin {
  /** Host address the port is published on; absent means every interface. */
  hostIp?: string;
  /** Host port or range (`"8080"`, `"8000-8010"`); absent means docker picks an ephemeral host port. */
  published?: string;
  target: number;
  protocol: string;
  form: 'short' | 'long';
}

export interface ServiceNetwork extends Origin {
  name: string;
  aliases: string[];
  ipv4Address?: string;
  ipv6Address?: string;
}

/** An `env_file:` entry; `path` is as written, `resolvedPath` is what was asked of `readText`. */
export interface EnvFileRef extends Origin {
  path: string;
  resolvedPath: string;
  required: boolean;
}

export interface ComposeService extends Origin {
  name: string;
  image?: Located<string>;
  containerName?: Located<string>;
  user?: Located<string>;
  environment: Map<string, EnvEntry>;
  envFiles: EnvFileRef[];
  command?: CommandLine;
  entrypoint?: CommandLine;
  labels: Map<string, Located<string>>;
  volumes: VolumeMount[];
  ports: PortMapping[];
  networks: Map<string, ServiceNetwork>;
}

export interface ProjectNetwork extends Origin {
  name: string;
  internal: boolean;
  external: boolean;
}

export interface ComposeProject {
  name?: Located<string>;
  /** The compose files in `-f` order. */
  files: string[];
  /** Directory of the first file: relative `env_file` paths and the default `.env` are resolved against it. */
  projectDir: string;
  /** In order of first appearance across the files. */
  services: ComposeService[];
  networks: Map<string, ProjectNetwork>;
}

export type ComposeDiagnosticCode =
  | 'yaml/syntax'
  | 'yaml/duplicate-key'
  | 'yaml/tab-indent'
  | 'yaml/unknown-alias'
  | 'yaml/unknown-tag'
  | 'yaml/recovered'
  | 'compose/no-input'
  | 'compose/empty-file'
  | 'compose/root-not-mapping'
  | 'compose/no-services-key'
  | 'compose/unknown-top-level-key'
  | 'compose/invalid-value'
  | 'compose/duplicate-entry'
  | 'compose/ambiguous-scalar'
  | 'compose/unsupported-key'
  | 'compose/unset-variable'
  | 'compose/required-variable'
  | 'compose/invalid-interpolation'
  | 'compose/inherited-variable'
  | 'compose/env-file-missing'
  | 'compose/env-file-syntax'
  | 'compose/command-syntax'
  | 'compose/command-truncated';

export type ComposeDiagnostic = Diagnostic<ComposeDiagnosticCode>;

export interface ComposeInput {
  path: string;
  text: string;
}

export interface ComposeOptions {
  /** The environment `docker compose` would run in (highest precedence for interpolation and bare `- KEY`). */
  env?: Readonly<Record<string, string>>;
  /**
   * `--env-file` contents in flag order. When given, the `.env` beside the first file is not read:
   * docker compose replaces the default with the flag, it does not layer them.
   */
  envFiles?: readonly ComposeInput[];
  /** Returns a file's text, or `undefined` when it does not exist; used for `.env` and `env_file:` entries. */
  readText?: (path: string) => string | undefined;
}

export interface ComposeParseResult {
  /** Present when at least one file had a mapping at its root; errors in `diagnostics` still apply to it. */
  project?: ComposeProject;
  diagnostics: ComposeDiagnostic[];
}
