/**
 * Tunnelling the daemon's hijacked connections (attach, exec start, attach websocket).
 * The tunnel opens only after the daemon really answered 101 (security-notes.md §6, RFC 9931): until
 * then the client's connection carries one judged request and nothing else, and the bytes the client
 * sent after its request headers (its `pendingClientBytes`) are released into the tunnel only once it
 * exists. If the daemon answers anything else, that answer is relayed as plain HTTP and the
 * connection is closed; the pending bytes are never read as a request.
 * Half-closes travel both ways (`docker attach` closes stdin with a half-close and still reads the
 * output); a client that goes away tears the daemon's side down.
 * Pinned by test/proxy/hijack.test.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { formatResponseHead, recordResult, sendReply } from './client-response.js';
import { upstreamTargetOf, type Exchange } from './exchange.js';
import { buildUpstreamHeaders, relayResponse, sendBody } from './forward.js';
import { rawHeaderValue, removeHeaders } from './hop-by-hop.js';
import { dockerError, MESSAGES } from './reply.js';
import type { Upstream } from './upstream.js';

/** After the daemon closed its side, a client that keeps its half open is dropped after this long. */
export const TUNNEL_LINGER_MS = 5_000;

/** Joins two connections; resolves when both are closed. */
function splice(exchange: Exchange, client: Duplex, daemon: Duplex): Promise<void> {
  return new Promise((resolve) => {
    let linger: NodeJS.Timeout | undefined;
    let open = 2;
    const closed = () => {
      open -= 1;
      if (open > 0) return;
      clearTimeout(linger);
      resolve();
    };
    daemon.on('data', (chunk: Buffer) => {
      exchange.result!.bytes += chunk.length;
    });
    // pipe() ends the destination when the source ends: a half-close is passed on, not turned into a close.
    client.pipe(daemon);
    daemon.pipe(client);
    client.on('error', () => daemon.destroy());
    daemon.on('error', () => client.destroy());
    client.on('close', () => {
      // Nobody is left to read the daemon's output.
      daemon.destroy();
      closed();
    });
    daemon.on('close', () => {
      if (!client.destroyed) {
        client.end();
        linger = setTimeout(() => client.destroy(), TUNNEL_LINGER_MS);
        linger.unref();
      }
      closed();
    });
    exchange.abort = () => {
      client.destroy();
      daemon.destroy();
    };
  });
}

export function tunnel(exchange: Exchange, upstream: Upstream): Promise<void> {
  const { channel } = exchange;
  if (channel.kind !== 'socket') throw new Error('tunnel needs the raw client connection of an Upgrade request');
  const client = channel.socket;
  const protocol = rawHeaderValue(exchange.req.rawHeaders, 'upgrade') ?? 'tcp';
  return new Promise((resolve) => {
    const upstreamReq = upstream.request({
      method: exchange.req.method ?? 'POST',
      path: upstreamTargetOf(exchange),
      headers: buildUpstreamHeaders(exchange, ['Connection', 'Upgrade', 'Upgrade', protocol]),
      dedicated: true,
    });
    let answered = false;
    const onEarlyClose = () => {
      if (!answered) upstreamReq.destroy();
      resolve();
    };
    client.once('close', onEarlyClose);
    exchange.abort = () => {
      upstreamReq.destroy();
      client.destroy();
    };
    upstreamReq.on('upgrade', (upstreamRes: IncomingMessage, daemon: Duplex, daemonHead: Buffer) => {
      answered = true;
      client.off('close', onEarlyClose);
      recordResult(exchange, 101);
      // A 101 keeps its Connection/Upgrade headers: they are the switch itself.
      const headers = removeHeaders(upstreamRes.rawHeaders, new Set(['x-request-id']));
      client.write(formatResponseHead(101, upstreamRes.statusMessage, [...headers, 'X-Request-Id', exchange.id]));
      if (daemonHead.length > 0) {
        exchange.result!.bytes += daemonHead.length;
        client.write(daemonHead);
      }
      if (exchange.pendingClientBytes.length > 0) daemon.write(exchange.pendingClientBytes);
      void splice(exchange, client, daemon).then(resolve);
      client.resume();
    });
    upstreamReq.on('response', (upstreamRes) => {
      // Not a 101 (an error, or `Detach: true`): plain HTTP, then the connection closes.
      answered = true;
      relayResponse(exchange, upstreamRes);
    });
    upstreamReq.on('error', () => {
      if (answered || client.destroyed) return;
      answered = true;
      sendReply(exchange, dockerError(502, MESSAGES.unreachable, 'upstream_socket_unreachable'));
    });
    sendBody(exchange, upstreamReq);
  });
}
