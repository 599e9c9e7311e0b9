/**
 * An archive can write through its own symlinks: after `d -> .` (or `d -> sub`), an entry `d/Dockerfile`
 * lands on `Dockerfile` (or `sub/Dockerfile`) when dockerd unpacks it, whatever order the entries come
 * in. An inspector that matches entry names would judge one file and the daemon use another, so an
 * entry below a symlink of the same archive is refused wherever names decide the verdict. Archives from
 * the docker CLI never contain one: it stores symlinks as links and does not descend into them.
 */
import { cleanPath } from '../canonical-path.js';
import type { TarEntry } from './tar-reader.js';

/** An entry name relative to the unpack root, cleaned the way the daemon cleans it. */
export function archivePath(name: string): string {
  return cleanPath(name.replace(/^\/+/, '') || '.');
}

export interface LinkedEntry {
  entry: TarEntry;
  /** The symlink entry the path goes through. */
  link: string;
}

export function entryBelowSymlink(entries: readonly TarEntry[]): LinkedEntry | undefined {
  const links = new Set(entries.filter((e) => e.type === 'symlink').map((e) => archivePath(e.name)));
  if (links.size === 0) return undefined;
  for (const entry of entries) {
    const parts = archivePath(entry.name).split('/');
    for (let n = 1; n < parts.length; n++) {
      const ancestor = parts.slice(0, n).join('/');
      if (links.has(ancestor)) return { entry, link: ancestor };
    }
  }
  return undefined;
}
