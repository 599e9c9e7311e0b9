/**
 * request_body.container_archive — PUT /containers/{id}/archive, the `docker cp` upload
 * (sockguard-config.md §8.2, security-notes.md §12). The query `path` must lie within
 * allowed_paths (when any are set); every tar entry must stay inside the archive, and set-id bits,
 * device nodes and links that leave the archive need their allow flags. dockerd decompresses the body
 * itself, so a compressed upload cannot be judged and is refused.
 */
import type { RequestBodyPolicy } from '../schema.js';
import { cleanPath } from '../canonical-path.js';
import { entryBelowSymlink } from './archive-symlinks.js';
import type { GoQuery } from './go-query.js';
import { detectCompression, readTar, type TarEntry } from './tar-reader.js';
import { ALLOW, denied, malformed, policyKeys, uninspectable, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['container_archive']>;

export interface CompiledContainerArchive {
  key: PolicyKey;
  /** Container paths without the leading "/"; "." is the whole filesystem. */
  allowedPaths: string[];
  allowSetid: boolean;
  allowDeviceNodes: boolean;
  allowEscapingLinks: boolean;
}

/** A path relative to the container root, cleaned; undefined when it climbs above the root. */
function rootRelative(path: string): string | undefined {
  const cleaned = cleanPath(path.trim().replace(/^\/+/, '') || '.');
  return cleaned === '..' || cleaned.startsWith('../') ? undefined : cleaned;
}

/** An archive member path: relative, and not climbing out of the archive once cleaned. */
function insideArchive(path: string): boolean {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed.startsWith('/')) return false;
  const cleaned = cleanPath(trimmed);
  return cleaned !== '..' && !cleaned.startsWith('../');
}

export function compileContainerArchive(group: Group | undefined, prefix: string): CompiledContainerArchive {
  return {
    key: policyKeys(prefix, 'container_archive'),
    allowedPaths: [
      ...new Set(
        (group?.allowed_paths ?? [])
          .filter((p) => p.trim() !== '')
          .map(rootRelative)
          .filter((p) => p !== undefined),
      ),
    ],
    allowSetid: group?.allow_setid ?? false,
    allowDeviceNodes: group?.allow_device_nodes ?? false,
    allowEscapingLinks: group?.allow_escaping_links ?? false,
  };
}

export function archiveNeedsBody(p: CompiledContainerArchive): boolean {
  return !(p.allowSetid && p.allowDeviceNodes && p.allowEscapingLinks);
}

function inspectEntry(entry: TarEntry, p: CompiledContainerArchive): BodyVerdict {
  const { key } = p;
  const name = JSON.stringify(entry.name);
  if (!insideArchive(entry.name))
    return denied(`archive entry ${name} is absolute or climbs out of the target directory; this is always denied`);
  if (!p.allowSetid && (entry.mode & 0o6000) !== 0)
    return denied(`archive entry ${name} has setuid/setgid bits; ${key('allow_setid')} is false`);
  if (!p.allowDeviceNodes && (entry.type === 'char' || entry.type === 'block')) {
    return denied(`archive entry ${name} is a device node; ${key('allow_device_nodes')} is false`);
  }
  if (!p.allowEscapingLinks && entry.linkname.trim() !== '') {
    const dir = cleanPath(entry.name.trim()).split('/').slice(0, -1).join('/');
    const target = entry.type === 'symlink' && dir !== '' ? `${dir}/${entry.linkname.trim()}` : entry.linkname.trim();
    if ((entry.type === 'symlink' || entry.type === 'hardlink') && !insideArchive(target)) {
      return denied(
        `archive ${entry.type} ${name} points to ${JSON.stringify(entry.linkname)}, outside the archive; ${key('allow_escaping_links')} is false`,
      );
    }
  }
  if (entry.type === 'other')
    return denied(`archive entry ${name} has a tar type dockerd does not unpack safely; this is always denied`);
  return ALLOW;
}

export function inspectContainerArchive(
  query: GoQuery,
  body: Uint8Array | undefined,
  p: CompiledContainerArchive,
): BodyVerdict {
  const { key } = p;
  const rawTarget = query.get('path') ?? '';
  const target = rootRelative(rawTarget);
  if (target === undefined) return denied(`query path ${JSON.stringify(rawTarget)} climbs above the container root`);
  if (p.allowedPaths.length > 0 && rawTarget.trim() !== '') {
    const allowed = p.allowedPaths.some((a) => a === '.' || target === a || target.startsWith(a + '/'));
    if (!allowed) return denied(`query path ${JSON.stringify(rawTarget)} is not under ${key('allowed_paths')}`);
  }
  if (!archiveNeedsBody(p)) return ALLOW;
  if (body === undefined) return uninspectable('the archive body was not read, so its entries cannot be checked');
  if (body.length === 0) return ALLOW;
  const compression = detectCompression(body);
  if (compression !== undefined)
    return uninspectable(`the archive is ${compression}-compressed and cannot be inspected`);
  const tar = readTar(body);
  if (!tar.ok) return malformed(`the archive is not a readable tar: ${tar.problem}`);
  for (const entry of tar.entries) {
    const verdict = inspectEntry(entry, p);
    if (!verdict.ok) return verdict;
  }
  const linked = p.allowEscapingLinks ? undefined : entryBelowSymlink(tar.entries);
  if (linked !== undefined) {
    return denied(
      `archive entry ${JSON.stringify(linked.entry.name)} is written through the symlink ${JSON.stringify(linked.link)}; ${key('allow_escaping_links')} is false`,
    );
  }
  return ALLOW;
}
