/**
 * The exec start re-check asks the daemon what an exec instance will run (GET /exec/{id}/json), over
 * the proxy's own upstream pool, before the start is forwarded (security-notes.md §15.4).
 */
import type { Upstream } from './upstream.js';

/** The lookup gives up after this long. */
export const EXEC_LOOKUP_TIMEOUT_MS = 10_000;
/** A real exec inspect is well under 1 KiB; anything far larger is not one. */
const MAX_EXEC_INSPECT_BYTES = 1024 * 1024;

export class ExecLookupError extends Error {}

/** The daemon's exec inspect body for `execId` (rejects with ExecLookupError on any failure). */
export function fetchExecInspection(
  upstream: Upstream,
  execId: string,
  timeoutMs = EXEC_LOOKUP_TIMEOUT_MS,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = upstream.request({
      method: 'GET',
      path: `/exec/${encodeURIComponent(execId)}/json`,
      headers: ['Host', 'docker'],
    });
    const fail = (problem: string) => {
      req.destroy();
      reject(new ExecLookupError(problem));
    };
    req.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    req.on('error', (error) => fail(error.message));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_EXEC_INSPECT_BYTES) fail('the answer is too large');
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
