/**
 * One entry per old proxy, keyed by SourceKind: read its configuration from the peer input
 * (src/peers), name the release whose behaviour applies, translate it (src/translators) and emulate
 * it (src/emulators). Everything source-specific the pipeline needs goes through here.
 */
import { compileCetusGuard } from '../emulators/cetusguard.js';
import { compileElevenNotes } from '../emulators/elevennotes.js';
import { compileLinuxServer } from '../emulators/linuxserver.js';
import { compileTecnativa } from '../emulators/tecnativa.js';
import type { Emulator } from '../emulators/types.js';
import { compileWollomatic } from '../emulators/wollomatic.js';
import { parseCetusGuardSettings } from '../peers/cetusguard.js';
import { parseElevenNotesSettings } from '../peers/elevennotes.js';
import { parseLinuxServerSettings } from '../peers/linuxserver.js';
import type { ImageRelease } from '../peers/peer-settings.js';
import { parseTecnativaSettings } from '../peers/tecnativa.js';
import { parseWollomaticSettings } from '../peers/wollomatic.js';
import { translateCetusGuard } from '../translators/cetusguard.js';
import { translateElevenNotes } from '../translators/elevennotes.js';
import { translateLinuxServer } from '../translators/linuxserver.js';
import { translateTecnativa } from '../translators/tecnativa.js';
import type { SourceKind, TranslateOptions, Translation } from '../translators/types.js';
import { translateWollomatic } from '../translators/wollomatic.js';
import type { PeerInput } from './peer-input.js';

/** The release whose behaviour the migration reproduces. */
export interface SourceRelease {
  /** `0.4.1`, `3.4.3-r0-ls92`, `1.13`; absent when no release could be pinned. */
  version?: string;
  /** The behaviour era (`0.1.2`, `haproxy-subpath-deny`, ...), when the source has eras. */
  era?: string;
  /** True when the tag named no known release and the newest known behaviour was assumed. */
  assumed: boolean;
  /** One sentence on how the tag was read. */
  note: string;
}

export interface SourceReading {
  release: SourceRelease;
  /** Files the old proxy read its configuration from (CetusGuard rules files), as it opened them. */
  configurationFiles: readonly string[];
  translate(options: TranslateOptions): Translation;
  /** The old proxy's decision function; throws EmulationUnavailableError when it cannot be reproduced. */
  compileEmulator(): Emulator;
}

function releaseOf(image: ImageRelease<string>): SourceRelease {
  return {
    ...(image.version !== undefined ? { version: image.version } : {}),
    era: image.era,
    assumed: image.assumedNewest,
    note: image.note,
  };
}

/** Reads a subject's configuration as its source proxy does. */
export function readSource(source: SourceKind, input: PeerInput): SourceReading {
  switch (source) {
    case 'tecnativa': {
      const settings = parseTecnativaSettings({ environment: input.environment, imageTag: input.imageTag });
      return {
        release: releaseOf(settings.image),
        translate: (options) => translateTecnativa(settings, options),
        configurationFiles: [],
        compileEmulator: () => compileTecnativa(settings),
      };
    }
    case 'linuxserver': {
      const settings = parseLinuxServerSettings({ environment: input.environment, imageTag: input.imageTag });
      return {
        release: releaseOf(settings.image),
        translate: (options) => translateLinuxServer(settings, options),
        configurationFiles: [],
        compileEmulator: () => compileLinuxServer(settings),
      };
    }
    case 'elevennotes': {
      const settings = parseElevenNotesSettings({ environment: input.environment, imageTag: input.imageTag });
      return {
        release: releaseOf(settings.image),
        translate: (options) => translateElevenNotes(settings, options),
        configurationFiles: [],
        compileEmulator: () => compileElevenNotes(settings),
      };
    }
    case 'wollomatic': {
      const parse = parseWollomaticSettings({
        argv: input.argv,
        env: input.env,
        labeledServices: input.labeledServices,
        ...(input.imageTag !== undefined ? { imageTag: input.imageTag } : {}),
        locate: input.locate,
      });
      const { version } = parse.settings;
      return {
        release: {
          ...(version.assumed ? {} : { version: `${version.major}.${version.minor}` }),
          assumed: version.assumed,
          note: version.assumed
            ? `${version.tag === undefined ? 'untagged image' : `tag \`${version.tag}\``}: assuming the newest known semantics (1.${version.minor})`
            : `release ${version.major}.${version.minor}`,
        },
        translate: (options) => translateWollomatic(parse, options),
        configurationFiles: [],
        compileEmulator: () => compileWollomatic(parse.settings),
      };
    }
    case 'cetusguard': {
      const parse = readCetusGuard(input);
      return {
        release: cetusGuardRelease(input.imageTag),
        translate: (options) => translateCetusGuard(parse, options),
        configurationFiles: parse.settings.rulesFiles.map((file) => file.value),
        compileEmulator: () => compileCetusGuard(parse.settings),
      };
    }
  }
}

/** The reference describes v1.1.3 only (peers.md §5): any other tag is read with its semantics, and says so. */
function cetusGuardRelease(tag: string | undefined): SourceRelease {
  if (tag === 'v1.1.3' || tag === '1.1.3') return { version: '1.1.3', assumed: false, note: 'release v1.1.3' };
  const what = tag === undefined ? 'untagged image' : `tag \`${tag}\``;
  return { assumed: true, note: `${what}: assuming v1.1.3 semantics, the newest known` };
}

/**
 * CetusGuard names its rules files in flags and env: parse once to learn the paths, read those
 * through the mounts, then parse again with their text (§5.2, §5.3).
 */
function readCetusGuard(input: PeerInput): ReturnType<typeof parseCetusGuardSettings> {
  const base = { argv: input.argv, env: input.env, locate: input.locate };
  const first = parseCetusGuardSettings(base);
  const rulesFiles = new Map<string, string>();
  for (const { value: path } of first.settings.rulesFiles) {
    const file = input.readMounted(path);
    if (file) rulesFiles.set(path, file.text);
  }
  return rulesFiles.size === 0 ? first : parseCetusGuardSettings({ ...base, rulesFiles });
}
