/**
 * The top level of one compose document: `name`, `services` and `networks`. A file without a
 * `services:` key whose top-level mappings look like services (they carry keys such as `image`,
 * `environment` or `command`) is read as a list of services, with a warning: that is what snippets
 * in READMEs and compose file format v1 look like, and what their authors mean, although docker
 * compose v2 refuses such a file. Other unknown top-level keys are reported and ignored.
 */

import { pointerOf } from '../policy/diagnostic.js';
import { extractService, type ServiceContext, type ServiceLayer } from './extract-service.js';
import type { ComposeDiagnostic, Located, ProjectNetwork } from './model.js';
import { invalidValue } from './node-diagnostics.js';
import type { TreeEntry, TreeMap, TreeNode } from './yaml-tree.js';

export interface DocumentLayer {
  name?: Located<string>;
  services: ServiceLayer[];
  networks: ProjectNetwork[];
}

const TOP_LEVEL_KEYS = new Set([
  'version',
  'name',
  'services',
  'networks',
  'volumes',
  'secrets',
  'configs',
  'include',
  'models',
]);
// Keys that mark a mapping as a service definition when a file has no `services:` key.
const SERVICE_KEYS = new Set([
  'build',
  'cap_add',
  'command',
  'container_name',
  'depends_on',
  'deploy',
  'entrypoint',
  'env_file',
  'environment',
  'expose',
  'extends',
  'healthcheck',
  'image',
  'labels',
  'network_mode',
  'networks',
  'ports',
  'privileged',
  'read_only',
  'restart',
  'tmpfs',
  'user',
  'volumes',
]);

export function extractDocument(root: TreeNode, context: ServiceContext): DocumentLayer | undefined {
  const { diagnostics } = context;
  if (root.kind !== 'map') {
    diagnostics.push({
      code: 'compose/root-not-mapping',
      severity: 'error',
      message: `the top level of a compose file must be a mapping (services:, networks:, ...), not a ${root.kind === 'seq' ? 'list' : 'single value'}; file ignored`,
      pointer: '',
      file: root.file,
      range: root.range,
    });
    return undefined;
  }
  const layer: DocumentLayer = { services: [], networks: [] };
  const services = root.entries.get('services');
  const fragments = services ? [] : [...root.entries.values()].filter(looksLikeService);
  if (services) layer.services = extractServices(services, context);
  else if (fragments.length > 0) {
    diagnostics.push(fragmentWarning(fragments));
    layer.services = fragments.map((entry) => extractService(entry, [entry.key], context));
  }
  for (const entry of root.entries.values()) {
    if (entry.key === 'name') {
      const name = entry.value;
      if (name.kind === 'scalar' && name.value !== null)
        layer.name = { value: name.value, file: name.file, pointer: '/name', range: name.range };
    } else if (entry.key === 'networks') {
      layer.networks = extractNetworks(entry.value, diagnostics);
    } else if (entry.key === 'include') {
      diagnostics.push(
        topLevelWarning(
          entry,
          'compose/unsupported-key',
          'include is not followed: services of included files are not part of what Sockguard read',
        ),
      );
    } else if (!TOP_LEVEL_KEYS.has(entry.key) && !entry.key.startsWith('x-') && !fragments.includes(entry)) {
      diagnostics.push(
        topLevelWarning(
          entry,
          'compose/unknown-top-level-key',
          `unknown top-level key ${JSON.stringify(entry.key)}; docker compose refuses it (extension keys start with x-). Ignored`,
        ),
      );
    }
  }
  return layer;
}

function extractServices(entry: TreeEntry, context: ServiceContext): ServiceLayer[] {
  const node = entry.value;
  if (node.kind === 'map')
    return [...node.entries.values()].map((service) => extractService(service, ['services', service.key], context));
  if (!(node.kind === 'scalar' && node.value === null))
    context.diagnostics.push(invalidValue('services must be a mapping of service names; ignored', node, ['services']));
  return [];
}

function looksLikeService(entry: TreeEntry): boolean {
  if (TOP_LEVEL_KEYS.has(entry.key) || entry.key.startsWith('x-') || entry.value.kind !== 'map') return false;
  return [...entry.value.entries.keys()].some((key) => SERVICE_KEYS.has(key));
}

function fragmentWarning(fragments: TreeEntry[]): ComposeDiagnostic {
  const first = fragments[0] as TreeEntry;
  const names = fragments.map((entry) => entry.key).join(', ');
  return {
    code: 'compose/no-services-key',
    severity: 'warning',
    message: `this file has no top-level services: key; read ${names} as services (a snippet, or compose file format v1). docker compose v2 refuses the file as it is: indent these under services:`,
    pointer: pointerOf([first.key]),
    file: first.value.file,
    range: first.keyRange,
  };
}

function extractNetworks(node: TreeNode, diagnostics: ComposeDiagnostic[]): ProjectNetwork[] {
  if (node.kind === 'scalar' && node.value === null) return [];
  if (node.kind !== 'map') {
    diagnostics.push(invalidValue('networks must be a mapping of network names; ignored', node, ['networks']));
    return [];
  }
  return [...node.entries.values()].map((entry) => {
    const settings = entry.value.kind === 'map' ? entry.value : undefined;
    return {
      name: entry.key,
      internal: flagOf(settings, 'internal'),
      external: flagOf(settings, 'external') || settings?.entries.get('external')?.value.kind === 'map',
      file: entry.value.file,
      pointer: pointerOf(['networks', entry.key]),
      range: entry.keyRange,
    };
  });
}

function flagOf(settings: TreeMap | undefined, key: string): boolean {
  const value = settings?.entries.get(key)?.value;
  return value?.kind === 'scalar' && value.value === 'true';
}

function topLevelWarning(
  entry: TreeEntry,
  code: 'compose/unsupported-key' | 'compose/unknown-top-level-key',
  message: string,
): ComposeDiagnostic {
  return {
    code,
    severity: 'warning',
    message,
    pointer: pointerOf([entry.key]),
    file: entry.value.file,
    range: entry.keyRange,
  };
}
