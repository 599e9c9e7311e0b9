/**
 * Entry point of the compose reader: `docker compose -f a.yml -f b.yml` as data. Each file (and each
 * YAML document in it) is parsed with positions, interpolated with the project environment, read into
 * per-service layers, and the layers are merged in order; env_file entries and bare `- KEY` entries
 * are then resolved. Pure: file contents come in as text, other files through `options.readText`.
 */

import { dirname } from 'node:path';
import { extractDocument } from './extract-document.js';
import type { ServiceLayer } from './extract-service.js';
import { interpolateTree } from './interpolate-tree.js';
import { mergeServiceLayers } from './merge-services.js';
import type {
  ComposeDiagnostic,
  ComposeInput,
  ComposeOptions,
  ComposeParseResult,
  Located,
  ProjectNetwork,
} from './model.js';
import { buildProjectEnvironment } from './project-environment.js';
import { resolveService } from './resolve-service.js';
import { parseYamlTree } from './yaml-tree.js';

export function parseComposeFiles(inputs: readonly ComposeInput[], options: ComposeOptions = {}): ComposeParseResult {
  const first = inputs[0];
  if (first === undefined) {
    return {
      diagnostics: [{ code: 'compose/no-input', severity: 'error', message: 'no compose file was given', pointer: '' }],
    };
  }
  const projectDir = dirname(first.path);
  const environment = buildProjectEnvironment(first.path, options);
  const diagnostics: ComposeDiagnostic[] = [...environment.diagnostics];
  const context = { projectDir, diagnostics };
  const layers: ServiceLayer[] = [];
  const networks = new Map<string, ProjectNetwork>();
  let name: Located<string> | undefined;
  let readable = false;
  for (const input of inputs) {
    const tree = parseYamlTree(input.path, input.text);
    diagnostics.push(...tree.diagnostics);
    if (tree.documents.length === 0) diagnostics.push(emptyFile(input.path));
    for (const document of tree.documents) {
      if (document.kind === 'map') diagnostics.push(...interpolateTree(document, environment.lookup));
      const layer = extractDocument(document, context);
      if (!layer) continue;
      readable = true;
      layers.push(...layer.services);
      for (const network of layer.networks) networks.set(network.name, network);
      name = layer.name ?? name;
    }
  }
  if (!readable) return { diagnostics };
  const resolveContext = {
    lookup: environment.lookup,
    diagnostics,
    ...(options.readText ? { readText: options.readText } : {}),
  };
  const services = mergeServiceLayers(layers).map((service) => resolveService(service, resolveContext));
  return {
    project: { ...(name ? { name } : {}), files: inputs.map((input) => input.path), projectDir, services, networks },
    diagnostics,
  };
}

function emptyFile(file: string): ComposeDiagnostic {
  return {
    code: 'compose/empty-file',
    severity: 'error',
    message: 'the compose file is empty; docker compose refuses it',
    pointer: '',
    file,
    range: { start: { line: 1, col: 1 }, end: { line: 1, col: 1 } },
  };
}
