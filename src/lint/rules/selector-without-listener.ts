/**
 * Client settings that need a kind of listener the policy does not have (sockguard-config.md §4, §9):
 * `unix_peer_profiles` need a unix socket, `source_ip_profiles` and `container_labels` a TCP
 * listener, `client_certificate_profiles` a TLS (mutual TLS) listener. Without one they never match.
 * `allowed_cidrs` is worse on a unix socket: its clients have no address, and a non-empty list
 * refuses every client without one, so a unix-only policy with a CIDR list admits nobody.
 */
import type { ListenDocument, PolicyDocument } from '../../policy/schema.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

interface Listener {
  name: string;
  unix: boolean;
  mtls: boolean;
}

function listenersOf(document: PolicyDocument): Listener[] {
  const describe = (l: Partial<ListenDocument> | undefined, name: string): Listener => {
    const unix = typeof l?.socket === 'string' && l.socket !== '';
    return { name, unix, mtls: !unix && typeof l?.tls?.cert_file === 'string' && l.tls.cert_file !== '' };
  };
  if (Array.isArray(document.listeners) && document.listeners.length > 0) {
    return document.listeners.map((l, i) => describe(l, `listeners[${i}]${l?.name ? ` "${l.name}"` : ''}`));
  }
  // Without listen: the default TCP listener on 127.0.0.1:2375.
  return [describe(document.listen, 'listen')];
}

const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

export default defineRule({
  id: 'selector-without-listener',
  family: 'policy',
  severity: 'warning',
  summary: 'Client selector or ACL that no listener can feed',
  help: "Each client setting reads something only one kind of listener provides: unix_peer_profiles read the credentials of a unix-socket peer, source_ip_profiles and container_labels a TCP client's address, client_certificate_profiles the certificate of a mutual-TLS client. Without such a listener they never match. clients.allowed_cidrs refuses every client without an address, so on a unix socket it locks everyone out. Add the listener the setting needs, or remove the setting (restrict a unix socket with socket_mode/socket_gid and unix_peer_profiles).",
  check: (context) => {
    const { document } = context;
    const clients = document.clients;
    if (!clients) return [];
    const listeners = listenersOf(document);
    const unix = listeners.filter((l) => l.unix);
    const tcp = listeners.filter((l) => !l.unix);
    const findings: LintFinding[] = [];
    const unused = (field: string, problem: string) =>
      findings.push({ message: `clients.${field} ${problem}`, pointer: `/clients/${field}` });
    if (nonEmpty(clients.unix_peer_profiles) && unix.length === 0) {
      unused(
        'unix_peer_profiles',
        'never selects a profile: no listener is a unix socket, so no client has unix peer credentials; add a listener with socket: /run/sockguard/docker.sock, or remove these entries',
      );
    }
    if (nonEmpty(clients.source_ip_profiles) && tcp.length === 0) {
      unused(
        'source_ip_profiles',
        'never selects a profile: every listener is a unix socket and unix clients have no source address; select them with clients.unix_peer_profiles instead',
      );
    }
    if (nonEmpty(clients.client_certificate_profiles) && !listeners.some((l) => l.mtls)) {
      unused(
        'client_certificate_profiles',
        'never selects a profile: no listener has tls (mutual TLS), so no client presents a certificate; configure tls (cert_file, key_file, client_ca_file) on a TCP listener, or remove these entries',
      );
    }
    if (clients.container_labels?.enabled === true && tcp.length === 0) {
      findings.push({
        message:
          "clients.container_labels finds the caller's container by its source address, but every listener is a unix socket; it never applies: set enabled: false, or serve the containers on a TCP listener",
        pointer: '/clients/container_labels/enabled',
      });
    }
    if (nonEmpty(clients.allowed_cidrs) && unix.length > 0) {
      const names = unix.map((l) => l.name).join(', ');
      findings.push(
        tcp.length === 0
          ? {
              message: `clients.allowed_cidrs refuses every client: the only listener${unix.length > 1 ? 's are unix sockets' : ' is a unix socket'} (${names}), whose clients have no IP address; remove allowed_cidrs and restrict the socket with socket_mode/socket_gid or clients.unix_peer_profiles`,
              pointer: '/clients/allowed_cidrs',
              severity: 'error',
            }
          : {
              message: `clients.allowed_cidrs refuses every client of the unix socket ${names}: they have no IP address; remove allowed_cidrs, or serve those clients on a TCP listener`,
              pointer: '/clients/allowed_cidrs',
            },
      );
    }
    return findings;
  },
});
