/**
 * Turns the environment a container sees into EnvSettings: one variable at a time, given the
 * image's default, whether the image version reads it, and (for on/off toggles) the image's own
 * way of reading a value. Value findings come back with the setting so callers only collect them.
 */

import { originOf, rawValueOf, type EnvSetting, type PeerFinding } from './peer-settings.js';

/** How one image version treats a variable. */
export interface VariableSpec {
  name: string;
  /** The image's default (Dockerfile `ENV`); undefined when the image leaves it unset. */
  defaultRaw: string | undefined;
  /** Undefined when this version reads the variable; otherwise why it does not (for the finding). */
  unreadBecause?: string;
}

/** What an image makes of one set value of a toggle, and what to tell the user about it. */
export interface ToggleReading {
  on: boolean;
  finding?: Omit<PeerFinding, 'origin'>;
}

export type ToggleReader = (name: string, raw: string, defaultRaw: string | undefined) => ToggleReading;

export interface SettingWithFindings<T> {
  setting: EnvSetting<T>;
  findings: PeerFinding[];
}

function notReadFinding(spec: VariableSpec, environment: Readonly<Record<string, string>>): PeerFinding[] {
  if (spec.unreadBecause === undefined || rawValueOf(spec.name, environment) === undefined) return [];
  return [
    {
      code: 'not-read-by-version',
      severity: 'warning',
      origin: `env:${spec.name}`,
      message: `${spec.name} has no effect: ${spec.unreadBecause}.`,
    },
  ];
}

/** An on/off variable; unread variables are off (the rule they would drive does not exist). */
export function readToggleSetting(
  spec: VariableSpec,
  environment: Readonly<Record<string, string>>,
  reader: ToggleReader,
): SettingWithFindings<boolean> {
  const raw = rawValueOf(spec.name, environment);
  const origin = originOf(spec.name, environment);
  const base = { name: spec.name, origin, raw, defaultRaw: spec.defaultRaw };
  if (spec.unreadBecause !== undefined) {
    return { setting: { ...base, read: false, effective: false }, findings: notReadFinding(spec, environment) };
  }
  const value = raw ?? spec.defaultRaw;
  const reading = value === undefined ? { on: false } : reader(spec.name, value, spec.defaultRaw);
  const findings = raw !== undefined && reading.finding ? [{ ...reading.finding, origin }] : [];
  return { setting: { ...base, read: true, effective: reading.on }, findings };
}

/**
 * A text variable used as-is (`LOG_LEVEL`, `SOCKET_PATH`). When unread, `effective` is undefined:
 * the image does not consult it, and what it does instead is not this variable's default.
 */
export function readTextSetting(
  spec: VariableSpec,
  environment: Readonly<Record<string, string>>,
): SettingWithFindings<string | undefined> {
  const raw = rawValueOf(spec.name, environment);
  const read = spec.unreadBecause === undefined;
  const setting = {
    name: spec.name,
    origin: originOf(spec.name, environment),
    raw,
    defaultRaw: spec.defaultRaw,
    read,
    effective: read ? (raw ?? spec.defaultRaw) : undefined,
  };
  return { setting, findings: notReadFinding(spec, environment) };
}
