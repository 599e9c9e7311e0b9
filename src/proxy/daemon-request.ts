/**
 * A request the proxy itself sends to the daemon (exec start re-check, owner lookups, owner volume
 * creation), over the proxy's upstream pool, bounded in time and in answer size. Any failure to get
 * a complete answer rejects with DaemonRequestError; the caller decides what a status means.
 */
import type { DaemonLookup } from '../policy/ownership/authorize-owned-request.js';
import type { Upstream } from './upstream.js';

/** Lookups made while a client waits (owner and visibility checks) give up after this long. */
export const LOOKUP_TIMEOUT_MS = 5_000;

export class DaemonRequestError extends Error {}

export interface DaemonRequest {
  readonly method: 'GET' | 'POST';
  /** Encoded request-target. */
  readonly path: string;
  /** Sent as application/json. */
  readonly body?: Uint8Array;
}

export interface DaemonAnswer {
  readonly status: number;
  readonly body: Buffer;
}

export interface DaemonRequestLimits {
  readonly timeoutMs: number;
  /** A larger answer is a failure, not truncated. */
  readonly maxBytes: number;
}

export function requestFromDaemon(
  upstream: Upstream,
  request: DaemonRequest,
  limits: DaemonRequestLimits,
): Promise<DaemonAnswer> {
  return new Promise((resolve, reject) => {
    const headers = ['Host', 'docker'];
    if (request.body !== undefined) {
      headers.push('Content-Type', 'application/json', 'Content-Length', String(request.body.length));
    }
    const req = upstream.request({ method: request.method, path: request.path, headers });
    const fail = (problem: string) => {
      req.destroy();
      reject(new DaemonRequestError(problem));
    };
    req.setTimeout(limits.timeoutMs, () => fail(`no answer within ${limits.timeoutMs} ms`));
    req.on('error', (error) => fail(error.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxBytes) fail('the answer is too large');
        else chunks.push(chunk);
      });
      res.on('error', (error) => fail(error.message));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, total) }));
    });
    req.end(request.body);
  });
}

/**
 * `GET <path>` for the policy core's lookups (owner and visibility checks): an inspect larger than
 * `maxBytes` is not one we can read. Rejects with DaemonRequestError.
 */
export function createDaemonLookup(upstream: Upstream, maxBytes: number): DaemonLookup {
  return (path) => requestFromDaemon(upstream, { method: 'GET', path }, { timeoutMs: LOOKUP_TIMEOUT_MS, maxBytes });
}
