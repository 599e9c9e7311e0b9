/**
 * Browser-origin requests on TCP listeners (security-notes.md §13): a web page can send CORS-simple
 * POSTs and websocket handshakes to 127.0.0.1:2375, and DNS rebinding delivers requests whose `Host`
 * names the attacker's domain. Docker clients never send `Origin`, so any request carrying one is
 * refused; on a loopback listener the `Host` must be an IP literal or `localhost`. Unix sockets are
 * out of a browser's reach and are not checked. Pinned by test/proxy/browser-origin.test.ts.
 */
import net from 'node:net';
import type { Exchange } from '../exchange.js';
import type { Stage, StageResult } from '../pipeline.js';
import { dockerError } from '../reply.js';

/** The host part of a Host header value ("[::1]:2375" -> "::1", "localhost:2375" -> "localhost"). */
function hostName(host: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracket) return bracket[1]!;
  return host.replace(/:\d+$/, '');
}

function refuse(exchange: Exchange): StageResult {
  if (exchange.listener.network !== 'tcp') return undefined;
  const denied = dockerError(403, 'browser-origin requests are not accepted', 'browser_origin_denied');
  if (exchange.req.headers.origin !== undefined) return denied;
  if (exchange.listener.loopback) {
    const host = hostName((exchange.req.headers.host ?? '').toLowerCase());
    if (host !== 'localhost' && net.isIP(host) === 0) return denied;
  }
  return undefined;
}

export const browserOriginStage: Stage = { name: 'browser-origin', run: refuse };
