/**
 * Which old socket proxy a compose service runs, from its image reference (peers.md §6). The
 * reference is split the way docker splits it: an optional registry host (first segment with a `.`
 * or `:`, or `localhost`), the repository path, an optional `:tag` and `@digest`. The registry host
 * is matched case-insensitively and may be anything (Docker Hub, ghcr.io, lscr.io, quay.io, a
 * mirror); registry prefixes that are still compose variables (`${REGISTRY}`, `$REPO`) are dropped.
 * The repository path must end in one of the known repositories, segment by segment, so a
 * pull-through cache path such as `mirror.example/hub/tecnativa/docker-socket-proxy` is recognised
 * while `linuxserver/socket-proxy`, `11notes/socket-proxy` and `wollomatic/socket-proxy` (same last
 * segment) never mix. Repository paths are case-sensitive because docker rejects upper case there.
 */

import type { SourceKind } from './types.js';

export interface DetectedSource {
  source: SourceKind;
  /** The known repository matched, e.g. `linuxserver/socket-proxy`. */
  repository: string;
  /** Registry host, lower-cased; `docker.io` when the reference names none; absent when a compose variable names it. */
  registry?: string;
  tag?: string;
  digest?: string;
}

const REPOSITORIES: readonly (readonly [string, SourceKind])[] = [
  ['tecnativa/docker-socket-proxy', 'tecnativa'],
  ['linuxserver/socket-proxy', 'linuxserver'],
  ['linuxserver.io/socket-proxy', 'linuxserver'],
  ['wollomatic/socket-proxy', 'wollomatic'],
  ['11notes/socket-proxy', 'elevennotes'],
  ['hectorm/cetusguard', 'cetusguard'],
];

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
// Leading `${...}` / `$NAME` expressions: what is left of a registry prefix compose could not fill in.
const LEADING_VARIABLES = /^(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+\/?/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export function detectSource(image: string): DetectedSource | undefined {
  const trimmed = image.trim();
  const reference = trimmed.replace(LEADING_VARIABLES, '');
  const registryIsVariable = reference !== trimmed;
  const at = reference.indexOf('@');
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;
  const named = at < 0 ? reference : reference.slice(0, at);
  const lastSlash = named.lastIndexOf('/');
  const colon = named.indexOf(':', lastSlash + 1);
  const written = colon < 0 ? undefined : named.slice(colon + 1);
  // A tag that is still a compose variable (`:${TAG:-edge}`) names no release we can know.
  const tag = written?.includes('$') ? undefined : written;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const name = colon < 0 ? named : named.slice(0, colon);
  const segments = name.split('/');
  const first = segments[0] ?? '';
  const hasRegistry =
    segments.length > 1 && (first.includes('.') || first.includes(':') || first.toLowerCase() === 'localhost');
  const host = hasRegistry ? first.toLowerCase() : DOCKER_HUB;
  const path = hasRegistry ? segments.slice(1).join('/') : name;
  const known = REPOSITORIES.find(([repository]) => path === repository || path.endsWith('/' + repository));
  if (!known) return undefined;
  const registry = DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
  return {
    source: known[1],
    repository: known[0],
    ...(registryIsVariable && !hasRegistry ? {} : { registry }),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}
