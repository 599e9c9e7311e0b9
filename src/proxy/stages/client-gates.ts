/**
 * The client gates, first in the pipeline (sockguard-config.md §9, §17: they also guard /health,
 * /metrics and the admin API), in the order `sockguard test` judges them offline:
 *  1. `clients.allowed_cidrs` against the TCP source address (a unix client is refused by a non-empty
 *     list) — the only gate on the dedicated admin listener;
 *  2. the client's identity — the verified mTLS leaf, SO_PEERCRED on unix listeners, the source
 *     address — and the profile it resolves to (exchange.client, exchange.profile);
 *  3. the listener's `allowed_profiles` — before the label ACL (the Go proxy runs it after): a client
 *     the listener refuses costs no daemon lookup, and a refused request never carries a would_deny;
 *  4. `clients.container_labels`: the caller container's ACL labels (TCP only; looked up through the
 *     daemon, cached; a failed lookup is 502, never "no labels").
 * Every refusal is a pre-auth gate that always answers, except a label-ACL denial, which a
 * warn/audit profile forwards as would_deny. Pinned by test/proxy/stages/client-gates.test.ts.
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { admitClient } from '../../policy/clients/admit-client.js';
import { identityOfCertificate } from '../../policy/clients/certificate-identity.js';
import type { CertificateIdentity } from '../../policy/clients/certificate-selectors.js';
import { refuseAlways, type ClientGate } from '../../policy/clients/client-refusal.js';
import { compileLabelAcl, judgeLabelAcl } from '../../policy/clients/label-acl.js';
import { admitOnListener } from '../../policy/clients/listener-admission.js';
import { resolveProfile, type ClientIdentity } from '../../policy/clients/resolve-profile.js';
import { CallerLookupError, type CallerLookup } from '../caller-container.js';
import type { Exchange } from '../exchange.js';
import type { PeerCredentialReader } from '../peer-credentials.js';
import type { Stage, StageResult } from '../pipeline.js';
import { refusalReply } from '../refusal-reply.js';
import { denyUnderMode } from '../rollout-mode.js';

export interface ClientGatesContext {
  readonly peerCredentials: PeerCredentialReader;
  readonly callerContainer: CallerLookup;
}

/** One read per TLS connection: keep-alive requests reuse it. */
const certificates = new WeakMap<Socket, CertificateIdentity | undefined>();

function certificateOf(socket: TLSSocket): CertificateIdentity | undefined {
  if (certificates.has(socket)) return certificates.get(socket);
  const leaf = socket.getPeerX509Certificate();
  const identity = leaf ? identityOfCertificate(leaf) : undefined;
  certificates.set(socket, identity);
  return identity;
}

function identityOf(exchange: Exchange, context: ClientGatesContext): ClientIdentity {
  const { listener, req } = exchange;
  if (listener.network === 'unix') {
    const clients = exchange.policy.requests.clients;
    // Read whenever it can matter: for unix_peer_profiles (fail closed when unreadable), and for
    // per-uid throttle keys when the addon is there.
    const wanted = clients.unixPeerProfiles.length > 0 || context.peerCredentials.available;
    return wanted ? { unixPeer: context.peerCredentials.read(req.socket) } : {};
  }
  const certificate = listener.tls ? certificateOf(req.socket as TLSSocket) : undefined;
  return {
    ...(certificate ? { certificate } : {}),
    ...(req.socket.remoteAddress !== undefined ? { sourceIp: req.socket.remoteAddress } : {}),
  };
}

async function judgeLabels(exchange: Exchange, context: ClientGatesContext, sourceIp: string): Promise<ClientGate> {
  const { labelPrefix } = exchange.policy.requests.clients.containerLabels;
  let caller;
  try {
    caller = await context.callerContainer(sourceIp);
  } catch (error) {
    if (!(error instanceof CallerLookupError)) throw error;
    return {
      ...refuseAlways(502, 'client label ACL lookup failed', 'client_label_acl_lookup_failed'),
      reason: `client label ACL lookup failed: ${error.message}`,
    };
  }
  if (caller === undefined) return { ok: true };
  return judgeLabelAcl(
    compileLabelAcl(caller.labels, labelPrefix),
    exchange.req.method ?? '',
    exchange.target.normalizedPath,
  );
}

export function createClientGatesStage(context: ClientGatesContext): Stage {
  return {
    name: 'client-gates',
    // Synchronous unless the label ACL needs a daemon lookup: most requests skip the await.
    run(exchange: Exchange): StageResult | Promise<StageResult> {
      const { clients } = exchange.policy.requests;
      const tcp = exchange.listener.network === 'tcp';
      const sourceIp = tcp ? exchange.req.socket.remoteAddress : undefined;
      const admitted = admitClient(sourceIp, clients.allowedCidrs);
      if (!admitted.ok) return refusalReply(admitted);
      if (exchange.listener.role === 'admin') return undefined;

      const identity = identityOf(exchange, context);
      exchange.client = identity;
      const resolution = resolveProfile(identity, clients);
      if (!resolution.ok) return refusalReply(resolution);
      exchange.profile = resolution.profile;

      const listener = admitOnListener(exchange.policy.policy, exchange.listener.name, exchange.profile);
      if (!listener.ok) return refusalReply(listener);

      if (!clients.containerLabels.enabled || sourceIp === undefined) return undefined;
      return judgeLabels(exchange, context, sourceIp).then((labels) =>
        labels.ok ? undefined : denyUnderMode(exchange, refusalReply(labels), labels.alwaysEnforced),
      );
    },
  };
}
