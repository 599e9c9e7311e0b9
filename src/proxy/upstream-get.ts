/**
 * A small GET the proxy itself makes to the daemon over its upstream pool (the exec start re-check,
 * the caller-container lookup for label ACLs): bounded in time and size, and any answer but 200 is a
 * failure, so a lookup can never read a daemon error as "nothing found".
 */
import type { Upstream } from './upstream.js';

export class UpstreamGetError extends Error {}

/** The 200 body of `GET path` (rejects with UpstreamGetError naming the problem). */
export function getFromUpstream(
  upstream: Upstream,
  path: string,
  limits: { timeoutMs: number; maxBytes: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = upstream.request({ method: 'GET', path, headers: ['Host', 'docker'] });
    const fail = (problem: string) => {
      req.destroy();
      reject(new UpstreamGetError(problem));
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
      res.on('end', () => {
        if (res.statusCode === 200) resolve(Buffer.concat(chunks, total));
        else fail(`the daemon answered ${res.statusCode ?? 0}`);
      });
    });
    req.end();
  });
}
