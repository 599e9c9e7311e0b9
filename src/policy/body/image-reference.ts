/**
 * Image references and registry allowlists (security-notes.md §12, distribution/reference
 * normalize.go). The first path component is a registry host when it contains `.` or `:`, is
 * `localhost`, or contains an upper-case letter (`Evil/x` is pulled from host `Evil`);
 * `index.docker.io` is `docker.io`; Docker Hub names with one component, or `library/x`, are
 * official images. Hosts compare lower-cased. Prefix tricks like `docker.io.evil.example` are hosts
 * of their own.
 */
import type { PolicyKey } from './verdict.js';

export interface ImageReference {
  /** Lower-cased registry host (with port), `docker.io` for Docker Hub. */
  registry: string;
  /** Repository path without registry, tag or digest. */
  repository: string;
  official: boolean;
}

const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REMAINDER = new RegExp(
  `^(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`,
);
const HEX64 = /^[a-f0-9]{64}$/;
/** dockerd refuses names over 255 characters; with a tag and a digest nothing valid is longer (and the regexes stay cheap). */
const MAX_REFERENCE_LENGTH = 512;

export function normalizeRegistryHost(host: string): string {
  const lower = host.trim().toLowerCase();
  return lower === 'index.docker.io' ? 'docker.io' : lower;
}

/** Parses like reference.ParseNormalizedNamed; undefined for a reference dockerd would refuse. */
export function parseImageReference(text: string): ImageReference | undefined {
  if (text.length > MAX_REFERENCE_LENGTH || HEX64.test(text)) return undefined;
  const slash = text.indexOf('/');
  const first = slash < 0 ? '' : text.slice(0, slash);
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  const domain = hasDomain ? first : 'docker.io';
  const remainder = hasDomain ? text.slice(slash + 1) : text;
  const colon = remainder.indexOf(':');
  const remoteName = colon < 0 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) return undefined;
  if (!DOMAIN.test(domain)) return undefined;
  const match = REMAINDER.exec(remainder);
  if (!match) return undefined;
  const registry = normalizeRegistryHost(domain);
  const repository = match[1]!;
  const components = repository.split('/');
  const official =
    registry === 'docker.io' && (components.length === 1 || (components.length === 2 && components[0] === 'library'));
  return { registry, repository, official };
}

export interface RegistryAllowlist {
  /** A denial reason for `field` holding `reference`, or undefined when it is allowed. */
  check(reference: string, field: string): string | undefined;
  /** Whether a bare registry host (e.g. an auth server address) is allowed. */
  allowsHost(host: string): boolean;
  readonly allowsAll: boolean;
}

export interface RegistryFields {
  allow_all_registries?: boolean;
  allow_official?: boolean;
  allowed_registries?: string[];
}

export function compileRegistryAllowlist(fields: RegistryFields | undefined, key: PolicyKey): RegistryAllowlist {
  const allowsAll = fields?.allow_all_registries ?? false;
  const allowOfficial = fields?.allow_official ?? false;
  const hosts = new Set((fields?.allowed_registries ?? []).map(normalizeRegistryHost).filter((h) => h !== ''));
  const allowsHost = (host: string): boolean => allowsAll || hosts.has(host) || (allowOfficial && host === 'docker.io');
  return {
    allowsAll,
    allowsHost,
    check(reference, field) {
      if (allowsAll) return undefined;
      const parsed = parseImageReference(reference);
      if (!parsed) return `${field} "${reference}" is not a valid image reference, so its registry cannot be judged`;
      if (allowOfficial && parsed.official) return undefined;
      if (hosts.has(parsed.registry)) return undefined;
      const officialNote = parsed.official ? ` and ${key('allow_official')} is false` : '';
      return `${field} "${reference}" is pulled from registry "${parsed.registry}"; it is not in ${key('allowed_registries')}${officialNote} (${key('allow_all_registries')} is false)`;
    },
  };
}
