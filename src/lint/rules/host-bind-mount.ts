/**
 * `allowed_bind_mounts` entries that hand out the host (sockguard-config.md §8.2; security-notes.md
 * bind mounts): `/` allows every host path, an ancestor of the Docker socket lets a container mount
 * the socket and drive the daemon, and the system directories (/etc, /root, /proc, /sys, /dev,
 * /boot, binaries, the daemon's data) let it rewrite the host; an entry inside one of them
 * (/etc/ssl/certs) names exactly what it shares and is not reported. Entries are compared after cleaning,
 * on path boundaries, exactly as the inspector matches them. Reported only where a rule lets
 * clients reach the endpoint the group judges.
 */
import { cleanPath } from '../../policy/canonical-path.js';
import { bodyScopes, stringEntries } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

/** Groups with a host-path allowlist and the request that reaches each. */
const GROUPS = [
  { group: 'container_create', method: 'POST', path: '/containers/create' },
  { group: 'libpod_container_create', method: 'POST', path: '/libpod/containers/create' },
  { group: 'service', method: 'POST', path: '/services/create' },
  { group: 'plugin', method: 'POST', path: '/plugins/pull' },
] as const;

/** Where the daemon's socket usually lives (/var/run is a symlink to /run on most hosts). */
const SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

/** Host directories whose contents are the host: writing there is root. */
const SYSTEM_DIRECTORIES = [
  '/etc',
  '/root',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/run/containerd',
];

const covers = (prefix: string, path: string): boolean =>
  prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);

/** Why an entry hands out the host, or undefined. */
function danger(entry: string, sockets: readonly string[]): string | undefined {
  if (!entry.startsWith('/')) return undefined;
  const prefix = cleanPath(entry.trim());
  if (prefix === '/') return 'allows bind-mounting every host path, including / itself and the Docker socket';
  const socket = sockets.find((s) => covers(prefix, s));
  if (socket !== undefined) {
    return `covers the Docker socket ${socket}: a container that mounts it drives the daemon, which is root on the host`;
  }
  // Only the directory itself or an ancestor: entries inside (/etc/ssl/certs, /etc/localtime) are
  // the usual read-only mounts and name exactly what they share.
  const system = SYSTEM_DIRECTORIES.find((dir) => covers(prefix, dir));
  if (system !== undefined) {
    return `${prefix === system ? 'is' : 'covers'} the host's ${system}: a container that mounts it can rewrite the host`;
  }
  return undefined;
}

export default defineRule({
  id: 'host-bind-mount',
  family: 'exposure',
  severity: 'error',
  summary: 'allowed_bind_mounts hands out the host (/, the Docker socket, system directories)',
  help: 'request_body.*.allowed_bind_mounts lists host directories containers may bind-mount; every path below an entry is allowed. "/" allows all of them, an entry above the Docker socket (such as /var/run or /run) lets a container mount the socket and control the daemon, and system directories (/etc, /root, /proc, /sys, /dev, /boot, /usr, the daemon data under /var/lib/docker) let it rewrite the host. Each is the same as giving the client root on the host. List only the data directories containers need, e.g. /srv/app/data.',
  check: (context) => {
    const upstream = context.document.upstream?.socket;
    const sockets =
      typeof upstream === 'string' && upstream.startsWith('/')
        ? [...new Set([cleanPath(upstream), ...SOCKETS])]
        : SOCKETS;
    const findings: LintFinding[] = [];
    for (const scope of bodyScopes(context)) {
      for (const { group, method, path } of GROUPS) {
        const entries = stringEntries(scope.block?.[group]?.allowed_bind_mounts);
        if (entries.length === 0) continue;
        const rule = scope.reachedBy(method, path);
        if (rule === undefined) continue;
        for (const [i, entry] of entries) {
          const why = danger(entry, sockets);
          if (why === undefined) continue;
          findings.push({
            message: `${scope.key}.${group}.allowed_bind_mounts entry "${entry}" ${why}, and ${rule} allows ${method} ${path}; list only the directories containers need, e.g. /srv/app/data`,
            pointer: `${scope.pointer}/${group}/allowed_bind_mounts/${i}`,
          });
        }
      }
    }
    return findings;
  },
});
