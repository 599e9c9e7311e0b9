/**
 * `clients.allowed_cidrs` (sockguard-config.md §9): evaluated before everything else, including
 * /health, /metrics and the admin API. An empty list admits every client. A non-empty list admits
 * only clients whose (unmapped) source address lies in one of the prefixes; a client without an IP
 * address — a unix-socket client — is refused, as in the Go proxy: the list "needs a TCP listener",
 * and a CIDR list is a promise that nobody else gets in.
 */
import { ADMITTED, refuseAlways, type ClientGate } from './client-refusal.js';
import { anyPrefixContains, parseClientIp, type IpPrefix } from './ip-address.js';

const CLIENT_IP_NOT_ALLOWED = 'client IP not allowed';

/** `clientIp` is the connection's remote address as Node reports it, undefined for unix sockets. */
export function admitClient(clientIp: string | undefined, allowedCidrs: readonly IpPrefix[]): ClientGate {
  if (allowedCidrs.length === 0) return ADMITTED;
  const ip = parseClientIp(clientIp);
  if (ip && anyPrefixContains(allowedCidrs, ip)) return ADMITTED;
  return refuseAlways(403, CLIENT_IP_NOT_ALLOWED, 'client_ip_not_allowed');
}
