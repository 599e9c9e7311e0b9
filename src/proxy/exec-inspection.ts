/**
 * The exec start re-check asks the daemon what an exec instance will run (GET /exec/{id}/json), over
 * the proxy's own upstream pool, before the start is forwarded (security-notes.md §15.4).
 */
import { getFromUpstream, UpstreamGetError } from './upstream-get.js';
import type { Upstream } from './upstream.js';

/** The lookup gives up after this long. */
export const EXEC_LOOKUP_TIMEOUT_MS = 10_000;
/** A real exec inspect is well under 1 KiB; anything far larger is not one. */
const MAX_EXEC_INSPECT_BYTES = 1024 * 1024;

export class ExecLookupError extends Error {}

/** The daemon's exec inspect body for `execId` (rejects with ExecLookupError on any failure). */
export async function fetchExecInspection(
  upstream: Upstream,
  execId: string,
  timeoutMs = EXEC_LOOKUP_TIMEOUT_MS,
): Promise<Buffer> {
  try {
    return await getFromUpstream(upstream, `/exec/${encodeURIComponent(execId)}/json`, {
      timeoutMs,
      maxBytes: MAX_EXEC_INSPECT_BYTES,
    });
  } catch (error) {
    if (error instanceof UpstreamGetError) throw new ExecLookupError(error.message);
    throw error;
  }
}
