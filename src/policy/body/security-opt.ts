/**
 * HostConfig.SecurityOpt entries as dockerd reads them (daemon parseSecurityOpt): a bare
 * `no-new-privileges` means true, a bare `disable` is `label=disable`, otherwise the entry is split
 * at the first `=`, or at the first `:` when there is no `=` (the legacy separator). Keys are matched
 * case-insensitively here so that a spelling dockerd rejects is still judged, never skipped.
 */

export interface SecurityOpt {
  /** Lower-cased, trimmed key: seccomp, apparmor, label, no-new-privileges, systempaths, ... */
  key: string;
  value: string;
  hasValue: boolean;
}

export function parseSecurityOpt(raw: string): SecurityOpt {
  if (raw === 'no-new-privileges') return { key: 'no-new-privileges', value: 'true', hasValue: true };
  if (raw === 'disable') return { key: 'label', value: 'disable', hasValue: true };
  const sep = raw.includes('=') ? raw.indexOf('=') : raw.indexOf(':');
  if (sep < 0) return { key: raw.trim().toLowerCase(), value: '', hasValue: false };
  return { key: raw.slice(0, sep).trim().toLowerCase(), value: raw.slice(sep + 1).trim(), hasValue: true };
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Whether dockerd ends up with no-new-privileges set: entries are applied in order, the last one
 * wins, the key is exact and the value goes through strconv.ParseBool.
 */
export function effectiveNoNewPrivileges(entries: readonly string[] | undefined): boolean {
  let enabled = false;
  for (const raw of entries ?? []) {
    if (raw === 'no-new-privileges') {
      enabled = true;
      continue;
    }
    const sep = raw.includes('=') ? raw.indexOf('=') : raw.indexOf(':');
    if (sep >= 0 && raw.slice(0, sep) === 'no-new-privileges') enabled = GO_TRUE.has(raw.slice(sep + 1));
  }
  return enabled;
}
