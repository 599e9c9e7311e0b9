/**
 * wollomatic/socket-proxy settings (src/peers/wollomatic.ts, peers.md §3) to a Sockguard policy:
 *
 * - every `-allow<METHOD>` / `SP_ALLOW_<METHOD>*` regex becomes allow rules for that method
 *   (regex-allow-rules.ts: globs, exactness checked over the parity corpus, half-anchored
 *   alternations), then a final `* /**` deny; sensitive endpoints are withheld unless kept;
 * - `-allowfrom` CIDRs and IPs become `clients.allowed_cidrs` (only what wollomatic enforced: it stops
 *   at the first CIDR), hostnames a `migrate/hostname-admission` warning;
 * - `socket-proxy.allow.*` labels on other services enable `clients.container_labels`, with a warning
 *   on what those labels must become;
 * - `-allowbindmountfrom`, `-proxysocketendpoint`, `-listenip`/`-proxyport`, `-socketpath`,
 *   `-watchdoginterval`, `-loglevel`, `-logjson` map to their Sockguard keys; the rest is explained.
 */
import { parseGoRequestPath } from '../emulators/go-request-path.js';
import { parseGoCIDR, parseGoIP } from '../peers/go-net.js';
import type { Sourced } from '../peers/origin.js';
import type { WollomaticParse, WollomaticSettings } from '../peers/wollomatic.js';
import { WOLLOMATIC_METHODS } from '../peers/wollomatic.js';
import type { PolicyDocument } from '../policy/schema.js';
import { isLoopbackAddress } from '../policy/validate.js';
import { warnAboutExposures } from './exposure-warnings.js';
import { convertPeerDiagnostics } from './peer-diagnostic-warnings.js';
import { acknowledgePlaintext } from './plaintext-listener.js';
import { translateRegexAllowRules, type AllowRegex } from './regex-allow-rules.js';
import { convertRegexToGlobs } from './regex-to-glob.js';
import { createFinalDeny } from './translated-rule.js';
import type { MigrationWarning, TranslateOptions, Translation } from './types.js';
import { withholdSensitiveEndpoints } from './withhold-sensitive.js';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const SOCKET_MODE = 0o600;

/** wollomatic matches `r.URL.Path`: decoded once, not cleaned; Go answers 400 before it for a bad target. */
function subjectOf(target: string): string | undefined {
  const parsed = parseGoRequestPath(target);
  return parsed.kind === 'parsed' ? parsed.path : undefined;
}

const origin = (sourced: Sourced<unknown>): { origin?: string } =>
  sourced.origin === 'default' ? {} : { origin: sourced.origin };

const printable = (text: string): string => text.replace(/[\r\n]/g, (c) => (c === '\r' ? '\\r' : '\\n'));

/** A setting as the user wrote it: `-listenip=0.0.0.0`, `SP_LISTENIP=0.0.0.0`, or the flag's default. */
function describe(flag: string, sourced: Sourced<unknown>, shown = String(sourced.value)): string {
  if (sourced.origin.startsWith('env:')) return `${sourced.origin.slice(4)}=${printable(shown)}`;
  if (sourced.origin === 'default') return `-${flag} (default ${printable(shown)})`;
  return `-${flag}=${printable(shown)}`;
}

function listAllowRegexes(settings: WollomaticSettings): AllowRegex[] {
  return WOLLOMATIC_METHODS.flatMap((method) =>
    (settings.allowList[method] ?? []).map((r): AllowRegex => {
      const setting = describe(`allow${method}`, { value: r.regex, origin: r.origin });
      return {
        methods: [method],
        value: r.regex,
        setting,
        comment: r.origin.startsWith('arg:') ? `${setting} (${r.origin})` : setting,
        origin: r.origin,
      };
    }),
  );
}

/** A name net.LookupIP can resolve; anything else (spaces, `/`, empty) fails, so it admits no one. */
const RESOLVABLE_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;

/**
 * An address no client connects from: the translation of an `-allowfrom` that admitted no one,
 * because an empty `allowed_cidrs` would admit everyone.
 */
const NO_CLIENT = '255.255.255.255/32';

/**
 * `-allowfrom` as wollomatic evaluates it: the first CIDR decides (later items never count), IPs and
 * hostnames before it also admit, items no resolver accepts admit no one.
 */
function readAllowFrom(items: readonly string[]): { cidrs: string[]; hostnames: string[]; unresolvable: string[] } {
  const cidrs: string[] = [];
  const hostnames: string[] = [];
  const unresolvable: string[] = [];
  for (const item of items) {
    if (parseGoCIDR(item)) {
      const [address, bits] = item.split('/') as [string, string];
      cidrs.push(`${address}/${Number(bits)}`);
      break;
    }
    if (parseGoIP(item)) cidrs.push(`${item}/${item.includes(':') ? 128 : 32}`);
    else if (RESOLVABLE_NAME.test(item)) hostnames.push(item);
    else unresolvable.push(item);
  }
  return { cidrs, hostnames, unresolvable };
}

interface Part<T> {
  value?: T;
  warnings: MigrationWarning[];
}

interface AllowFromPart extends Part<string[]> {
  /** Hostnames wollomatic admitted by DNS that the policy cannot. */
  hostnames: string[];
}

function translateAllowFrom(settings: WollomaticSettings, unixSocket: boolean, loopback: boolean): AllowFromPart {
  const { allowFrom } = settings;
  const setting = describe('allowfrom', allowFrom, allowFrom.value.join(','));
  if (unixSocket) {
    if (allowFrom.origin === 'default') return { hostnames: [], warnings: [] };
    return {
      hostnames: [],
      warnings: [
        {
          code: 'migrate/unsupported-setting',
          severity: 'info',
          ...origin(allowFrom),
          message: `${setting} has no effect on a unix socket (-proxysocketendpoint), in wollomatic as in Sockguard; it is not translated.`,
        },
      ],
    };
  }
  const { cidrs, hostnames, unresolvable } = readAllowFrom(allowFrom.value);
  const warnings: MigrationWarning[] = [];
  const nobody = cidrs.length === 0 && hostnames.length === 0;
  if (unresolvable.length > 0) {
    const items = unresolvable.map((h) => JSON.stringify(h)).join(', ');
    warnings.push({
      code: 'migrate/wollomatic/allowfrom-admits-nobody',
      severity: 'warning',
      ...origin(allowFrom),
      message: nobody
        ? `${setting}: ${items} is neither a CIDR, an IP nor a name a resolver accepts, so wollomatic admitted no TCP client at all. The policy keeps it that way with clients.allowed_cidrs ${NO_CLIENT} (no client's address); list the clients' addresses there instead.`
        : `${setting}: ${items} is neither a CIDR, an IP nor a name a resolver accepts, so it admitted no one; it is not translated.`,
    });
  }
  // The default 127.0.0.1/32 behind a loopback listener admits nothing the listener does not already limit.
  const value = allowFrom.origin === 'default' && loopback ? undefined : nobody ? [NO_CLIENT] : cidrs;
  if (hostnames.length > 0) {
    const names = hostnames.map((h) => `"${h}"`).join(', ');
    const now =
      cidrs.length === 0
        ? 'so the policy cannot restrict clients by address: every client that reaches the listener is admitted'
        : `so only clients in ${cidrs.join(', ')} are admitted; clients admitted by name before are refused until their addresses are added`;
    warnings.push({
      code: 'migrate/hostname-admission',
      severity: 'warning',
      ...origin(allowFrom),
      message: `${setting}: wollomatic admitted clients whose address ${names} resolved to, looked up on every request. Sockguard has no DNS-based admission, ${now}. Carry the intent with clients.allowed_cidrs (the client's IP if it is static in compose, or its network's subnet), clients.container_labels, mutual TLS (clients.client_certificate_profiles with dns_names or uri_sans) or a unix socket with clients.unix_peer_profiles.`,
    });
  }
  return { ...(value !== undefined && value.length > 0 ? { value } : {}), hostnames, warnings };
}

/** `-listenip` and `-proxyport` as a listen address (IPv6 in brackets). */
function tcpAddress(settings: WollomaticSettings): string {
  const ip = settings.listenIp.value;
  return `${ip.includes(':') ? `[${ip}]` : ip}:${settings.proxyPort.value}`;
}

interface ListenerPart {
  listen: NonNullable<PolicyDocument['listen']>;
  warnings: MigrationWarning[];
}

function translateListener(settings: WollomaticSettings, admission: AllowFromPart): ListenerPart {
  const endpoint = settings.proxySocketEndpoint;
  if (endpoint.value !== '') {
    const mode = settings.proxySocketEndpointFileMode;
    const warnings: MigrationWarning[] = [];
    if (mode.value !== SOCKET_MODE) {
      const octal = `0${mode.value.toString(8)}`;
      warnings.push({
        code: 'migrate/unsupported-setting',
        severity: 'warning',
        ...origin(mode),
        message: `${describe('proxysocketendpointfilemode', mode, octal)}: Sockguard creates its socket with mode 0600, or 0660 together with listen.socket_gid (the group of the clients); other modes are refused. The policy keeps 0600, so only the proxy's user can connect: set socket_mode: "0660" and socket_gid if the clients run as another user.`,
      });
    }
    return { listen: { socket: endpoint.value }, warnings };
  }
  const carried = acknowledgePlaintext(
    { address: tcpAddress(settings) },
    {
      setting: describe('listenip', settings.listenIp),
      ...origin(settings.listenIp),
      ...(admission.value ? { admission: `clients.allowed_cidrs (${admission.value.join(', ')})` } : {}),
      ...(admission.hostnames.length > 0
        ? { admittedBefore: admission.hostnames.map((h) => `"${h}"`).join(', ') }
        : {}),
    },
  );
  return { listen: carried.listener, warnings: carried.warning ? [carried.warning] : [] };
}

/**
 * Per-container label allowlists (§3.7) as `clients.container_labels`, and the label values those
 * services must carry instead: Sockguard reads `<prefix><method>` as comma-separated globs.
 */
function translateLabels(settings: WollomaticSettings): Part<{ enabled: true; label_prefix: string }> {
  const lists = settings.containerAllowLists;
  if (lists.length === 0) return { warnings: [] };
  const prefix = `${settings.dockerLabelPrefix.value}.allow.`;
  const rewrites: string[] = [];
  const extras: string[] = [];
  let firstOrigin: string | undefined;
  for (const list of lists) {
    for (const method of WOLLOMATIC_METHODS) {
      const regexes = list.requests[method];
      if (!regexes || regexes.length === 0) continue;
      firstOrigin ??= regexes[0]!.origin;
      const globs: string[] = [];
      let exact = true;
      for (const { regex } of regexes) {
        const conversion = convertRegexToGlobs(regex);
        if (!conversion.ok) {
          exact = false;
          continue;
        }
        exact &&= conversion.fidelity === 'exact';
        globs.push(...conversion.globs.map((g) => g.glob).filter((g) => !globs.includes(g)));
      }
      const was = regexes.map((r) => `${r.origin.split(':').slice(2).join(':')}=${r.regex}`).join(', ');
      const label = globs.length > 0 ? `${prefix}${method.toLowerCase()}=${globs.join(',')}` : `no ${method} label`;
      rewrites.push(`${list.service}: ${label} (was ${was}${exact ? '' : '; not exact'})`);
    }
    if (list.bindMountFrom) {
      firstOrigin ??= list.bindMountFrom.origin;
      extras.push(list.service);
    }
  }
  const bind =
    extras.length > 0
      ? ` ${prefix}bindmountfrom on ${extras.join(', ')} has no per-container counterpart: remove it (Sockguard rejects a label whose suffix is not a method) and list the directories in request_body.container_create.allowed_bind_mounts, for every client or in a client profile's request_body.`
      : '';
  return {
    value: { enabled: true, label_prefix: prefix },
    warnings: [
      {
        code: 'migrate/label-allowlists',
        severity: 'warning',
        ...(firstOrigin === undefined ? {} : { origin: firstOrigin }),
        message: `${lists.map((l) => l.service).join(', ')} carry ${prefix}* labels: wollomatic gave each of these containers its own allowlist, used instead of -allowfrom and of the proxy's own regexes. The policy enables clients.container_labels with label_prefix ${prefix}, but Sockguard reads these labels differently, so they depend on changes to those services: the values are comma-separated globs, not regexes, and there is one label per method (a numbered label such as ${prefix}get.1 is refused); a labelled container's requests must also be allowed by the rules and pass clients.allowed_cidrs, because labels only narrow. Rewrite the labels as: ${rewrites.join('; ')}.${bind}`,
      },
    ],
  };
}

function translateOperations(settings: WollomaticSettings): { policy: PolicyDocument; warnings: MigrationWarning[] } {
  const policy: PolicyDocument = {};
  const warnings: MigrationWarning[] = [];
  const unsupported = (sourced: Sourced<unknown>, severity: MigrationWarning['severity'], message: string): void => {
    warnings.push({ code: 'migrate/unsupported-setting', severity, ...origin(sourced), message });
  };
  if (settings.socketPath.value !== DEFAULT_SOCKET) policy.upstream = { socket: settings.socketPath.value };
  const level = settings.logLevel.origin === 'default' ? undefined : settings.logLevel.value.toLowerCase();
  const format = settings.logJson.origin === 'default' ? undefined : settings.logJson.value ? 'json' : 'text';
  if (level !== undefined || format !== undefined) {
    policy.log = {
      ...(level === undefined ? {} : { level: level as 'debug' | 'info' | 'warn' | 'error' }),
      ...(format === undefined ? {} : { format: format as 'json' | 'text' }),
    };
  }
  const interval = settings.watchdogInterval.value;
  if (interval > 0) policy.health = { watchdog: { enabled: true, interval: `${interval}s` } };
  if (settings.stopOnWatchdog.value) {
    unsupported(
      settings.stopOnWatchdog,
      'warning',
      `${describe('stoponwatchdog', settings.stopOnWatchdog)}: wollomatic exited (status 10) when the Docker socket stopped answering; Sockguard keeps running and reports the failure as unhealthy on health.path. Let the container's healthcheck and restart policy act on it.`,
    );
  }
  if (settings.shutdownGraceTime.origin !== 'default') {
    unsupported(
      settings.shutdownGraceTime,
      'info',
      `${describe('shutdowngracetime', settings.shutdownGraceTime)}: Sockguard has no shutdown grace setting; it is not translated.`,
    );
  }
  if (settings.allowHealthcheck.value) {
    warnings.push({
      code: 'migrate/wollomatic/healthcheck-moved',
      severity: 'info',
      ...origin(settings.allowHealthcheck),
      message: `${describe('allowhealthcheck', settings.allowHealthcheck)}: wollomatic answered HEAD http://127.0.0.1:55555/health on a second listener for its healthcheck binary. Sockguard answers GET /health on its own listener (health.enabled, on by default): point the compose healthcheck there.`,
    });
  }
  if (settings.allowBindMountFrom.value.length > 0) {
    const dirs = settings.allowBindMountFrom.value;
    policy.request_body = {
      container_create: { allowed_bind_mounts: dirs },
      service: { allowed_bind_mounts: dirs },
    };
  }
  return { policy, warnings };
}

const PEER_OUTCOMES = {
  'wollomatic/version-assumed': {
    code: 'migrate/assumed-newest-version',
    outcome: 'The translation follows those semantics.',
  },
  'wollomatic/allowfrom-first-cidr-decides': {
    outcome: 'clients.allowed_cidrs lists only what wollomatic enforced.',
  },
  'wollomatic/labels-inactive': { outcome: 'clients.container_labels stays off.' },
  'wollomatic/invalid-regex': { outcome: 'No rule is translated from it.' },
  'wollomatic/regex-not-emulated': { outcome: 'Its translation cannot be verified by parity.' },
};

/** Translates a parsed wollomatic configuration; see the module header. */
export function translateWollomatic(parse: WollomaticParse, options: TranslateOptions): Translation {
  const { settings } = parse;
  const unixSocket = settings.proxySocketEndpoint.value !== '';
  const allowFrom = translateAllowFrom(settings, unixSocket, !unixSocket && isLoopbackAddress(tcpAddress(settings)));
  const listener = translateListener(settings, allowFrom);
  const labels = unixSocket ? { warnings: [] } : translateLabels(settings);
  const operations = translateOperations(settings);

  const allowRules = translateRegexAllowRules(
    { proxy: 'wollomatic', subjectOf, regexes: listAllowRegexes(settings) },
    options,
  );
  const rules = [
    ...allowRules.rules,
    createFinalDeny('wollomatic refused everything else: 405 for a method without -allow<METHOD>, 403 for a path'),
  ];
  const sensitive = withholdSensitiveEndpoints(rules, options);

  const clients: PolicyDocument['clients'] = {
    ...(allowFrom.value ? { allowed_cidrs: allowFrom.value } : {}),
    ...(labels.value ? { container_labels: labels.value } : {}),
  };
  const policy: PolicyDocument = {
    listen: listener.listen,
    ...operations.policy,
    ...(Object.keys(clients).length > 0 ? { clients } : {}),
    rules: sensitive.rules.map((r) => r.rule),
    ...sensitive.acknowledgements,
  };
  return {
    source: 'wollomatic',
    policy,
    ruleOrigins: sensitive.rules.map((r) => r.comment),
    warnings: [
      ...convertPeerDiagnostics(parse.diagnostics, PEER_OUTCOMES),
      ...listener.warnings,
      ...allowFrom.warnings,
      ...labels.warnings,
      ...operations.warnings,
      ...allowRules.warnings,
      ...sensitive.warnings,
      ...warnAboutExposures(sensitive.rules),
    ],
    choices: [...allowRules.choices, ...sensitive.choices],
    applied: { ...allowRules.applied, ...sensitive.applied },
  };
}
