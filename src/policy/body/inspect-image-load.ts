/**
 * request_body.image_load — POST /images/load (sockguard-config.md §8.2, security-notes.md §12).
 * The archive names the images it creates in manifest.json (RepoTags), in an OCI index.json
 * (image-name annotations) and in the legacy repositories file; every name from every source must
 * pass the registry allowlist, an archive naming none needs allow_untagged, and a repeated
 * metadata file is refused (which copy the daemon reads is not ours to guess). Compressed archives
 * cannot be inspected and are refused.
 */
import type { RequestBodyPolicy } from '../schema.js';
import { imageIndexShape, imageManifestShape, imageRepositoriesShape } from './body-shapes.js';
import { archivePath, entryBelowSymlink } from './archive-symlinks.js';
import { decodeDockerJson, formatJsonError } from './decode-docker-json.js';
import { compileRegistryAllowlist, type RegistryAllowlist } from './image-reference.js';
import { detectCompression, readTar, type TarEntry } from './tar-reader.js';
import { ALLOW, denied, malformed, policyKeys, uninspectable, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['image_load']>;

const IMAGE_NAME_ANNOTATION = 'io.containerd.image.name';
const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
const METADATA_FILES = ['manifest.json', 'index.json', 'repositories'];

export interface CompiledImageLoad {
  key: PolicyKey;
  registries: RegistryAllowlist;
  allowUntagged: boolean;
}

export function compileImageLoad(group: Group | undefined, prefix: string): CompiledImageLoad {
  const key = policyKeys(prefix, 'image_load');
  return { key, registries: compileRegistryAllowlist(group, key), allowUntagged: group?.allow_untagged ?? false };
}

type Names = { ok: true; names: string[] } | { ok: false; verdict: BodyVerdict };

function namesIn(file: string, entry: TarEntry): Names {
  const fail = (problem: string): Names => ({
    ok: false,
    verdict: malformed(`${file} in the image archive: ${problem}`),
  });
  if (file === 'manifest.json') {
    const manifest = decodeDockerJson(entry.data, imageManifestShape);
    return manifest.ok
      ? { ok: true, names: manifest.value.flatMap((m) => m.RepoTags ?? []) }
      : fail(formatJsonError(manifest.error));
  }
  if (file === 'index.json') {
    const index = decodeDockerJson(entry.data, imageIndexShape);
    if (!index.ok) return fail(formatJsonError(index.error));
    // The containerd image-name annotation is the full name; a bare ref.name is judged as written.
    const names = (index.value.manifests ?? [])
      .map((m) => m.annotations?.[IMAGE_NAME_ANNOTATION] ?? m.annotations?.[REF_NAME_ANNOTATION])
      .filter((n) => n !== undefined);
    return { ok: true, names };
  }
  const repositories = decodeDockerJson(entry.data, imageRepositoriesShape);
  if (!repositories.ok) return fail(formatJsonError(repositories.error));
  return {
    ok: true,
    names: Object.entries(repositories.value).flatMap(([repo, tags]) =>
      Object.keys(tags).map((tag) => `${repo}:${tag}`),
    ),
  };
}

export function inspectImageLoad(body: Uint8Array | undefined, p: CompiledImageLoad): BodyVerdict {
  const { key } = p;
  if (body === undefined)
    return uninspectable('the image archive was not read, so the images it names cannot be checked');
  if (body.length === 0) return ALLOW;
  const compression = detectCompression(body);
  if (compression !== undefined)
    return uninspectable(`the image archive is ${compression}-compressed and cannot be inspected`);
  const tar = readTar(body);
  if (!tar.ok) return malformed(`the image archive is not a readable tar: ${tar.problem}`);
  const linked = entryBelowSymlink(tar.entries);
  if (linked !== undefined) {
    return uninspectable(
      `image archive entry ${JSON.stringify(linked.entry.name)} is written through the symlink ${JSON.stringify(linked.link)}`,
    );
  }
  const names: string[] = [];
  let sawMetadata = false;
  for (const file of METADATA_FILES) {
    const entries = tar.entries.filter((e) => archivePath(e.name) === file);
    if (entries.length > 1)
      return denied(`the image archive holds ${entries.length} copies of ${file}; this is always denied`);
    const entry = entries[0];
    if (entry === undefined) continue;
    if (entry.type !== 'file') return uninspectable(`${file} in the image archive is not a regular file`);
    const found = namesIn(file, entry);
    if (!found.ok) return found.verdict;
    sawMetadata = true;
    names.push(...found.names);
  }
  const tagged = names.filter((n) => n.trim() !== '' && n.trim() !== '<none>:<none>');
  if (tagged.length === 0 || !sawMetadata) {
    return p.allowUntagged ? ALLOW : denied(`the image archive names no image; ${key('allow_untagged')} is false`);
  }
  for (const name of tagged) {
    const reason = p.registries.check(name.trim(), 'image archive name');
    if (reason !== undefined) return denied(reason);
  }
  return ALLOW;
}
