/**
 * Whether a client given to `sockguard test` is one serve could actually see: a unix-socket peer has
 * no address or certificate, a named listener must exist and be of the client's kind, and a TLS
 * client whose address the policy judges must say what that address is. Anything else would make
 * the offline decision differ from serve's for a request that can never arrive.
 */
import type { Policy } from '../policy/schema.js';
import type { ClientInput } from '../policy/clients/judge-client.js';

/** The inputs a problem can name, spelled as the suite keys (the command maps them to flags). */
export type ClientField = 'client_ip' | 'unix_peer' | 'client_cert' | 'listener';

export interface ClientInputProblem {
  field: ClientField;
  problem: string;
}

/** The name of the only listener of a policy with a `listen` block (sockguard-config.md §4.2). */
const LEGACY_LISTENER = 'default';

interface ListenerShape {
  name: string;
  socket?: string;
  tls?: { cert_file?: string };
}

function listenersOf(policy: Policy): ListenerShape[] {
  if (policy.listeners && policy.listeners.length > 0) {
    return policy.listeners.map((l) => ({ ...l, name: l.name ?? '' }));
  }
  return [{ ...policy.listen, name: LEGACY_LISTENER }];
}

function checkListener(
  policy: Policy,
  client: ClientInput,
  name: (field: ClientField) => string,
): ClientInputProblem | undefined {
  const listeners = listenersOf(policy);
  const listener = listeners.find((l) => l.name === client.listener);
  if (!listener) {
    return {
      field: 'listener',
      problem: `no listener named "${client.listener}" (known: ${listeners.map((l) => l.name).join(', ')})`,
    };
  }
  const unix = listener.socket !== undefined && listener.socket !== '';
  if (unix && (client.sourceIp !== undefined || client.certificate !== undefined)) {
    const field = client.sourceIp !== undefined ? 'client_ip' : 'client_cert';
    return {
      field,
      problem: `listener "${listener.name}" is a unix socket (${listener.socket}); its clients have no IP address or certificate (give ${name('unix_peer')} instead)`,
    };
  }
  if (!unix && client.unixPeer !== undefined) {
    return {
      field: 'unix_peer',
      problem: `listener "${listener.name}" is a TCP listener; its clients have no unix peer credentials (give ${name('client_ip')} instead)`,
    };
  }
  if (client.certificate !== undefined && !listener.tls?.cert_file) {
    return {
      field: 'client_cert',
      problem: `listener "${listener.name}" has no tls block, so its clients present no certificate`,
    };
  }
  return undefined;
}

export function checkClientInput(
  policy: Policy,
  client: ClientInput,
  name: (field: ClientField) => string,
): ClientInputProblem | undefined {
  if (client.unixPeer !== undefined && (client.sourceIp !== undefined || client.certificate !== undefined)) {
    return {
      field: 'unix_peer',
      problem: `a unix-socket client has no IP address or certificate; give ${name('unix_peer')} alone, or ${name('client_ip')}/${name('client_cert')} for a TCP client`,
    };
  }
  if (client.listener !== undefined) {
    const problem = checkListener(policy, client, name);
    if (problem) return problem;
  }
  const judgesAddress =
    (policy.clients.allowed_cidrs?.length ?? 0) > 0 || (policy.clients.source_ip_profiles?.length ?? 0) > 0;
  if (client.certificate !== undefined && client.sourceIp === undefined && judgesAddress) {
    return {
      field: 'client_ip',
      problem: `a TLS client also has a source address, and this policy judges it (clients.allowed_cidrs or clients.source_ip_profiles); give ${name('client_ip')} with ${name('client_cert')}`,
    };
  }
  return undefined;
}
