/**
 * Response redaction and visibility in serve (sockguard-config.md §7, security-notes.md §14). For a
 * plain (non-streaming, non-hijack; with or without an Upgrade header) request whose route redactResponse may rewrite under this
 * exchange's response policy, a successful answer is buffered up to MAX_FILTERED_RESPONSE_BYTES (one
 * byte more is read to detect overflow, then reading stops) and judged by the core: the daemon's
 * bytes as they were, a rewritten body (fresh Content-Length, no Content-Encoding), 404 for a hidden
 * resource, or 502 for a response that is too large, encoded, not JSON or of an unexpected shape.
 * Such requests are sent upstream without the client's Accept-Encoding: a compressed body could not be
 * read (it is rejected, never passed on). Every other response is relayed unbuffered by forward.ts.
 * Pinned by test/proxy/response-filter.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import {
  isRedactableRoute,
  redactResponse,
  REJECTED_MESSAGE,
  TOO_LARGE_MESSAGE,
  type ResponsePolicy,
} from '../policy/response/redact-response.js';
import { MAX_FILTERED_RESPONSE_BYTES } from '../policy/response/response-routes.js';
import { closeSocketAfterWrite, formatResponseHead, recordResult, sendReply } from './client-response.js';
import type { Exchange } from './exchange.js';
import { rawHeaderValue, removeHeaders } from './hop-by-hop.js';
import { dockerError, MESSAGES } from './reply.js';
import { selectResponsePolicy } from '../policy/response/response-scopes.js';

/** Request headers never sent upstream when the response may be rewritten. */
export const FILTERED_REQUEST_HEADERS: ReadonlySet<string> = new Set(['accept-encoding']);
/** Response headers that describe the daemon's bytes, not ours (Connection: we add our own on a raw socket). */
const REWRITTEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set(['content-length', 'content-encoding', 'connection']);

/** The response policy when this exchange's answer may have to be rewritten; undefined otherwise. */
export function responsePolicyFor(exchange: Exchange): ResponsePolicy | undefined {
  const { route, req } = exchange;
  // A plain read sent with an Upgrade header arrives on the raw socket and is answered there: it is
  // filtered all the same (pinned by response-filter.test.ts).
  if (route.streaming || route.hijack !== undefined || req.method === 'HEAD') return undefined;
  const policy = selectResponsePolicy(exchange.policy.response, exchange.profile);
  // The rules stage answers unknown profiles before anything is forwarded; reaching here is a bug.
  if (policy === undefined) throw new Error(`no response policy for client profile ${exchange.profile ?? ''}`);
  return isRedactableRoute(req.method ?? '', exchange.target.normalizedPath, policy) ? policy : undefined;
}

/** Whether a response with this status is buffered and judged (redactResponse passes others on). */
export function isFilteredStatus(status: number): boolean {
  return status >= 200 && status <= 299 && status !== 204 && status !== 205;
}

export type CollectedResponse = { kind: 'complete' | 'overflow'; body: Buffer } | { kind: 'aborted' };

/** Reads a response body up to MAX_FILTERED_RESPONSE_BYTES + 1 bytes: beyond that it stops reading (`overflow`). */
export function collectResponse(res: IncomingMessage): Promise<CollectedResponse> {
  const maxBytes = MAX_FILTERED_RESPONSE_BYTES;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (result: CollectedResponse) => {
      if (done) return;
      done = true;
      res.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      const room = maxBytes + 1 - total;
      chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
      total += Math.min(room, chunk.length);
      if (total > maxBytes) {
        res.pause();
        finish({ kind: 'overflow', body: Buffer.concat(chunks, total) });
      }
    };
    res.on('data', onData);
    res.once('end', () => finish({ kind: 'complete', body: Buffer.concat(chunks, total) }));
    res.once('close', () => finish({ kind: 'aborted' }));
  });
}

/** Answers the client from a buffered protected response. */
export function sendFilteredResponse(
  exchange: Exchange,
  upstreamRes: IncomingMessage,
  collected: CollectedResponse,
  policy: ResponsePolicy,
  clientHeaders: readonly string[],
): void {
  if (collected.kind === 'aborted') {
    sendReply(exchange, dockerError(502, MESSAGES.unreachable, 'upstream_socket_unreachable'));
    return;
  }
  if (collected.kind === 'overflow') {
    sendReply(exchange, {
      ...dockerError(502, TOO_LARGE_MESSAGE, 'visibility_response_too_large'),
      reason: `the response has more than ${MAX_FILTERED_RESPONSE_BYTES} bytes`,
    });
    return;
  }
  const status = upstreamRes.statusCode ?? 502;
  const contentType = rawHeaderValue(upstreamRes.rawHeaders, 'content-type');
  const encoding = rawHeaderValue(upstreamRes.rawHeaders, 'content-encoding');
  const route = { method: exchange.req.method ?? '', normalizedPath: exchange.target.normalizedPath };
  const outcome =
    encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && collected.body.length > 0
      ? undefined
      : redactResponse(route, status, contentType, collected.body, policy);
  if (outcome === undefined) {
    sendReply(exchange, {
      ...dockerError(502, REJECTED_MESSAGE, 'upstream_response_rejected_by_policy'),
      reason: `a protected response has Content-Encoding ${JSON.stringify(encoding)}`,
    });
    return;
  }
  if (outcome.kind === 'hidden') {
    sendReply(exchange, {
      ...dockerError(outcome.status, outcome.message, outcome.reasonCode),
      reason: outcome.message,
    });
    return;
  }
  if (outcome.kind === 'reject') {
    sendReply(exchange, {
      ...dockerError(outcome.status, outcome.message, outcome.reasonCode),
      reason: outcome.detail,
    });
    return;
  }
  const body = outcome.kind === 'rewritten' ? Buffer.from(outcome.body) : collected.body;
  const headers = [...removeHeaders(clientHeaders, REWRITTEN_RESPONSE_HEADERS), 'Content-Length', String(body.length)];
  recordResult(exchange, status);
  exchange.result!.bytes = body.length;
  const { channel } = exchange;
  if (channel.kind === 'socket') {
    if (channel.socket.destroyed) return;
    channel.socket.write(formatResponseHead(status, upstreamRes.statusMessage, [...headers, 'Connection', 'close']));
    channel.socket.write(body);
    closeSocketAfterWrite(channel.socket);
    return;
  }
  const { res } = channel;
  if (res.destroyed) return;
  res.writeHead(status, upstreamRes.statusMessage, headers);
  res.end(body);
}
