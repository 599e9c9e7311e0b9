/**
 * The exec start re-check asks the daemon what an exec instance will run (GET /exec/{id}/json), over
 * the proxy's own upstream pool, before the start is forwarded (security-notes.md §15.4).
 */
import { DaemonRequestError, requestFromDaemon } from './daemon-request.js';
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
  let answer;
  try {
    answer = await requestFromDaemon(
      upstream,
      { method: 'GET', path: `/exec/${encodeURIComponent(execId)}/json` },
      { timeoutMs, maxBytes: MAX_EXEC_INSPECT_BYTES },
    );
  } catch (error) {
    if (error instanceof DaemonRequestError) throw new ExecLookupError(error.message);
    throw error;
  }
  if (answer.status !== 200) throw new ExecLookupError(`the daemon answered ${answer.status}`);
  return answer.body;
}
