/**
 * Host-path allowlists (security-notes.md §15.11). dockerd cleans bind sources lexically with Go's
 * path.Clean, so both the allowlist entries and the requested path are cleaned, then compared on path
 * boundaries: `/srv/data2` is not inside `/srv/data`, and `/` allows everything. Linux paths are
 * case-sensitive. Symlinks inside an allowed directory are beyond a request filter's reach.
 */
import { cleanPath } from '../canonical-path.js';

export interface PathAllowlist {
  readonly allowsAll: boolean;
  allows(cleanedPath: string): boolean;
}

/** The cleaned absolute path, or undefined for a relative one. */
export function cleanAbsolutePath(path: string): string | undefined {
  return path.startsWith('/') ? cleanPath(path) : undefined;
}

export function compilePathAllowlist(entries: readonly string[] | undefined): PathAllowlist {
  const prefixes = [...new Set((entries ?? []).map((e) => cleanAbsolutePath(e.trim())).filter((e) => e !== undefined))];
  const allowsAll = prefixes.includes('/');
  return {
    allowsAll,
    allows: (path) => allowsAll || prefixes.some((prefix) => path === prefix || path.startsWith(prefix + '/')),
  };
}
