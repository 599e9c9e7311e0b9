/**
 * Rate and concurrency limits per request (sockguard-config.md §9), in the Go proxy's order: the
 * profile's token bucket (before the rule filter, so denied requests still spend tokens), then the
 * global priority floor, then the per-client concurrency cap. Refusals are 429 with the reference
 * bodies; under a warn/audit profile they are returned as `wouldDeny` and the request goes on (the
 * global slot is still taken, so dashboards show real concurrency; the per-client slot is not).
 *
 * Keys: each profile has its own buckets and counters, keyed by the caller's client key (see
 * clientKeyOf), so clients sharing a profile do not share a budget. Requests under the root policy
 * have no per-profile limits but do count against the global cap at normal priority.
 *
 * `configure` swaps in a reloaded policy without forgetting what is in flight: counters and the
 * buckets of profiles whose rate is unchanged carry over, and every admission releases into the
 * counters it was counted in.
 */
import type { ClientRefusal } from './client-refusal.js';
import type { ClientIdentity } from './resolve-profile.js';
import type { ClientProfile, CompiledClients } from './compile-clients.js';
import { costOf } from './endpoint-costs.js';
import { InflightCounter, priorityThreshold } from './inflight.js';
import { formatIpAddress, parseClientIp } from './ip-address.js';
import type { ProfileMode } from './profile-mode.js';
import { DEFAULT_MAX_BUCKETS, TokenBuckets } from './token-buckets.js';

export interface ThrottleRequest {
  /** Resolved profile; undefined for the root policy. */
  readonly profile: string | undefined;
  /** Which client within the profile (clientKeyOf). */
  readonly clientKey: string;
  readonly method: string;
  readonly normalizedPath: string;
}

export type ThrottleAdmission =
  | {
      readonly ok: true;
      /** Call once when the exchange is over; later calls do nothing. */
      readonly release: () => void;
      /** The last limit that would have refused the request, under a warn/audit profile. */
      readonly wouldDeny?: ClientRefusal;
    }
  | ClientRefusal;

export interface ThrottleOptions {
  /** Monotonic milliseconds (performance.now in the proxy, a fake in tests). */
  readonly now: () => number;
  readonly maxBucketsPerProfile?: number;
}

interface ProfileState {
  readonly profile: ClientProfile;
  readonly buckets: TokenBuckets | undefined;
  readonly inflight: InflightCounter;
}

const GLOBAL_KEY = 'global';

/** The bucket and counter key of a client: certificate key, unix uid, or source address. */
export function clientKeyOf(identity: ClientIdentity): string {
  if (identity.certificate) return `spki:${identity.certificate.spkiSha256.toLowerCase()}`;
  if (identity.unixPeer !== undefined && identity.unixPeer !== 'unreadable') return `uid:${identity.unixPeer.uid}`;
  const ip = parseClientIp(identity.sourceIp);
  return ip ? `ip:${formatIpAddress(ip)}` : 'anonymous';
}

export type ThrottleReasonCode = 'rate_limit_exceeded' | 'concurrency_cap' | 'priority_floor';
export const THROTTLE_REASON_CODES: ReadonlySet<string> = new Set<ThrottleReasonCode>([
  'rate_limit_exceeded',
  'concurrency_cap',
  'priority_floor',
]);

function throttled(reason: ThrottleReasonCode, text: string): ClientRefusal {
  return { ok: false, status: 429, body: { reason }, reasonCode: reason, reason: text, alwaysEnforced: false };
}

function rateLimited(retryAfterSeconds: number): ClientRefusal {
  return {
    ...throttled('rate_limit_exceeded', 'rate limit exceeded'),
    body: { reason: 'rate_limit_exceeded', retry_after_seconds: retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  };
}

export class ClientThrottle {
  readonly #now: () => number;
  readonly #maxBuckets: number;
  readonly #global = new InflightCounter();
  #globalMax: number | undefined;
  #profiles = new Map<string, ProfileState>();

  constructor(clients: CompiledClients, options: ThrottleOptions) {
    this.#now = options.now;
    this.#maxBuckets = options.maxBucketsPerProfile ?? DEFAULT_MAX_BUCKETS;
    this.configure(clients);
  }

  configure(clients: CompiledClients): void {
    const next = new Map<string, ProfileState>();
    for (const [name, profile] of clients.profiles) {
      const previous = this.#profiles.get(name);
      const rate = profile.limits.rate;
      const sameRate =
        rate !== undefined &&
        previous?.buckets?.settings.tokensPerSecond === rate.tokensPerSecond &&
        previous.buckets.settings.burst === rate.burst;
      const buckets =
        rate === undefined ? undefined : sameRate ? previous!.buckets : new TokenBuckets(rate, this.#maxBuckets);
      next.set(name, { profile, buckets, inflight: previous?.inflight ?? new InflightCounter() });
    }
    this.#profiles = next;
    this.#globalMax = clients.globalMaxInflight;
  }

  /** Requests in flight under `profile` (all its clients), for the sockguard_inflight_requests gauge. */
  inflight(profile: string): number {
    return this.#profiles.get(profile)?.inflight.total() ?? 0;
  }

  globalInflight(): number {
    return this.#global.count(GLOBAL_KEY);
  }

  admit(request: ThrottleRequest): ThrottleAdmission {
    const state = request.profile === undefined ? undefined : this.#profiles.get(request.profile);
    const mode: ProfileMode = state?.profile.mode ?? 'enforce';
    const limits = state?.profile.limits;
    let wouldDeny: ClientRefusal | undefined;

    if (state?.buckets && limits?.rate) {
      const cost = costOf(limits.rate.endpointCosts, request.method, request.normalizedPath);
      const taken = state.buckets.take(request.clientKey, cost, this.#now());
      if (!taken.ok) {
        const refusal = rateLimited(taken.retryAfterSeconds);
        if (mode === 'enforce') return refusal;
        wouldDeny = refusal;
      }
    }

    const global = this.#global;
    let holdsGlobal = false;
    if (this.#globalMax !== undefined) {
      const threshold = priorityThreshold(limits?.priority ?? 'normal', this.#globalMax);
      holdsGlobal = global.tryAcquire(GLOBAL_KEY, threshold);
      if (!holdsGlobal) {
        const refusal = throttled('priority_floor', 'priority floor exceeded');
        if (mode === 'enforce') return refusal;
        global.acquire(GLOBAL_KEY);
        holdsGlobal = true;
        wouldDeny = refusal;
      }
    }

    let heldBy: InflightCounter | undefined;
    if (state && limits?.maxInflight !== undefined) {
      if (state.inflight.tryAcquire(request.clientKey, limits.maxInflight)) {
        heldBy = state.inflight;
      } else {
        const refusal = throttled('concurrency_cap', 'concurrency cap exceeded');
        if (mode === 'enforce') {
          if (holdsGlobal) global.release(GLOBAL_KEY);
          return refusal;
        }
        wouldDeny = refusal;
      }
    }

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (holdsGlobal) global.release(GLOBAL_KEY);
      heldBy?.release(request.clientKey);
    };
    return wouldDeny ? { ok: true, release, wouldDeny } : { ok: true, release };
  }
}
