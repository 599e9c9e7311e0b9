/**
 * Forwarding a judged request as plain HTTP: exactly one upstream request per client request, to
 * exactly `forwardTarget` (the judged path re-encoded; never a WHATWG URL built from the raw target,
 * security-notes.md §3), with hop-by-hop headers stripped both ways. Redirects from the daemon are
 * relayed as they are, never followed (§2.4): node:http's client does not follow them.
 * Streams are relayed chunk by chunk without buffering and without the request timeout; everything
 * else gets `upstream.request_timeout` (504). An unreachable daemon is a 502.
 * Pinned by test/proxy/forward.test.ts.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { closeSocketAfterWrite, formatResponseHead, recordResult, sendReply } from './client-response.js';
import { upstreamTargetOf, type Exchange } from './exchange.js';
import { rawHeaderValue, removeHeaders, stripHopByHop } from './hop-by-hop.js';
import { dockerError, MESSAGES } from './reply.js';
import {
  collectResponse,
  FILTERED_REQUEST_HEADERS,
  isFilteredStatus,
  responsePolicyFor,
  sendFilteredResponse,
} from './response-filter.js';
import { formatTraceparent } from './trace-context.js';
import type { Upstream } from './upstream.js';

/** Headers we always replace or recompute instead of passing on. */
const RECOMPUTED_REQUEST_HEADERS = new Set(['content-length', 'expect', 'x-request-id', 'traceparent']);
const RECOMPUTED_RESPONSE_HEADERS = new Set(['x-request-id']);
/** Methods node:http sends without any body framing when none is given. */
const BODYLESS_BY_DEFAULT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

export interface ForwardOptions {
  /** upstream.request_timeout in ms; undefined when off. */
  requestTimeoutMs: number | undefined;
  /** A streamed bulk upload that sends nothing for this long is cut (it holds an upstream connection). */
  uploadIdleTimeoutMs: number;
}

/** The request headers the daemon receives, plus `extra` (a hijack adds its own Connection/Upgrade). */
export function buildUpstreamHeaders(exchange: Exchange, extra: readonly string[] = []): string[] {
  const headers = stripHopByHop(exchange.req.rawHeaders, RECOMPUTED_REQUEST_HEADERS);
  headers.push('X-Request-Id', exchange.id);
  if (exchange.trace) headers.push('traceparent', formatTraceparent(exchange.trace));
  const { body } = exchange;
  // A bodyless request states its empty body: left alone, node:http would frame a POST as chunked,
  // which dockerd reads as a body (start then fails with "non-empty request body"; pinned by
  // test/proxy/forward.test.ts).
  if (body.kind === 'none' && !BODYLESS_BY_DEFAULT.has(exchange.req.method ?? '')) headers.push('Content-Length', '0');
  if (body.kind === 'buffered') headers.push('Content-Length', String(body.data.length));
  else if (body.kind === 'stream') {
    // Keep the client's declared length; without one node:http sends the body chunked.
    const length = exchange.req.headers['content-length'];
    if (length !== undefined) headers.push('Content-Length', length);
  }
  headers.push(...extra);
  return headers;
}

/** The response headers the client receives. */
export function buildClientHeaders(exchange: Exchange, upstreamRaw: readonly string[]): string[] {
  const headers = stripHopByHop(upstreamRaw, RECOMPUTED_RESPONSE_HEADERS);
  headers.push('X-Request-Id', exchange.id);
  return headers;
}

/** Sends the judged body (or none) on an upstream request. */
export function sendBody(exchange: Exchange, upstreamReq: ClientRequest, uploadIdleTimeoutMs?: number): void {
  const { body, req } = exchange;
  if (body.kind === 'buffered') upstreamReq.end(body.data);
  else if (body.kind !== 'stream') upstreamReq.end();
  else {
    if (uploadIdleTimeoutMs !== undefined) {
      // Pinned by test/proxy/request-body.test.ts ("cuts a bulk upload that stalls").
      const idle = setTimeout(() => exchange.abort(), uploadIdleTimeoutMs);
      req.on('data', () => idle.refresh());
      req.once('close', () => clearTimeout(idle));
    }
    req.pipe(upstreamReq);
  }
}

function hasResponseBody(exchange: Exchange, status: number): boolean {
  return exchange.req.method !== 'HEAD' && status !== 204 && status !== 304 && !(status >= 100 && status < 200);
}

/**
 * Relays an upstream response to the client, unbuffered. On a raw (Upgrade) connection it is written
 * as plain HTTP, close-delimited, and the connection is closed: this is also how a hijack the daemon
 * declined is answered.
 */
export function relayResponse(exchange: Exchange, upstreamRes: IncomingMessage): void {
  const status = upstreamRes.statusCode ?? 502;
  recordResult(exchange, status);
  const headers = buildClientHeaders(exchange, upstreamRes.rawHeaders);
  const framed =
    rawHeaderValue(upstreamRes.rawHeaders, 'content-length') !== undefined ||
    rawHeaderValue(upstreamRes.rawHeaders, 'transfer-encoding') !== undefined;
  upstreamRes.on('data', (chunk: Buffer) => {
    exchange.result!.bytes += chunk.length;
  });
  const { channel } = exchange;
  if (channel.kind === 'socket') {
    // An Upgrade request on a route we do not tunnel, or a hijack the daemon declined: answer as
    // plain HTTP, close-delimited, then close. The bytes the client sent after it are never read.
    channel.socket.write(formatResponseHead(status, upstreamRes.statusMessage, [...headers, 'Connection', 'close']));
    if (!hasResponseBody(exchange, status)) {
      upstreamRes.resume();
      closeSocketAfterWrite(channel.socket);
      return;
    }
    upstreamRes.pipe(channel.socket, { end: false });
    upstreamRes.on('end', () => closeSocketAfterWrite(channel.socket));
    upstreamRes.on('close', () => {
      if (!upstreamRes.complete) channel.socket.destroy();
    });
    return;
  }
  const { res } = channel;
  // A response without length or chunking (the daemon's raw stream of a non-upgraded attach or exec
  // start) ends when the connection closes: relay it the same way instead of re-chunking it.
  if (!framed && hasResponseBody(exchange, status)) res.useChunkedEncodingByDefault = false;
  res.writeHead(status, upstreamRes.statusMessage, headers);
  // Streams (events, logs -f) must show their headers before the first chunk arrives.
  if (!framed || exchange.route.streaming) res.flushHeaders();
  upstreamRes.pipe(res);
  upstreamRes.on('close', () => {
    // The daemon died mid-stream: cut the client off rather than end cleanly, so it cannot mistake a
    // truncated body for a complete one.
    if (!upstreamRes.complete) res.destroy();
  });
}

function clientGone(exchange: Exchange): boolean {
  const { channel } = exchange;
  return channel.kind === 'socket' ? channel.socket.destroyed : channel.res.destroyed;
}

export function forward(exchange: Exchange, upstream: Upstream, options: ForwardOptions): Promise<void> {
  return new Promise((resolve) => {
    // Responses that may be rewritten are buffered and judged (response-filter.ts).
    const responsePolicy = responsePolicyFor(exchange);
    const headers = buildUpstreamHeaders(exchange);
    const upstreamReq = upstream.request({
      method: exchange.req.method ?? 'GET',
      path: upstreamTargetOf(exchange),
      headers: responsePolicy ? removeHeaders(headers, FILTERED_REQUEST_HEADERS) : headers,
    });
    // waiting: nothing sent to the client yet; filtering: the daemon's response is being buffered
    // for the response filter (still nothing sent); relaying: the daemon's response is being relayed;
    // answered: we answered ourselves (502/504) or from the filtered body.
    let state: 'waiting' | 'filtering' | 'relaying' | 'answered' = 'waiting';
    let upstreamComplete = false;
    let timer: NodeJS.Timeout | undefined;
    const clientSide = exchange.channel.kind === 'socket' ? exchange.channel.socket : exchange.channel.res;
    const onClientClose = () => {
      // The exchange is over. If the daemon is still sending (the client went away mid-stream),
      // tear the upstream request down; a completed one has already gone back to the pool.
      if (!upstreamComplete) upstreamReq.destroy();
      clearTimeout(timer);
      resolve();
    };
    clientSide.once('close', onClientClose);
    exchange.abort = () => {
      upstreamReq.destroy();
      clientSide.destroy();
    };
    if (options.requestTimeoutMs !== undefined && !exchange.route.streaming) {
      timer = setTimeout(() => {
        if (state === 'waiting' || state === 'filtering') {
          state = 'answered';
          sendReply(exchange, dockerError(504, MESSAGES.timedOut, 'upstream_request_timeout'));
        } else clientSide.destroy();
        upstreamReq.destroy();
      }, options.requestTimeoutMs);
    }
    upstreamReq.on('response', (upstreamRes) => {
      if (state !== 'waiting') {
        upstreamRes.destroy();
        return;
      }
      upstreamRes.once('end', () => {
        upstreamComplete = true;
        clearTimeout(timer);
      });
      if (responsePolicy !== undefined && isFilteredStatus(upstreamRes.statusCode ?? 0)) {
        state = 'filtering';
        void collectResponse(upstreamRes).then((collected) => {
          if (state !== 'filtering') return;
          state = 'answered';
          clearTimeout(timer);
          if (collected.kind === 'overflow') upstreamReq.destroy();
          const clientHeaders = buildClientHeaders(exchange, upstreamRes.rawHeaders);
          sendFilteredResponse(exchange, upstreamRes, collected, responsePolicy, clientHeaders);
        });
        return;
      }
      state = 'relaying';
      relayResponse(exchange, upstreamRes);
    });
    upstreamReq.on('error', () => {
      if ((state === 'waiting' || state === 'filtering') && !clientGone(exchange)) {
        state = 'answered';
        sendReply(exchange, dockerError(502, MESSAGES.unreachable, 'upstream_socket_unreachable'));
      } else if (state === 'relaying') clientSide.destroy();
    });
    sendBody(exchange, upstreamReq, options.uploadIdleTimeoutMs);
  });
}
