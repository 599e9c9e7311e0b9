/**
 * The services that use the proxy (peers.md §7 "Consumers"): over TCP, an environment value or
 * argument naming `tcp://<proxy>:<port>` (`DOCKER_HOST`, Traefik's `--providers.docker.endpoint`,
 * Portainer's `-H`, Dozzle's `DOZZLE_REMOTE_HOST=tcp://proxy:2375|label`), where `<proxy>` is the
 * service name, its `container_name` or a network alias; over a unix socket, a named volume the
 * proxy shares with them (11notes: the proxy's `/run/proxy`, the consumer's `/var/run`).
 */
import type { ComposeProject, ComposeService, Origin } from '../compose/model.js';

export interface TcpConsumer {
  kind: 'tcp';
  service: string;
  /** The endpoint as written, e.g. `tcp://socket-proxy:2375`. */
  endpoint: string;
  host: string;
  port: number;
  /** `DOCKER_HOST`, `command`, ...: what carries it. */
  via: string;
  at: Origin;
}

export interface SocketVolumeConsumer {
  kind: 'socket-volume';
  service: string;
  volume: string;
  /** Where the proxy mounts the volume, and where the consumer does. */
  proxyTarget: string;
  consumerTarget: string;
  at: Origin;
}

export type ProxyConsumer = TcpConsumer | SocketVolumeConsumer;

const ENDPOINT = /\b(?:tcp|https?):\/\/([A-Za-z0-9_.-]+):(\d{1,5})\b/g;

/** Names under which other containers reach the proxy. */
function namesOf(proxy: ComposeService): Set<string> {
  const names = new Set([proxy.name]);
  if (proxy.containerName) names.add(proxy.containerName.value);
  for (const network of proxy.networks.values()) for (const alias of network.aliases) names.add(alias);
  return names;
}

function findTcpConsumers(service: ComposeService, names: ReadonlySet<string>): TcpConsumer[] {
  const candidates: { value: string; via: string; at: Origin }[] = [
    ...[...service.environment.values()].flatMap((entry) =>
      entry.value === undefined ? [] : [{ value: entry.value, via: entry.name, at: entry as Origin }],
    ),
    ...(service.entrypoint?.args ?? []).map((arg) => ({ value: arg.value, via: 'entrypoint', at: arg as Origin })),
    ...(service.command?.args ?? []).map((arg) => ({ value: arg.value, via: 'command', at: arg as Origin })),
  ];
  const found: TcpConsumer[] = [];
  for (const { value, via, at } of candidates) {
    for (const match of value.matchAll(ENDPOINT)) {
      const host = match[1]!;
      if (!names.has(host)) continue;
      const origin: Origin = { file: at.file, pointer: at.pointer, range: at.range };
      found.push({
        kind: 'tcp',
        service: service.name,
        endpoint: match[0],
        host,
        port: Number(match[2]),
        via,
        at: origin,
      });
    }
  }
  return found;
}

function findVolumeConsumers(service: ComposeService, proxy: ComposeService): SocketVolumeConsumer[] {
  const shared = proxy.volumes.filter((v) => v.type === 'volume' && v.source !== undefined);
  return service.volumes.flatMap((volume): SocketVolumeConsumer[] => {
    if (volume.type !== 'volume' || volume.source === undefined) return [];
    const mine = shared.find((v) => v.source === volume.source);
    if (!mine) return [];
    const at: Origin = { file: volume.file, pointer: volume.pointer, range: volume.range };
    return [
      {
        kind: 'socket-volume',
        service: service.name,
        volume: volume.source,
        proxyTarget: mine.target,
        consumerTarget: volume.target,
        at,
      },
    ];
  });
}

/** Every use of `proxy` by the other services of the project, in service order. */
export function findConsumers(project: ComposeProject, proxy: ComposeService): ProxyConsumer[] {
  const names = namesOf(proxy);
  return project.services
    .filter((service) => service !== proxy)
    .flatMap((service) => [...findTcpConsumers(service, names), ...findVolumeConsumers(service, proxy)]);
}
