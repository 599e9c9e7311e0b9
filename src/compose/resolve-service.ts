/**
 * Turns a merged service into what the container gets: `env_file` entries are read in order (later
 * files win), then `environment:` entries win over them; a bare `- KEY` takes its value from the
 * environment compose runs in and, when that has none, leaves the variable unset even if an env_file
 * set it (compose overrides with the empty entry). Inside an env_file, `${VAR}` sees earlier env_file
 * values, then the service's own environment, then the project environment.
 */

import { escapePointerToken } from '../policy/diagnostic.js';
import { parseDotEnv } from './dotenv.js';
import type { KeyValue } from './extract-key-values.js';
import type { LookupVariable } from './interpolate.js';
import type { MergedService } from './merge-services.js';
import type { ComposeDiagnostic, ComposeService, EnvEntry, EnvFileRef, Located } from './model.js';
import { envFileDiagnostics } from './project-environment.js';

export interface ResolveContext {
  lookup: LookupVariable;
  readText?: (path: string) => string | undefined;
  diagnostics: ComposeDiagnostic[];
}

export function resolveService(service: MergedService, context: ResolveContext): ComposeService {
  const { environment, labels, envFiles, ...rest } = service;
  const own = new Map<string, EnvEntry>();
  for (const setting of environment?.values() ?? []) own.set(setting.name, resolveSetting(setting, context));
  const resolved = new Map<string, EnvEntry>();
  for (const ref of envFiles ?? []) {
    for (const entry of readEnvFile(ref, resolved, own, context)) resolved.set(entry.name, entry);
  }
  for (const [name, entry] of own) resolved.set(name, entry);
  return {
    ...rest,
    environment: resolved,
    envFiles: envFiles ?? [],
    labels: new Map([...(labels?.values() ?? [])].map((label) => [label.name, labelOf(label)])),
    volumes: service.volumes ?? [],
    ports: service.ports ?? [],
    networks: service.networks ?? new Map(),
  };
}

function resolveSetting(setting: KeyValue, context: ResolveContext): EnvEntry {
  const { value, ...where } = setting;
  if (value !== null) return { ...where, value, from: 'environment' };
  const inherited = context.lookup(setting.name);
  context.diagnostics.push({
    code: 'compose/inherited-variable',
    severity: inherited === undefined ? 'warning' : 'info',
    message:
      inherited === undefined
        ? `${setting.name} has no value here: docker compose passes it from the environment it runs in, where it is not set now, so the container does not get it`
        : `${setting.name} takes its value from the environment docker compose runs in (here ${JSON.stringify(inherited)})`,
    pointer: setting.pointer,
    file: setting.file,
    range: setting.range,
  });
  return { ...where, value: inherited, from: 'inherited' };
}

function readEnvFile(
  ref: EnvFileRef,
  earlier: Map<string, EnvEntry>,
  own: Map<string, EnvEntry>,
  context: ResolveContext,
): EnvEntry[] {
  const text = context.readText?.(ref.resolvedPath);
  if (text === undefined) {
    if (ref.required || context.readText === undefined) {
      context.diagnostics.push({
        code: 'compose/env-file-missing',
        severity: ref.required ? 'error' : 'warning',
        message:
          context.readText === undefined
            ? `env_file ${ref.path} was not read (no file access given); its variables are missing here`
            : `env_file ${ref.path} (${ref.resolvedPath}) does not exist; docker compose refuses to start the service`,
        pointer: ref.pointer,
        file: ref.file,
        range: ref.range,
      });
    }
    return [];
  }
  const lookup: LookupVariable = (name) => earlier.get(name)?.value ?? own.get(name)?.value ?? context.lookup(name);
  const parsed = parseDotEnv(text, lookup);
  context.diagnostics.push(...envFileDiagnostics(ref.resolvedPath, parsed.problems));
  return [...parsed.entries.values()].map((entry) => ({
    name: entry.name,
    value: entry.value,
    written: entry.written,
    yamlKind: 'string',
    from: 'env_file',
    file: ref.resolvedPath,
    pointer: '/' + escapePointerToken(entry.name),
    range: entry.range,
  }));
}

function labelOf(label: KeyValue): Located<string> {
  return { file: label.file, pointer: label.pointer, range: label.range, value: label.value ?? '' };
}
