/**
 * Writing to the client. On a normal request we use Node's ServerResponse; on an Upgrade request
 * Node has handed us the raw socket, so the status line and headers are written by hand and the
 * connection is closed after the answer (nothing that follows on it is ever parsed or forwarded).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { hasUnreadBody, type Exchange } from './exchange.js';
import { serializeReply, type Reply } from './reply.js';

/** Serialises a status line and a flat raw header list for a hand-written response. */
export function formatResponseHead(
  status: number,
  statusMessage: string | undefined,
  rawHeaders: readonly string[],
): string {
  let head = `HTTP/1.1 ${status} ${statusMessage ?? STATUS_CODES[status] ?? ''}\r\n`;
  for (let i = 0; i < rawHeaders.length; i += 2) head += `${rawHeaders[i]}: ${rawHeaders[i + 1]}\r\n`;
  return head + '\r\n';
}

/** Ends a hand-written answer: flush, then drop the connection (no further bytes are read from it). */
export function closeSocketAfterWrite(socket: Duplex): void {
  socket.end(() => socket.destroy());
}

export function recordResult(exchange: Exchange, status: number, reply?: Reply): void {
  exchange.result = {
    status,
    bytes: exchange.result?.bytes ?? 0,
    ...(reply?.reasonCode !== undefined ? { reasonCode: reply.reasonCode } : {}),
    ...(reply?.reason !== undefined ? { reason: reply.reason } : {}),
  };
}

/** Sends one of our own answers (deny, error, health, ...). */
export function sendReply(exchange: Exchange, reply: Reply): void {
  const { payload, contentType } = serializeReply(reply);
  recordResult(exchange, reply.status, reply);
  exchange.result!.bytes = payload.length;
  const headers: Record<string, string> = {
    ...reply.headers,
    'Content-Type': contentType,
    'Content-Length': String(payload.length),
    'X-Request-Id': exchange.id,
  };
  const { channel } = exchange;
  if (channel.kind === 'socket') {
    const socket = channel.socket;
    if (socket.destroyed) return;
    const raw = Object.entries({ ...headers, Connection: 'close' }).flat();
    socket.write(formatResponseHead(reply.status, undefined, raw));
    if (exchange.req.method !== 'HEAD') socket.write(payload);
    closeSocketAfterWrite(socket);
    return;
  }
  const { res } = channel;
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  // An answer given before the body was read (a deny, a 413) must not leave that body to be parsed
  // as the next request on a kept-alive connection: close it instead.
  if (hasUnreadBody(exchange)) headers['Connection'] = 'close';
  res.writeHead(reply.status, headers);
  res.end(payload);
}
