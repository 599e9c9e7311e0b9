/**
 * 11notes/docker-socket-proxy settings (src/peers/elevennotes.ts) → a Sockguard policy with the same
 * intent (peers.md §4): read-only, minus the endpoints its blocked patterns were written for.
 *
 *   * <endpoints of each blocked pattern>    deny (what the pattern meant, not how it matched)
 *   <withheld sensitive endpoints>          deny (logs, single-image export, ...; withhold-sensitive.ts)
 *   GET,HEAD /**                            allow (GET only before v2.1.2)
 *   * /**                                   deny
 *
 * 11notes searched its patterns, unanchored and case-insensitively, in the client's escaped URL
 * including the query. So it blocked any URL that merely contains `secrets` (a container named
 * `my-secrets-app`, a filter in the query), and let through `/containers/{id}/attach%2Fws`, which
 * dockerd decodes to the blocked endpoint. The policy denies the endpoints themselves, on the path
 * dockerd routes, and the warnings explain every request that is decided differently. Sockguard's
 * own migration guide gets three of these wrong (peers.md §7); a warning says what was chosen.
 * The environment places the listeners, not the policy: `SOCKET_PROXY_VOLUME` → `listen.socket`,
 * `SOCKET_PROXY_UID/GID` → its owner, `SOCKET_PROXY_DOCKER_SOCKET` → `upstream.socket`.
 */
import type { ElevenNotesSettings } from '../peers/elevennotes.js';
import { describeSetting, type PeerFinding } from '../peers/peer-settings.js';
import { compileGlob } from '../policy/glob.js';
import type { ListenDocument, PolicyDocument } from '../policy/schema.js';
import { isLoopbackAddress } from '../policy/validate.js';
import { assembleTranslation } from './assemble-translation.js';
import { convertFindings, type FindingAdjustment } from './peer-warnings.js';
import { createAllow, createDeny, createFinalDeny, type TranslatedRule } from './translated-rule.js';
import type { DifferenceView, MigrationWarning, TranslateOptions, Translation } from './types.js';

interface PatternIntent {
  /** The endpoints the pattern was written to block. */
  globs: readonly string[];
  /** Which of the keyword warnings explains its over-blocking. */
  overblocking: 'keyword' | 'substring';
}

/** Every pattern 11notes has shipped (peers.md §4.1, §4.4), by its RE2 text. */
const INTENTS: Readonly<Record<string, PatternIntent>> = {
  // `\S+` spans slashes, as dockerd's greedy names do (a link alias `parent/alias` names a container): `**`.
  [String.raw`(?i)containers/\S+/attach/ws.*`]: { globs: ['/containers/**/attach/ws'], overblocking: 'substring' },
  [String.raw`(?i)containers/\S+/export.*`]: {
    globs: ['/containers/**/export', '/libpod/containers/**/export'],
    overblocking: 'substring',
  },
  [String.raw`(?i)containers/\S+/archive.*`]: {
    globs: ['/containers/**/archive', '/libpod/containers/**/archive'],
    overblocking: 'substring',
  },
  [String.raw`(?i)secrets.*`]: { globs: ['/secrets/**', '/libpod/secrets/**'], overblocking: 'keyword' },
  [String.raw`(?i)configs.*`]: { globs: ['/configs/**'], overblocking: 'keyword' },
  [String.raw`(?i)swarm/unlockkey.*`]: { globs: ['/swarm/unlockkey'], overblocking: 'substring' },
  [String.raw`(?i)images/get.*`]: { globs: ['/images/get'], overblocking: 'substring' },
  [String.raw`(?i)images/get(/|)$`]: { globs: ['/images/get'], overblocking: 'substring' },
};

/** The image's ENV sets `APP_ROOT` for v1.x, whose README mounts `/socket-proxy/run` (peers.md §4.2). */
const V1_APP_ROOT = '/socket-proxy';
const TCP_PORT = 2375;

interface CompiledPattern {
  source: string;
  regex: RegExp;
  intent: PatternIntent;
}

/** The RE2 patterns as JavaScript regexes: `(?i)` becomes the `i` flag; the rest is the same syntax. */
function compilePatterns(patterns: readonly string[]): CompiledPattern[] {
  return patterns.map((source) => {
    const intent = INTENTS[source];
    if (intent === undefined) throw new Error(`no translation for the 11notes pattern ${source}`);
    return { source, regex: new RegExp(source.replace(/^\(\?i\)/, ''), 'i'), intent };
  });
}

function describeImage(settings: ElevenNotesSettings): string {
  return settings.image.version === undefined
    ? '11notes socket-proxy (assumed newest, ≥ v2.1.5)'
    : `11notes socket-proxy v${settings.image.version}`;
}

function buildRules(
  settings: ElevenNotesSettings,
  patterns: readonly CompiledPattern[],
  imageLabel: string,
): TranslatedRule[] {
  const denies = patterns.flatMap(({ source, intent }) =>
    intent.globs.map((glob) =>
      createDeny('*', glob, `${imageLabel} blocked ${source}: its endpoint, on the path dockerd routes`, {
        origin: 'image',
      }),
    ),
  );
  const methods = settings.methods.join(',');
  const allowed = `${imageLabel}: every ${settings.methods.join(' and ')} request${denies.length > 0 ? ' not blocked above' : ''}`;
  return [
    ...denies,
    createAllow(methods, '/**', allowed, 'image'),
    createFinalDeny(`${imageLabel} refused every other method (403)`),
  ];
}

const blockingPattern = (patterns: readonly CompiledPattern[], row: DifferenceView): CompiledPattern | undefined =>
  patterns.find((p) => p.regex.test(row.target));

function warnAboutMatching(
  patterns: readonly CompiledPattern[],
  settings: ElevenNotesSettings,
  imageLabel: string,
): MigrationWarning[] {
  if (patterns.length === 0) return [];
  const intended = patterns.flatMap((p) => p.intent.globs).map(compileGlob);
  const isIntended = (path: string | undefined): boolean => path !== undefined && intended.some((g) => g.test(path));
  const pathPart = (target: string): string => target.split('?', 1)[0]!;
  const overblocked = (kind: PatternIntent['overblocking']) => (row: DifferenceView) =>
    row.change === 'loosened' &&
    !isIntended(row.new.normalizedPath) &&
    blockingPattern(patterns, row)?.intent.overblocking === kind;
  const warnings: MigrationWarning[] = [
    {
      code: 'migrate/elevennotes/escaped-url-bypass',
      severity: 'warning',
      origin: 'image',
      message: `${imageLabel} searched its patterns in the client's escaped URL, so /containers/{id}/attach%2Fws, /swarm/%75nlockkey or /images%2Fget passed although dockerd decodes them to the blocked endpoints. Sockguard matches the decoded path dockerd routes, so these requests are now denied.`,
      explains: (row) =>
        row.change === 'tightened' && pathPart(row.target).includes('%') && isIntended(row.new.normalizedPath),
    },
    {
      code: 'migrate/elevennotes/keyword-overblocking',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel} blocked every URL that contains "secrets" or "configs" anywhere, query included: a container named my-secrets-app, a filters= query mentioning a secret, /V1.41/Secrets. The new policy denies the secrets and configs APIs (/secrets/**, /configs/**, /libpod/secrets/**) and no longer blocks the rest.`,
      explains: overblocked('keyword'),
    },
    {
      code: 'migrate/elevennotes/substring-match-quirk',
      severity: 'info',
      origin: 'image',
      message: `${imageLabel}'s patterns were unanchored and case-insensitive, and \\S+ spans slashes, so they also blocked URLs that merely contain a blocked path (/containers/{id}/exportfoo, /containers/a/b/archive, /info?x=/swarm/unlockkey, /CONTAINERS/{id}/EXPORT). Those name no endpoint dockerd serves; the new policy denies the endpoints themselves and passes the rest on to dockerd's 404.`,
      explains: overblocked('substring'),
    },
    {
      code: 'migrate/elevennotes/guide-differs',
      severity: 'info',
      origin: 'image',
      message: `Sockguard's migration guide maps 11notes to GET-only rules with exact /secrets and /configs and /images/*/get. This translation follows what ${imageLabel} does instead: ${settings.methods.join(' and ')} allowed, the whole secrets and configs APIs denied (11notes blocked any URL containing those words), and /images/get (the multi-image export 11notes blocks) denied, with the single-image export /images/{name}/get handled as read exfiltration.`,
    },
  ];
  if (patterns.some((p) => p.source.endsWith('$'))) {
    warnings.push({
      code: 'migrate/elevennotes/images-get-query-bypass',
      severity: 'warning',
      origin: 'image',
      message: `${imageLabel}'s images pattern (?i)images/get(/|)$ only matches URLs that end in images/get, so the multi-image export with its ?names= query (what docker save sends) passed. The new policy denies /images/get whatever the query.`,
      explains: (row) =>
        row.change === 'tightened' && row.target.includes('?') && row.new.normalizedPath === '/images/get',
    });
  }
  return warnings;
}

/** The release's unix socket path (v1.x `SOCKET_PROXY` with the image's `APP_ROOT`). */
function findSocketPath(settings: ElevenNotesSettings): string | undefined {
  return settings.listeners.unixSocket?.replace('${APP_ROOT}', V1_APP_ROOT);
}

/** `SOCKET_PROXY_UID`/`GID`: 11notes drops to them and creates the socket owned by them (peers.md §4.3). */
function findSocketOwner(settings: ElevenNotesSettings): Pick<ListenDocument, 'socket_uid' | 'socket_gid'> {
  const owner: Pick<ListenDocument, 'socket_uid' | 'socket_gid'> = {};
  const read = (name: string): number | undefined => {
    const setting = settings.variables[name];
    const value = setting?.read ? setting.effective : undefined;
    return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
  };
  const uid = read('SOCKET_PROXY_UID');
  const gid = read('SOCKET_PROXY_GID');
  if (uid !== undefined) owner.socket_uid = uid;
  if (gid !== undefined) owner.socket_gid = gid;
  return owner;
}

/** A TCP listener the user asked for explicitly (≥ v2.1.5 `SOCKET_PROXY_HTTP_LISTEN_IP` off loopback). */
function findRequestedTcp(settings: ElevenNotesSettings): string | undefined {
  const ip = settings.variables['SOCKET_PROXY_HTTP_LISTEN_IP'];
  if (!ip?.read || ip.raw === undefined) return undefined;
  const address = ip.raw.includes(':') ? `[${ip.raw}]:${TCP_PORT}` : `${ip.raw}:${TCP_PORT}`;
  return isLoopbackAddress(address) ? undefined : address;
}

interface ListenerTranslation {
  settings: Omit<PolicyDocument, 'rules'>;
  warnings: MigrationWarning[];
}

function translateListeners(settings: ElevenNotesSettings, imageLabel: string): ListenerTranslation {
  const socket = findSocketPath(settings);
  const owner = findSocketOwner(settings);
  const upstream = settings.variables['SOCKET_PROXY_DOCKER_SOCKET'];
  const out: ListenerTranslation = { settings: {}, warnings: [] };
  if (upstream?.read && upstream.effective !== undefined) out.settings.upstream = { socket: upstream.effective };
  if (socket === undefined) return out;
  const tcp = findRequestedTcp(settings);
  if (tcp === undefined) out.settings.listen = { socket, ...owner };
  else {
    const ip = settings.variables['SOCKET_PROXY_HTTP_LISTEN_IP']!;
    out.settings.listeners = [
      { name: 'socket', socket, ...owner, allowed_profiles: ['*'] },
      {
        name: 'tcp',
        address: tcp,
        insecure_allow_plain_tcp: true,
        insecure_allow_unauthenticated_clients: true,
        allowed_profiles: ['*'],
      },
    ];
    out.warnings.push({
      code: 'migrate/plaintext-tcp-listener',
      severity: 'warning',
      origin: ip.origin,
      message: `${describeSetting(ip)} made ${imageLabel} serve the Docker API as plaintext, unauthenticated HTTP on ${tcp} besides its unix socket. The policy keeps both listeners (the TCP one with both insecure acknowledgements); anyone who can reach the port controls the Docker daemon. Prefer the unix socket, or listen.tls (mutual TLS).`,
    });
  }
  if (owner.socket_uid !== undefined || owner.socket_gid !== undefined) {
    out.warnings.push({
      code: 'migrate/elevennotes/socket-owner',
      severity: 'info',
      origin: settings.variables['SOCKET_PROXY_UID']?.origin ?? 'image',
      message: `${imageLabel} dropped to SOCKET_PROXY_UID:SOCKET_PROXY_GID (${owner.socket_uid ?? '?'}:${owner.socket_gid ?? '?'}) and created ${socket} owned by them, so only that user and root could connect. The policy gives the new socket the same owner (listen.socket_uid/socket_gid, mode 0600); Sockguard must run as root (the old service's user: "0:<docker gid>" does) to hand the socket over.`,
    });
  }
  return out;
}

function adjustFinding(finding: PeerFinding, keepsTcp: boolean): FindingAdjustment | undefined {
  if (finding.code === 'tcp-listener-exposed') {
    return {
      outcome: keepsTcp
        ? 'The new policy keeps the TCP listener you configured.'
        : 'The new policy listens on the unix socket only; if a client used tcp://<proxy>:2375, move it to the socket (or add a TCP listener with mutual TLS).',
    };
  }
  // The README's compose sets TZ; it is no policy knob, so saying so loudly would be noise.
  if (finding.origin === 'env:TZ') return { severity: 'info' };
  if (finding.origin === 'env:DEBUG') {
    return {
      severity: 'warning',
      outcome:
        "Sockguard's migration guide maps DEBUG to log.level: debug, but the image never read it, so the translation keeps the default log level.",
    };
  }
  return undefined;
}

function warnAboutUnmapped(settings: ElevenNotesSettings): MigrationWarning[] {
  return ['SOCKET_PROXY_KEEPALIVE', 'SOCKET_PROXY_TIMEOUT'].flatMap((name): MigrationWarning[] => {
    const setting = settings.variables[name];
    if (!setting?.read || setting.raw === undefined) return [];
    return [
      {
        code: 'migrate/unmapped-variable',
        severity: 'info',
        origin: setting.origin,
        message: `${describeSetting(setting)} tuned how 11notes dialed the Docker socket; Sockguard has no such setting, so it is not translated.`,
      },
    ];
  });
}

export function translateElevenNotes(settings: ElevenNotesSettings, options: TranslateOptions): Translation {
  const imageLabel = describeImage(settings);
  const patterns = compilePatterns(settings.blockedPatterns);
  const listeners = translateListeners(settings, imageLabel);
  const warnings = [
    ...convertFindings(settings.findings, 'elevennotes', (finding) =>
      adjustFinding(finding, listeners.settings.listeners !== undefined),
    ),
    ...listeners.warnings,
    ...warnAboutUnmapped(settings),
    ...warnAboutMatching(patterns, settings, imageLabel),
  ];
  return assembleTranslation(
    'elevennotes',
    {
      rules: buildRules(settings, patterns, imageLabel),
      settings: listeners.settings,
      warnings,
      choices: [],
      applied: {},
    },
    options,
  );
}
