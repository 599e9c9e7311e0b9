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

interface LinkTrie {
  link: boolean;
  children: Map<string, LinkTrie>;
}

/** Walks each entry's components through a trie of the symlink paths: linear in the total name length. */
export function entryBelowSymlink(entries: readonly TarEntry[]): LinkedEntry | undefined {
  const root: LinkTrie = { link: false, children: new Map() };
  let anyLink = false;
  for (const entry of entries) {
    if (entry.type !== 'symlink') continue;
    let node = root;
    for (const part of archivePath(entry.name).split('/')) {
      let child = node.children.get(part);
      if (child === undefined) node.children.set(part, (child = { link: false, children: new Map() }));
      node = child;
    }
    node.link = anyLink = true;
  }
  if (!anyLink) return undefined;
  for (const entry of entries) {
    const parts = archivePath(entry.name).split('/');
    let node: LinkTrie | undefined = root;
    for (let n = 0; n < parts.length - 1 && node !== undefined; n++) {
      node = node.children.get(parts[n]!);
      if (node?.link) return { entry, link: parts.slice(0, n + 1).join('/') };
    }
  }
  return undefined;
}
