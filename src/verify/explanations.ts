/**
 * Ready-made explanation predicates for parity rows (the contract is in parity.ts): the tightening
 * every migration shares because serve canonicalises strictly, and a probe test translators use to
 * tie a warning such as `migrate/read-exfiltration-withheld` to the endpoints it withholds.
 */
import type { Probe } from '../policy/probes.js';
import type { ExplainingWarning, NewVerdict, ParityDifference } from './parity.js';

/** The id placeholder src/policy/probes.ts writes into probe paths. */
const PROBE_ID = 'sockguard-test';

/**
 * Serve answers 400 to targets dockerd would redirect or read differently from what was judged
 * (canonicalRequest). Any old proxy that forwarded such a target is tightened for a source-independent
 * reason, so the migrate command announces this warning whenever it explains a row.
 */
export const NON_CANONICAL_TARGET_REJECTED = {
  code: 'migrate/non-canonical-target-rejected',
  message:
    'Sockguard rejects request-targets that are not canonical (dot segments, "//", backslashes, bad escapes, fragments, control characters, API versions below 1.24) with 400; the old proxy forwarded some of them.',
  explains: (difference: ParityDifference): boolean =>
    difference.change === 'tightened' && difference.new.rejected !== undefined,
} as const satisfies ExplainingWarning & { message: string };

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const probePatterns = new WeakMap<readonly Probe[], { method: string; path: RegExp }[]>();

/** Probe paths as regexes whose id placeholder admits any non-empty value, `/` included (`{name:.*}`). */
function patternsOf(probes: readonly Probe[]): { method: string; path: RegExp }[] {
  let patterns = probePatterns.get(probes);
  if (!patterns) {
    patterns = probes.map((probe) => ({
      method: probe.method,
      path: new RegExp(`^${probe.path.split(PROBE_ID).map(escapeRegex).join('.+')}$`, 's'),
    }));
    probePatterns.set(probes, patterns);
  }
  return patterns;
}

/**
 * True when the request of a parity row or difference is one of `probes` for any id: same method (case-insensitive, as
 * serve compares) and a normalized path of the probe's shape. Rows serve rejected never hit.
 */
export function hitsAnyProbe(
  row: { request: { method: string }; new: Pick<NewVerdict, 'normalizedPath'> },
  probes: readonly Probe[],
): boolean {
  const path = row.new.normalizedPath;
  if (path === undefined) return false;
  const method = row.request.method.toUpperCase();
  return patternsOf(probes).some((probe) => probe.method === method && probe.path.test(path));
}
