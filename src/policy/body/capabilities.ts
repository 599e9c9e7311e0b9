/**
 * Linux capability names as dockerd normalises them: upper-cased with Go's Unicode strings.ToUpper
 * (so `ſys_admin` is SYS_ADMIN) and the `CAP_` prefix optional (security-notes.md §9).
 */
import { toUpperGo } from './go-fold.js';

export function normalizeCapability(name: string): string {
  const upper = toUpperGo(name.trim());
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

export function compileCapabilitySet(names: readonly string[] | undefined): ReadonlySet<string> {
  return new Set((names ?? []).map(normalizeCapability).filter((n) => n !== ''));
}
