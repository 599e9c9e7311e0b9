/**
 * Which client profile a request runs under (sockguard-config.md §9): the first matching
 * `client_certificate_profiles` entry, else the first matching `unix_peer_profiles` entry, else the
 * first `source_ip_profiles` entry containing the source address, else `default_profile`, else the
 * root policy (profile undefined). Within each list, configuration order decides.
 *
 * Fail closed on identity: when the policy selects profiles by unix peer and the credentials of a
 * unix connection could not be read, the request is refused (502 client identity lookup failed, as
 * in the Go proxy) rather than dropped to a later selector, since the default profile or the root
 * policy may well be broader than the profile that uid was meant to get.
 */
import { certificateMatches, type CertificateIdentity } from './certificate-selectors.js';
import { refuseAlways, type ClientRefusal } from './client-refusal.js';
import type { CompiledClients, UnixPeerSelectors } from './compile-clients.js';
import { anyPrefixContains, parseClientIp } from './ip-address.js';

/** SO_PEERCRED of a unix connection: the connecting process's ids at connect() time. */
export interface UnixPeer {
  readonly uid: number;
  readonly gid: number;
  /** 0 when the peer's pid is not visible in the proxy's pid namespace. */
  readonly pid: number;
}

export interface ClientIdentity {
  /** The verified mTLS client leaf, on TLS listeners. */
  readonly certificate?: CertificateIdentity;
  /** On unix listeners: the peer's credentials, or 'unreadable' when they could not be read. */
  readonly unixPeer?: UnixPeer | 'unreadable';
  /** On TCP listeners: the remote address as the socket reports it. */
  readonly sourceIp?: string;
}

export type ProfileSelector = 'client_certificate' | 'unix_peer' | 'source_ip' | 'default_profile';

export type ProfileResolution =
  | { readonly ok: true; readonly profile: string; readonly selector: ProfileSelector }
  /** No selector matched and there is no default profile: the root policy applies. */
  | { readonly ok: true; readonly profile: undefined }
  | ClientRefusal;

const IDENTITY_LOOKUP_FAILED = 'client identity lookup failed';

/** Every non-empty id list must contain the peer's id (uids AND gids AND pids); gid is the primary group. */
function unixPeerMatches(peer: UnixPeer, selectors: UnixPeerSelectors): boolean {
  const { uids, gids, pids } = selectors;
  if (uids.size + gids.size + pids.size === 0) return false;
  return (
    (uids.size === 0 || uids.has(peer.uid)) &&
    (gids.size === 0 || gids.has(peer.gid)) &&
    (pids.size === 0 || pids.has(peer.pid))
  );
}

function selectProfile(identity: ClientIdentity, clients: CompiledClients): ProfileResolution {
  const { certificate, unixPeer } = identity;
  if (certificate) {
    const entry = clients.certificateProfiles.find((e) => certificateMatches(certificate, e.selectors));
    if (entry) return { ok: true, profile: entry.profile, selector: 'client_certificate' };
  }
  if (unixPeer !== undefined && clients.unixPeerProfiles.length > 0) {
    if (unixPeer === 'unreadable') return refuseAlways(502, IDENTITY_LOOKUP_FAILED, 'client_identity_lookup_failed');
    const entry = clients.unixPeerProfiles.find((e) => unixPeerMatches(unixPeer, e.selectors));
    if (entry) return { ok: true, profile: entry.profile, selector: 'unix_peer' };
  }
  const ip = parseClientIp(identity.sourceIp);
  if (ip) {
    const entry = clients.sourceIpProfiles.find((e) => anyPrefixContains(e.cidrs, ip));
    if (entry) return { ok: true, profile: entry.profile, selector: 'source_ip' };
  }
  if (clients.defaultProfile !== undefined) {
    return { ok: true, profile: clients.defaultProfile, selector: 'default_profile' };
  }
  return { ok: true, profile: undefined };
}

/**
 * Resolves the profile; a selected name that is not a configured profile (validation prevents it)
 * is refused like the Go proxy's rule filter does: 403, client_policy_profile_unresolved.
 */
export function resolveProfile(identity: ClientIdentity, clients: CompiledClients): ProfileResolution {
  const resolution = selectProfile(identity, clients);
  if (resolution.ok && resolution.profile !== undefined && !clients.profiles.has(resolution.profile)) {
    return refuseAlways(403, 'request denied by sockguard policy', 'client_policy_profile_unresolved');
  }
  return resolution;
}
