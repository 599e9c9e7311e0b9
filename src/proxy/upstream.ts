/**
 * The Docker daemon we forward to: `upstream.socket`, or `DOCKER_HOST=tcp://...` (with
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) which takes precedence over the socket (sockguard-config.md
 * §5). Plain requests share a keep-alive pool; a hijack gets a connection of its own, because the
 * daemon takes that connection over and it can never go back into a pool.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

/** Connect attempts for health checks give up after this long. */
export const UPSTREAM_DIAL_TIMEOUT_MS = 3_000;
/**
 * Daemon connections and their responses buffer up to this much before reading pauses. Node's 16 KiB
 * default is a quarter of one 64 KiB socket read, so a relayed stream (export, logs) stopped reading
 * the daemon's socket after every chunk (with CLIENT_HIGH_WATER_MARK: export 0.68 -> 0.86 of direct).
 */
export const UPSTREAM_HIGH_WATER_MARK = 256 * 1024;
/** Most idle pooled connections kept per daemon. */
const MAX_IDLE_CONNECTIONS = 256;

export type UpstreamTarget =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly tls?: { readonly ca: Buffer; readonly cert: Buffer; readonly key: Buffer };
    };

export interface UpstreamRequestOptions {
  method: string;
  path: string;
  /** Flat raw header list, sent in this order and case. */
  headers: readonly string[];
  /** A connection of its own (hijacks) instead of the keep-alive pool. */
  dedicated?: boolean;
}

export class UpstreamConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamConfigError';
  }
}

function parseTcpHost(value: string): { host: string; port: number | undefined } {
  const rest = value.slice('tcp://'.length).replace(/\/.*$/, '');
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) return { host: bracket[1]!, port: bracket[2] ? Number(bracket[2]) : undefined };
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { host: rest, port: undefined };
  return { host: rest.slice(0, colon), port: Number(rest.slice(colon + 1)) };
}

export interface ResolvedUpstream {
  target: UpstreamTarget;
  /** Notes for the startup log (e.g. an ignored DOCKER_HOST). */
  notes: string[];
}

/** `upstream.socket` unless DOCKER_HOST names a tcp:// daemon; other DOCKER_HOST schemes are ignored. */
export function resolveUpstream(
  socketPath: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => Buffer = readFileSync,
): ResolvedUpstream {
  const dockerHost = env['DOCKER_HOST'];
  if (dockerHost === undefined || dockerHost === '') return { target: { kind: 'unix', socketPath }, notes: [] };
  if (!dockerHost.startsWith('tcp://')) {
    return {
      target: { kind: 'unix', socketPath },
      notes: [`DOCKER_HOST=${dockerHost} ignored: only tcp:// daemons are taken from DOCKER_HOST; using ${socketPath}`],
    };
  }
  const { host, port } = parseTcpHost(dockerHost);
  const useTls = (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
  if (host === '' || (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))) {
    throw new UpstreamConfigError(`DOCKER_HOST=${dockerHost} is not a valid tcp://host:port address`);
  }
  if (!useTls) return { target: { kind: 'tcp', host, port: port ?? 2375 }, notes: [] };
  const certDir = env['DOCKER_CERT_PATH'] || path.join(os.homedir(), '.docker');
  const read = (name: string) => {
    try {
      return readFile(path.join(certDir, name));
    } catch (error) {
      throw new UpstreamConfigError(
        `DOCKER_TLS_VERIFY is set but ${path.join(certDir, name)} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  };
  return {
    target: {
      kind: 'tcp',
      host,
      port: port ?? 2376,
      tls: { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') },
    },
    notes: [],
  };
}

export function describeUpstream(target: UpstreamTarget): string {
  if (target.kind === 'unix') return `unix://${target.socketPath}`;
  return `${target.tls ? 'tcp+tls' : 'tcp'}://${target.host}:${target.port}`;
}

export class Upstream {
  readonly description: string;
  readonly #agent: http.Agent;

  constructor(readonly target: UpstreamTarget) {
    this.description = describeUpstream(target);
    const agentOptions = {
      keepAlive: true,
      maxFreeSockets: MAX_IDLE_CONNECTIONS,
      scheduling: 'lifo' as const,
    };
    this.#agent = target.kind === 'tcp' && target.tls ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  request(options: UpstreamRequestOptions): http.ClientRequest {
    const common = {
      method: options.method,
      path: options.path,
      headers: [...options.headers],
      setHost: false,
      highWaterMark: UPSTREAM_HIGH_WATER_MARK,
      agent: options.dedicated ? false : this.#agent,
    };
    const { target } = this;
    if (target.kind === 'unix') return http.request({ ...common, socketPath: target.socketPath });
    if (!target.tls) return http.request({ ...common, host: target.host, port: target.port });
    return https.request({
      ...common,
      host: target.host,
      port: target.port,
      ca: target.tls.ca,
      cert: target.tls.cert,
      key: target.tls.key,
      minVersion: 'TLSv1.2',
      ...(options.dedicated ? {} : { agent: this.#agent as https.Agent }),
    });
  }

  /** Opens and closes one connection: the watchdog's and /health's liveness check. */
  dial(timeoutMs = UPSTREAM_DIAL_TIMEOUT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const { target } = this;
      const socket: net.Socket =
        target.kind === 'unix'
          ? net.connect({ path: target.socketPath })
          : target.tls
            ? tls.connect({
                host: target.host,
                port: target.port,
                ca: target.tls.ca,
                cert: target.tls.cert,
                key: target.tls.key,
                minVersion: 'TLSv1.2',
              })
            : net.connect({ host: target.host, port: target.port });
      const connectEvent = target.kind === 'tcp' && target.tls ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${timeoutMs} ms`)), timeoutMs);
      socket.once(connectEvent, () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Closes every pooled connection. */
  close(): void {
    this.#agent.destroy();
  }
}
