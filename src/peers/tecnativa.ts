/**
 * What a Tecnativa/docker-socket-proxy service's configuration IS: every variable the image reads,
 * the value the image acts on (HAProxy `-m bool`: `true` is off), the release era its tag denotes,
 * and findings about values and names the image silently ignores. Facts: peers.md §1, §6, §7.
 */

import { readHaproxyToggle } from './haproxy-bool.js';
import { CONTAINER_ACTION_RULES, DOCKER_SECTION_RULES } from './haproxy-rules.js';
import { readTextSetting, readToggleSetting, type VariableSpec } from './env-reading.js';
import { findIgnoredNames, HAPROXY_IMAGE_CONFUSIONS, type IgnoredName } from './ignored-names.js';
import { listLinuxServerVariables, NEWEST_LINUXSERVER_BUILD } from './linuxserver.js';
import type { EnvSetting, ImageRelease, PeerFinding } from './peer-settings.js';
import { compareVersions, formatVersion, parseReleaseTag, resolveReleaseTag } from './release-tag.js';
import { findActionsBehindGate, findExecWithoutCreate } from './toggle-combinations.js';

/**
 * Behaviour eras: `0.1.0` covers v0.1.0–v0.1.1; `0.1.2` covers v0.1.2 and later, which added
 * `GRPC`, `SOCKET_PATH`, `ALLOW_START`, `ALLOW_STOP` and `DISABLE_IPV6` (peers.md §1.5, §1.8).
 */
export type TecnativaEra = '0.1.0' | '0.1.2';

/** Published releases (peers.md §1.8 tag dates), oldest first. */
export const TECNATIVA_RELEASES: readonly (readonly number[])[] = [
  [0, 1, 0],
  [0, 1, 1],
  [0, 1, 2],
  [0, 2, 0],
  [0, 3, 0],
  [0, 4, 0],
  [0, 4, 1],
];

const NEWEST_ERA: TecnativaEra = '0.1.2';
const NEWEST_RELEASE = TECNATIVA_RELEASES[TECNATIVA_RELEASES.length - 1] as readonly number[];

const ACTION_VARIABLES = CONTAINER_ACTION_RULES.map((rule) => rule.variable);

/** Moving tags that follow the newest release or the default branch (peers.md §1.1). */
const MOVING_TAGS = new Set(['latest', 'edge', 'nightly']);

/** Variables added in v0.1.2 (peers.md §1.5, §1.8). */
const SINCE_0_1_2 = new Set(['GRPC', 'SOCKET_PATH', 'ALLOW_START', 'ALLOW_STOP', 'DISABLE_IPV6']);

/** Toggles read with `env(VAR) -m bool`, with their v0.4.1 Dockerfile defaults (peers.md §1.2). */
const TOGGLE_DEFAULTS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(CONTAINER_ACTION_RULES.map((rule) => [rule.variable, '0'])),
  ...Object.fromEntries(DOCKER_SECTION_RULES.map((rule) => [rule.variable, '0'])),
  EVENTS: '1',
  PING: '1',
  VERSION: '1',
  POST: '0',
};

/** Other variables the image reads, with their defaults (peers.md §1.2). */
const TEXT_DEFAULTS = {
  DISABLE_IPV6: '0',
  LOG_LEVEL: 'info',
  SOCKET_PATH: '/var/run/docker.sock',
} as const;

/** `LOG_LEVEL` values the README documents (peers.md §1.2). */
const DOCUMENTED_LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'err', 'crit', 'alert', 'emerg'];

const LINUXSERVER_ONLY: IgnoredName = { why: 'it is a LinuxServer variable', severity: 'warning' };

/** Names people set on this image that it never reads, and why (peers.md §1.2, §2.2, §7). */
const NEVER_READ: Readonly<Record<string, IgnoredName>> = {
  // TZ is left out: whether it changes Tecnativa's log timestamps is not in the reference.
  ...Object.fromEntries(
    listLinuxServerVariables(NEWEST_LINUXSERVER_BUILD)
      .filter((name) => name !== 'TZ')
      .map((name) => [name, LINUXSERVER_ONLY]),
  ),
  ...HAPROXY_IMAGE_CONFUSIONS,
  BIND_CONFIG: { why: 'the entrypoint overwrites it', severity: 'warning' },
};

export interface TecnativaInput {
  /** The strings the container sees (compose `environment`, after interpolation). */
  environment: Readonly<Record<string, string>>;
  /** The image tag without repository; undefined when untagged or pinned by digest only. */
  imageTag: string | undefined;
}

/** The HAProxy base image of a release (peers.md §1.1): `2.2` up to v0.1.2 and in v0.3.0, `3.0` in v0.2.0, `3.2.4` from v0.4.0. */
export type TecnativaHaproxyBase = '2.2' | '3.0' | '3.2.4';

export interface TecnativaSettings {
  source: 'tecnativa';
  image: ImageRelease<TecnativaEra>;
  haproxyBase: TecnativaHaproxyBase;
  /** Every `-m bool` toggle of the newest era, keyed by variable (`POST`, `CONTAINERS`, `ALLOW_START`, ...). */
  toggles: Readonly<Record<string, EnvSetting<boolean>>>;
  /** Entrypoint shell test: lower-cased `1`, `true` or `yes` binds IPv4 only (peers.md §1.2, §1.6). */
  disableIpv6: EnvSetting<boolean>;
  logLevel: EnvSetting<string | undefined>;
  socketPath: EnvSetting<string | undefined>;
  findings: readonly PeerFinding[];
}

/** Variable names the given era reads (toggles and text variables). */
export function listTecnativaVariables(era: TecnativaEra): readonly string[] {
  return [...Object.keys(TOGGLE_DEFAULTS), ...Object.keys(TEXT_DEFAULTS)].filter(
    (name) => era === '0.1.2' || !SINCE_0_1_2.has(name),
  );
}

/** The HAProxy base of a release; the newest (3.2.4) when the release is not pinned (peers.md §1.1). */
export function findTecnativaHaproxyBase(version: string | undefined): TecnativaHaproxyBase {
  if (version === '0.2.0') return '3.0';
  if (version === undefined || compareVersions(parseReleaseTag(version)?.parts ?? [], [0, 4, 0]) >= 0) return '3.2.4';
  return '2.2';
}

/** Which release and era an image tag denotes (peers.md §1.1, §1.8). */
export function resolveTecnativaImage(tag: string | undefined): ImageRelease<TecnativaEra> {
  const newest = (note: string): ImageRelease<TecnativaEra> => ({
    tag,
    origin: 'image',
    era: NEWEST_ERA,
    version: undefined,
    assumedNewest: true,
    note,
  });
  if (tag === undefined) return newest('untagged image: assuming the newest release (v0.4.1 semantics)');
  if (MOVING_TAGS.has(tag)) return newest(`moving tag \`${tag}\`: assuming the newest release (v0.4.1 semantics)`);
  const parsed = parseReleaseTag(tag);
  const release = parsed && resolveReleaseTag(parsed, TECNATIVA_RELEASES);
  if (!parsed || !release) return newest(`unknown tag \`${tag}\`: assuming the newest release (v0.4.1 semantics)`);
  const era: TecnativaEra = compareVersions(release, [0, 1, 2]) >= 0 ? '0.1.2' : '0.1.0';
  const version = formatVersion(release);
  if (parsed.floating && compareVersions(release, NEWEST_RELEASE) === 0) {
    return { ...newest(`floating tag \`${tag}\` follows the newest release: assuming v${version}`), era, version };
  }
  const note = parsed.floating ? `floating tag \`${tag}\` resolves to v${version}` : `release v${version}`;
  return { tag, origin: 'image', era, version, assumedNewest: false, note };
}

function specFor(name: string, defaultRaw: string, image: ImageRelease<TecnativaEra>): VariableSpec {
  return image.era === '0.1.0' && SINCE_0_1_2.has(name)
    ? { name, defaultRaw, unreadBecause: `Tecnativa ${image.version ?? image.era} predates it (added in v0.1.2)` }
    : { name, defaultRaw };
}

/** Entrypoint `case` on the lower-cased value: `1|true|yes` (peers.md §1.2). */
function readDisableIpv6(setting: EnvSetting<string | undefined>): EnvSetting<boolean> {
  const value = (setting.effective ?? '').toLowerCase();
  return { ...setting, effective: setting.read && ['1', 'true', 'yes'].includes(value) };
}

/** Parses a Tecnativa service's environment and image tag into the settings the image acts on. */
export function parseTecnativaSettings(input: TecnativaInput): TecnativaSettings {
  const { environment } = input;
  const image = resolveTecnativaImage(input.imageTag);
  const findings: PeerFinding[] = [];
  if (image.assumedNewest) {
    findings.push({ code: 'assumed-newest', severity: 'warning', origin: 'image', message: image.note });
  }

  const toggles: Record<string, EnvSetting<boolean>> = {};
  for (const [name, defaultRaw] of Object.entries(TOGGLE_DEFAULTS)) {
    const read = readToggleSetting(specFor(name, defaultRaw, image), environment, readHaproxyToggle);
    toggles[name] = read.setting;
    findings.push(...read.findings);
  }
  const readText = (name: keyof typeof TEXT_DEFAULTS): EnvSetting<string | undefined> => {
    const read = readTextSetting(specFor(name, TEXT_DEFAULTS[name], image), environment);
    findings.push(...read.findings);
    return read.setting;
  };
  const disableIpv6 = readText('DISABLE_IPV6');
  const logLevel = readText('LOG_LEVEL');
  const socketPath = readText('SOCKET_PATH');

  if (logLevel.raw !== undefined && !DOCUMENTED_LOG_LEVELS.includes(logLevel.raw)) {
    findings.push({
      code: 'undocumented-log-level',
      severity: 'warning',
      origin: logLevel.origin,
      message: `LOG_LEVEL=${logLevel.raw} is not one of the levels the README documents (${DOCUMENTED_LOG_LEVELS.join(', ')}).`,
    });
  }
  if (socketPath.read && socketPath.raw === '') {
    findings.push({
      code: 'empty-socket-path',
      severity: 'error',
      origin: socketPath.origin,
      message: 'SOCKET_PATH is empty: HAProxy refuses to start without an upstream socket.',
    });
  }
  findings.push(
    ...findIgnoredNames(environment, {
      imageLabel: `Tecnativa ${image.version === undefined ? '(newest release)' : `v${image.version}`}`,
      recognised: listTecnativaVariables(NEWEST_ERA),
      known: NEVER_READ,
    }),
    ...findActionsBehindGate(toggles, ACTION_VARIABLES, 'peers.md §1.5, issue #101'),
    ...findExecWithoutCreate(toggles),
  );
  return {
    source: 'tecnativa',
    image,
    haproxyBase: findTecnativaHaproxyBase(image.version),
    toggles,
    disableIpv6: readDisableIpv6(disableIpv6),
    logLevel,
    socketPath,
    findings,
  };
}
