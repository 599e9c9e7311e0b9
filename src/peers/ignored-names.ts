/**
 * Findings for environment variables an image never reads: names known from elsewhere (another
 * proxy, Sockguard compat, a plural/singular slip) and near-misses of names it does read. Every
 * source proxy ignores such variables silently (peers.md §7), so this is the only place they surface.
 */

import { findNearMissName } from './near-miss-names.js';
import type { PeerFinding } from './peer-settings.js';
import type { Severity } from '../policy/diagnostic.js';

/** Why the image ignores a name people set on it. */
export interface IgnoredName {
  why: string;
  severity: Severity;
  suggestion?: string;
}

export interface IgnoredNameContext {
  /** `Tecnativa v0.4.1`, `LinuxServer 3.4.3-r0-ls92`: the image as messages name it. */
  imageLabel: string;
  /** Every name any release of this image reads (names read only by other releases get their own finding). */
  recognised: readonly string[];
  /** Names with a known story. */
  known: Readonly<Record<string, IgnoredName>>;
}

const COMPAT_ONLY: IgnoredName = {
  why: 'it is a Sockguard compat variable (sockguard-config.md §12.2), not one of this image',
  severity: 'warning',
};
const NO_METHOD_TOGGLES: IgnoredName = {
  why: 'there are no per-method toggles; POST=1 opens every method on the enabled sections',
  severity: 'warning',
};

/**
 * Names set on Tecnativa and LinuxServer services that neither image reads (peers.md §1.2, §2.2, §7;
 * sockguard-config.md §12.2): the singular `ALLOW_RESTART`, method names, Sockguard-only grants.
 */
export const HAPROXY_IMAGE_CONFUSIONS: Readonly<Record<string, IgnoredName>> = {
  ALLOW_RESTART: {
    why: 'only ALLOW_RESTARTS (plural) exists; the singular is silently ignored (Sockguard compat accepts it as an alias)',
    severity: 'warning',
    suggestion: 'ALLOW_RESTARTS',
  },
  DELETE: NO_METHOD_TOGGLES,
  PUT: NO_METHOD_TOGGLES,
  ALLOW_CREATE: COMPAT_ONLY,
  ALLOW_EXEC: COMPAT_ONLY,
  ALLOW_KILL: COMPAT_ONLY,
  ALLOW_DELETE: COMPAT_ONLY,
  ALLOW_PRUNE: COMPAT_ONLY,
};

/** One finding per environment variable the image ignores and a user probably meant something by. */
export function findIgnoredNames(
  environment: Readonly<Record<string, string>>,
  context: IgnoredNameContext,
): PeerFinding[] {
  return Object.keys(environment).flatMap((name): PeerFinding[] => {
    if (context.recognised.includes(name)) return [];
    const origin = `env:${name}`;
    const known = Object.hasOwn(context.known, name) ? context.known[name] : undefined;
    if (known !== undefined) {
      return [
        {
          code: 'never-read',
          severity: known.severity,
          origin,
          message: `${name} has no effect on ${context.imageLabel}: ${known.why}.`,
          ...(known.suggestion === undefined ? {} : { suggestion: known.suggestion }),
        },
      ];
    }
    const meant = findNearMissName(name, context.recognised);
    if (meant === undefined) return [];
    return [
      {
        code: 'near-miss-name',
        severity: 'warning',
        origin,
        message: `${name} is not a variable ${context.imageLabel} reads (names are case-sensitive), so it is silently ignored. Did you mean ${meant}?`,
        suggestion: meant,
      },
    ];
  });
}
