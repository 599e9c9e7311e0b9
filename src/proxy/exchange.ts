/**
 * One client request on its way through the proxy: what was received, what was decided about it,
 * and what was answered. Stages read and fill it; logs and metrics read it when it is finished.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CanonicalRequest } from '../policy/canonical-path.js';
import type { ClientIdentity } from '../policy/clients/resolve-profile.js';
import type { RuleReasonCode } from '../policy/evaluate.js';
import type { ActivePolicy } from './policy-store.js';
import type { RouteClass } from './route-class.js';
import type { TraceContext } from './trace-context.js';

export interface ListenerInfo {
  /** `default` for the legacy `listen` block, a `listeners[].name`, or `admin`. */
  readonly name: string;
  readonly role: 'main' | 'admin';
  readonly network: 'unix' | 'tcp';
  readonly tls: boolean;
  /** Socket path or host:port as configured. */
  readonly address: string;
  readonly loopback: boolean;
}

/**
 * How we talk back to the client. A normal request has a ServerResponse; an `Upgrade` request is
 * handed to us by Node as the raw socket (plus the bytes already read after its headers), and every
 * answer on it is written by hand and followed by a close.
 */
export type ClientChannel =
  | { readonly kind: 'response'; readonly res: ServerResponse }
  | { readonly kind: 'socket'; readonly socket: Duplex; readonly head: Buffer };

export type RequestBody =
  /** Not read yet (only headers have been judged). */
  | { readonly kind: 'pending' }
  | { readonly kind: 'none' }
  | { readonly kind: 'buffered'; readonly data: Buffer }
  /** A bulk upload (image load, archive upload, build context): piped to the daemon after judging. */
  | { readonly kind: 'stream' };

export interface RuleOutcome {
  readonly decision: 'allow' | 'deny';
  readonly reasonCode: RuleReasonCode;
  readonly reason: string;
  /** 0-based index of the deciding rule, -1 when none matched. */
  readonly ruleIndex: number;
}

/**
 * A denial a warn/audit profile turned into a logged `would_deny` (sockguard-config.md §9, §14.1):
 * the request went on, and this is what enforce mode would have answered. The first one wins.
 */
export interface WouldDeny {
  readonly mode: 'warn' | 'audit';
  readonly status: number;
  readonly reasonCode: string;
  readonly reason: string;
}

export interface ExchangeResult {
  status: number;
  /** Response body bytes sent to the client (for tunnels: bytes from the daemon). */
  bytes: number;
  reasonCode?: string;
  reason?: string;
}

export interface Exchange {
  /** Our X-Request-Id, sent upstream and back to the client. */
  readonly id: string;
  /** The client's own X-Request-Id, kept for logs only. */
  readonly clientRequestId: string | undefined;
  readonly trace: TraceContext | undefined;
  readonly req: IncomingMessage;
  readonly channel: ClientChannel;
  readonly listener: ListenerInfo;
  /** The policy in force when the request arrived; a reload never changes it mid-request. */
  readonly policy: ActivePolicy;
  readonly target: CanonicalRequest;
  /**
   * Why the request-target was refused (canonicalRequest's TargetError); `target` is then a
   * stand-in that is only ever logged. Answered 400 by the request-target stage.
   */
  readonly targetRefusal: string | undefined;
  /**
   * Set by a stage that must send the daemon something other than `target.forwardTarget` (owner
   * isolation: the resolved full ID, the injected owner filter). Logs and rules keep using `target`.
   */
  upstreamTarget?: string;
  readonly route: RouteClass;
  /** performance.now() at arrival. */
  readonly startedAt: number;
  /** Who is asking, as the client stage read it off the connection (undefined before it ran). */
  client: ClientIdentity | undefined;
  /** Resolved client profile; undefined means the root policy. */
  profile: string | undefined;
  /** Set when a warn/audit profile forwarded a request enforce mode would have refused. */
  wouldDeny: WouldDeny | undefined;
  body: RequestBody;
  /** Client bytes that followed the request on an upgrade connection: sent only into an established tunnel. */
  pendingClientBytes: Buffer;
  rules: RuleOutcome | undefined;
  result: ExchangeResult | undefined;
  /** Tears the exchange down (client and upstream); set by whoever holds its connections. */
  abort: () => void;
  /**
   * Settles once the client connection is done with the exchange, however it ended (answered,
   * forwarded, tunnel closed, client gone, error): where held resources (throttle slots) go back.
   */
  readonly closed: Promise<void>;
}

/** The request-target sent to the daemon. */
export function upstreamTargetOf(exchange: Exchange): string {
  return exchange.upstreamTarget ?? exchange.target.forwardTarget;
}

/** The query of the request-target sent to the daemon (the path part is encoded: its `?` is `%3F`). */
export function upstreamQueryOf(exchange: Exchange): string | undefined {
  const target = upstreamTargetOf(exchange);
  const mark = target.indexOf('?');
  return mark < 0 ? undefined : target.slice(mark + 1);
}

/** Forwards the same path with another query. */
export function replaceUpstreamQuery(exchange: Exchange, rawQuery: string): void {
  const target = upstreamTargetOf(exchange);
  const mark = target.indexOf('?');
  exchange.upstreamTarget = `${mark < 0 ? target : target.slice(0, mark)}?${rawQuery}`;
}

/** True when body bytes may still be waiting on the client connection (answering early must deal with them). */
export function hasUnreadBody(exchange: Exchange): boolean {
  return (exchange.body.kind === 'pending' || exchange.body.kind === 'stream') && !exchange.req.complete;
}

/** The body as read: its bytes, empty when there is none, undefined when it streams unread. */
export function readBodyOf(exchange: Exchange): Uint8Array | undefined {
  if (exchange.body.kind === 'buffered') return exchange.body.data;
  return exchange.body.kind === 'none' ? new Uint8Array(0) : undefined;
}

/** The client waits for `100 Continue` before it sends its body. */
export function expectsContinue(exchange: Exchange): boolean {
  return /(^|,)\s*100-continue\s*(,|$)/i.test(exchange.req.headers.expect ?? '');
}
