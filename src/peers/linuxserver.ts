/**
 * What a linuxserver/docker-socket-proxy (image `socket-proxy`) service's configuration IS. The tag's
 * `-ls<N>` build number decides the engine and semantics (peers.md §2.1): HAProxy `-m bool` toggles
 * on HAProxy tags, "anything but `0` is on" on nginx tags, and which variables exist at all.
 * Facts: peers.md §2, §6, §7.
 */

import { readHaproxyToggle } from './haproxy-bool.js';
import {
  CONTAINER_ACTION_RULES,
  CONTAINER_PAUSE_RULES,
  DOCKER_SECTION_RULES,
  LIBPOD_ACTION_RULES,
  LIBPOD_SECTION_RULES,
  LINUXSERVER_SUBPATH_DENY_RULES,
} from './haproxy-rules.js';
import { readTextSetting, readToggleSetting, type ToggleReader, type VariableSpec } from './env-reading.js';
import { findIgnoredNames, HAPROXY_IMAGE_CONFUSIONS, type IgnoredName } from './ignored-names.js';
import type { EnvSetting, ImageRelease, PeerFinding } from './peer-settings.js';
import { findActionsBehindGate, findExecWithoutCreate } from './toggle-combinations.js';

/**
 * Behaviour eras by build number (peers.md §2.1, §2.6):
 * - `haproxy-2.8` ls1–ls3: a copy of Tecnativa's rules, method gate first;
 * - `nginx` ls4–ls46: nginx templates (§2.5), not emulated;
 * - `haproxy-actions-first` ls47–ls72: `ALLOW_START/STOP/RESTARTS` before the gate, any method;
 * - `haproxy-pause` ls73–ls83: + `ALLOW_PAUSE`, `ALLOW_UNPAUSE`;
 * - `haproxy-libpod` ls84–ls91: + `LIBPOD_*`;
 * - `haproxy-subpath-denies` ls92+: + deny-unless-set `ALLOW_ARCHIVE/CHANGES/EXPORT/LOGS/TOP`,
 *   `ALLOW_*` extended to `/libpod` and `/pods`.
 */
export type LinuxServerEra =
  'haproxy-2.8' | 'nginx' | 'haproxy-actions-first' | 'haproxy-pause' | 'haproxy-libpod' | 'haproxy-subpath-denies';

/** The newest build the reference describes (`3.4.3-r0-ls92`, 2026-08-18). */
export const NEWEST_LINUXSERVER_BUILD = 92;

/** First build of each era, newest first. */
const ERA_STARTS: readonly (readonly [number, LinuxServerEra])[] = [
  [92, 'haproxy-subpath-denies'],
  [84, 'haproxy-libpod'],
  [73, 'haproxy-pause'],
  [47, 'haproxy-actions-first'],
  [4, 'nginx'],
  [1, 'haproxy-2.8'],
];

/** `3.4.3-r0-ls92`, `2.8.7-ls1`, optionally behind an architecture prefix (`arm64v8-…`). */
const BUILD_TAG = /^(?:(?:amd64|arm64v8|riscv64)-)?([0-9]+\.[0-9]+\.[0-9]+(?:-r[0-9]+)?-ls([1-9][0-9]*))$/;

/** Builds (inclusive ranges) that read each variable; absent names are read by every build. */
const READ_BY_BUILDS: Readonly<Record<string, readonly [number, number]>> = {
  ...Object.fromEntries(CONTAINER_PAUSE_RULES.map((rule) => [rule.variable, [73, Infinity] as const])),
  ...Object.fromEntries(
    [...LIBPOD_SECTION_RULES, ...LIBPOD_ACTION_RULES].map((rule) => [rule.variable, [84, Infinity] as const]),
  ),
  ...Object.fromEntries(LINUXSERVER_SUBPATH_DENY_RULES.map((rule) => [rule.variable, [92, Infinity] as const])),
  TZ: [54, Infinity],
  PROXY_READ_TIMEOUT: [37, 46],
};

/** Toggle defaults of the image `ENV` (peers.md §2.2); `GRPC` is not set by the image. */
const TOGGLE_DEFAULTS: Readonly<Record<string, string | undefined>> = {
  ...Object.fromEntries(DOCKER_SECTION_RULES.map((rule) => [rule.variable, '0'])),
  GRPC: undefined,
  EVENTS: '1',
  PING: '1',
  VERSION: '1',
  POST: '0',
  ...Object.fromEntries(
    [...CONTAINER_ACTION_RULES, ...CONTAINER_PAUSE_RULES, ...LINUXSERVER_SUBPATH_DENY_RULES].map((rule) => [
      rule.variable,
      '0',
    ]),
  ),
  ...Object.fromEntries([...LIBPOD_SECTION_RULES, ...LIBPOD_ACTION_RULES].map((rule) => [rule.variable, '0'])),
  LIBPOD_PING: '1',
  LIBPOD_VERSION: '1',
};

/** Text variables with their defaults (peers.md §2.2); `DISABLE_IPV6` and `TZ` are not set by the image. */
const TEXT_DEFAULTS = {
  DISABLE_IPV6: undefined,
  LOG_LEVEL: 'info',
  SOCKET_PATH: '/var/run/docker.sock',
  TZ: undefined,
  PROXY_READ_TIMEOUT: '240',
} as const;

const NOISE: IgnoredName = {
  why: 'the image runs as root and has no PUID/PGID/UMASK handling (templates that emit them are noise)',
  severity: 'info',
};

/** Names people set on this image that it never reads (peers.md §2.1, §2.2, §7). */
const NEVER_READ: Readonly<Record<string, IgnoredName>> = {
  ...HAPROXY_IMAGE_CONFUSIONS,
  PUID: NOISE,
  PGID: NOISE,
  UMASK: NOISE,
};

export interface LinuxServerInput {
  /** The strings the container sees (compose `environment`, after interpolation). */
  environment: Readonly<Record<string, string>>;
  /** The image tag without repository; undefined when untagged or pinned by digest only. */
  imageTag: string | undefined;
}

export interface LinuxServerSettings {
  source: 'linuxserver';
  image: ImageRelease<LinuxServerEra>;
  /** The `-ls<N>` build whose behaviour applies (the newest known one when assumed). */
  build: number;
  engine: 'haproxy' | 'nginx';
  /** Every toggle of any build, keyed by variable; `read: false` where this build lacks it. */
  toggles: Readonly<Record<string, EnvSetting<boolean>>>;
  /** Only the exact string `1` binds IPv4 only (peers.md §2.1, §2.2, §2.4). */
  disableIpv6: EnvSetting<boolean>;
  logLevel: EnvSetting<string | undefined>;
  socketPath: EnvSetting<string | undefined>;
  tz: EnvSetting<string | undefined>;
  /** nginx builds ls37–ls46 only. */
  proxyReadTimeout: EnvSetting<string | undefined>;
  findings: readonly PeerFinding[];
}

function eraOf(build: number): LinuxServerEra {
  return (ERA_STARTS.find(([start]) => build >= start) as readonly [number, LinuxServerEra])[1];
}

/** Which build and era an image tag denotes (peers.md §2.1: the tag tells the semantics). */
export function resolveLinuxServerImage(tag: string | undefined): ImageRelease<LinuxServerEra> & { build: number } {
  const newest = (note: string): ImageRelease<LinuxServerEra> & { build: number } => ({
    tag,
    origin: 'image',
    era: eraOf(NEWEST_LINUXSERVER_BUILD),
    version: undefined,
    assumedNewest: true,
    note,
    build: NEWEST_LINUXSERVER_BUILD,
  });
  const semantics = `assuming the newest known semantics (3.4.3-r0-ls${NEWEST_LINUXSERVER_BUILD})`;
  if (tag === undefined) return newest(`untagged image: ${semantics}`);
  const match = BUILD_TAG.exec(tag);
  const version = match?.[1];
  const build = Number(match?.[2] ?? NaN);
  if (version === undefined || Number.isNaN(build)) return newest(`tag \`${tag}\` names no -ls build: ${semantics}`);
  if (build > NEWEST_LINUXSERVER_BUILD) {
    return { ...newest(`build ls${build} is newer than the newest known one: ${semantics}`), version, build };
  }
  return {
    tag,
    origin: 'image',
    era: eraOf(build),
    version,
    assumedNewest: false,
    note: `build ls${build}`,
    build,
  };
}

/** Names the given build reads (toggles and text variables). */
export function listLinuxServerVariables(build: number): readonly string[] {
  return [...Object.keys(TOGGLE_DEFAULTS), ...Object.keys(TEXT_DEFAULTS)].filter(
    (name) => unreadBecause(name, build) === undefined,
  );
}

/** Why build `build` does not read `name`, or undefined when it does (peers.md §2.1, §2.2, §2.5, §2.6). */
function unreadBecause(name: string, build: number): string | undefined {
  const range = READ_BY_BUILDS[name];
  if (range !== undefined && (build < range[0] || build > range[1])) {
    const last = range[1] === Infinity ? '' : ` to ls${range[1]}`;
    return `build ls${build} does not read it (read from ls${range[0]}${last})`;
  }
  const nginx = build >= 4 && build <= 46;
  if (name === 'LOG_LEVEL' && (nginx || build === 47))
    return `build ls${build} does not read it (LOG_LEVEL returned in ls48)`;
  if (name === 'DISABLE_IPV6' && build === 4) return 'build ls4 does not read it (added in ls5)';
  return undefined;
}

/** nginx tags: `if ($path_x = 0) {return 403;}` — any other string, even `false`, is on (peers.md §2.5). */
const readNginxToggle: ToggleReader = (name, raw) => {
  const on = raw !== '0';
  if (!on || !['', 'false', 'no', 'off'].includes(raw.toLowerCase())) return { on };
  return {
    on,
    finding: {
      code: 'false-means-on',
      severity: 'warning',
      message: `${name}=${raw} is ON on nginx tags: the template only checks \`= 0\`, so any other value allows.`,
      suggestion: `${name}=0`,
    },
  };
};

/** nginx tags pick the write-enabled template with bash `[[ $POST == 1 ]]` (peers.md §2.5). */
const readNginxPost: ToggleReader = (name, raw) => {
  const on = raw === '1';
  if (on || raw === '0') return { on };
  return {
    on,
    finding: {
      code: 'post-needs-literal-1',
      severity: 'warning',
      message: `${name}=${raw} is OFF on nginx tags: only the literal \`1\` selects the template that allows writes.`,
      suggestion: `${name}=1`,
    },
  };
};

function findNginxStopQuirks(toggles: Readonly<Record<string, EnvSetting<boolean>>>, build: number): PeerFinding[] {
  const stop = toggles['ALLOW_STOP']?.effective === true;
  const restarts = toggles['ALLOW_RESTARTS']?.effective === true;
  if (build < 31 && stop && !restarts) {
    return [
      {
        code: 'stop-needs-restarts',
        severity: 'warning',
        origin: 'env:ALLOW_STOP',
        message: `On builds before 1.26.2-r3-ls31, ALLOW_STOP=1 did not allow stop while ALLOW_RESTARTS was off (issue #16, PR #17).`,
      },
    ];
  }
  if (build >= 31 && restarts && !stop) {
    return [
      {
        code: 'stop-governed-by-allow-stop',
        severity: 'warning',
        origin: 'env:ALLOW_RESTARTS',
        message:
          'On nginx builds the first matching location wins and the stop location comes first, so ALLOW_STOP alone governs stop: ALLOW_RESTARTS=1 does not allow it.',
      },
    ];
  }
  return [];
}

function findSubpathDenies(toggles: Readonly<Record<string, EnvSetting<boolean>>>): PeerFinding[] {
  const containers = ['CONTAINERS', 'LIBPOD_CONTAINERS'].filter((name) => toggles[name]?.effective === true);
  const denied = LINUXSERVER_SUBPATH_DENY_RULES.map((rule) => rule.variable).filter(
    (name) => toggles[name]?.effective !== true,
  );
  if (containers.length === 0 || denied.length === 0) return [];
  return [
    {
      code: 'subpath-denied-by-default',
      severity: 'warning',
      origin: `env:${containers[0]}`,
      message: `Since 3.4.3-r0-ls92 these container sub-paths are 403 for every method until their variable is set, whatever ${containers.join(' and ')} allow: ${denied.join(', ')} (log viewers relying on CONTAINERS=1 need ALLOW_LOGS=1).`,
    },
  ];
}

/** Parses a LinuxServer service's environment and image tag into the settings the image acts on. */
export function parseLinuxServerSettings(input: LinuxServerInput): LinuxServerSettings {
  const { environment } = input;
  const { build, ...image } = resolveLinuxServerImage(input.imageTag);
  const engine = image.era === 'nginx' ? 'nginx' : 'haproxy';
  const findings: PeerFinding[] = [];
  if (image.assumedNewest) {
    findings.push({ code: 'assumed-newest', severity: 'warning', origin: 'image', message: image.note });
  }
  const specFor = (name: string, defaultRaw: string | undefined): VariableSpec => {
    const why = unreadBecause(name, build);
    return why === undefined ? { name, defaultRaw } : { name, defaultRaw, unreadBecause: why };
  };

  const toggles: Record<string, EnvSetting<boolean>> = {};
  for (const [name, defaultRaw] of Object.entries(TOGGLE_DEFAULTS)) {
    const reader = engine === 'haproxy' ? readHaproxyToggle : name === 'POST' ? readNginxPost : readNginxToggle;
    const read = readToggleSetting(specFor(name, defaultRaw), environment, reader);
    toggles[name] = read.setting;
    findings.push(...read.findings);
  }
  const readText = (name: keyof typeof TEXT_DEFAULTS): EnvSetting<string | undefined> => {
    const read = readTextSetting(specFor(name, TEXT_DEFAULTS[name]), environment);
    findings.push(...read.findings);
    return read.setting;
  };
  const disableIpv6 = readText('DISABLE_IPV6');
  const logLevel = readText('LOG_LEVEL');
  const socketPath = readText('SOCKET_PATH');
  const tz = readText('TZ');
  const proxyReadTimeout = readText('PROXY_READ_TIMEOUT');

  const actions = CONTAINER_ACTION_RULES.map((rule) => rule.variable);
  if (image.era === 'haproxy-2.8') findings.push(...findActionsBehindGate(toggles, actions, 'peers.md §2.1, ls1–ls3'));
  if (image.era === 'nginx' && build < 23) {
    findings.push(...findActionsBehindGate(toggles, actions, 'peers.md §2.5, before 1.26.2-r0-ls23'));
  }
  if (image.era === 'nginx') findings.push(...findNginxStopQuirks(toggles, build));
  if (image.era === 'haproxy-subpath-denies') findings.push(...findSubpathDenies(toggles));
  findings.push(
    ...findExecWithoutCreate(toggles),
    ...findIgnoredNames(environment, {
      imageLabel: `LinuxServer ${image.version ?? 'socket-proxy (newest build)'}`,
      recognised: listLinuxServerVariables(NEWEST_LINUXSERVER_BUILD).concat('PROXY_READ_TIMEOUT'),
      known: NEVER_READ,
    }),
  );

  return {
    source: 'linuxserver',
    image,
    build,
    engine,
    toggles,
    disableIpv6: { ...disableIpv6, effective: disableIpv6.read && disableIpv6.raw === '1' },
    logLevel,
    socketPath,
    tz,
    proxyReadTimeout,
    findings,
  };
}
