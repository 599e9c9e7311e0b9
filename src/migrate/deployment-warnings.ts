/**
 * Warnings that need the compose file rather than the proxy's configuration (peers.md §7
 * "Exposure patterns", "Consumers"; sockguard-config.md §12.2, §19): a TCP port published on every
 * host interface without TLS, the Docker socket mounted read-write (and what `:ro` does not do),
 * consumers that must still reach the proxy, and environment entries the rewrite removed or could
 * not remove.
 */
import type { ComposeService, Origin } from '../compose/model.js';
import { COMPAT_VARIABLES } from '../policy/compat.js';
import type { PolicyDocument } from '../policy/schema.js';
import { isLoopbackAddress } from '../policy/validate.js';
import type { ProxyConsumer } from './find-consumers.js';
import type { LocatedWarning } from './located-warning.js';

const DEFAULT_UPSTREAM_SOCKET = '/var/run/docker.sock';
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

const at = (origin: Origin): Pick<LocatedWarning, 'file' | 'range' | 'pointer'> => ({
  file: origin.file,
  range: origin.range,
  pointer: origin.pointer,
});

/** Every listener of the policy as written (a missing `listen` is Sockguard's default, loopback TCP). */
function listenersOf(policy: PolicyDocument): { address?: string; socket?: string; tls: boolean }[] {
  const all = policy.listeners ?? [policy.listen ?? { address: '127.0.0.1:2375' }];
  return all.map((l) => ({
    ...(l.address !== undefined && l.socket === undefined ? { address: l.address } : {}),
    ...(l.socket !== undefined ? { socket: l.socket } : {}),
    tls: Boolean(l.tls?.cert_file),
  }));
}

function portOf(address: string): number | undefined {
  const match = /:(\d+)$/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** `ports:` entries publishing a TCP port on every host interface when the listener has no TLS. */
export function checkPublishedPorts(service: ComposeService, policy: PolicyDocument): LocatedWarning[] {
  const tls = listenersOf(policy).some((l) => l.tls);
  if (tls) return [];
  return service.ports.flatMap((port, index): LocatedWarning[] => {
    if (port.protocol !== 'tcp' || (port.hostIp !== undefined && !ALL_INTERFACES.has(port.hostIp))) return [];
    const published = port.published ?? 'an ephemeral port';
    return [
      {
        code: 'migrate/port-published-all-interfaces',
        severity: 'warning',
        origin: `ports:${index}`,
        message: `Port ${port.target} is published as ${published} on every host interface without TLS: anyone who can reach the host controls the Docker daemon (root on the host), before and after the migration. Publish it on 127.0.0.1 (\`127.0.0.1:${published}:${port.target}\`), drop \`ports:\` if only containers use the proxy, or configure mutual TLS (listen.tls).`,
        ...at(port),
      },
    ];
  });
}

/** The Docker socket mount: read-write is a warning; read-only gets a note on what `:ro` does not do. */
export function checkSocketMount(service: ComposeService, policy: PolicyDocument): LocatedWarning[] {
  const upstream = policy.upstream?.socket ?? DEFAULT_UPSTREAM_SOCKET;
  return service.volumes.flatMap((volume, index): LocatedWarning[] => {
    const isSocket =
      volume.target === upstream || (volume.type === 'bind' && /docker\.sock$/.test(volume.source ?? ''));
    if (!isSocket) return [];
    const origin = `volumes:${index}`;
    if (!volume.readOnly) {
      return [
        {
          code: 'migrate/socket-mounted-rw',
          severity: 'warning',
          origin,
          message: `The Docker socket is mounted read-write (${volume.source ?? '?'}:${volume.target}). Add \`:ro\` so the proxy cannot replace or chmod the socket file; note that \`:ro\` does not restrict the Docker API itself, the policy does.`,
          ...at(volume),
        },
      ];
    }
    return [
      {
        code: 'migrate/socket-read-only-is-not-a-filter',
        severity: 'info',
        origin,
        message: `The Docker socket is mounted \`:ro\`: that only protects the socket file; connecting to it, and so the whole Docker API, works the same. What the proxy may do is decided by the policy alone.`,
        ...at(volume),
      },
    ];
  });
}

/** Each consumer must still reach the proxy: same name, port or socket after the migration. */
export function checkConsumers(consumers: readonly ProxyConsumer[], policy: PolicyDocument): LocatedWarning[] {
  const listeners = listenersOf(policy);
  return consumers.map((consumer): LocatedWarning => {
    if (consumer.kind === 'tcp') {
      const served = listeners.some(
        (l) => l.address !== undefined && !isLoopbackAddress(l.address) && portOf(l.address) === consumer.port,
      );
      const listening = listeners.map((l) => l.address ?? `unix:${l.socket}`).join(', ');
      return served
        ? {
            code: 'migrate/consumer-endpoint-kept',
            severity: 'info',
            message: `${consumer.service} reaches the proxy at ${consumer.endpoint} (${consumer.via}); the service keeps its name, networks and port, and Sockguard listens on ${listening}, so it keeps working.`,
            ...at(consumer.at),
          }
        : {
            code: 'migrate/consumer-endpoint-unreachable',
            severity: 'warning',
            message: `${consumer.service} reaches the proxy at ${consumer.endpoint} (${consumer.via}), but the migrated policy listens on ${listening}: change the policy's listener or the consumer's endpoint.`,
            ...at(consumer.at),
          };
    }
    const socket = listeners.find((l) => l.socket?.startsWith(`${consumer.proxyTarget.replace(/\/$/, '')}/`))?.socket;
    if (socket === undefined) {
      return {
        code: 'migrate/consumer-socket-missing',
        severity: 'warning',
        message: `${consumer.service} uses the proxy's socket through volume ${consumer.volume} (mounted at ${consumer.consumerTarget}), but the migrated policy does not listen on a socket in ${consumer.proxyTarget}: set listen.socket there.`,
        ...at(consumer.at),
      };
    }
    const seen = `${consumer.consumerTarget.replace(/\/$/, '')}${socket.slice(consumer.proxyTarget.replace(/\/$/, '').length)}`;
    return {
      code: 'migrate/consumer-socket-kept',
      severity: 'info',
      message: `${consumer.service} uses the proxy's socket through volume ${consumer.volume} (it sees ${seen}); Sockguard listens on ${socket} in the same volume, so it keeps working if its user may open the socket (listen.socket_uid/socket_gid, socket_mode).`,
      ...at(consumer.at),
    };
  });
}

/**
 * The environment after the rewrite: what was removed from `environment:`, and compatibility
 * variables still arriving through `env_file:` (which the rewrite cannot edit). Sockguard expands
 * those into rules whenever the policy's rules equal its defaults (sockguard-config.md §12.2).
 */
export function checkLeftoverEnvironment(service: ComposeService, removed: ReadonlySet<string>): LocatedWarning[] {
  const warnings: LocatedWarning[] = [];
  const removedEntries = [...service.environment.values()].filter(
    (entry) => entry.from === 'environment' && removed.has(entry.name),
  );
  const first = removedEntries[0];
  if (first) {
    const compat = removedEntries.some((entry) => COMPAT_VARIABLES.includes(entry.name));
    warnings.push({
      code: 'migrate/environment-removed',
      severity: 'info',
      origin: `env:${first.name}`,
      message: `The rewrite removes ${removedEntries.map((e) => e.name).join(', ')} from the service: Sockguard does not read them, the policy file carries what they configured.${compat ? " Left in place, Sockguard would read the Tecnativa-style ones as compatibility variables and, whenever the policy's rules equal its defaults, replace the rules with their expansion." : ''}`,
      ...at(first),
    });
  }
  for (const entry of service.environment.values()) {
    if (entry.from !== 'env_file' || !COMPAT_VARIABLES.includes(entry.name)) continue;
    warnings.push({
      code: 'migrate/compat-variable-in-env-file',
      severity: 'warning',
      origin: `env:${entry.name}`,
      message: `${entry.name} comes from an env_file the rewrite does not edit; Sockguard reads it as a Tecnativa compatibility variable and, whenever the policy's rules equal its defaults, replaces them with its expansion. Remove it from ${entry.file}.`,
      ...at(entry),
    });
  }
  return warnings;
}
