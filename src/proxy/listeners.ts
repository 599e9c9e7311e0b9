/**
 * Binding the configured listeners (sockguard-config.md §4): unix sockets (mode 0600 by default, or
 * 0660 with a group; uid/gid chown), TCP on loopback, TCP elsewhere only with mutual TLS 1.3 (the
 * policy validator enforces that, or both insecure acknowledgements) and the client certificate
 * selectors. Client-side limits follow the Go proxy: 5 s to send headers, 120 s idle keep-alive,
 * 1 MiB of headers.
 */
import { chmodSync, chownSync, lstatSync, readFileSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isLoopbackAddress, listenHost } from '../policy/validate.js';
import { identityOfCertificate } from '../policy/clients/certificate-identity.js';
import { certificateMatches, type CertificateSelectors } from '../policy/clients/certificate-selectors.js';
import type { ListenerInfo } from './exchange.js';

export const HEADERS_TIMEOUT_MS = 5_000;
export const KEEP_ALIVE_TIMEOUT_MS = 120_000;
export const MAX_HEADER_BYTES = 1024 * 1024;
/** How often Node checks the header deadline (its default, 30 s, would make the 5 s limit 35 s). */
const CONNECTION_CHECK_INTERVAL_MS = 1_000;
const STALE_SOCKET_PROBE_MS = 1_000;
/**
 * Client sockets (and their requests and responses) buffer up to this much before a write reports
 * backpressure. With Node's 16 KiB default every 64 KiB chunk relayed from the daemon paused the
 * stream until the client had drained it, so reading and writing never overlapped.
 */
export const CLIENT_HIGH_WATER_MARK = 256 * 1024;

export interface ListenerSpec {
  name: string;
  role: ListenerInfo['role'];
  socket?: string;
  socketMode: '0600' | '0660';
  socketUid?: number;
  socketGid?: number;
  address?: string;
  /** `selectors` absent: any leaf the client CA signed is admitted. */
  tls?: { certFile: string; keyFile: string; clientCaFile: string; selectors?: CertificateSelectors };
}

export interface ListenerHandlers {
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): void;
  onRawSocket(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void;
  onClientError(error: Error & { code?: string }, socket: import('node:stream').Duplex): void;
}

export interface BoundListener {
  readonly info: ListenerInfo;
  readonly server: http.Server;
  /** Stops accepting; open connections are the caller's to drain. */
  close(): Promise<void>;
}

export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

function probeLiveSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(true);
    }, STALE_SOCKET_PROBE_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** A leftover socket file from a previous run is removed; a live one or any other file is an error. */
async function clearSocketPath(path: string): Promise<void> {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isSocket()) throw new ListenError(`${path} exists and is not a socket; refusing to replace it`);
  if (await probeLiveSocket(path)) throw new ListenError(`${path} is in use by another process`);
  unlinkSync(path);
}

function parseAddress(address: string): { host: string; port: number } {
  const host = listenHost(address);
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !address.includes(':')) {
    throw new ListenError(`listen address "${address}" is not host:port`);
  }
  return { host, port };
}

function readFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ListenError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

function createServer(spec: ListenerSpec): http.Server {
  const options: http.ServerOptions = {
    headersTimeout: HEADERS_TIMEOUT_MS,
    // Bodies have their own deadline (request-body stage); streams and tunnels have none.
    requestTimeout: 0,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: MAX_HEADER_BYTES,
    connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS,
    highWaterMark: CLIENT_HIGH_WATER_MARK,
  };
  if (!spec.tls) return http.createServer(options);
  const { tls } = spec;
  const server = https.createServer({
    ...options,
    cert: readFile(tls.certFile, 'TLS certificate'),
    key: readFile(tls.keyFile, 'TLS key'),
    ca: readFile(tls.clientCaFile, 'client CA'),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3',
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerX509Certificate();
    const { selectors } = tls;
    if (!peer || (selectors !== undefined && !certificateMatches(identityOfCertificate(peer), selectors))) {
      socket.destroy();
    }
  });
  return server;
}

function listen(server: http.Server, options: net.ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(
          `cannot listen on ${options.path ?? `${options.host}:${options.port}`}: ${error.code ?? error.message}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export async function bindListener(
  spec: ListenerSpec,
  createHandlers: (info: ListenerInfo) => ListenerHandlers,
): Promise<BoundListener> {
  const server = createServer(spec);

  let info: ListenerInfo;
  if (spec.socket !== undefined) {
    await clearSocketPath(spec.socket);
    // Bind with a strict umask so the socket is never reachable with wider permissions, then set
    // the configured mode and owner (pinned by test/proxy/listeners.test.ts).
    const previous = process.umask(0o177);
    try {
      await listen(server, { path: spec.socket });
    } finally {
      process.umask(previous);
    }
    chmodSync(spec.socket, parseInt(spec.socketMode, 8));
    if (spec.socketUid !== undefined || spec.socketGid !== undefined) {
      chownSync(spec.socket, spec.socketUid ?? -1, spec.socketGid ?? -1);
    }
    info = { name: spec.name, role: spec.role, network: 'unix', tls: false, address: spec.socket, loopback: true };
  } else {
    const address = spec.address ?? '127.0.0.1:2375';
    const { host, port } = parseAddress(address);
    await listen(server, { host: host === '' ? undefined : host, port } as net.ListenOptions);
    const bound = server.address() as net.AddressInfo;
    const shown = host.includes(':') ? `[${host}]:${bound.port}` : `${host}:${bound.port}`;
    info = {
      name: spec.name,
      role: spec.role,
      network: 'tcp',
      tls: spec.tls !== undefined,
      address: shown,
      loopback: isLoopbackAddress(address),
    };
  }
  // Attached in the same tick as the listen callback, before any connection can be processed.
  const handlers = createHandlers(info);
  server.on('request', handlers.onRequest);
  // Judge before answering 100 Continue: the request-body stage sends it once the request is allowed
  // (pinned by test/proxy/request-body.test.ts, "answers 100 Continue only after judging").
  server.on('checkContinue', handlers.onRequest);
  server.on('upgrade', handlers.onRawSocket);
  server.on('connect', handlers.onRawSocket);
  server.on('clientError', handlers.onClientError);
  return {
    info,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
