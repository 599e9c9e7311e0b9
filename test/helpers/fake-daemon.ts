/**
 * A scriptable stand-in for dockerd on a unix socket, for faults a real daemon cannot produce on
 * demand (dying mid-stream, never answering, redirecting) and for counting exactly what reached
 * the upstream. Every request it parses is recorded with its body.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  upgrade: boolean;
}

export type FakeHandler = (req: RecordedRequest, res: http.ServerResponse) => void;
/** Called for requests Node treats as upgrades; `head` holds the bytes after the headers. */
export type FakeUpgradeHandler = (req: RecordedRequest, socket: Duplex, head: Buffer) => void;

export interface FakeDaemon {
  readonly socketPath: string;
  readonly requests: RecordedRequest[];
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Connections currently open. */
  readonly openConnections: () => number;
  handle: FakeHandler;
  upgrade: FakeUpgradeHandler;
  close(): Promise<void>;
}

/** dockerd's answer to a hijack: 101 UPGRADED, then echo the client's bytes back. */
export const echoUpgrade: FakeUpgradeHandler = (_req, socket, head) => {
  socket.write(
    'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
  );
  if (head.length > 0) socket.write(head);
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
};

export async function startFakeDaemon(handle?: FakeHandler): Promise<FakeDaemon> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sgfake-'));
  const socketPath = path.join(dir, 'docker.sock');
  const requests: RecordedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = http.createServer();
  const daemon: FakeDaemon = {
    socketPath,
    requests,
    connections: () => accepted,
    openConnections: () => sockets.size,
    handle: handle ?? ((_req, res) => res.end('OK')),
    upgrade: echoUpgrade,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server.on('connection', (socket: net.Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks),
        upgrade: false,
      };
      requests.push(recorded);
      daemon.handle(recorded, res);
    });
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const length = Number(req.headers['content-length'] ?? 0);
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: head.subarray(0, length),
      upgrade: true,
    };
    requests.push(recorded);
    daemon.upgrade(recorded, socket, head.subarray(length));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return daemon;
}
