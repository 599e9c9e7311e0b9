/**
 * Judge, then read (security-notes.md §2.6, §7). The body is read only after the rules allowed the
 * request, and, for every route except bulk uploads, read completely into memory before the daemon
 * is contacted: no upstream connection waits on a slow client, the daemon receives exactly one body
 * with a correct Content-Length, and later stages (body inspection) see the whole thing.
 *  - `Expect: 100-continue` is answered here, after judging: Node would otherwise answer it itself
 *    before the rules ran (the server installs a checkContinue handler; CVE-2024-24791 shape).
 *  - Over MAX_BUFFERED_BODY_BYTES (declared or while a chunked body streams) => 413, nothing sent.
 *  - Slower than BODY_READ_TIMEOUT_MS => 408, nothing sent.
 * Bulk uploads (archive upload, image load/import, build context) are piped after judging.
 * Pinned by test/proxy/request-body.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { expectsContinue, type Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError, MESSAGES } from '../reply.js';
import { declaredBodyLength, hasRequestBody } from './request-framing.js';

export const MAX_BUFFERED_BODY_BYTES = 4 * 1024 * 1024;
export const BODY_READ_TIMEOUT_MS = 30_000;

export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

type ReadFailure = 'too-large' | 'timeout' | 'aborted';

export class BodyReadError extends Error {
  constructor(readonly failure: ReadFailure) {
    super(failure);
  }
}

/** Reads a whole request body within the limits (rejects with BodyReadError). */
export function readRequestStream(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (error?: BodyReadError) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, total));
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.maxBytes) finish(new BodyReadError('too-large'));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onClose = () => finish(new BodyReadError('aborted'));
    const timer = setTimeout(() => finish(new BodyReadError('timeout')), limits.timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/**
 * Reads exactly `length` body bytes from a hijackable connection (Node does not parse the body of an
 * Upgrade request): the bytes after them stay pending and only ever enter an established tunnel.
 */
export function readSocketBody(
  socket: Duplex,
  head: Buffer,
  length: number,
  limits: BodyLimits,
): Promise<{ body: Buffer; rest: Buffer }> {
  if (length > limits.maxBytes) return Promise.reject(new BodyReadError('too-large'));
  let buffered = head;
  const split = () => ({ body: buffered.subarray(0, length), rest: buffered.subarray(length) });
  if (buffered.length >= length) return Promise.resolve(split());
  return new Promise((resolve, reject) => {
    const finish = (error?: BodyReadError) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      if (error) reject(error);
      else resolve(split());
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= length) finish();
    };
    const onClose = () => finish(new BodyReadError('aborted'));
    const timer = setTimeout(() => finish(new BodyReadError('timeout')), limits.timeoutMs);
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.resume();
  });
}

/** Answers `Expect: 100-continue` (only ever after the request was judged). */
export function sendContinue(exchange: Exchange): void {
  if (!expectsContinue(exchange)) return;
  if (exchange.channel.kind === 'response') exchange.channel.res.writeContinue();
  else exchange.channel.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
}

function failureReply(failure: ReadFailure): StageResult {
  if (failure === 'too-large') return dockerError(413, MESSAGES.bodyTooLarge, 'request_body_too_large');
  if (failure === 'timeout') return dockerError(408, 'request body read timed out', 'request_body_timeout');
  return dockerError(400, 'client closed the connection while sending the request body', 'request_body_aborted');
}

/**
 * How one request's body is read: buffered whole (and judged later) up to `maxBytes`, or streamed to
 * the daemon once the request is judged. Later stages that inspect bodies choose per route here.
 */
export type BodyPlan = { readonly mode: 'buffer'; readonly maxBytes: number } | { readonly mode: 'stream' };

/** Buffer everything up to `maxBytes`, except bulk uploads on a normal connection, which stream. */
export function planByRouteClass(maxBytes: number): (exchange: Exchange) => BodyPlan {
  return (exchange) =>
    exchange.route.bulkUpload && exchange.channel.kind === 'response'
      ? { mode: 'stream' }
      : { mode: 'buffer', maxBytes };
}

export interface RequestBodyOptions {
  timeoutMs: number;
  plan: (exchange: Exchange) => BodyPlan;
}

/** Reads (or plans to stream) a request's body within its plan's limits. */
async function readBody(exchange: Exchange, options: RequestBodyOptions): Promise<StageResult> {
  const { channel } = exchange;
  const plan = options.plan(exchange);
  const declared = declaredBodyLength(exchange);
  if (plan.mode === 'buffer' && declared !== undefined && declared > plan.maxBytes) return failureReply('too-large');
  try {
    sendContinue(exchange);
    if (plan.mode === 'stream') {
      exchange.body = { kind: 'stream' };
      return undefined;
    }
    const limits = { maxBytes: plan.maxBytes, timeoutMs: options.timeoutMs };
    if (channel.kind === 'socket') {
      const { body, rest } = await readSocketBody(channel.socket, channel.head, declared ?? 0, limits);
      exchange.body = { kind: 'buffered', data: body };
      exchange.pendingClientBytes = rest;
      return undefined;
    }
    exchange.body = { kind: 'buffered', data: await readRequestStream(exchange.req, limits) };
    return undefined;
  } catch (error) {
    if (error instanceof BodyReadError) return failureReply(error.failure);
    throw error;
  }
}

export function createRequestBodyStage(options: RequestBodyOptions): Stage {
  return {
    name: 'request-body',
    // Synchronous for bodyless requests (most of them): only reading a body is awaited.
    run(exchange: Exchange): StageResult | Promise<StageResult> {
      const { channel } = exchange;
      if (!hasRequestBody(exchange)) {
        exchange.body = { kind: 'none' };
        if (channel.kind === 'socket') exchange.pendingClientBytes = channel.head;
        return undefined;
      }
      return readBody(exchange, options);
    },
  };
}
