/**
 * The caller's container for `clients.container_labels` (sockguard-config.md §9): the daemon's
 * `GET /containers/json`, searched for the client's source address by the core
 * (findContainerByIp), behind the core's ClientLookupCache (10 s per address, concurrent misses
 * share one lookup, failures never cached). Any failure — daemon down, non-200, garbled list — is a
 * CallerLookupError, which the client stage answers 502 `client label ACL lookup failed`.
 */
import { ClientLookupCache } from '../policy/clients/client-lookup-cache.js';
import { ContainerListError, findContainerByIp, type CallerContainer } from '../policy/clients/find-container-by-ip.js';
import { DaemonRequestError, LOOKUP_TIMEOUT_MS, requestFromDaemon } from './daemon-request.js';
import type { Upstream } from './upstream.js';

/** Room for thousands of containers; a list beyond it is refused rather than buffered. */
const MAX_CONTAINER_LIST_BYTES = 32 * 1024 * 1024;

export class CallerLookupError extends Error {}

export type CallerLookup = (clientIp: string) => Promise<CallerContainer | undefined>;

async function lookUpCaller(upstream: Upstream, clientIp: string): Promise<CallerContainer | undefined> {
  try {
    const answer = await requestFromDaemon(
      upstream,
      { method: 'GET', path: '/containers/json' },
      { timeoutMs: LOOKUP_TIMEOUT_MS, maxBytes: MAX_CONTAINER_LIST_BYTES },
    );
    if (answer.status !== 200) throw new CallerLookupError(`the daemon answered ${answer.status}`);
    return findContainerByIp(JSON.parse(answer.body.toString('utf8')) as unknown, clientIp);
  } catch (error) {
    if (error instanceof DaemonRequestError || error instanceof ContainerListError || error instanceof SyntaxError) {
      throw new CallerLookupError(error.message);
    }
    throw error;
  }
}

/** One cache per proxy: container addresses do not depend on the policy version. */
export function createCallerLookup(upstream: Upstream, now: () => number = () => performance.now()): CallerLookup {
  const cache = new ClientLookupCache<CallerContainer | undefined>({
    resolve: (clientIp) => lookUpCaller(upstream, clientIp),
    now,
  });
  return (clientIp) => cache.lookup(clientIp);
}
