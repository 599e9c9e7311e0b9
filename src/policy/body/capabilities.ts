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

/** A capability list checked against an allowlist: the first name it does not cover. */
export function forbiddenCapability(
  requested: readonly string[] | undefined,
  allowed: ReadonlySet<string>,
): string | undefined {
  return (requested ?? []).map(normalizeCapability).find((c) => c !== '' && !allowed.has(c));
}

/** Whether a CapDrop-style list drops every capability ("ALL", any case). */
export function dropsAllCapabilities(dropped: readonly string[] | undefined): boolean {
  return (dropped ?? []).some((c) => c.trim().toUpperCase() === 'ALL');
}
