/**
 * request_body.build — POST /build (sockguard-config.md §8.2, security-notes.md §12, §15.6).
 * `networkmode=host` needs allow_host_network; a `remote` context (a URL, git repository or the
 * BuildKit `client-session`) is fetched by the daemon, so it needs allow_remote_context and, because
 * its Dockerfile is out of sight, allow_run_instructions. Otherwise the body must be an uncompressed
 * tar whose Dockerfile we can read: exactly one regular entry at the `dockerfile` path (the daemon
 * uses the last of duplicates, so duplicates are refused). With RUN restricted, a RUN instruction, a
 * non-standard `# syntax=` frontend or a BUILDKIT_SYNTAX build argument (both run arbitrary build
 * steps) is denied; with host networking restricted, so is `RUN --network=host`.
 */
import type { RequestBodyPolicy } from '../schema.js';
import { archivePath, entryBelowSymlink } from './archive-symlinks.js';
import { buildArgsShape } from './body-shapes.js';
import { decodeDockerJson, formatJsonError } from './decode-docker-json.js';
import { scanDockerfile } from './dockerfile-scan.js';
import type { GoQuery } from './go-query.js';
import { detectCompression, readTar, type TarEntry } from './tar-reader.js';
import { ALLOW, denied, malformed, policyKeys, uninspectable, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['build']>;

export const MAX_DOCKERFILE_BYTES = 1024 * 1024;
const STANDARD_FRONTEND =
  /^(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?(?::[\w][\w.-]*)?(?:@sha256:[a-f0-9]{64})?$/;
const utf8 = new TextDecoder('utf-8');

export interface CompiledBuild {
  key: PolicyKey;
  flags: Required<Group>;
}

export function compileBuild(group: Group | undefined, prefix: string): CompiledBuild {
  return {
    key: policyKeys(prefix, 'build'),
    flags: {
      allow_remote_context: group?.allow_remote_context ?? false,
      allow_host_network: group?.allow_host_network ?? false,
      allow_run_instructions: group?.allow_run_instructions ?? false,
    },
  };
}

/** Whether the body must be read: only to scan the Dockerfile, which host networking also needs. */
export function buildNeedsBody(p: CompiledBuild): boolean {
  return !p.flags.allow_run_instructions || !p.flags.allow_host_network;
}

function findDockerfile(entries: readonly TarEntry[], wanted: string): TarEntry[] {
  const matches = entries.filter((e) => e.type !== 'dir' && archivePath(e.name) === wanted);
  // The classic builder falls back to a lower-case "dockerfile" when the default name is absent.
  if (matches.length === 0 && wanted === 'Dockerfile') {
    return entries.filter((e) => e.type !== 'dir' && archivePath(e.name) === 'dockerfile');
  }
  return matches;
}

function inspectQuery(query: GoQuery, p: CompiledBuild): BodyVerdict {
  const { flags, key } = p;
  const networkMode = (query.get('networkmode') ?? '').trim();
  if (!flags.allow_host_network && networkMode.toLowerCase() === 'host') {
    return denied(`query networkmode is "host"; ${key('allow_host_network')} is false`);
  }
  const remote = (query.get('remote') ?? '').trim();
  if (remote !== '') {
    if (!flags.allow_remote_context) {
      return denied(
        `query remote ${JSON.stringify(remote)} is a remote build context; ${key('allow_remote_context')} is false`,
      );
    }
    if (!flags.allow_run_instructions || !flags.allow_host_network) {
      return uninspectable(
        `query remote ${JSON.stringify(remote)}: the Dockerfile of a remote context cannot be inspected, and ${key(flags.allow_run_instructions ? 'allow_host_network' : 'allow_run_instructions')} is false`,
      );
    }
  }
  if (!flags.allow_run_instructions && query.get('buildargs') !== undefined) {
    const args = decodeDockerJson(query.get('buildargs')!, buildArgsShape);
    if (!args.ok) return malformed(`query buildargs is not a JSON object: ${formatJsonError(args.error)}`);
    if ('BUILDKIT_SYNTAX' in args.value) {
      return denied(
        `query buildargs sets BUILDKIT_SYNTAX, which selects a custom build frontend; ${key('allow_run_instructions')} is false`,
      );
    }
  }
  return ALLOW;
}

export function inspectBuild(query: GoQuery, body: Uint8Array | undefined, p: CompiledBuild): BodyVerdict {
  const queryVerdict = inspectQuery(query, p);
  if (!queryVerdict.ok || (query.get('remote') ?? '').trim() !== '' || !buildNeedsBody(p)) return queryVerdict;
  const { flags, key } = p;
  const restricted = flags.allow_run_instructions ? 'allow_host_network' : 'allow_run_instructions';
  if (body === undefined)
    return uninspectable(`the build context was not read, so its Dockerfile cannot be checked for ${key(restricted)}`);
  if (body.length === 0) return ALLOW; // no context: the daemon has nothing to build
  const compression = detectCompression(body);
  if (compression !== undefined) {
    return uninspectable(
      `the build context is ${compression}-compressed and cannot be inspected; ${key(restricted)} is false`,
    );
  }
  const tar = readTar(body);
  if (!tar.ok) return malformed(`the build context is not a readable tar archive: ${tar.problem}`);
  const requested = (query.get('dockerfile') ?? '').trim();
  const wanted = archivePath(requested === '' ? 'Dockerfile' : requested);
  if (wanted === '..' || wanted.startsWith('../')) {
    return uninspectable(`query dockerfile ${JSON.stringify(requested)} points outside the build context`);
  }
  const linked = entryBelowSymlink(tar.entries);
  if (linked !== undefined) {
    return uninspectable(
      `build context entry ${JSON.stringify(linked.entry.name)} is written through the symlink ${JSON.stringify(linked.link)}, so the Dockerfile the daemon reads cannot be determined`,
    );
  }
  const found = findDockerfile(tar.entries, wanted);
  if (found.length > 1)
    return denied(
      `the build context holds ${found.length} entries named ${JSON.stringify(wanted)}; the daemon would use the last, so this is always denied`,
    );
  const dockerfile = found[0];
  if (dockerfile === undefined)
    return uninspectable(`the build context has no ${JSON.stringify(wanted)} to inspect for ${key(restricted)}`);
  if (dockerfile.type !== 'file')
    return uninspectable(
      `${JSON.stringify(dockerfile.name)} in the build context is a ${dockerfile.type}, not a regular file`,
    );
  if (dockerfile.size > MAX_DOCKERFILE_BYTES)
    return uninspectable(`${JSON.stringify(dockerfile.name)} is larger than ${MAX_DOCKERFILE_BYTES} bytes`);
  const scan = scanDockerfile(utf8.decode(dockerfile.data));
  if (!flags.allow_run_instructions) {
    if (scan.syntax !== undefined && !STANDARD_FRONTEND.test(scan.syntax)) {
      return denied(
        `${dockerfile.name}: "# syntax=${scan.syntax}" selects a custom build frontend; ${key('allow_run_instructions')} is false`,
      );
    }
    if (scan.runLine !== undefined) {
      return denied(
        `${dockerfile.name} line ${scan.runLine} is a RUN instruction; ${key('allow_run_instructions')} is false`,
      );
    }
  }
  if (!flags.allow_host_network && scan.hostNetworkLine !== undefined) {
    return denied(
      `${dockerfile.name} line ${scan.hostNetworkLine} runs with --network=host; ${key('allow_host_network')} is false`,
    );
  }
  return ALLOW;
}
