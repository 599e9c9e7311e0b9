/**
 * Rate and concurrency limits (sockguard-config.md §9, §17): after /health, /ready and /metrics,
 * before the in-band admin API and the rules, so denied requests still spend tokens. One
 * ClientThrottle for the proxy's lifetime, reconfigured when a newer policy version arrives (it
 * carries in-flight counts and unchanged buckets over). An admitted request's slots go back exactly
 * once, when its exchange closes however it ends (exchange.closed). Refusals are the core's 429
 * bodies (Retry-After for rate_limit_exceeded); under a warn/audit profile they are forwarded as
 * would_deny. Pinned by test/proxy/stages/rate-limit.test.ts.
 */
import { ClientThrottle, clientKeyOf } from '../../policy/clients/client-throttle.js';
import type { Exchange } from '../exchange.js';
import type { ProxyMetrics } from '../metrics.js';
import type { Stage, StageResult } from '../pipeline.js';
import type { ActivePolicy } from '../policy-store.js';
import { refusalReply } from '../refusal-reply.js';
import { profileModeOf, recordWouldDeny } from '../rollout-mode.js';

export interface RateLimitOptions {
  readonly metrics: ProxyMetrics;
  /** Monotonic milliseconds; a fake in tests. */
  readonly now?: () => number;
}

/** The throttle's view of the policy in force: configured once per newer version. */
function throttleSource(now: () => number) {
  let throttle: ClientThrottle | undefined;
  let version = 0;
  return (active: ActivePolicy): ClientThrottle => {
    if (throttle === undefined) throttle = new ClientThrottle(active.requests.clients, { now });
    else if (active.version > version) throttle.configure(active.requests.clients);
    version = Math.max(version, active.version);
    return throttle;
  };
}

export function createRateLimitStage(options: RateLimitOptions): Stage {
  const { metrics } = options;
  const throttleFor = throttleSource(options.now ?? (() => performance.now()));
  return {
    name: 'rate-limit',
    run(exchange: Exchange): StageResult {
      const profile = exchange.profile ?? 'default';
      const admission = throttleFor(exchange.policy).admit({
        profile: exchange.profile,
        clientKey: clientKeyOf(exchange.client ?? {}),
        method: exchange.req.method ?? '',
        normalizedPath: exchange.target.normalizedPath,
      });
      if (!admission.ok) {
        metrics.throttled.inc({ mode: 'enforce', profile, reason_code: admission.reasonCode });
        return refusalReply(admission);
      }
      metrics.inflightByProfile.inc({ profile });
      void exchange.closed.then(() => {
        admission.release();
        metrics.inflightByProfile.dec({ profile });
      });
      const mode = profileModeOf(exchange);
      if (admission.wouldDeny !== undefined && mode !== 'enforce') {
        metrics.throttled.inc({ mode, profile, reason_code: admission.wouldDeny.reasonCode });
        recordWouldDeny(exchange, mode, refusalReply(admission.wouldDeny));
      }
      return undefined;
    },
  };
}
