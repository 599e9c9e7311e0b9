/**
 * Writing to the client. On a normal request we use Node's ServerResponse; on an Upgrade request
 * Node has handed us the raw socket, so the status line and headers are written by hand and the
 * connection is closed after the answer (nothing that follows on it is ever parsed or forwarded).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { expectsContinue, hasUnreadBody, type Exchange } from './exchange.js';
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

/**
 * After an answer given before the body was read (a deny, a 413), a small body is read and
 * discarded, as Go's net/http does, so the connection stays usable and the client finishes sending
 * and reads the answer: closing on unread bytes resets the connection, and the docker CLI then
 * reports a broken pipe instead of our message. Node's server discards the rest of a request whose
 * response has finished (framed by the parser: never read as a next request). Larger or unframed
 * bodies, and bodies the client holds back for `100 Continue`, close the connection instead.
 */
export const DRAIN_UNREAD_BODY_MAX_BYTES = 256 * 1024;
/** A drained body that stops arriving closes the connection after this long. */
export const DRAIN_UNREAD_BODY_TIMEOUT_MS = 5_000;

function canDrainUnreadBody(exchange: Exchange): boolean {
  const { req } = exchange;
  if (exchange.body.kind !== 'pending' || expectsContinue(exchange)) return false;
  if (req.headers['transfer-encoding'] !== undefined) return false;
  const declared = Number(req.headers['content-length']);
  return Number.isSafeInteger(declared) && declared <= DRAIN_UNREAD_BODY_MAX_BYTES;
}

function drainUnreadBody(exchange: Exchange): void {
  const { req } = exchange;
  const stalled = setTimeout(() => req.socket.destroy(), DRAIN_UNREAD_BODY_TIMEOUT_MS);
  stalled.unref();
  req.once('end', () => clearTimeout(stalled));
  req.once('close', () => clearTimeout(stalled));
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
  if (hasUnreadBody(exchange)) {
    if (canDrainUnreadBody(exchange)) drainUnreadBody(exchange);
    else headers['Connection'] = 'close';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}
