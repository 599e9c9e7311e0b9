/**
 * mTLS client certificate selectors (sockguard-config.md §4.1): `common_names`, `dns_names`,
 * `ip_addresses` (IP SANs, not source addresses), `uri_sans`, `public_key_sha256_pins` (SHA-256 of
 * the SPKI, lower-case hex, optional `sha256:` prefix). Fields AND, entries within a field OR; no
 * selector at all accepts any certificate the client CA signed.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import net from 'node:net';

export interface CertificateSelectors {
  common_names?: readonly string[];
  dns_names?: readonly string[];
  ip_addresses?: readonly string[];
  uri_sans?: readonly string[];
  public_key_sha256_pins?: readonly string[];
}

interface CertificateFacts {
  commonNames: string[];
  dnsNames: string[];
  ipAddresses: string[];
  uris: string[];
  spkiSha256: string;
}

/** One spelling per address: IPv6 expanded to eight lower-case groups, IPv4 as is. */
export function canonicalIp(text: string): string {
  if (!net.isIPv6(text)) return text;
  const [head, tail] = text.toLowerCase().split('::') as [string, string | undefined];
  const toGroups = (part: string | undefined) => (part ? part.split(':') : []);
  const expandV4 = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (last === undefined || !net.isIPv4(last)) return groups;
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    return [...groups.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  const left = expandV4(toGroups(head));
  const right = expandV4(toGroups(tail));
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16).toString(16)).join(':');
}

/** Splits Node's subjectAltName text ("DNS:a, IP Address:1.2.3.4, URI:spiffe://x"). */
function parseSubjectAltName(text: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!text) return out;
  for (const entry of text.split(/, (?=[A-Za-z][A-Za-z ]*:)/)) {
    const colon = entry.indexOf(':');
    const kind = entry.slice(0, colon);
    let value = entry.slice(colon + 1);
    // Node quotes values with special characters as JSON strings.
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        // keep as written
      }
    }
    out.set(kind, [...(out.get(kind) ?? []), value]);
  }
  return out;
}

function factsOf(cert: X509Certificate): CertificateFacts {
  const san = parseSubjectAltName(cert.subjectAltName);
  return {
    commonNames: cert.subject
      .split('\n')
      .filter((line) => line.startsWith('CN='))
      .map((line) => line.slice(3)),
    dnsNames: san.get('DNS') ?? [],
    ipAddresses: (san.get('IP Address') ?? []).map(canonicalIp),
    uris: san.get('URI') ?? [],
    spkiSha256: createHash('sha256')
      .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  };
}

function anyOf(wanted: readonly string[] | undefined, have: readonly string[]): boolean {
  return wanted === undefined || wanted.length === 0 || wanted.some((w) => have.includes(w));
}

export function certificateMatches(cert: X509Certificate, selectors: CertificateSelectors): boolean {
  const facts = factsOf(cert);
  return (
    anyOf(selectors.common_names, facts.commonNames) &&
    anyOf(selectors.dns_names, facts.dnsNames) &&
    anyOf(selectors.ip_addresses?.map(canonicalIp), facts.ipAddresses) &&
    anyOf(selectors.uri_sans, facts.uris) &&
    anyOf(
      selectors.public_key_sha256_pins?.map((pin) => pin.toLowerCase().replace(/^sha256:/, '')),
      [facts.spkiSha256],
    )
  );
}
