/**
 * hectorm/cetusguard settings (src/peers/cetusguard.ts, peers.md §5) to a Sockguard policy:
 *
 * - every rule, the built-in `/_ping`, `/version`, `/info` rules included (made explicit: Sockguard has
 *   no implicit allows), becomes allow rules with its method list (regex-allow-rules.ts: `%VARIABLE%`
 *   expansions to globs, exactness checked over the parity corpus, half-anchored alternations), then
 *   a final `* /**` deny; sensitive endpoints are withheld unless kept;
 * - `-frontend-addr` (repeatable, unix or TCP) becomes `listen` or `listeners`, the frontend TLS flags
 *   `listen.tls` (Sockguard's TLS is always mutual), `-backend-addr` `upstream.socket` or, for a TCP
 *   daemon, `upstream.endpoints`, `-log-level` `log.level`.
 */
import { cleanServeMuxPath, parseGoRequestPath } from '../emulators/go-request-path.js';
import type { CetusGuardParse, CetusGuardSettings } from '../peers/cetusguard.js';
import type { Sourced } from '../peers/origin.js';
import { STANDARD_METHODS } from '../policy/methods.js';
import type { ListenDocument, PolicyDocument } from '../policy/schema.js';
import { warnAboutExposures } from './exposure-warnings.js';
import { convertPeerDiagnostics } from './peer-diagnostic-warnings.js';
import { acknowledgePlaintext } from './plaintext-listener.js';
import { translateRegexAllowRules, type AllowRegex } from './regex-allow-rules.js';
import { createFinalDeny } from './translated-rule.js';
import type { MigrationWarning, TranslateOptions, Translation } from './types.js';
import { withholdSensitiveEndpoints } from './withhold-sensitive.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** CetusGuard matches cleanPath(r.URL.Path): decoded once, cleaned, a trailing `/` kept (§5.4). */
function subjectOf(target: string): string | undefined {
  const parsed = parseGoRequestPath(target);
  return parsed.kind === 'parsed' ? cleanServeMuxPath(parsed.path) : undefined;
}

const origin = (sourced: Sourced<unknown>): { origin?: string } =>
  sourced.origin === 'default' ? {} : { origin: sourced.origin };

/** A flag as the user gave it: `-frontend-addr=tcp://:2375` or `CETUSGUARD_FRONTEND_ADDR=...`. */
function describe(flag: string, sourced: Sourced<unknown>): string {
  const value = String(sourced.value);
  if (sourced.origin.startsWith('env:')) return `${sourced.origin.slice(4)}=${value}`;
  if (sourced.origin === 'default') return `-${flag} (default ${value})`;
  return `-${flag}=${value}`;
}

/**
 * Every rule with the methods a client can send: CetusGuard accepts any upper-case token, but no
 * Docker client sends `FOO` and lint refuses it (the parser already warned), so it is left out.
 */
function listAllowRegexes(settings: CetusGuardSettings): AllowRegex[] {
  return settings.rules.flatMap((rule): AllowRegex[] => {
    const methods = rule.methods.filter((m) => STANDARD_METHODS.includes(m));
    if (methods.length === 0) return [];
    const text = `${rule.methods.join(',')} ${rule.pattern}`;
    return [
      {
        methods,
        value: rule.expanded,
        setting: `rule "${text}"`,
        comment: rule.builtin
          ? `CetusGuard built-in rule: ${text} (-no-builtin-rules drops it)`
          : `${rule.origin}: ${text}`,
        origin: rule.origin,
      },
    ];
  });
}

/** cetusguard.go parseAddr: `unix://<path>`, or `tcp://` + the URL's host. */
function parseAddress(address: string): { unix: string } | { tcp: string } | undefined {
  const separator = address.indexOf('://');
  if (separator <= 0) return undefined;
  const rest = address.slice(separator + 3);
  if (rest === '') return undefined;
  const scheme = address.slice(0, separator);
  if (scheme === 'unix') return { unix: rest };
  if (scheme !== 'tcp') return undefined;
  const authority = rest.split(/[/?#]/, 1)[0]!;
  return { tcp: authority.slice(authority.lastIndexOf('@') + 1) };
}

type Tls = NonNullable<ListenDocument['tls']>;

interface Part<T> {
  value?: T;
  warnings: MigrationWarning[];
}

/** The frontend TLS flags as a Sockguard `tls` block, which must be mutual (cert, key and client CA). */
function translateTls(settings: CetusGuardSettings, hasTcp: boolean): Part<Tls> {
  const cert = settings.frontendTlsCert;
  const key = settings.frontendTlsKey;
  const ca = settings.frontendTlsCacert;
  const named: [string, Sourced<string>][] = [
    ['frontend-tls-cert', cert],
    ['frontend-tls-key', key],
    ['frontend-tls-cacert', ca],
  ];
  const given = named.filter(([, s]) => s.value !== '');
  if (given.length === 0) return { warnings: [] };
  const first = origin(given[0]![1]);
  const flags = given.map(([flag, s]) => describe(flag, s)).join(', ');
  if (!hasTcp) {
    return {
      warnings: [
        {
          code: 'migrate/unsupported-setting',
          severity: 'info',
          ...first,
          message: `${flags}: CetusGuard serves TLS on TCP frontends only and every frontend is a unix socket, so they had no effect; they are not translated.`,
        },
      ],
    };
  }
  if (ca.value !== '' && cert.value !== '' && key.value !== '') {
    return {
      value: { cert_file: cert.value, key_file: key.value, client_ca_file: ca.value },
      warnings: [
        {
          code: 'migrate/cetusguard/tls-minimum-raised',
          severity: 'info',
          ...origin(ca),
          message: `${flags}: carried to listen.tls (mutual TLS, as before). Sockguard accepts TLS 1.3 only; CetusGuard also accepted TLS 1.2, so very old clients must be updated.`,
        },
      ],
    };
  }
  const why =
    ca.value === ''
      ? 'CetusGuard served TLS without asking clients for a certificate; Sockguard serves only mutual TLS (cert_file, key_file and client_ca_file together)'
      : 'CetusGuard had a client CA but no server certificate and key, so no TLS handshake could complete';
  return {
    warnings: [
      {
        code: 'migrate/cetusguard/tls-not-mutual',
        severity: 'warning',
        ...first,
        message: `${flags}: ${why}. The listener is translated without TLS; to encrypt it again, set listen.tls with cert_file, key_file and a client_ca_file that signed your clients' certificates.`,
      },
    ],
  };
}

type Listener = Omit<ListenDocument, 'name' | 'allowed_profiles'>;

function translateFrontends(
  settings: CetusGuardSettings,
): Pick<PolicyDocument, 'listen' | 'listeners'> & { warnings: MigrationWarning[] } {
  const frontends = settings.frontendAddr.flatMap((addr) => {
    const parsed = parseAddress(addr.value);
    return parsed ? [{ addr, parsed }] : [];
  });
  const tls = translateTls(
    settings,
    frontends.some((f) => 'tcp' in f.parsed),
  );
  const warnings = [...tls.warnings];
  const listeners = frontends.map(({ addr, parsed }): Listener => {
    if ('unix' in parsed) return { socket: parsed.unix };
    const carried = acknowledgePlaintext(
      { address: parsed.tcp, ...(tls.value ? { tls: tls.value } : {}) },
      { setting: describe('frontend-addr', addr), ...origin(addr) },
    );
    if (carried.warning) warnings.push(carried.warning);
    return carried.listener;
  });
  if (listeners.length === 0) return { warnings };
  if (listeners.length === 1) return { listen: listeners[0]!, warnings };
  return {
    listeners: listeners.map((l, i) => ({ name: `frontend-${i + 1}`, ...l, allowed_profiles: ['*'] })),
    warnings,
  };
}

function translateBackend(settings: CetusGuardSettings): Part<NonNullable<PolicyDocument['upstream']>> {
  const backend = settings.backendAddr;
  const parsed = parseAddress(backend.value);
  const tlsFlags = [settings.backendTlsCacert, settings.backendTlsCert, settings.backendTlsKey];
  const tlsGiven = tlsFlags.some((s) => s.value !== '');
  if (!parsed) return { warnings: [] };
  if ('unix' in parsed) {
    const warnings: MigrationWarning[] = tlsGiven
      ? [
          {
            code: 'migrate/unsupported-setting',
            severity: 'info',
            ...origin(tlsFlags.find((s) => s.value !== '')!),
            message: `The backend TLS flags apply to a unix socket backend (${backend.value}); Sockguard talks plain HTTP over its upstream socket, so they are not translated.`,
          },
        ]
      : [];
    return { ...(parsed.unix === DEFAULT_SOCKET ? {} : { value: { socket: parsed.unix } }), warnings };
  }
  const [ca, cert, key] = tlsFlags as [Sourced<string>, Sourced<string>, Sourced<string>];
  const tls = {
    ...(ca.value === '' ? {} : { ca_file: ca.value }),
    ...(cert.value === '' ? {} : { cert_file: cert.value }),
    ...(key.value === '' ? {} : { key_file: key.value }),
  };
  return {
    value: {
      endpoints: [
        {
          address: `tcp://${parsed.tcp}`,
          ...(tlsGiven ? { tls } : { insecure_allow_plain_tcp: true }),
        },
      ],
    },
    warnings: [
      {
        code: 'migrate/unsupported-setting',
        severity: 'warning',
        ...origin(backend),
        message: `${describe('backend-addr', backend)}: CetusGuard forwarded to a Docker daemon over TCP${tlsGiven ? ' with TLS' : ' without TLS'}. The policy names it in upstream.endpoints, which the Go Sockguard honours but this toolkit's serve does not implement yet (it uses upstream.socket); until then run Sockguard next to that daemon and mount its socket.`,
      },
    ],
  };
}

/** CetusGuard's syslog-style levels (0 none … 7 debug) to Sockguard's four. */
function translateLogLevel(settings: CetusGuardSettings): Part<NonNullable<PolicyDocument['log']>> {
  const level = settings.logLevel;
  if (level.origin === 'default') return { warnings: [] };
  const value = level.value >= 7 ? 'debug' : level.value >= 5 ? 'info' : level.value === 4 ? 'warn' : 'error';
  const warnings: MigrationWarning[] =
    level.value === 0
      ? [
          {
            code: 'migrate/unsupported-setting',
            severity: 'info',
            ...origin(level),
            message: `${describe('log-level', level)} turned CetusGuard's logging off; Sockguard always logs errors, so log.level is error.`,
          },
        ]
      : [];
  return { value: { level: value }, warnings };
}

const PEER_OUTCOMES = {
  'cetusguard/builtin-rules': { outcome: 'They are written out as rules marked "CetusGuard built-in rule".' },
  'cetusguard/rules-file-unavailable': {
    outcome:
      "The policy has none of its rules: make the file readable through the service's volumes (or pass it with --from cetusguard) and migrate again.",
  },
  'cetusguard/invalid-rule-line': { outcome: 'No rule is translated from it.' },
  'cetusguard/invalid-rule-pattern': { outcome: 'No rule is translated from it.' },
  'cetusguard/pattern-not-emulated': { outcome: 'Its translation cannot be verified by parity.' },
  'cetusguard/unusual-method': { outcome: 'The translated rule leaves it out.' },
};

/** Translates a parsed CetusGuard configuration; see the module header. */
export function translateCetusGuard(parse: CetusGuardParse, options: TranslateOptions): Translation {
  const { settings } = parse;
  const frontends = translateFrontends(settings);
  const backend = translateBackend(settings);
  const log = translateLogLevel(settings);
  const allowRules = translateRegexAllowRules(
    { proxy: 'CetusGuard', subjectOf, regexes: listAllowRegexes(settings) },
    options,
  );
  const rules = [...allowRules.rules, createFinalDeny('CetusGuard denied every request no rule allowed (403)')];
  const sensitive = withholdSensitiveEndpoints(rules, options);
  const { warnings: frontendWarnings, ...listening } = frontends;
  const policy: PolicyDocument = {
    ...listening,
    ...(backend.value ? { upstream: backend.value } : {}),
    ...(log.value ? { log: log.value } : {}),
    rules: sensitive.rules.map((r) => r.rule),
    ...sensitive.acknowledgements,
  };
  return {
    source: 'cetusguard',
    policy,
    ruleOrigins: sensitive.rules.map((r) => r.comment),
    warnings: [
      ...convertPeerDiagnostics(parse.diagnostics, PEER_OUTCOMES),
      ...frontendWarnings,
      ...backend.warnings,
      ...log.warnings,
      ...allowRules.warnings,
      ...sensitive.warnings,
      ...warnAboutExposures(sensitive.rules),
    ],
    choices: [...allowRules.choices, ...sensitive.choices],
    applied: { ...allowRules.applied, ...sensitive.applied },
  };
}
