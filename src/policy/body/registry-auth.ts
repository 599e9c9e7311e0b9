/**
 * The X-Registry-Auth header: base64url JSON of a Docker AuthConfig (security-notes.md §15.5). Its
 * credentials are never read or echoed; only `serveraddress` is judged against the registry
 * allowlist. The header is bounded at 8 KiB and an undecodable one is refused.
 */
import { decodeDockerJson } from './decode-docker-json.js';
import { normalizeRegistryHost, type RegistryAllowlist } from './image-reference.js';
import { string, struct } from './json-shape.js';
import { ALLOW, denied, malformed, type BodyVerdict } from './verdict.js';

export const MAX_REGISTRY_AUTH_HEADER_BYTES = 8 * 1024;

const AUTH_CONFIG = struct({ serveraddress: string });

function decodeBase64(text: string): Uint8Array | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard)) return undefined;
  try {
    const binary = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Host part of a server address such as `https://index.docker.io/v1/` or `registry.example:5000`. */
function serverAddressHost(address: string): string {
  const withoutScheme = address.trim().replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '');
  const slash = withoutScheme.indexOf('/');
  return normalizeRegistryHost(slash < 0 ? withoutScheme : withoutScheme.slice(0, slash));
}

export function inspectRegistryAuth(
  header: string | undefined,
  registries: RegistryAllowlist,
  registriesKey: string,
): BodyVerdict {
  const value = (header ?? '').trim();
  if (value === '') return ALLOW;
  if (value.length > MAX_REGISTRY_AUTH_HEADER_BYTES) {
    return malformed(`the X-Registry-Auth header is longer than ${MAX_REGISTRY_AUTH_HEADER_BYTES} bytes`);
  }
  const bytes = decodeBase64(value);
  if (!bytes) return malformed('the X-Registry-Auth header is not base64');
  const auth = decodeDockerJson(bytes, AUTH_CONFIG);
  if (!auth.ok) return malformed('the X-Registry-Auth header is not a JSON auth object');
  const address = auth.value.serveraddress ?? '';
  if (address.trim() === '' || registries.allowsHost(serverAddressHost(address))) return ALLOW;
  return denied(
    `X-Registry-Auth serveraddress names registry "${serverAddressHost(address)}"; it is not allowed by ${registriesKey}`,
  );
}
