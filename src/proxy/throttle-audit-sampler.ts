/**
 * Throttled requests write at most one audit event per client and reason code per second
 * (sockguard-config.md §14.2), so a client hammering a rate limit cannot flood the audit log; every
 * other request is audited. The access log and metrics still count each one.
 */
import { clientKeyOf, THROTTLE_REASON_CODES } from '../policy/clients/client-throttle.js';
import type { Exchange } from './exchange.js';

/** Forgets every key past this many (a spray of source addresses must not grow the map for ever). */
const MAX_TRACKED_KEYS = 10_000;

export class ThrottleAuditSampler {
  /** `<client>\0<reason>` -> the second of its last audited event. */
  readonly #lastSecond = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Whether this finished exchange gets an audit event. */
  admits(exchange: Exchange): boolean {
    const reasonCode = exchange.result?.reasonCode ?? exchange.wouldDeny?.reasonCode;
    if (reasonCode === undefined || !THROTTLE_REASON_CODES.has(reasonCode)) return true;
    const client = exchange.client ? clientKeyOf(exchange.client) : 'anonymous';
    const key = `${client}\0${reasonCode}`;
    const second = Math.floor(this.now() / 1000);
    if (this.#lastSecond.get(key) === second) return false;
    if (this.#lastSecond.size >= MAX_TRACKED_KEYS) this.#lastSecond.clear();
    this.#lastSecond.set(key, second);
    return true;
  }
}
