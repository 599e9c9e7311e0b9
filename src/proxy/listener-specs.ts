/**
 * Which listeners a policy asks for: the legacy `listen` block (one listener named `default`) or
 * the named `listeners[]`, plus a dedicated admin listener when `admin.listen` names one.
 */
import type { Policy } from '../policy/schema.js';
import type { ListenerSpec } from './listeners.js';

type ListenFields = Policy['listen'] | NonNullable<Policy['listeners']>[number] | Policy['admin']['listen'];

function specOf(name: string, role: ListenerSpec['role'], listen: ListenFields): ListenerSpec {
  const tls = listen.tls;
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
            selectors: {
              ...(tls.common_names ? { common_names: tls.common_names } : {}),
              ...(tls.dns_names ? { dns_names: tls.dns_names } : {}),
              ...(tls.ip_addresses ? { ip_addresses: tls.ip_addresses } : {}),
              ...(tls.uri_sans ? { uri_sans: tls.uri_sans } : {}),
              ...(tls.public_key_sha256_pins ? { public_key_sha256_pins: tls.public_key_sha256_pins } : {}),
            },
          },
        }
      : {}),
  };
}

export function listenerSpecs(policy: Policy): ListenerSpec[] {
  const main =
    policy.listeners && policy.listeners.length > 0
      ? policy.listeners.map((l) => specOf(l.name ?? 'default', 'main', l))
      : [specOf('default', 'main', policy.listen)];
  const adminListen = policy.admin.listen;
  const dedicatedAdmin =
    policy.admin.enabled && (adminListen.socket !== undefined || adminListen.address !== undefined);
  return dedicatedAdmin ? [...main, specOf('admin', 'admin', adminListen)] : main;
}
