/**
 * The `clients` block (sockguard-config.md §9) parsed once per policy: CIDRs into prefixes,
 * certificate selectors normalised, unix peer ids into sets, each profile's mode and limits. The
 * request-time gates (admit-client, resolve-profile, client-throttle, label-acl) only read this.
 *
 * A value that cannot be parsed throws ClientConfigError: `serve` must refuse to start (or to
 * reload) with it rather than discover it per request. Profile names are used exactly as written,
 * as the validator and compilePolicy (which keys the profiles' rules) read them: trimming here
 * alone would resolve " web" to a profile `web` whose rules do not exist.
 */
import type { Policy } from '../schema.js';
import { normalizeUri, SPIFFE_SCHEME, type CertificateSelectors } from './certificate-selectors.js';
import { compileEndpointCosts, type EndpointCost } from './endpoint-costs.js';
import type { Priority } from './inflight.js';
import { parseIpAddress, parseIpPrefix, unmapIpAddress, type IpPrefix } from './ip-address.js';
import { parseProfileMode, type ProfileMode } from './profile-mode.js';
import type { RateSettings } from './token-buckets.js';

const DEFAULT_LABEL_PREFIX = 'com.sockguard.allow.';

export class ClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientConfigError';
  }
}

export interface UnixPeerSelectors {
  readonly uids: ReadonlySet<number>;
  readonly gids: ReadonlySet<number>;
  readonly pids: ReadonlySet<number>;
}

export interface ProfileLimits {
  readonly rate?: RateSettings & { readonly endpointCosts: readonly EndpointCost[] };
  readonly maxInflight?: number;
  readonly priority: Priority;
}

export interface ClientProfile {
  readonly mode: ProfileMode;
  readonly limits: ProfileLimits;
}

export interface CompiledClients {
  readonly allowedCidrs: readonly IpPrefix[];
  readonly containerLabels: { readonly enabled: boolean; readonly labelPrefix: string };
  readonly defaultProfile?: string;
  readonly sourceIpProfiles: readonly { readonly profile: string; readonly cidrs: readonly IpPrefix[] }[];
  readonly certificateProfiles: readonly { readonly profile: string; readonly selectors: CertificateSelectors }[];
  readonly unixPeerProfiles: readonly { readonly profile: string; readonly selectors: UnixPeerSelectors }[];
  /** Every `clients.profiles[]` entry by name. */
  readonly profiles: ReadonlyMap<string, ClientProfile>;
  readonly globalMaxInflight?: number;
}

type Clients = Policy['clients'];

function parseCidrs(texts: readonly string[] | undefined, field: string): IpPrefix[] {
  return (texts ?? []).map((text) => {
    const prefix = parseIpPrefix(text.trim());
    if (!prefix) throw new ClientConfigError(`${field}: "${text}" is not a CIDR (write e.g. 10.0.0.0/8 or fd00::/8)`);
    return prefix;
  });
}

function trimmedValues(texts: readonly string[] | undefined): string[] {
  return (texts ?? []).map((t) => t.trim()).filter((t) => t !== '');
}

/** The selector fields of a `client_certificate_profiles[]` entry or of a listener's `tls` block. */
export type CertificateSelectorFields = Partial<
  Pick<
    NonNullable<Clients['client_certificate_profiles']>[number],
    'common_names' | 'dns_names' | 'ip_addresses' | 'uri_sans' | 'spiffe_ids' | 'public_key_sha256_pins'
  >
>;

/** Throws ClientConfigError naming `field` for a value that can never match. */
export function compileCertificateSelectors(entry: CertificateSelectorFields, field: string): CertificateSelectors {
  const spiffeIds = trimmedValues(entry.spiffe_ids).map(normalizeUri);
  const notSpiffe = spiffeIds.find((id) => !id.startsWith(SPIFFE_SCHEME));
  if (notSpiffe !== undefined) {
    throw new ClientConfigError(`${field}.spiffe_ids: "${notSpiffe}" is not a SPIFFE ID (spiffe://trust-domain/path)`);
  }
  return {
    commonNames: trimmedValues(entry.common_names),
    dnsNames: trimmedValues(entry.dns_names),
    ipAddresses: trimmedValues(entry.ip_addresses).map((text) => {
      const ip = parseIpAddress(text);
      if (!ip || ip.zone !== undefined)
        throw new ClientConfigError(`${field}.ip_addresses: "${text}" is not an IP address`);
      return unmapIpAddress(ip);
    }),
    uriSans: trimmedValues(entry.uri_sans).map(normalizeUri),
    spiffeIds,
    publicKeySha256Pins: trimmedValues(entry.public_key_sha256_pins).map((pin) => {
      const hex = pin.toLowerCase().replace(/^sha256:/, '');
      if (!/^[0-9a-f]{64}$/.test(hex)) {
        throw new ClientConfigError(`${field}.public_key_sha256_pins: "${pin}" is not a SHA-256 hex digest`);
      }
      return hex;
    }),
  };
}

type ProfileEntry = NonNullable<Clients['profiles']>[number];

function compileLimits(limits: ProfileEntry['limits']): ProfileLimits {
  const rate = limits?.rate;
  const tokensPerSecond = rate?.tokens_per_second;
  return {
    ...(tokensPerSecond !== undefined
      ? {
          rate: {
            tokensPerSecond,
            burst: rate?.burst ?? tokensPerSecond,
            endpointCosts: compileEndpointCosts(rate?.endpoint_costs),
          },
        }
      : {}),
    ...(limits?.concurrency?.max_inflight !== undefined ? { maxInflight: limits.concurrency.max_inflight } : {}),
    priority: limits?.priority ?? 'normal',
  };
}

export function compileClients(clients: Clients): CompiledClients {
  const profiles = new Map<string, ClientProfile>();
  for (const profile of clients.profiles ?? []) {
    const name = profile.name ?? '';
    if (name !== '')
      profiles.set(name, { mode: parseProfileMode(profile.mode), limits: compileLimits(profile.limits) });
  }
  const defaultProfile = clients.default_profile ?? '';
  const globalMax = clients.global_concurrency.max_inflight;
  return {
    allowedCidrs: parseCidrs(clients.allowed_cidrs, 'clients.allowed_cidrs'),
    containerLabels: {
      enabled: clients.container_labels.enabled,
      labelPrefix: clients.container_labels.label_prefix || DEFAULT_LABEL_PREFIX,
    },
    ...(defaultProfile !== '' ? { defaultProfile } : {}),
    sourceIpProfiles: (clients.source_ip_profiles ?? []).map((entry, i) => ({
      profile: entry.profile ?? '',
      cidrs: parseCidrs(entry.cidrs, `clients.source_ip_profiles[${i}].cidrs`),
    })),
    certificateProfiles: (clients.client_certificate_profiles ?? []).map((entry, i) => ({
      profile: entry.profile ?? '',
      selectors: compileCertificateSelectors(entry, `clients.client_certificate_profiles[${i}]`),
    })),
    unixPeerProfiles: (clients.unix_peer_profiles ?? []).map((entry) => ({
      profile: entry.profile ?? '',
      selectors: { uids: new Set(entry.uids ?? []), gids: new Set(entry.gids ?? []), pids: new Set(entry.pids ?? []) },
    })),
    profiles,
    ...(globalMax !== undefined ? { globalMaxInflight: globalMax } : {}),
  };
}
