/**
 * Cross-field validation: the checks that make the Go proxy refuse to start
 * (`app/internal/config/validate.go`), with its message templates, as diagnostics with pointers.
 */
import { pointerOf, type Diagnostic } from './diagnostic.js';
import type { ListenDocument, PolicyDocument, ProfileDocument, RuleDocument } from './schema.js';
import { isIpAddress } from './schema-dsl.js';

export type ValidationCode =
  | 'config/required'
  | 'config/percent-in-path'
  | 'config/listen-exclusive'
  | 'config/listener'
  | 'config/tls-incomplete'
  | 'config/socket-mode'
  | 'config/plaintext-tcp'
  | 'config/profile'
  | 'config/duplicate'
  | 'config/unknown-profile'
  | 'config/limits'
  | 'config/paths'
  | 'config/conflict';

export interface ValidationFinding extends Diagnostic<ValidationCode> {
  onKey?: boolean;
}

type Tokens = (string | number)[];

class Findings {
  readonly list: ValidationFinding[] = [];
  error(code: ValidationCode, tokens: Tokens, message: string, onKey = false): void {
    this.list.push({ code, severity: 'error', message, pointer: pointerOf(tokens), ...(onKey ? { onKey } : {}) });
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/** Splits "host:port" / "[v6]:port"; returns the host part. */
export function listenHost(address: string): string {
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(address);
  if (bracket) return bracket[1]!;
  const colon = address.lastIndexOf(':');
  return colon >= 0 ? address.slice(0, colon) : address;
}

/** True for loopback listen addresses (127.0.0.0/8, ::1, localhost). An empty host means all interfaces. */
export function isLoopbackAddress(address: string): boolean {
  const host = listenHost(address);
  if (LOOPBACK_HOSTS.has(host)) return true;
  return isIpAddress(host) && /^127\./.test(host);
}

export function validateRules(
  findings: Findings,
  rules: readonly RuleDocument[] | undefined,
  prefix: Tokens,
  label: string,
) {
  (rules ?? []).forEach((rule, i) => {
    const n = i + 1;
    const at: Tokens = [...prefix, i];
    if (!rule.match?.method)
      findings.error('config/required', [...at, 'match', 'method'], `${label} ${n}: match.method is required`);
    const path = rule.match?.path;
    if (!path) findings.error('config/required', [...at, 'match', 'path'], `${label} ${n}: match.path is required`);
    else if (path.includes('%')) {
      findings.error(
        'config/percent-in-path',
        [...at, 'match', 'path'],
        `${label} ${n}: match.path "${path}" contains a literal '%'; sockguard matches the path as the daemon routes it (decoded once at the HTTP layer), so a '%XX' here matches only a doubly-encoded request and never normal traffic — write the decoded form`,
      );
    }
    if (rule.action === undefined)
      findings.error('config/required', [...at, 'action'], `${label} ${n}: action must be allow or deny, got ""`);
  });
}

function validateListen(findings: Findings, listen: ListenDocument | undefined, at: Tokens, label: string): void {
  if (!listen) return;
  const tls = listen.tls;
  const tlsParts = [tls?.cert_file, tls?.key_file, tls?.client_ca_file].filter((v) => v);
  if (tlsParts.length > 0 && tlsParts.length < 3) {
    findings.error(
      'config/tls-incomplete',
      [...at, 'tls'],
      `${label}.tls requires cert_file, key_file, and client_ca_file together`,
    );
  }
  if (listen.socket_mode === '0660' && listen.socket_gid === undefined) {
    findings.error(
      'config/socket-mode',
      [...at, 'socket_mode'],
      `${label}.socket_mode "0660" requires ${label}.socket_gid`,
    );
  }
  if (!listen.socket && (listen.socket_uid !== undefined || listen.socket_gid !== undefined)) {
    findings.error(
      'config/socket-mode',
      [...at, 'socket_uid'],
      `${label}.socket_uid and socket_gid apply only to a unix socket listener`,
    );
  }
  const plain = listen.insecure_allow_plain_tcp === true;
  const unauthenticated = listen.insecure_allow_unauthenticated_clients === true;
  if (plain !== unauthenticated) {
    findings.error(
      'config/plaintext-tcp',
      [...at, plain ? 'insecure_allow_plain_tcp' : 'insecure_allow_unauthenticated_clients'],
      `${label}: insecure_allow_plain_tcp and insecure_allow_unauthenticated_clients must be set together`,
    );
  }
  if (
    !listen.socket &&
    listen.address &&
    !isLoopbackAddress(listen.address) &&
    tlsParts.length === 0 &&
    !(plain && unauthenticated)
  ) {
    findings.error(
      'config/plaintext-tcp',
      [...at, 'address'],
      `${label}.address "${listen.address}" is not loopback: configure ${label}.tls (mutual TLS) or set both insecure_allow_plain_tcp and insecure_allow_unauthenticated_clients`,
    );
  }
}

function validateProfiles(findings: Findings, profiles: readonly ProfileDocument[], at: Tokens): Set<string> {
  const names = new Set<string>();
  profiles.forEach((profile, i) => {
    const p: Tokens = [...at, i];
    if (!profile.name) findings.error('config/required', [...p, 'name'], `clients.profiles[${i}].name is required`);
    else if (profile.name === '*')
      findings.error('config/profile', [...p, 'name'], `clients.profiles[${i}].name must not be "*"`);
    else if (names.has(profile.name))
      findings.error(
        'config/duplicate',
        [...p, 'name'],
        `clients.profiles[].name must be unique, got duplicate "${profile.name}"`,
      );
    else names.add(profile.name);
    if (!profile.rules || profile.rules.length === 0) {
      findings.error('config/profile', [...p, 'rules'], `clients.profiles[${i}].rules must contain at least one rule`);
    }
    validateRules(findings, profile.rules, [...p, 'rules'], `clients.profiles[${i}].rules rule`);
    const rate = profile.limits?.rate;
    if (rate?.tokens_per_second !== undefined && rate.burst !== undefined && rate.burst < rate.tokens_per_second) {
      findings.error(
        'config/limits',
        [...p, 'limits', 'rate', 'burst'],
        `clients.profiles[${i}].limits.rate.burst must be >= tokens_per_second`,
      );
    }
    const burst = rate?.burst ?? rate?.tokens_per_second;
    rate?.endpoint_costs?.forEach((cost, j) => {
      if (burst !== undefined && cost.cost !== undefined && cost.cost > burst) {
        findings.error(
          'config/limits',
          [...p, 'limits', 'rate', 'endpoint_costs', j, 'cost'],
          `clients.profiles[${i}].limits.rate.endpoint_costs[${j}].cost must be <= burst (${burst})`,
        );
      }
    });
  });
  return names;
}

function requireKnownProfile(
  findings: Findings,
  names: Set<string>,
  name: string | undefined,
  at: Tokens,
  field: string,
): void {
  if (name === undefined || name === '') return;
  if (!names.has(name))
    findings.error('config/unknown-profile', at, `${field} must match a configured client profile, got "${name}"`);
}

function validateClients(findings: Findings, document: PolicyDocument): Set<string> {
  const clients = document.clients;
  const names = validateProfiles(findings, clients?.profiles ?? [], ['clients', 'profiles']);
  if (!clients) return names;
  requireKnownProfile(
    findings,
    names,
    clients.default_profile,
    ['clients', 'default_profile'],
    'clients.default_profile',
  );
  clients.source_ip_profiles?.forEach((entry, i) => {
    const at: Tokens = ['clients', 'source_ip_profiles', i];
    requireKnownProfile(findings, names, entry.profile, [...at, 'profile'], `clients.source_ip_profiles[${i}].profile`);
    if (!entry.profile)
      findings.error('config/required', [...at, 'profile'], `clients.source_ip_profiles[${i}].profile is required`);
    if (!entry.cidrs || entry.cidrs.length === 0)
      findings.error(
        'config/required',
        [...at, 'cidrs'],
        `clients.source_ip_profiles[${i}].cidrs must contain at least one CIDR`,
      );
  });
  clients.client_certificate_profiles?.forEach((entry, i) => {
    const at: Tokens = ['clients', 'client_certificate_profiles', i];
    requireKnownProfile(
      findings,
      names,
      entry.profile,
      [...at, 'profile'],
      `clients.client_certificate_profiles[${i}].profile`,
    );
    const selectors = [
      entry.common_names,
      entry.dns_names,
      entry.ip_addresses,
      entry.uri_sans,
      entry.spiffe_ids,
      entry.public_key_sha256_pins,
    ];
    if (!selectors.some((s) => s && s.length > 0)) {
      findings.error(
        'config/required',
        at,
        `clients.client_certificate_profiles[${i}] must contain at least one selector`,
      );
    }
  });
  clients.unix_peer_profiles?.forEach((entry, i) => {
    const at: Tokens = ['clients', 'unix_peer_profiles', i];
    requireKnownProfile(findings, names, entry.profile, [...at, 'profile'], `clients.unix_peer_profiles[${i}].profile`);
    const hasIds = (entry.uids?.length ?? 0) > 0 || (entry.gids?.length ?? 0) > 0;
    if (!hasIds) {
      findings.error(
        'config/required',
        at,
        (entry.pids?.length ?? 0) > 0
          ? `clients.unix_peer_profiles[${i}] selects by pid only; pids are reused and cannot identify a client alone — add uids or gids`
          : `clients.unix_peer_profiles[${i}] must contain at least one uid or gid`,
      );
    }
  });
  return names;
}

function validateListeners(findings: Findings, document: PolicyDocument, profileNames: Set<string>): void {
  const listeners = document.listeners;
  if (!listeners) return;
  if (document.listen) {
    findings.error(
      'config/listen-exclusive',
      ['listeners'],
      'listen and listeners are mutually exclusive; migrate the listen: block into a single-entry listeners: list',
      true,
    );
  }
  const seen = new Set<string>();
  listeners.forEach((listener, i) => {
    const at: Tokens = ['listeners', i];
    const label = `listeners[${i}]`;
    if (!listener.name) findings.error('config/required', [...at, 'name'], `${label}.name is required`);
    else if (listener.name === 'admin')
      findings.error('config/listener', [...at, 'name'], `${label}.name must not be "admin"`);
    else if (seen.has(listener.name))
      findings.error(
        'config/duplicate',
        [...at, 'name'],
        `listeners[].name must be unique, got duplicate "${listener.name}"`,
      );
    else seen.add(listener.name);
    if (!!listener.socket === !!listener.address)
      findings.error('config/listener', at, `${label} must set exactly one of socket or address`);
    const allowed = listener.allowed_profiles ?? [];
    if (allowed.length === 0)
      findings.error(
        'config/required',
        [...at, 'allowed_profiles'],
        `${label}.allowed_profiles must contain at least one profile (use ["*"] for all)`,
      );
    if (allowed.includes('*') && allowed.length > 1)
      findings.error(
        'config/listener',
        [...at, 'allowed_profiles'],
        `${label}.allowed_profiles: "*" cannot be mixed with profile names`,
      );
    allowed.forEach((name, j) => {
      if (name !== '*')
        requireKnownProfile(
          findings,
          profileNames,
          name,
          [...at, 'allowed_profiles', j],
          `${label}.allowed_profiles[${j}]`,
        );
    });
    validateListen(findings, listener, at, label);
  });
}

function validatePaths(findings: Findings, document: PolicyDocument): void {
  const entries: [Tokens, string | undefined][] = [
    [['health', 'path'], document.health?.path ?? '/health'],
    [['health', 'readiness', 'path'], document.health?.readiness?.path ?? '/ready'],
    [['metrics', 'path'], document.metrics?.path ?? '/metrics'],
  ];
  const used = new Map<string, string>();
  for (const [tokens, value] of entries) {
    if (value === undefined) continue;
    const label = tokens.join('.');
    if (!value.startsWith('/')) findings.error('config/paths', tokens, `${label} must start with "/", got "${value}"`);
    const earlier = used.get(value);
    if (earlier) findings.error('config/paths', tokens, `${label} "${value}" collides with ${earlier}`);
    used.set(value, label);
  }
}

export function validatePolicy(document: PolicyDocument): ValidationFinding[] {
  const findings = new Findings();
  validateRules(findings, document.rules, ['rules'], 'rule');
  validateListen(findings, document.listen, ['listen'], 'listen');
  const profileNames = validateClients(findings, document);
  validateListeners(findings, document, profileNames);
  validatePaths(findings, document);
  if (document.ownership?.owner && document.ownership.label_key === '') {
    findings.error(
      'config/required',
      ['ownership', 'label_key'],
      'ownership.label_key is required when ownership.owner is set',
    );
  }
  const network = document.request_body?.network;
  if (
    network?.allow_endpoint_config === true &&
    network.endpoint_config &&
    Object.keys(network.endpoint_config).length > 0
  ) {
    findings.error(
      'config/conflict',
      ['request_body', 'network', 'endpoint_config'],
      'request_body.network.allow_endpoint_config: true cannot be combined with explicit endpoint_config.* settings',
    );
  }
  if (document.insecure_accept_opaque_buildkit_tunnels === true && document.request_body?.buildkit) {
    findings.error(
      'config/conflict',
      ['insecure_accept_opaque_buildkit_tunnels'],
      'insecure_accept_opaque_buildkit_tunnels and request_body.buildkit are mutually exclusive',
      true,
    );
  }
  return findings.list;
}
