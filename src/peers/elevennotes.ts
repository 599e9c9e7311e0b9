/**
 * What an 11notes/docker-socket-proxy (image `socket-proxy`) service's configuration IS. The request
 * policy is fixed per release — GET (and HEAD from v2.1.2) minus a list of blocked RE2 patterns — so
 * the settings are the release's policy plus the environment that places its listeners.
 * Facts: peers.md §4, §6, §7.
 */

import { readTextSetting, type VariableSpec } from './env-reading.js';
import { findIgnoredNames, type IgnoredName } from './ignored-names.js';
import { listLinuxServerVariables, NEWEST_LINUXSERVER_BUILD } from './linuxserver.js';
import type { EnvSetting, ImageRelease, PeerFinding } from './peer-settings.js';
import { compareVersions, formatVersion, parseReleaseTag } from './release-tag.js';

/** Behaviour eras, named by their first release (peers.md §4.4). */
export type ElevenNotesEra = '1.0.0' | '1.0.4' | '2.0.0' | '2.1.2' | '2.1.5';

const ERA_STARTS: readonly (readonly [readonly number[], ElevenNotesEra])[] = [
  [[2, 1, 5], '2.1.5'],
  [[2, 1, 2], '2.1.2'],
  [[2, 0, 0], '2.0.0'],
  [[1, 0, 4], '1.0.4'],
  [[1, 0, 0], '1.0.0'],
];

/** The newest release seen in use (peers.md §4.1); later tags are assumed to behave like it. */
const NEWEST_SEEN: readonly number[] = [2, 1, 6];

/** The seven patterns of v1.0.4 … v2.1.4, `go/socket-proxy/main.go` (peers.md §4.1), in source order. */
const BLOCKED_PATTERNS_1_0_4: readonly string[] = [
  String.raw`(?i)containers/\S+/attach/ws.*`,
  String.raw`(?i)containers/\S+/export.*`,
  String.raw`(?i)containers/\S+/archive.*`,
  String.raw`(?i)secrets.*`,
  String.raw`(?i)configs.*`,
  String.raw`(?i)swarm/unlockkey.*`,
  String.raw`(?i)images/get.*`,
];

/** ≥ v2.1.5 (`build/go/socket-proxy/main.go` at a9f6073): the images pattern only matches at the end. */
const BLOCKED_PATTERNS_2_1_5: readonly string[] = [
  ...BLOCKED_PATTERNS_1_0_4.slice(0, 6),
  String.raw`(?i)images/get(/|)$`,
];

/** Environment variables with their image defaults and the first release that reads them (peers.md §4.2). */
const VARIABLES: readonly { name: string; defaultRaw: string; since: readonly number[]; until?: readonly number[] }[] =
  [
    { name: 'SOCKET_PROXY', defaultRaw: '${APP_ROOT}/run/docker.sock', since: [1, 0, 0], until: [2, 0, 0] },
    { name: 'SOCKET_PROXY_VOLUME', defaultRaw: '/run/proxy', since: [2, 0, 0] },
    { name: 'SOCKET_PROXY_DOCKER_SOCKET', defaultRaw: '/run/docker.sock', since: [2, 0, 0] },
    { name: 'SOCKET_PROXY_UID', defaultRaw: '1000', since: [2, 0, 0] },
    { name: 'SOCKET_PROXY_GID', defaultRaw: '1000', since: [2, 0, 0] },
    { name: 'SOCKET_PROXY_KEEPALIVE', defaultRaw: '10s', since: [2, 1, 4] },
    { name: 'SOCKET_PROXY_TIMEOUT', defaultRaw: '30s', since: [2, 1, 4] },
    { name: 'SOCKET_PROXY_HTTP_LISTEN_IP', defaultRaw: '127.0.0.1', since: [2, 1, 5] },
  ];

const NO_KNOBS: IgnoredName = {
  why: 'the policy is fixed (GET/HEAD minus the blocked patterns); the maintainer declined policy knobs (issue #9)',
  severity: 'warning',
};

/** Names people set on this image that it never reads (peers.md §4.1, §4.2). */
const NEVER_READ: Readonly<Record<string, IgnoredName>> = {
  DEBUG: { why: 'it is a generic README row that the proxy does not read', severity: 'info' },
  ...Object.fromEntries(listLinuxServerVariables(NEWEST_LINUXSERVER_BUILD).map((name) => [name, NO_KNOBS])),
};

export interface ElevenNotesInput {
  /** The strings the container sees (compose `environment`, after interpolation). */
  environment: Readonly<Record<string, string>>;
  /** The image tag without repository; undefined when untagged or pinned by digest only. */
  imageTag: string | undefined;
}

export interface ElevenNotesSettings {
  source: '11notes';
  image: ImageRelease<ElevenNotesEra>;
  /** Methods proxied, compared exactly (`get` is refused). */
  methods: readonly string[];
  /** Go RE2 texts searched (unanchored) in `r.URL.String()`, in source order; empty before v1.0.4. */
  blockedPatterns: readonly string[];
  /** Every variable of any release, keyed by name; `read: false` where this release lacks it. */
  variables: Readonly<Record<string, EnvSetting<string | undefined>>>;
  /** Where the proxy listens: its unix socket path and TCP address (TCP is reachable from any peer container). */
  listeners: { unixSocket: string | undefined; tcp: string };
  findings: readonly PeerFinding[];
}

function eraOf(version: readonly number[]): ElevenNotesEra | undefined {
  return ERA_STARTS.find(([start]) => compareVersions(version, start) >= 0)?.[1];
}

/** Which release and era an image tag denotes (peers.md §4.1, §4.4). */
export function resolveElevenNotesImage(tag: string | undefined): ImageRelease<ElevenNotesEra> {
  const newest = (note: string): ImageRelease<ElevenNotesEra> => ({
    tag,
    origin: 'image',
    era: '2.1.5',
    version: undefined,
    assumedNewest: true,
    note: `${note}: assuming the newest known behaviour (≥ v2.1.5, from source)`,
  });
  if (tag === undefined) return newest('untagged image');
  if (tag === 'rolling' || tag === 'latest') return newest(`moving tag \`${tag}\``);
  const parsed = parseReleaseTag(tag);
  if (!parsed) return newest(`unknown tag \`${tag}\``);
  if (parsed.floating) return newest(`floating tag \`${tag}\` follows the newest ${tag}.x release`);
  const era = eraOf(parsed.parts);
  if (era === undefined) return newest(`unknown release \`${tag}\``);
  const version = formatVersion(parsed.parts);
  if (compareVersions(parsed.parts, NEWEST_SEEN) > 0) {
    return { ...newest(`release v${version} is newer than any known`), version };
  }
  return { tag, origin: 'image', era, version, assumedNewest: false, note: `release v${version}` };
}

/** Names the given release reads (`[2, 1, 4]`). */
export function listElevenNotesVariables(version: readonly number[]): readonly string[] {
  return VARIABLES.filter((variable) => readsVariable(variable, version)).map((variable) => variable.name);
}

function readsVariable(variable: (typeof VARIABLES)[number], version: readonly number[]): boolean {
  return (
    compareVersions(version, variable.since) >= 0 &&
    (variable.until === undefined || compareVersions(version, variable.until) < 0)
  );
}

/** Go `strconv.Atoi`: optional sign, decimal digits, within int64. */
function isGoInt(raw: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(raw)) return false;
  const value = BigInt(raw);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

function findUidGidProblems(variables: Readonly<Record<string, EnvSetting<string | undefined>>>): PeerFinding[] {
  return ['SOCKET_PROXY_UID', 'SOCKET_PROXY_GID'].flatMap((name): PeerFinding[] => {
    const setting = variables[name];
    if (setting === undefined || !setting.read || setting.raw === undefined || isGoInt(setting.raw)) return [];
    return [
      {
        code: 'uid-gid-not-integer',
        severity: 'error',
        origin: setting.origin,
        message: `${name}=${setting.raw} is not an integer: the proxy exits at startup ("${name} must be a number").`,
      },
    ];
  });
}

function placeListeners(
  era: ElevenNotesEra,
  variables: Readonly<Record<string, EnvSetting<string | undefined>>>,
): ElevenNotesSettings['listeners'] {
  if (era === '1.0.0' || era === '1.0.4') {
    return { unixSocket: variables['SOCKET_PROXY']?.effective, tcp: '0.0.0.0:8080' };
  }
  const volume = (variables['SOCKET_PROXY_VOLUME']?.effective ?? '').replace(/\/+$/, '');
  const unixSocket = `${volume}/docker.sock`;
  if (era !== '2.1.5') return { unixSocket, tcp: '0.0.0.0:2375' };
  return { unixSocket, tcp: `${variables['SOCKET_PROXY_HTTP_LISTEN_IP']?.effective ?? ''}:2375` };
}

function describeTcpExposure(era: ElevenNotesEra, tcp: string): PeerFinding {
  const message =
    era === '2.1.5'
      ? `TCP listener ${tcp}: on v2.1.5 and later the address depends on the build (image default 127.0.0.1; a third-party document claims 0.0.0.0 for 2.1.7), so check it before relying on the unix socket alone.`
      : `The proxy always listens on TCP ${tcp} (hard-coded): any container on a shared network reaches it, even without \`ports:\`.`;
  return { code: 'tcp-listener-exposed', severity: 'warning', origin: 'image', message };
}

/** Parses an 11notes service's environment and image tag into the release's fixed policy and listeners. */
export function parseElevenNotesSettings(input: ElevenNotesInput): ElevenNotesSettings {
  const { environment } = input;
  const image = resolveElevenNotesImage(input.imageTag);
  const version = (image.version === undefined ? undefined : parseReleaseTag(image.version)?.parts) ?? NEWEST_SEEN;
  const findings: PeerFinding[] = [];
  if (image.assumedNewest) {
    findings.push({ code: 'assumed-newest', severity: 'warning', origin: 'image', message: image.note });
  }
  if (image.tag === 'latest') {
    findings.push({
      code: 'tag-not-published',
      severity: 'warning',
      origin: 'image',
      message:
        '11notes publishes no `latest` tag (semver tags or `rolling` only), so this image reference does not pull.',
    });
  }

  const variables: Record<string, EnvSetting<string | undefined>> = {};
  for (const variable of VARIABLES) {
    const until = variable.until === undefined ? '' : ` until v${formatVersion(variable.until)}`;
    const spec: VariableSpec = readsVariable(variable, version)
      ? { name: variable.name, defaultRaw: variable.defaultRaw }
      : {
          name: variable.name,
          defaultRaw: variable.defaultRaw,
          unreadBecause: `v${formatVersion(version)} does not read it (read from v${formatVersion(variable.since)}${until})`,
        };
    const read = readTextSetting(spec, environment);
    variables[variable.name] = read.setting;
    findings.push(...read.findings);
  }
  const listeners = placeListeners(image.era, variables);
  findings.push(
    ...findUidGidProblems(variables),
    describeTcpExposure(image.era, listeners.tcp),
    ...findIgnoredNames(environment, {
      imageLabel: `11notes socket-proxy ${image.version === undefined ? '(newest release)' : `v${image.version}`}`,
      recognised: VARIABLES.map((variable) => variable.name),
      known: NEVER_READ,
    }),
  );

  return {
    source: '11notes',
    image,
    methods: compareVersions(version, [2, 1, 2]) >= 0 ? ['GET', 'HEAD'] : ['GET'],
    blockedPatterns:
      image.era === '1.0.0' ? [] : image.era === '2.1.5' ? BLOCKED_PATTERNS_2_1_5 : BLOCKED_PATTERNS_1_0_4,
    variables,
    listeners,
    findings,
  };
}
