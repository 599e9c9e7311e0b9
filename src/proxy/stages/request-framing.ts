/**
 * Framing checks that run before anything is judged or read (security-notes.md §7, §9). Node's
 * parser already refuses CL+TE, duplicate lengths, bare LF and lower-case methods; what is left:
 *  - a body on GET or HEAD: dockerd ignores it, a second parser may not — refuse, never drop it;
 *  - a chunked body on an Upgrade request: Node hands such a request over unparsed, and we read
 *    upgrade bodies only by Content-Length;
 *  - a form-encoded body: dockerd reads form values from it and lets them override the query string
 *    (D9), so what was judged would not be what runs. No official client sends one.
 * Pinned by test/proxy/request-framing.test.ts.
 */
import type { Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';

const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

export function declaredBodyLength(exchange: Exchange): number | undefined {
  const header = exchange.req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

export function hasRequestBody(exchange: Exchange): boolean {
  return exchange.req.headers['transfer-encoding'] !== undefined || (declaredBodyLength(exchange) ?? 0) > 0;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function checkFraming(exchange: Exchange): StageResult {
  const { req } = exchange;
  if (BODYLESS_METHODS.has(req.method ?? '') && hasRequestBody(exchange)) {
    return dockerError(400, `a ${req.method} request must not carry a body`, 'request_framing_invalid');
  }
  if (exchange.channel.kind === 'socket' && req.headers['transfer-encoding'] !== undefined) {
    return dockerError(400, 'an Upgrade request must not use a chunked body', 'request_framing_invalid');
  }
  if (mediaType(req.headers['content-type']) === 'application/x-www-form-urlencoded' && hasRequestBody(exchange)) {
    return dockerError(
      400,
      'form-encoded request bodies are not accepted: the daemon would read parameters from them',
      'request_framing_invalid',
    );
  }
  return undefined;
}

export const requestFramingStage: Stage = { name: 'request-framing', run: checkFraming };
