/**
 * Turns what a listener receives (a request, an Upgrade request, a CONNECT, a malformed request)
 * into an Exchange and takes it through canonicalisation, the stages and the forwarder.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { canonicalRequest, TargetError, type CanonicalRequest } from '../policy/canonical-path.js';
import { closeSocketAfterWrite, formatResponseHead, sendReply } from './client-response.js';
import type { ClientChannel, Exchange, ListenerInfo } from './exchange.js';
import { forward } from './forward.js';
import { tunnel } from './hijack.js';
import { runStages, type Stage } from './pipeline.js';
import type { PolicyStore } from './policy-store.js';
import { dockerError } from './reply.js';
import { classifyRoute, type RouteClass } from './route-class.js';
import { parseTraceparent } from './trace-context.js';
import type { Upstream } from './upstream.js';

export interface ExchangeObserver {
  /** Called once per exchange as it arrives. */
  started?(exchange: Exchange): void;
  /** Called once per exchange when its client connection is done with it. */
  finished(exchange: Exchange): void;
  /** A stage or the forwarder threw: a bug, answered with 500. */
  failed(exchange: Exchange, error: unknown): void;
}

export interface RequestHandlerOptions {
  store: PolicyStore;
  upstream: Upstream;
  stages: readonly Stage[];
  /** upstream.request_timeout of the current policy, in ms (undefined = off). */
  requestTimeoutMs: (exchange: Exchange) => number | undefined;
  /** Idle limit for streamed bulk uploads. */
  uploadIdleTimeoutMs: number;
  observer: ExchangeObserver;
  /** Exchanges in flight, for draining on shutdown. */
  inFlight: Set<Exchange>;
}

const NO_ROUTE: RouteClass = { hijack: undefined, streaming: false, unbounded: false, bulkUpload: false };

/** A stand-in for a request-target we refused: only ever logged, never forwarded. */
function refusedTarget(raw: string): CanonicalRequest {
  return { rawPath: raw, decodedPath: raw, normalizedPath: '', forwardTarget: '' };
}

export function createRequestHandler(listener: ListenerInfo, options: RequestHandlerOptions) {
  const { store, upstream, stages, observer, inFlight } = options;

  async function handle(req: IncomingMessage, channel: ClientChannel): Promise<void> {
    let target: CanonicalRequest;
    let refusal: TargetError | undefined;
    try {
      target = canonicalRequest(req.url ?? '');
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      refusal = error;
      target = refusedTarget(req.url ?? '');
    }
    const method = req.method ?? '';
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const clientRequestId = req.headers['x-request-id'];
    const exchange: Exchange = {
      id: randomUUID(),
      clientRequestId: typeof clientRequestId === 'string' ? clientRequestId : undefined,
      trace: parseTraceparent(typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined),
      req,
      channel,
      listener,
      policy: store.current,
      target,
      targetRefusal: refusal?.message,
      route: refusal ? NO_ROUTE : classifyRoute(method, target.normalizedPath, target.rawQuery),
      startedAt: performance.now(),
      client: undefined,
      profile: undefined,
      wouldDeny: undefined,
      body: { kind: 'pending' },
      pendingClientBytes: Buffer.alloc(0),
      rules: undefined,
      result: undefined,
      abort: () => (channel.kind === 'socket' ? channel.socket.destroy() : channel.res.destroy()),
      closed,
    };
    inFlight.add(exchange);
    observer.started?.(exchange);
    const clientSide = channel.kind === 'socket' ? channel.socket : channel.res;
    clientSide.once('close', () => {
      inFlight.delete(exchange);
      markClosed();
      observer.finished(exchange);
    });
    try {
      const reply = await runStages(stages, exchange);
      if (reply !== undefined) sendReply(exchange, reply);
      else if (exchange.route.hijack !== undefined && channel.kind === 'socket') await tunnel(exchange, upstream);
      else {
        await forward(exchange, upstream, {
          requestTimeoutMs: options.requestTimeoutMs(exchange),
          uploadIdleTimeoutMs: options.uploadIdleTimeoutMs,
        });
      }
    } catch (error) {
      observer.failed(exchange, error);
      sendReply(exchange, dockerError(500, 'internal proxy error', 'internal_error'));
    }
  }

  return {
    onRequest(req: IncomingMessage, res: ServerResponse): void {
      void handle(req, { kind: 'response', res });
    },
    /** Upgrade requests and CONNECT: Node hands over the raw socket. */
    onRawSocket(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      socket.pause();
      void handle(req, { kind: 'socket', socket, head });
    },
    /** Requests Node's parser refused (CL+TE, bad method, bare LF, header overflow, header timeout). */
    onClientError(error: Error & { code?: string }, socket: Duplex): void {
      // Never write into a response already under way on this connection (Node's own rule).
      const inProgress = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
      if (!socket.writable || socket.destroyed || error.code === 'ECONNRESET' || inProgress?.headersSent) {
        socket.destroy();
        return;
      }
      const [status, message] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'request headers too large']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request headers not received in time']
            : [400, 'malformed HTTP request'];
      const payload = JSON.stringify({ message }) + '\n';
      socket.write(
        formatResponseHead(status, undefined, [
          'Content-Type',
          'application/json',
          'Content-Length',
          String(Buffer.byteLength(payload)),
          'Connection',
          'close',
        ]) + payload,
      );
      closeSocketAfterWrite(socket);
    },
  };
}
