/**
 * One service definition of one compose file, in the canonical shapes compose merges: environment and
 * labels as keyed maps, volumes and ports in long form, command strings split into arguments. Keys
 * compose allows but Sockguard does not need (restart, healthcheck, ...) are not read. A value tagged
 * `!reset` drops what earlier files set; `!override` replaces it instead of merging.
 */

import { isAbsolute, join } from 'node:path';
import { pointerOf } from '../policy/diagnostic.js';
import { extractKeyValues, type KeyValue } from './extract-key-values.js';
import type {
  CommandLine,
  ComposeDiagnostic,
  EnvFileRef,
  Located,
  Origin,
  PortMapping,
  ServiceNetwork,
  VolumeMount,
  VolumeType,
} from './model.js';
import { ambiguousScalar, invalidValue } from './node-diagnostics.js';
import { parsePortSpec } from './port-spec.js';
import { splitShellWords } from './shell-words.js';
import { parseVolumeSpec, volumeTypeOf } from './volume-spec.js';
import type { TreeEntry, TreeMap, TreeNode } from './yaml-tree.js';

export type LayerField =
  | 'image'
  | 'containerName'
  | 'user'
  | 'environment'
  | 'envFiles'
  | 'command'
  | 'entrypoint'
  | 'labels'
  | 'volumes'
  | 'ports'
  | 'networks';

export interface ServiceLayer extends Origin {
  name: string;
  /** The whole service was written as `!reset`: earlier files' definition is dropped. */
  removed: boolean;
  image?: Located<string>;
  containerName?: Located<string>;
  user?: Located<string>;
  environment?: Map<string, KeyValue>;
  envFiles?: EnvFileRef[];
  command?: CommandLine;
  entrypoint?: CommandLine;
  labels?: Map<string, KeyValue>;
  volumes?: VolumeMount[];
  ports?: PortMapping[];
  networks?: Map<string, ServiceNetwork>;
  resets: Set<LayerField>;
  overrides: Set<LayerField>;
}

// Compose keys this reader models; a Map so that keys such as `constructor` are never looked up on a prototype.
const FIELDS = new Map<string, LayerField>([
  ['image', 'image'],
  ['container_name', 'containerName'],
  ['user', 'user'],
  ['environment', 'environment'],
  ['env_file', 'envFiles'],
  ['command', 'command'],
  ['entrypoint', 'entrypoint'],
  ['labels', 'labels'],
  ['volumes', 'volumes'],
  ['ports', 'ports'],
  ['networks', 'networks'],
]);
const VOLUME_TYPES = new Set<VolumeType>(['bind', 'volume', 'tmpfs', 'npipe', 'cluster', 'image']);

export interface ServiceContext {
  /** Directory relative env_file paths are resolved against (the first file's directory, as in compose). */
  projectDir: string;
  diagnostics: ComposeDiagnostic[];
}

export function extractService(entry: TreeEntry, path: string[], context: ServiceContext): ServiceLayer {
  const node = entry.value;
  const layer: ServiceLayer = {
    name: entry.key,
    file: node.file,
    pointer: pointerOf(path),
    range: entry.keyRange,
    removed: node.tag === '!reset',
    resets: new Set(),
    overrides: new Set(),
  };
  if (node.kind !== 'map') {
    if (!layer.removed && !(node.kind === 'scalar' && node.value === null)) {
      context.diagnostics.push(invalidValue(`service ${entry.key} must be a mapping; ignored`, node, path));
    }
    return layer;
  }
  for (const field of node.entries.values()) {
    const name = FIELDS.get(field.key);
    if (name === undefined) {
      if (field.key === 'extends') context.diagnostics.push(unsupported(field, [...path, field.key]));
      continue;
    }
    if (field.value.tag === '!reset') {
      layer.resets.add(name);
      continue;
    }
    if (field.value.tag === '!override') layer.overrides.add(name);
    readField(layer, name, field.value, [...path, field.key], context);
  }
  return layer;
}

function readField(
  layer: ServiceLayer,
  field: LayerField,
  node: TreeNode,
  path: string[],
  context: ServiceContext,
): void {
  const { diagnostics } = context;
  switch (field) {
    case 'image':
    case 'containerName':
    case 'user': {
      const value = extractString(node, path, diagnostics);
      if (value) layer[field] = value;
      return;
    }
    case 'environment':
    case 'labels':
      layer[field] = extractKeyValues(node, path, diagnostics);
      return;
    case 'envFiles':
      layer.envFiles = extractEnvFiles(node, path, context);
      return;
    case 'command':
    case 'entrypoint': {
      const command = extractCommand(node, path, diagnostics);
      if (command) layer[field] = command;
      return;
    }
    case 'volumes':
      layer.volumes = itemsOf(node, path, diagnostics).flatMap(([item, itemPath]) =>
        extractVolume(item, itemPath, diagnostics),
      );
      return;
    case 'ports':
      layer.ports = itemsOf(node, path, diagnostics).flatMap(([item, itemPath]) =>
        extractPorts(item, itemPath, diagnostics),
      );
      return;
    case 'networks':
      layer.networks = extractNetworks(node, path, diagnostics);
      return;
  }
}

function extractString(node: TreeNode, path: string[], diagnostics: ComposeDiagnostic[]): Located<string> | undefined {
  if (node.kind !== 'scalar') {
    diagnostics.push(invalidValue(`${path[path.length - 1] ?? ''} must be a string; ignored`, node, path));
    return undefined;
  }
  if (node.value === null) return undefined;
  const ambiguity = ambiguousScalar(path[path.length - 1] ?? '', node, path);
  if (ambiguity) diagnostics.push(ambiguity);
  return locate(node.value, node, path);
}

function extractEnvFiles(node: TreeNode, path: string[], context: ServiceContext): EnvFileRef[] {
  const items: [TreeNode, string[]][] = node.kind === 'seq' ? itemsOf(node, path, context.diagnostics) : [[node, path]];
  const refs: EnvFileRef[] = [];
  for (const [item, itemPath] of items) {
    if (item.kind === 'scalar' && item.value !== null) {
      refs.push(envFileRef(item.value, true, item, itemPath, context));
    } else if (item.kind === 'map') {
      const pathNode = item.entries.get('path')?.value;
      if (pathNode?.kind !== 'scalar' || pathNode.value === null) {
        context.diagnostics.push(invalidValue('an env_file entry needs a path; ignored', item, itemPath));
        continue;
      }
      const required = item.entries.get('required')?.value;
      const optional = required?.kind === 'scalar' && required.value === 'false';
      refs.push(envFileRef(pathNode.value, !optional, item, itemPath, context));
      const format = item.entries.get('format')?.value;
      if (format?.kind === 'scalar' && format.value !== null && format.value !== 'raw') {
        context.diagnostics.push(
          invalidValue(`unknown env_file format ${JSON.stringify(format.value)}; read as a .env file`, format, [
            ...itemPath,
            'format',
          ]),
        );
      }
    } else if (!(item.kind === 'scalar' && item.value === null)) {
      context.diagnostics.push(
        invalidValue('an env_file entry must be a path or {path, required}; ignored', item, itemPath),
      );
    }
  }
  return refs;
}

function envFileRef(
  path: string,
  required: boolean,
  node: TreeNode,
  pointerPath: string[],
  context: ServiceContext,
): EnvFileRef {
  const resolvedPath = isAbsolute(path) ? path : join(context.projectDir, path);
  return { path, resolvedPath, required, file: node.file, pointer: pointerOf(pointerPath), range: node.range };
}

function extractCommand(node: TreeNode, path: string[], diagnostics: ComposeDiagnostic[]): CommandLine | undefined {
  if (node.kind === 'seq') {
    const args = itemsOf(node, path, diagnostics).flatMap(([item, itemPath]) => {
      if (item.kind === 'scalar') return [locate(item.value ?? '', item, itemPath)];
      diagnostics.push(invalidValue('command arguments must be strings; ignored', item, itemPath));
      return [];
    });
    return { ...origin(node, path), value: args.map((arg) => arg.value), form: 'list', args };
  }
  if (node.kind !== 'scalar') {
    diagnostics.push(
      invalidValue(`${path[path.length - 1] ?? ''} must be a string or a list of strings; ignored`, node, path),
    );
    return undefined;
  }
  if (node.value === null) return undefined;
  const words = splitShellWords(node.value);
  if (words.error !== undefined) {
    diagnostics.push({
      ...origin(node, path),
      code: 'compose/command-syntax',
      severity: 'error',
      message: `docker compose cannot split this command (${words.error}); read as ${JSON.stringify(words.args)}`,
    });
  } else if (words.stoppedAt !== undefined) {
    const stop = node.value[words.stoppedAt] ?? '';
    const at = node.contentStart;
    diagnostics.push({
      ...origin(node, path),
      ...(at
        ? {
            range: {
              start: { line: at.line, col: at.col + words.stoppedAt },
              end: { line: at.line, col: at.col + words.stoppedAt + 1 },
            },
          }
        : {}),
      code: 'compose/command-truncated',
      severity: 'warning',
      message: `docker compose splits this string without a shell and stops at ${JSON.stringify(stop)}: the container gets ${JSON.stringify(words.args)} and the rest is dropped; write the command as a list (use [sh, -c, "..."] for shell syntax)`,
    });
  }
  const args = words.args.map((arg) => locate(arg, node, path));
  return { ...origin(node, path), value: words.args, form: 'string', args };
}

function extractVolume(node: TreeNode, path: string[], diagnostics: ComposeDiagnostic[]): VolumeMount[] {
  if (node.kind === 'scalar' && node.value !== null) {
    const spec = parseVolumeSpec(node.value);
    if ('error' in spec) {
      diagnostics.push(
        invalidValue(`invalid volume ${JSON.stringify(node.value)}: ${spec.error}; ignored`, node, path),
      );
      return [];
    }
    return [{ ...origin(node, path), ...spec, form: 'short' }];
  }
  if (node.kind !== 'map') {
    diagnostics.push(invalidValue('a volume must be a string or a mapping; ignored', node, path));
    return [];
  }
  const target = scalarOf(node, 'target');
  if (target === undefined) {
    diagnostics.push(invalidValue('a volume needs a target; ignored', node, path));
    return [];
  }
  const source = scalarOf(node, 'source');
  const written = scalarOf(node, 'type');
  const type: VolumeType = VOLUME_TYPES.has(written as VolumeType) ? (written as VolumeType) : volumeTypeOf(source);
  return [
    {
      ...origin(node, path),
      type,
      ...(source === undefined ? {} : { source }),
      target,
      readOnly: scalarOf(node, 'read_only') === 'true',
      form: 'long',
    },
  ];
}

function extractPorts(node: TreeNode, path: string[], diagnostics: ComposeDiagnostic[]): PortMapping[] {
  if (node.kind === 'scalar' && node.value !== null) {
    const specs = parsePortSpec(node.value);
    if ('error' in specs) {
      diagnostics.push(invalidValue(`invalid port ${JSON.stringify(node.value)}: ${specs.error}; ignored`, node, path));
      return [];
    }
    return specs.map((spec) => ({ ...origin(node, path), ...spec, form: 'short' }));
  }
  if (node.kind !== 'map') {
    diagnostics.push(invalidValue('a port must be a string, a number or a mapping; ignored', node, path));
    return [];
  }
  const target = Number(scalarOf(node, 'target'));
  if (!Number.isInteger(target) || target < 0 || target > 65535) {
    diagnostics.push(invalidValue('a port needs a target port number; ignored', node, path));
    return [];
  }
  const hostIp = scalarOf(node, 'host_ip');
  const published = scalarOf(node, 'published');
  return [
    {
      ...origin(node, path),
      ...(hostIp === undefined || hostIp === '' ? {} : { hostIp }),
      ...(published === undefined || published === '' ? {} : { published }),
      target,
      protocol: (scalarOf(node, 'protocol') ?? 'tcp').toLowerCase(),
      form: 'long',
    },
  ];
}

function extractNetworks(
  node: TreeNode,
  path: string[],
  diagnostics: ComposeDiagnostic[],
): Map<string, ServiceNetwork> {
  const networks = new Map<string, ServiceNetwork>();
  if (node.kind === 'seq') {
    for (const [item, itemPath] of itemsOf(node, path, diagnostics)) {
      if (item.kind === 'scalar' && item.value !== null)
        networks.set(item.value, { ...origin(item, itemPath), name: item.value, aliases: [] });
      else diagnostics.push(invalidValue('a network must be named by a string; ignored', item, itemPath));
    }
  } else if (node.kind === 'map') {
    for (const entry of node.entries.values()) {
      const entryPath = [...path, entry.key];
      const attributes = entry.value;
      const aliases =
        attributes.kind === 'map'
          ? itemsOf(attributes.entries.get('aliases')?.value, [...entryPath, 'aliases'], diagnostics).flatMap(
              ([alias]) => (alias.kind === 'scalar' && alias.value !== null ? [alias.value] : []),
            )
          : [];
      const ipv4Address = attributes.kind === 'map' ? scalarOf(attributes, 'ipv4_address') : undefined;
      const ipv6Address = attributes.kind === 'map' ? scalarOf(attributes, 'ipv6_address') : undefined;
      networks.set(entry.key, {
        file: attributes.file,
        pointer: pointerOf(entryPath),
        range: entry.keyRange,
        name: entry.key,
        aliases,
        ...(ipv4Address === undefined ? {} : { ipv4Address }),
        ...(ipv6Address === undefined ? {} : { ipv6Address }),
      });
    }
  } else if (!(node.kind === 'scalar' && node.value === null)) {
    diagnostics.push(invalidValue('networks must be a list or a mapping; ignored', node, path));
  }
  return networks;
}

/** The items of a sequence with their paths; null is an empty list, anything else is reported. */
function itemsOf(node: TreeNode | undefined, path: string[], diagnostics: ComposeDiagnostic[]): [TreeNode, string[]][] {
  if (node === undefined || (node.kind === 'scalar' && node.value === null)) return [];
  if (node.kind !== 'seq') {
    diagnostics.push(invalidValue(`${path[path.length - 1] ?? ''} must be a list; ignored`, node, path));
    return [];
  }
  return node.items.map((item, index) => [item, [...path, String(index)]]);
}

function scalarOf(node: TreeMap, key: string): string | undefined {
  const value = node.entries.get(key)?.value;
  return value?.kind === 'scalar' && value.value !== null ? value.value : undefined;
}

function origin(node: TreeNode, path: string[]): Origin {
  return { file: node.file, pointer: pointerOf(path), range: node.range };
}

function locate<T>(value: T, node: TreeNode, path: string[]): Located<T> {
  return { ...origin(node, path), value };
}

function unsupported(field: TreeEntry, path: string[]): ComposeDiagnostic {
  return {
    code: 'compose/unsupported-key',
    severity: 'warning',
    message:
      'extends is not followed: settings this service inherits from another service are not part of what Sockguard read',
    pointer: pointerOf(path),
    file: field.value.file,
    range: field.keyRange,
  };
}
