/**
 * How the HAProxy-based images (all Tecnativa tags, LinuxServer HAProxy tags) read a toggle:
 * `{ env(VAR) -m bool }` (peers.md §1.6). HAProxy casts the string to an integer the way its
 * `read_int64()` does — optional `+`/`-`, then leading decimal digits, stopping at the first other
 * character — and the toggle is on when that integer is non-zero. An empty string fails the cast
 * (off); an unset variable fails the fetch (off). Overflow saturates, so any non-zero digit is on.
 */

import type { ToggleReading } from './env-reading.js';

/** Why a value reads the way it does, for findings; `canonical` means exactly `0` or `1`. */
export type HaproxyBoolQuirk =
  | 'canonical'
  /** `true`, `yes`, `on` in any case: the author meant on, HAProxy reads off. */
  | 'word-means-off'
  /** `false`, `no`, `off` in any case: off, as the author meant. */
  | 'word-off'
  /** ` 1`: the cast stops at the space before any digit. */
  | 'leading-space-means-off'
  | 'empty-means-off'
  /** Any other text without a leading integer (`enabled`, `0x1`, `+`). */
  | 'not-a-number-means-off'
  /** On, but not spelled `1` (`2`, `01`, `-1`, `+1`, `1.0`, `1 `, `1abc`). */
  | 'non-canonical-on'
  /** Off, but not spelled `0` (`00`, `-0`, `0 `, `0abc`). */
  | 'non-canonical-off';

export interface HaproxyBoolReading {
  on: boolean;
  quirk: HaproxyBoolQuirk;
}

const LEADING_INTEGER = /^[+-]?([0-9]+)/;
const WORDS_MEANING_ON = new Set(['true', 'yes', 'on']);
const WORDS_MEANING_OFF = new Set(['false', 'no', 'off']);

/** Reads a set variable's value like `env(VAR) -m bool`; unset variables are off and handled by callers. */
export function readHaproxyBool(raw: string): HaproxyBoolReading {
  if (raw === '0' || raw === '1') return { on: raw === '1', quirk: 'canonical' };
  if (raw === '') return { on: false, quirk: 'empty-means-off' };
  const digits = LEADING_INTEGER.exec(raw)?.[1];
  if (digits === undefined) {
    if (WORDS_MEANING_ON.has(raw.toLowerCase())) return { on: false, quirk: 'word-means-off' };
    if (WORDS_MEANING_OFF.has(raw.toLowerCase())) return { on: false, quirk: 'word-off' };
    if (/^\s+[+-]?[0-9]/.test(raw)) return { on: false, quirk: 'leading-space-means-off' };
    return { on: false, quirk: 'not-a-number-means-off' };
  }
  const on = /[1-9]/.test(digits);
  return { on, quirk: on ? 'non-canonical-on' : 'non-canonical-off' };
}

/** Reads a toggle the HAProxy way and explains values whose reading a user would not expect. */
export function readHaproxyToggle(name: string, raw: string, defaultRaw: string | undefined): ToggleReading {
  const { on, quirk } = readHaproxyBool(raw);
  switch (quirk) {
    case 'word-means-off':
      return {
        on,
        finding: {
          code: 'true-means-off',
          severity: 'warning',
          message: `${name}=${raw} is OFF: \`env(${name}) -m bool\` reads the leading integer, and \`${raw}\` has none.`,
          suggestion: `${name}=1`,
        },
      };
    case 'leading-space-means-off':
      return {
        on,
        finding: {
          code: 'leading-space-means-off',
          severity: 'warning',
          message: `${name}=${JSON.stringify(raw)} is OFF: the integer cast stops at the leading blank.`,
          suggestion: `${name}=${raw.trim()}`,
        },
      };
    case 'not-a-number-means-off':
      return {
        on,
        finding: {
          code: 'not-a-number-means-off',
          severity: 'warning',
          message: `${name}=${raw} is OFF: \`env(${name}) -m bool\` is on only for a leading non-zero integer.`,
        },
      };
    case 'empty-means-off':
      return defaultRaw !== undefined && readHaproxyBool(defaultRaw).on
        ? {
            on,
            finding: {
              code: 'empty-means-off',
              severity: 'warning',
              message: `${name} is set but empty, which is OFF; the image default ${defaultRaw} no longer applies.`,
            },
          }
        : { on };
    case 'non-canonical-on':
      return {
        on,
        finding: {
          code: 'non-canonical-on',
          severity: 'info',
          message: `${name}=${raw} is on (leading integer is non-zero); other readers, such as Sockguard's compat mode, may disagree.`,
          suggestion: `${name}=1`,
        },
      };
    default:
      return { on };
  }
}
