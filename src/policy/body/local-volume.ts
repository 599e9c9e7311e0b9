/**
 * The built-in `local` volume driver hands its `type`/`o`/`device` options to mount(2)
 * (security-notes.md §15.1, §15.9): `type=none,o=bind,device=/` is a host bind, and a filesystem type
 * over `device=/dev/...` mounts a host disk. Both reach what a bind allowlist is meant to bound, so
 * their devices are judged against the same allowlist. Option keys are read case-insensitively and
 * every spelling is checked, so no key casing hides a device. Network filesystems and tmpfs name no
 * local path and are left alone.
 */
import { cleanPath } from '../canonical-path.js';
import type { PathAllowlist } from './host-path.js';

const BIND_OPTIONS = new Set(['bind', 'rbind']);
const BIND_TYPES = new Set(['none', 'bind']);
const REMOTE_TYPES = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'tmpfs']);

/** A host path the options reach that the allowlist does not cover, or undefined. */
export function forbiddenLocalVolumeDevice(
  driver: string | undefined,
  options: Readonly<Record<string, string>> | undefined,
  allowlist: PathAllowlist,
): string | undefined {
  const name = (driver ?? '').trim().toLowerCase();
  if (!options || (name !== '' && name !== 'local')) return undefined;
  const types: string[] = [];
  const devices: string[] = [];
  let bind = false;
  for (const [key, value] of Object.entries(options)) {
    switch (key.trim().toLowerCase()) {
      case 'device':
        if (value.trim() !== '') devices.push(value.trim());
        break;
      case 'type':
        types.push(value.trim().toLowerCase());
        if (BIND_TYPES.has(value.trim().toLowerCase())) bind = true;
        break;
      case 'o':
        for (const option of value.split(',')) {
          const trimmed = option.trim();
          if (BIND_OPTIONS.has(trimmed.toLowerCase())) bind = true;
          // btrfs takes extra member devices as device= mount data, passed through verbatim.
          const eq = trimmed.indexOf('=');
          if (eq > 0 && trimmed.slice(0, eq).trim().toLowerCase() === 'device' && trimmed.slice(eq + 1).trim() !== '') {
            devices.push(trimmed.slice(eq + 1).trim());
          }
        }
        break;
    }
  }
  // mount(2) resolves a relative source against the daemon's working directory, "/".
  const resolved = devices.map((d) => cleanPath(d.startsWith('/') ? d : `/${d}`)).sort();
  if (bind) {
    const outside = resolved.find((d) => !allowlist.allows(d));
    if (outside !== undefined) return outside;
  }
  const mountsHostFilesystem = types.length === 0 || types.some((t) => !REMOTE_TYPES.has(t));
  if (!mountsHostFilesystem) return undefined;
  return resolved.find((d) => (d === '/dev' || d.startsWith('/dev/')) && !allowlist.allows(d));
}
