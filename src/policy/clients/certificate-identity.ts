/**
 * What the profile selectors read off a client certificate (sockguard-config.md §9
 * client_certificate_profiles): the subject CN, the DNS, IP and URI SANs (SPIFFE IDs are the
 * `spiffe://` URIs) and the SHA-256 of the SubjectPublicKeyInfo. `sockguard test --client-cert`
 * reads them from a PEM file; offline there is no handshake, so the certificate is taken as one the
 * listener's client CA verified.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateIdentity } from './certificate-selectors.js';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/**
 * Splits Node's subjectAltName text (`DNS:a, IP Address:10.0.0.1, URI:spiffe://x`). Node quotes a
 * value holding a comma, quote or non-printable character as a JSON string (commas as \u002c), so
 * ", " only ever separates entries.
 */
function parseSubjectAltName(text: string | undefined): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const entry of text ? text.split(', ') : []) {
    const colon = entry.indexOf(':');
    if (colon < 0) continue;
    const kind = entry.slice(0, colon);
    let value = entry.slice(colon + 1);
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        continue; // not a value Node wrote; never match on half a name
      }
    }
    names.set(kind, [...(names.get(kind) ?? []), value]);
  }
  return names;
}

/** Go's Subject.CommonName: with several CN attributes, the last one. */
function commonNameOf(cert: X509Certificate): string | undefined {
  const cn: unknown = (cert.toLegacyObject().subject as unknown as Record<string, unknown> | undefined)?.CN;
  if (typeof cn === 'string') return cn;
  if (Array.isArray(cn) && cn.length > 0) return String(cn[cn.length - 1]);
  return undefined;
}

export function identityOfCertificate(cert: X509Certificate): CertificateIdentity {
  const san = parseSubjectAltName(cert.subjectAltName);
  const commonName = commonNameOf(cert);
  return {
    ...(commonName !== undefined ? { commonName } : {}),
    dnsNames: san.get('DNS') ?? [],
    ipAddresses: san.get('IP Address') ?? [],
    uriSans: san.get('URI') ?? [],
    spkiSha256: createHash('sha256')
      .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  };
}

/** The identity of the first certificate in a PEM text (a TLS client presents its leaf first). */
export function identityFromPem(
  pem: string,
): { ok: true; value: CertificateIdentity } | { ok: false; problem: string } {
  const start = pem.indexOf(PEM_CERTIFICATE);
  if (start < 0) return { ok: false, problem: `no "${PEM_CERTIFICATE}" block (a PEM client certificate is expected)` };
  try {
    return { ok: true, value: identityOfCertificate(new X509Certificate(pem.slice(start))) };
  } catch (error) {
    return { ok: false, problem: `not a readable X.509 certificate (${(error as Error).message})` };
  }
}
