/**
 * A non-loopback TCP listener without mutual TLS. Without both insecure acknowledgements the loader
 * already reports an error (the proxy refuses to start); with them it starts, and anyone who can
 * reach the port controls the Docker daemon, i.e. root on the host. Lint keeps saying so.
 */
import type { ListenDocument } from '../../policy/schema.js';
import { isLoopbackAddress } from '../../policy/validate.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

function isAcknowledgedPlaintext(listen: Partial<ListenDocument>): boolean {
  if (listen.socket || !listen.address || isLoopbackAddress(listen.address)) return false;
  const tls = listen.tls;
  if (tls?.cert_file || tls?.key_file || tls?.client_ca_file) return false;
  return listen.insecure_allow_plain_tcp === true && listen.insecure_allow_unauthenticated_clients === true;
}

export default defineRule({
  id: 'plaintext-tcp',
  family: 'policy',
  severity: 'warning',
  summary: 'Non-loopback TCP listener without mutual TLS',
  help: 'Access to the Docker API is root on the host. A TCP listener on a non-loopback address without tls accepts unauthenticated, unencrypted connections from anyone who can reach the port; insecure_allow_plain_tcp and insecure_allow_unauthenticated_clients only acknowledge that. Configure listen.tls (cert_file, key_file, client_ca_file: mutual TLS), bind to 127.0.0.1, or use a unix socket.',
  check: (context) => {
    const { document } = context;
    const listeners: { listen: Partial<ListenDocument>; pointer: string; name: string }[] = document.listeners
      ? document.listeners.map((l, i) => ({ listen: l, pointer: `/listeners/${i}`, name: `listeners[${i}]` }))
      : document.listen
        ? [{ listen: document.listen, pointer: '/listen', name: 'listen' }]
        : [];
    return listeners
      .filter(({ listen }) => isAcknowledgedPlaintext(listen))
      .map(({ listen, pointer, name }): LintFinding => ({
        message: `${name} accepts plaintext, unauthenticated TCP on ${listen.address}: anyone who can reach it controls the Docker daemon, which is root on the host; configure ${name}.tls (mutual TLS), bind to 127.0.0.1, or use a unix socket`,
        pointer: `${pointer}/address`,
      }));
  },
});
