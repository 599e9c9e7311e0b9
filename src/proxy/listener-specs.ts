/**
 * Which listeners a policy asks for: the legacy `listen` block (one listener named `default`) or
 * the named `listeners[]`, plus a dedicated admin listener when `admin.listen` names one.
 */
import { hasSelectors, type CertificateSelectors } from '../policy/clients/certificate-selectors.js';
import { compileCertificateSelectors } from '../policy/clients/compile-clients.js';
import type { Policy } from '../policy/schema.js';
import type { ListenerSpec } from './listeners.js';

type ListenFields = Policy['listen'] | NonNullable<Policy['listeners']>[number] | Policy['admin']['listen'];

/**
 * A listener's mTLS selectors (sockguard-config.md §4.1), judged like a certificate profile's;
 * undefined when the block sets none, which admits any certificate the client CA signed. Throws
 * ClientConfigError for a value that can never match.
 */
function listenerSelectors(tls: NonNullable<ListenFields['tls']>, field: string): CertificateSelectors | undefined {
  const selectors = compileCertificateSelectors(tls, field);
  return hasSelectors(selectors) ? selectors : undefined;
}

function specOf(name: string, role: ListenerSpec['role'], listen: ListenFields, field: string): ListenerSpec {
  const tls = listen.tls;
  const selectors = tls ? listenerSelectors(tls, `${field}.tls`) : undefined;
  return {
    name,
    role,
    socketMode: listen.socket_mode ?? '0600',
    ...(listen.socket ? { socket: listen.socket } : { address: listen.address ?? '127.0.0.1:2375' }),
    ...(listen.socket_uid !== undefined ? { socketUid: listen.socket_uid } : {}),
    ...(listen.socket_gid !== undefined ? { socketGid: listen.socket_gid } : {}),
    ...(tls?.cert_file && tls.key_file && tls.client_ca_file
      ? {
          tls: {
            certFile: tls.cert_file,
            keyFile: tls.key_file,
            clientCaFile: tls.client_ca_file,
            ...(selectors ? { selectors } : {}),
          },
        }
      : {}),
  };
}

export function listenerSpecs(policy: Policy): ListenerSpec[] {
  const main =
    policy.listeners && policy.listeners.length > 0
      ? policy.listeners.map((l, i) => specOf(l.name ?? 'default', 'main', l, `listeners[${i}]`))
      : [specOf('default', 'main', policy.listen, 'listen')];
  const adminListen = policy.admin.listen;
  const dedicatedAdmin =
    policy.admin.enabled && (adminListen.socket !== undefined || adminListen.address !== undefined);
  return dedicatedAdmin ? [...main, specOf('admin', 'admin', adminListen, 'admin.listen')] : main;
}
