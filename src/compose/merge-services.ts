/**
 * Merges service definitions from several files (and several YAML documents) the way
 * `docker compose -f base.yml -f override.yml` does: a later file replaces image, container_name,
 * user, command and entrypoint; environment and labels merge by key; networks merge by name; ports
 * (by host address, published port, target and protocol), volumes (by target) and env_file entries
 * (by path) are appended and a later entry with the same key replaces the earlier one in place.
 * `!reset` drops a field, `!override` replaces it whole.
 */

import type { KeyValue } from './extract-key-values.js';
import type { LayerField, ServiceLayer } from './extract-service.js';
import type { PortMapping, ServiceNetwork } from './model.js';

export type MergedService = Omit<ServiceLayer, 'removed' | 'resets' | 'overrides'>;

/** Services in order of first appearance. */
export function mergeServiceLayers(layers: readonly ServiceLayer[]): MergedService[] {
  const services = new Map<string, MergedService>();
  for (const layer of layers) {
    if (layer.removed) {
      services.delete(layer.name);
      continue;
    }
    const earlier = services.get(layer.name);
    services.set(
      layer.name,
      earlier ? mergeLayer(earlier, layer) : mergeLayer({ ...originOf(layer), name: layer.name }, layer),
    );
  }
  return [...services.values()];
}

function mergeLayer(base: MergedService, layer: ServiceLayer): MergedService {
  const merged: MergedService = { ...base };
  for (const field of layer.resets) delete merged[field];
  const replaces = (field: LayerField): boolean => layer.overrides.has(field) || merged[field] === undefined;
  if (layer.image) merged.image = layer.image;
  if (layer.containerName) merged.containerName = layer.containerName;
  if (layer.user) merged.user = layer.user;
  if (layer.command) merged.command = layer.command;
  if (layer.entrypoint) merged.entrypoint = layer.entrypoint;
  if (layer.environment)
    merged.environment = replaces('environment') ? layer.environment : mergeMaps(merged.environment, layer.environment);
  if (layer.labels) merged.labels = replaces('labels') ? layer.labels : mergeMaps(merged.labels, layer.labels);
  if (layer.networks)
    merged.networks = replaces('networks') ? layer.networks : mergeNetworks(merged.networks, layer.networks);
  if (layer.envFiles)
    merged.envFiles = unique(
      [...(replaces('envFiles') ? [] : (merged.envFiles ?? [])), ...layer.envFiles],
      (ref) => ref.path,
    );
  if (layer.volumes)
    merged.volumes = unique(
      [...(replaces('volumes') ? [] : (merged.volumes ?? [])), ...layer.volumes],
      (volume) => volume.target,
    );
  if (layer.ports) merged.ports = unique([...(replaces('ports') ? [] : (merged.ports ?? [])), ...layer.ports], portKey);
  return merged;
}

function mergeMaps(base: Map<string, KeyValue> | undefined, later: Map<string, KeyValue>): Map<string, KeyValue> {
  const merged = new Map(base);
  for (const [key, value] of later) merged.set(key, value);
  return merged;
}

function mergeNetworks(
  base: Map<string, ServiceNetwork> | undefined,
  later: Map<string, ServiceNetwork>,
): Map<string, ServiceNetwork> {
  const merged = new Map(base);
  for (const [name, network] of later) {
    const earlier = merged.get(name);
    merged.set(
      name,
      earlier ? { ...earlier, ...network, aliases: [...new Set([...earlier.aliases, ...network.aliases])] } : network,
    );
  }
  return merged;
}

/** Keeps one item per key, the position of the first and the value of the last; this holds within one file too. */
function unique<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(keyOf(item), item);
  return [...byKey.values()];
}

function portKey(port: PortMapping): string {
  return `${port.hostIp ?? '0.0.0.0'}:${port.published ?? ''}:${port.target}/${port.protocol}`;
}

function originOf(layer: ServiceLayer): Pick<MergedService, 'file' | 'pointer' | 'range'> {
  return { file: layer.file, pointer: layer.pointer, range: layer.range };
}
