/**
 * The process settings of the Tecnativa and LinuxServer images as Sockguard listener, upstream and
 * log settings (peers.md §1.1, §1.2, §2.1, §2.2): both serve plaintext HTTP on TCP 2375 on every
 * interface of the container (IPv4 only with DISABLE_IPV6), read the daemon from SOCKET_PATH and log
 * at LOG_LEVEL (HAProxy's syslog level names).
 */
import { describeSetting, type EnvSetting } from '../peers/peer-settings.js';
import type { PolicyDocument } from '../policy/schema.js';
import type { MigrationWarning } from './types.js';
import { SYSLOG_LEVELS } from '../policy/env-overlay.js';

export interface HaproxyProcessInput {
  imageLabel: string;
  disableIpv6: EnvSetting<boolean>;
  logLevel: EnvSetting<string | undefined>;
  socketPath: EnvSetting<string | undefined>;
}

export interface ProcessTranslation {
  settings: Pick<PolicyDocument, 'listen' | 'upstream' | 'log'>;
  warnings: MigrationWarning[];
}

const PORT = 2375;

export function translateHaproxyProcess(input: HaproxyProcessInput): ProcessTranslation {
  const { disableIpv6, logLevel, socketPath } = input;
  // An empty host listens on every interface, IPv4 and IPv6, like HAProxy's `bind [::]:2375 v4v6`.
  const address = disableIpv6.effective ? `0.0.0.0:${PORT}` : `:${PORT}`;
  const settings: ProcessTranslation['settings'] = {
    listen: { address, insecure_allow_plain_tcp: true, insecure_allow_unauthenticated_clients: true },
  };
  const warnings: MigrationWarning[] = [
    {
      code: 'migrate/plaintext-tcp-listener',
      severity: 'warning',
      origin: disableIpv6.raw === undefined ? 'image' : disableIpv6.origin,
      message: `${input.imageLabel} served the Docker API as plaintext, unauthenticated HTTP on TCP ${PORT} on every interface of its container (${disableIpv6.effective ? 'IPv4 only' : 'IPv4 and IPv6'}). The policy keeps that listener (${address} with both insecure acknowledgements) so that clients using tcp://<service>:${PORT} keep working; anyone who can reach the port controls the Docker daemon. Prefer a unix socket shared with the clients, or listen.tls (mutual TLS).`,
    },
  ];

  const socket = socketPath.raw?.trim();
  if (socketPath.read && socket !== undefined && socket !== '') settings.upstream = { socket };

  if (logLevel.read && logLevel.raw !== undefined) {
    // HAProxy reads level names case-sensitively, so the value is looked up as written.
    const level = SYSLOG_LEVELS[logLevel.raw];
    if (level !== undefined) settings.log = { level };
    else {
      warnings.push({
        code: 'migrate/unmapped-value',
        severity: 'warning',
        origin: logLevel.origin,
        message: `${describeSetting(logLevel)} is not a HAProxy log level, so it has no Sockguard equivalent; log.level stays at its default (info).`,
      });
    }
  }
  return { settings, warnings };
}
