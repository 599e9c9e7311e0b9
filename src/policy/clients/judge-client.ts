/**
 * The client gates of `serve`, run offline for one request in the Go proxy's middleware order
 * (sockguard-config.md §17): the `clients.allowed_cidrs` ACL, then the profile the client resolves
 * to (certificate > unix peer > source IP > default_profile > root policy), then the listener's
 * `allowed_profiles`. Rate limits never refuse a single request of a fresh client, and the caller's
 * container labels need the daemon, so those two gates are not run here (see offlineGaps).
 */
import { admitClient } from './admit-client.js';
import type { CertificateIdentity } from './certificate-selectors.js';
import type { ClientRefusal } from './client-refusal.js';
import { admitOnListener } from './listener-admission.js';
import { resolveProfile, type ProfileSelector, type UnixPeer } from './resolve-profile.js';
import type { Policy } from '../schema.js';
import type { RequestPolicies } from './request-policies.js';

/** Who is asking, as serve would learn it from the connection. */
export interface ClientInput {
  /** The remote address of a TCP (or TLS) connection. */
  sourceIp?: string;
  /** SO_PEERCRED of a unix-socket connection. */
  unixPeer?: UnixPeer;
  /** The verified mTLS client leaf. */
  certificate?: CertificateIdentity;
  /** The listener the request arrived on (`listeners[].name`, or `default` for a `listen` block). */
  listener?: string;
}

/**
 * How the profile was chosen: a selector or `default_profile` (resolved from the identity), `none`
 * (no selector matched and no default: the root policy), or `flag` (named by hand, no identity).
 */
export type ProfileSelection = ProfileSelector | 'none' | 'flag';

export type ClientOutcome =
  | { readonly ok: true; readonly profile?: string; readonly selectedBy?: ProfileSelection }
  | {
      readonly ok: false;
      readonly refusal: ClientRefusal;
      /** Known when the refusal came after the profile was chosen (listener admission). */
      readonly profile?: string;
      readonly selectedBy?: ProfileSelection;
    };

/** Whether the input names the client (an address, unix credentials or a certificate). */
export function hasIdentity(client: ClientInput): boolean {
  return client.sourceIp !== undefined || client.unixPeer !== undefined || client.certificate !== undefined;
}

type Chosen = { profile?: string; selectedBy?: ProfileSelection };

/** The CIDR ACL and profile resolution, for a client with an identity. */
function resolveClient(client: ClientInput, policies: RequestPolicies): { ok: true; chosen: Chosen } | ClientRefusal {
  const admitted = admitClient(client.sourceIp, policies.clients.allowedCidrs);
  if (!admitted.ok) return admitted;
  const resolution = resolveProfile(
    {
      ...(client.certificate ? { certificate: client.certificate } : {}),
      ...(client.unixPeer ? { unixPeer: client.unixPeer } : {}),
      ...(client.sourceIp !== undefined ? { sourceIp: client.sourceIp } : {}),
    },
    policies.clients,
  );
  if (!resolution.ok) return resolution;
  if (resolution.profile === undefined) return { ok: true, chosen: { selectedBy: 'none' } };
  return { ok: true, chosen: { profile: resolution.profile, selectedBy: resolution.selector } };
}

/**
 * Without an identity the gates that need one are skipped and `profile` (named by hand, or the
 * root policy) is used; the listener, when given, still judges it.
 */
export function judgeClient(
  policy: Policy,
  policies: RequestPolicies,
  client: ClientInput,
  profile?: string,
): ClientOutcome {
  let chosen: Chosen = profile !== undefined ? { profile, selectedBy: 'flag' } : {};
  if (hasIdentity(client)) {
    const resolved = resolveClient(client, policies);
    if (!resolved.ok) return { ok: false, refusal: resolved };
    chosen = resolved.chosen;
  }
  if (client.listener !== undefined) {
    const gate = admitOnListener(policy, client.listener, chosen.profile);
    if (!gate.ok) return { ok: false, refusal: gate, ...chosen };
  }
  return { ok: true, ...chosen };
}

/** Gates serve runs for this client that an offline decision cannot, one sentence each. */
export function offlineGaps(policy: Policy, client: ClientInput): string[] {
  const gaps: string[] = [];
  if (policy.clients.container_labels.enabled && client.sourceIp !== undefined) {
    gaps.push(
      "serve also looks up the caller's container by source IP and applies its clients.container_labels ACL; that needs the daemon and is not checked here",
    );
  }
  return gaps;
}
