/**
 * The uid, gid and pid of the process at the other end of a unix-socket connection, for
 * `clients.unix_peer_profiles` (sockguard-config.md §9). Node has no API for SO_PEERCRED, so a
 * ~100-line N-API addon (native/peercred.c, built by `npm run build:native` with node-gyp) asks the
 * kernel with getsockopt() on the accepted socket's fd. Nothing is inferred from /proc or `ss`
 * output, which would race with the client (a pid or inode reused between connect and lookup).
 *
 * The kernel records the credentials when the client calls connect(); they do not change when that
 * process later changes user or passes the fd on. Reading them is synchronous, on the same thread
 * that owns the fd, so the fd cannot be closed and reused in between. One read per connection:
 * keep-alive requests reuse it.
 *
 * Failing closed: when the addon is missing or a read fails, `read` answers 'unreadable' (and a
 * warning is logged once per reader); resolveProfile then refuses the request with 502 `client
 * identity lookup failed` if the policy selects profiles by unix peer, instead of letting the client
 * fall through to a possibly broader default profile.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { UnixPeer } from '../policy/clients/resolve-profile.js';

/** Where node-gyp puts the addon; the same relative path from src/proxy and dist/proxy. */
const ADDON_PATH = '../../native/build/Release/peercred.node';

export interface PeerCredentialsAddon {
  /** Throws with `code` set when the fd is not a connected unix stream socket. */
  peerCredentials(fd: number): { pid: number; uid: number; gid: number };
}

export type AddonLoad = { readonly addon: PeerCredentialsAddon } | { readonly error: string };

export function loadPeerCredentialsAddon(path = ADDON_PATH): AddonLoad {
  try {
    const addon = createRequire(import.meta.url)(path) as PeerCredentialsAddon;
    if (typeof addon.peerCredentials !== 'function') return { error: `${path} does not export peerCredentials` };
    return { addon };
  } catch (error) {
    return { error: `cannot load the SO_PEERCRED addon (run npm run build:native): ${(error as Error).message}` };
  }
}

let processAddon: AddonLoad | undefined;

/** The addon as serve uses it, loaded once per process (enforcement asks before readers exist). */
export function processPeerCredentialsAddon(): AddonLoad {
  return (processAddon ??= loadPeerCredentialsAddon());
}

/** The fd of a connected socket, from Node's internal handle (a Pipe for unix sockets). */
function descriptorOf(socket: Socket): number | undefined {
  const fd = (socket as Socket & { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : undefined;
}

function isId(value: unknown): value is number {
  // (uid_t)-1 is "no credentials", never an id.
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 0xffffffff;
}

export class PeerCredentialReader {
  readonly #load: AddonLoad;
  readonly #warn: (message: string) => void;
  readonly #cache = new WeakMap<Socket, UnixPeer | 'unreadable'>();
  #warned = false;

  constructor(options: { warn: (message: string) => void; load?: AddonLoad }) {
    this.#warn = options.warn;
    this.#load = options.load ?? processPeerCredentialsAddon();
  }

  /** False when the addon could not be loaded: every read is then 'unreadable'. */
  get available(): boolean {
    return 'addon' in this.#load;
  }

  /** Credentials of the client on an accepted unix-socket connection. Call only for unix listeners. */
  read(socket: Socket): UnixPeer | 'unreadable' {
    const cached = this.#cache.get(socket);
    if (cached !== undefined) return cached;
    const result = this.#readUncached(socket);
    this.#cache.set(socket, result);
    return result;
  }

  #readUncached(socket: Socket): UnixPeer | 'unreadable' {
    if (!('addon' in this.#load)) return this.#fail(this.#load.error);
    const fd = descriptorOf(socket);
    if (fd === undefined) return this.#fail('unix peer credentials: the connection has no file descriptor');
    try {
      const { uid, gid, pid } = this.#load.addon.peerCredentials(fd);
      if (!isId(uid) || !isId(gid) || !isId(pid)) return this.#fail('unix peer credentials: malformed answer');
      return { uid, gid, pid };
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return this.#fail(`unix peer credentials: ${code ?? 'error'}: ${message}`);
    }
  }

  #fail(message: string): 'unreadable' {
    if (!this.#warned) {
      this.#warned = true;
      this.#warn(`${message}; unix clients get no unix_peer_profiles match and are refused where those apply`);
    }
    return 'unreadable';
  }
}
