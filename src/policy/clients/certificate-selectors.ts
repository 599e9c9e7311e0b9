/**
 * `clients.client_certificate_profiles[]` selectors (sockguard-config.md §9) over the verified mTLS
 * client leaf: fields AND, entries within a field OR, at least one selector. Comparisons follow the
 * Go proxy: common name trimmed and exact; DNS names exact (case-sensitive); IP SANs as unmapped
 * addresses; URI SANs and SPIFFE IDs exact after lower-casing the scheme (what Go's url.Parse
 * normalises); SPKI pins as lower-case hex.
 */
import { sameIpAddress, parseClientIp, type IpAddress } from './ip-address.js';

/** What the proxy reads off the verified client certificate. */
export interface CertificateIdentity {
  /** Subject CN; with several CN attributes, the last one (Go's Subject.CommonName). */
  readonly commonName?: string;
  readonly dnsNames: readonly string[];
  /** IP SANs as text (IPv4, IPv6 in any spelling). */
  readonly ipAddresses: readonly string[];
  readonly uriSans: readonly string[];
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly spkiSha256: string;
}

/** One `client_certificate_profiles[]` entry, parsed (compile-clients.ts). */
export interface CertificateSelectors {
  readonly commonNames: readonly string[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly IpAddress[];
  readonly uriSans: readonly string[];
  readonly spiffeIds: readonly string[];
  /** Lower-case hex, without the `sha256:` prefix. */
  readonly publicKeySha256Pins: readonly string[];
}

export const SPIFFE_SCHEME = 'spiffe://';

/** A URI with its scheme lower-cased, the only normalisation both sides get. */
export function normalizeUri(uri: string): string {
  const colon = uri.indexOf(':');
  return colon > 0 ? uri.slice(0, colon).toLowerCase() + uri.slice(colon) : uri;
}

/** The SPIFFE IDs of a certificate: its URI SANs in the spiffe scheme. */
export function spiffeIdsOf(uriSans: readonly string[]): string[] {
  return uriSans.map(normalizeUri).filter((uri) => uri.startsWith(SPIFFE_SCHEME));
}

/** Whether any field constrains (a profile needs one; a listener without any admits every CA-signed leaf). */
export function hasSelectors(s: CertificateSelectors): boolean {
  return (
    s.commonNames.length +
      s.dnsNames.length +
      s.ipAddresses.length +
      s.uriSans.length +
      s.spiffeIds.length +
      s.publicKeySha256Pins.length >
    0
  );
}

/** An empty field does not constrain; a non-empty one must share at least one value. */
function fieldMatches<T>(wanted: readonly T[], have: readonly T[], same: (a: T, b: T) => boolean): boolean {
  return wanted.length === 0 || have.some((value) => wanted.some((w) => same(w, value)));
}

const equal = (a: string, b: string) => a === b;

export function certificateMatches(identity: CertificateIdentity, selectors: CertificateSelectors): boolean {
  if (!hasSelectors(selectors)) return false;
  const commonName = identity.commonName?.trim();
  const ips = identity.ipAddresses.flatMap((text) => parseClientIp(text) ?? []);
  const uris = identity.uriSans.map(normalizeUri);
  return (
    fieldMatches(selectors.commonNames, commonName !== undefined ? [commonName] : [], equal) &&
    fieldMatches(selectors.dnsNames, identity.dnsNames, equal) &&
    fieldMatches(selectors.ipAddresses, ips, sameIpAddress) &&
    fieldMatches(selectors.uriSans, uris, equal) &&
    fieldMatches(selectors.spiffeIds, spiffeIdsOf(identity.uriSans), equal) &&
    fieldMatches(selectors.publicKeySha256Pins, [identity.spkiSha256.toLowerCase()], equal)
  );
}
