/**
 * A translated TCP listener that is neither loopback nor mutual TLS: Sockguard refuses to start
 * with it unless both insecure acknowledgements are set (sockguard-config.md §4.1). The old proxy
 * served it that way, so the translation keeps clients working by setting both, and says so with
 * `migrate/plaintext-listener` (the code the migrate command uses for the same situation).
 */
import { isLoopbackAddress } from '../policy/validate.js';
import type { MigrationWarning } from './types.js';

interface TcpListener {
  address?: string;
  socket?: string;
  tls?: object;
  insecure_allow_plain_tcp?: boolean;
  insecure_allow_unauthenticated_clients?: boolean;
}

export interface PlaintextContext {
  /** The old setting, for the message: `-listenip=0.0.0.0`, `-frontend-addr=tcp://:2375`. */
  setting: string;
  origin?: string;
  /** What still narrows who may connect, when something does (`clients.allowed_cidrs 172.18.0.0/16`). */
  admission?: string;
  /** Who the old proxy admitted when the policy cannot say it (`"traefik"` by DNS name). */
  admittedBefore?: string;
}

/** Returns the listener with both acknowledgements when it needs them, and the warning saying so. */
export function acknowledgePlaintext<L extends TcpListener>(
  listener: L,
  context: PlaintextContext,
): { listener: L; warning?: MigrationWarning } {
  const { address } = listener;
  if (
    listener.socket !== undefined ||
    address === undefined ||
    listener.tls !== undefined ||
    isLoopbackAddress(address)
  )
    return { listener };
  const who = context.admission
    ? `${context.admission} still limits who may connect`
    : context.admittedBefore
      ? `anyone who can reach it controls the Docker daemon, where the old proxy admitted only ${context.admittedBefore}`
      : 'anyone who can reach it controls the Docker daemon, as before';
  return {
    listener: { ...listener, insecure_allow_plain_tcp: true, insecure_allow_unauthenticated_clients: true },
    warning: {
      code: 'migrate/plaintext-listener',
      severity: 'warning',
      ...(context.origin === undefined ? {} : { origin: context.origin }),
      message: `${context.setting}: the old proxy served plaintext, unauthenticated TCP on ${address}. Sockguard refuses that unless acknowledged, so the listener sets insecure_allow_plain_tcp and insecure_allow_unauthenticated_clients; ${who}. Prefer mutual TLS (listen.tls), a unix socket, or a network that holds only the proxy and its clients.`,
    },
  };
}
