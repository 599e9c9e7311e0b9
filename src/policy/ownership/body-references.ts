/**
 * The objects a request body (or a build query) refers to, each of which must belong to the owner too
 * (security-notes.md §11: Sockguard's checks missed `container:<ref>` and NetworkingConfig until 1.5.0):
 * - container create: `container:<ref>` in HostConfig NetworkMode/PidMode/IpcMode/UTSMode/UsernsMode/
 *   Cgroup (namespace joins, skipped when allow_cross_owner_namespace_sharing is set), a user-defined
 *   network as NetworkMode, `VolumesFrom`, `Links` (HostConfig and per endpoint), named volumes in
 *   `Binds` and volume `Mounts`, the networks of `NetworkingConfig.EndpointsConfig`, and the `Image`;
 * - network connect/disconnect: `Container` and the endpoint's `Links`;
 * - service create/update: secrets and configs (by ID), networks (TaskTemplate and the deprecated
 *   top-level list), named volume mounts and the image;
 * - build: a `networkmode=container:<ref>` namespace join.
 * Bodies are decoded with the Go-compatible decoder (body/decode-docker-json.ts): case-variant and
 * duplicate keys are refused, so the references we check are the ones dockerd will use.
 */
import { decodeDockerJson, formatJsonError } from '../body/decode-docker-json.js';
import { list, map, string, struct } from '../body/json-shape.js';
import type { ReferenceBody, ResourceKind } from './classify-owned-request.js';
import { invalidRequest, type OwnerDenial } from './owner-verdict.js';
import { findParameters, splitQuery } from './query-parameters.js';

export interface OwnedReference {
  readonly resource: ResourceKind;
  /** As written by the client (a name, an ID or an ID prefix). */
  readonly reference: string;
  /** Where it was found, for messages and logs (`HostConfig.VolumesFrom[0]`). */
  readonly source: string;
  /**
   * When the daemon does not know it: `refuse` (answer 404 like dockerd, never forward), `allow`
   * (swarm resolves it elsewhere: a service image pulled on the nodes, a node-local volume), or
   * `create-volume` (dockerd would create the named volume without labels: create it with the owner
   * label first, then forward).
   */
  readonly ifMissing: 'refuse' | 'allow' | 'create-volume';
}

export interface ReferenceOptions {
  readonly allowCrossOwnerNamespaceSharing: boolean;
}

export type ReferenceList = { ok: true; references: OwnedReference[] } | OwnerDenial;

const strings = list(string);
const mounts = list(struct({ Type: string, Source: string }));
const endpoint = struct({ Links: strings });

const containerCreateShape = struct({
  Image: string,
  HostConfig: struct({
    NetworkMode: string,
    PidMode: string,
    IpcMode: string,
    UTSMode: string,
    UsernsMode: string,
    Cgroup: string,
    VolumesFrom: strings,
    Links: strings,
    Binds: strings,
    Mounts: mounts,
  }),
  NetworkingConfig: struct({ EndpointsConfig: map(endpoint) }),
});

const networkConnectShape = struct({ Container: string, EndpointConfig: endpoint });

const networks = list(struct({ Target: string }));
const serviceSpecShape = struct({
  TaskTemplate: struct({
    ContainerSpec: struct({
      Image: string,
      Mounts: mounts,
      Secrets: list(struct({ SecretID: string, SecretName: string })),
      Configs: list(struct({ ConfigID: string, ConfigName: string })),
    }),
    Networks: networks,
  }),
  Networks: networks,
});

const NAMESPACE_FIELDS = ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'Cgroup'] as const;
/** Network modes that name no network object (plus `container:`). */
const BUILTIN_NETWORK_MODES = new Set(['', 'default', 'bridge', 'host', 'none']);

const ref = (
  resource: ResourceKind,
  reference: string,
  source: string,
  ifMissing: OwnedReference['ifMissing'] = 'refuse',
): OwnedReference => ({ resource, reference, source, ifMissing });

/** A container as `Links` and `VolumesFrom` name it: `name[:alias]`, `name[:mode]`, maybe with a leading `/`. */
function containerPart(entry: string): string {
  const colon = entry.indexOf(':');
  return colon < 0 ? entry : entry.slice(0, colon);
}

/**
 * The named volume of a bind (`name:/dst[:mode]`); undefined for host paths and anonymous volumes.
 * A Linux daemon reads `c:/data` as the volume `c`, so nothing but a leading `/` makes a host path.
 */
function volumeOfBind(bind: string): string | undefined {
  const colon = bind.indexOf(':');
  if (colon <= 0) return undefined;
  const source = bind.slice(0, colon);
  return source.startsWith('/') ? undefined : source;
}

function containerCreateReferences(body: Uint8Array | string, options: ReferenceOptions): ReferenceList {
  const decoded = decodeDockerJson(body, containerCreateShape);
  if (!decoded.ok) return invalidRequest(`the request body cannot be read: ${formatJsonError(decoded.error)}`);
  const { Image, HostConfig: host = {}, NetworkingConfig } = decoded.value;
  const out: OwnedReference[] = [];
  for (const field of NAMESPACE_FIELDS) {
    const mode = host[field] ?? '';
    if (mode.startsWith('container:')) {
      if (!options.allowCrossOwnerNamespaceSharing) {
        out.push(ref('container', mode.slice('container:'.length), `HostConfig.${field}`));
      }
    } else if (field === 'NetworkMode' && !BUILTIN_NETWORK_MODES.has(mode)) {
      out.push(ref('network', mode, 'HostConfig.NetworkMode'));
    }
  }
  (host.VolumesFrom ?? []).forEach((entry, i) =>
    out.push(ref('container', containerPart(entry), `HostConfig.VolumesFrom[${i}]`)),
  );
  (host.Links ?? []).forEach((entry, i) => out.push(ref('container', containerPart(entry), `HostConfig.Links[${i}]`)));
  (host.Binds ?? []).forEach((bind, i) => {
    const volume = volumeOfBind(bind);
    if (volume !== undefined) out.push(ref('volume', volume, `HostConfig.Binds[${i}]`, 'create-volume'));
  });
  (host.Mounts ?? []).forEach((mount, i) => {
    if (mount.Type === 'volume' && (mount.Source ?? '') !== '') {
      out.push(ref('volume', mount.Source!, `HostConfig.Mounts[${i}].Source`, 'create-volume'));
    }
  });
  for (const [name, settings] of Object.entries(NetworkingConfig?.EndpointsConfig ?? {})) {
    if (!BUILTIN_NETWORK_MODES.has(name)) out.push(ref('network', name, `NetworkingConfig.EndpointsConfig[${name}]`));
    (settings.Links ?? []).forEach((entry, i) =>
      out.push(ref('container', containerPart(entry), `NetworkingConfig.EndpointsConfig[${name}].Links[${i}]`)),
    );
  }
  if ((Image ?? '') !== '') out.push(ref('image', Image!, 'Image'));
  return { ok: true, references: out };
}

function networkConnectReferences(body: Uint8Array | string): ReferenceList {
  const decoded = decodeDockerJson(body, networkConnectShape);
  if (!decoded.ok) return invalidRequest(`the request body cannot be read: ${formatJsonError(decoded.error)}`);
  const out: OwnedReference[] = [];
  const { Container, EndpointConfig } = decoded.value;
  if ((Container ?? '') !== '') out.push(ref('container', Container!, 'Container'));
  (EndpointConfig?.Links ?? []).forEach((entry, i) =>
    out.push(ref('container', containerPart(entry), `EndpointConfig.Links[${i}]`)),
  );
  return { ok: true, references: out };
}

function serviceSpecReferences(body: Uint8Array | string): ReferenceList {
  const decoded = decodeDockerJson(body, serviceSpecShape);
  if (!decoded.ok) return invalidRequest(`the request body cannot be read: ${formatJsonError(decoded.error)}`);
  const { TaskTemplate: task = {}, Networks = [] } = decoded.value;
  const spec = task.ContainerSpec ?? {};
  const out: OwnedReference[] = [];
  (spec.Secrets ?? []).forEach((s, i) => {
    const id = s.SecretID || s.SecretName;
    if (id) out.push(ref('secret', id, `TaskTemplate.ContainerSpec.Secrets[${i}]`));
  });
  (spec.Configs ?? []).forEach((c, i) => {
    const id = c.ConfigID || c.ConfigName;
    if (id) out.push(ref('config', id, `TaskTemplate.ContainerSpec.Configs[${i}]`));
  });
  (task.Networks ?? []).forEach((n, i) => {
    if (n.Target) out.push(ref('network', n.Target, `TaskTemplate.Networks[${i}]`));
  });
  Networks.forEach((n, i) => {
    if (n.Target) out.push(ref('network', n.Target, `Networks[${i}]`));
  });
  (spec.Mounts ?? []).forEach((mount, i) => {
    if (mount.Type === 'volume' && mount.Source) {
      out.push(ref('volume', mount.Source, `TaskTemplate.ContainerSpec.Mounts[${i}].Source`, 'allow'));
    }
  });
  if (spec.Image) out.push(ref('image', spec.Image, 'TaskTemplate.ContainerSpec.Image', 'allow'));
  return { ok: true, references: out };
}

/** Every reference in a request body that must be owner-checked before the request is forwarded. */
export function referencesInBody(
  kind: ReferenceBody,
  body: Uint8Array | string,
  options: ReferenceOptions,
): ReferenceList {
  switch (kind) {
    case 'container-create':
      return containerCreateReferences(body, options);
    case 'network-connect':
      return networkConnectReferences(body);
    case 'service-spec':
      return serviceSpecReferences(body);
  }
}

/** `POST /build?networkmode=container:<ref>` joins a container's network namespace. */
export function referencesInBuildQuery(rawQuery: string | undefined, options: ReferenceOptions): ReferenceList {
  const split = splitQuery(rawQuery);
  if (!split.ok) return invalidRequest(split.problem);
  const mode = findParameters(split.parameters, 'networkmode')[0]?.value ?? '';
  if (!mode.startsWith('container:') || options.allowCrossOwnerNamespaceSharing) return { ok: true, references: [] };
  return { ok: true, references: [ref('container', mode.slice('container:'.length), 'networkmode')] };
}
