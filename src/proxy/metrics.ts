/**
 * Prometheus metrics with the Go proxy's names and labels (sockguard-config.md §15), in a registry
 * of our own (several proxies can live in one process, as in tests).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { decisionOf } from './access-log.js';
import type { Exchange } from './exchange.js';
import type { ExchangeObserver } from './request-handler.js';
import { templateRoute } from './route-template.js';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sockguard_http_requests_total',
    help: 'HTTP requests handled',
    labelNames: ['decision', 'listener', 'method', 'profile', 'route', 'status'],
    registers: [this.registry],
  });
  readonly denied = new Counter({
    name: 'sockguard_http_denied_requests_total',
    help: 'Requests denied by the policy',
    labelNames: ['listener', 'mode', 'profile', 'reason_code', 'route'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'sockguard_http_request_duration_seconds',
    help: 'Request duration',
    labelNames: ['decision', 'listener', 'method', 'profile', 'route'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly active = new Gauge({
    name: 'sockguard_http_requests_active',
    help: 'Requests in flight',
    registers: [this.registry],
  });
  readonly listenerUp = new Gauge({
    name: 'sockguard_listener_up',
    help: 'Listener accepting connections',
    labelNames: ['listener', 'network', 'role'],
    registers: [this.registry],
  });
  readonly upstreamSocketUp = new Gauge({
    name: 'sockguard_upstream_socket_up',
    help: 'Upstream socket reachable (watchdog)',
    registers: [this.registry],
  });
  readonly watchdogChecks = new Counter({
    name: 'sockguard_upstream_watchdog_checks_total',
    help: 'Upstream watchdog checks',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly upstreamApiUp = new Gauge({
    name: 'sockguard_upstream_api_up',
    help: 'Upstream API answering (readiness)',
    registers: [this.registry],
  });
  readonly readinessChecks = new Counter({
    name: 'sockguard_upstream_readiness_checks_total',
    help: 'Upstream readiness probes',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'sockguard_config_reload_total',
    help: 'Configuration reloads by outcome',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly lastReload = new Gauge({
    name: 'sockguard_config_reload_last_success_timestamp_seconds',
    help: 'Time of the last successful reload',
    registers: [this.registry],
  });
  readonly throttled = new Counter({
    name: 'sockguard_throttle_requests_total',
    help: 'Requests refused (or, under warn/audit profiles, flagged) by rate and concurrency limits',
    labelNames: ['mode', 'profile', 'reason_code'],
    registers: [this.registry],
  });
  readonly inflightByProfile = new Gauge({
    name: 'sockguard_inflight_requests',
    help: 'Requests admitted by the rate limiter and still in flight, per client profile',
    labelNames: ['profile'],
    registers: [this.registry],
  });
  readonly policyVersion = new Gauge({
    name: 'sockguard_policy_version',
    help: 'Version of the policy in force',
    registers: [this.registry],
  });

  constructor(version: string) {
    new Gauge({
      name: 'sockguard_build_info',
      help: 'Build information',
      labelNames: ['version', 'commit', 'build_date', 'go_version'],
      registers: [this.registry],
    }).set({ version, commit: '', build_date: '', go_version: `node ${process.version}` }, 1);
    new Gauge({
      name: 'sockguard_start_time_seconds',
      help: 'Process start time',
      registers: [this.registry],
    }).set(Math.floor(Date.now() / 1000));
  }

  /** Counts, times and (for denies) classifies each exchange. */
  observer(): ExchangeObserver {
    return {
      started: () => this.active.inc(),
      finished: (exchange: Exchange) => {
        this.active.dec();
        const route = exchange.target.normalizedPath === '' ? 'other' : templateRoute(exchange.target.normalizedPath);
        const profile = exchange.profile ?? 'default';
        const decision = decisionOf(exchange);
        const labels = {
          decision,
          listener: exchange.listener.name,
          method: exchange.req.method ?? '',
          profile,
          route,
        };
        this.requests.inc({ ...labels, status: String(exchange.result?.status ?? 499) });
        this.duration.observe(labels, (performance.now() - exchange.startedAt) / 1000);
        if (decision === 'deny' || decision === 'would_deny') {
          this.denied.inc({
            listener: exchange.listener.name,
            mode: exchange.wouldDeny?.mode ?? 'enforce',
            profile,
            reason_code: exchange.wouldDeny?.reasonCode ?? exchange.result?.reasonCode ?? '',
            route,
          });
        }
      },
      failed: () => undefined,
    };
  }
}
