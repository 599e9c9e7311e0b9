/**
 * A settings parser's findings (src/peers) as migration warnings: stable `migrate/...` codes, the
 * finding's origin (so the command can point at the compose line), and a sentence on what the
 * translation did about it. Translators attach `explains` where a finding announces parity rows.
 */
import type { PeerFinding, PeerFindingCode } from '../peers/peer-settings.js';
import type { DifferenceView, MigrationWarning } from './types.js';

export type FindingSource = 'tecnativa' | 'linuxserver' | 'elevennotes';

/** Codes shared by every source; HAProxy value parsing is shared by Tecnativa and LinuxServer. */
const SHARED_CODES: Partial<Record<PeerFindingCode, string>> = {
  'never-read': 'migrate/unread-variable',
  'near-miss-name': 'migrate/unread-variable',
  'not-read-by-version': 'migrate/unread-variable',
  'assumed-newest': 'migrate/assumed-newest-version',
  'true-means-off': 'migrate/haproxy/true-means-off',
  'not-a-number-means-off': 'migrate/haproxy/not-a-number-means-off',
  'leading-space-means-off': 'migrate/haproxy/leading-space-means-off',
  'empty-means-off': 'migrate/haproxy/empty-means-off',
  'non-canonical-on': 'migrate/haproxy/non-canonical-on',
};

const KEPT_OFF = 'The new policy keeps it off, as the image ran it.';

/** What the translation did about each kind of finding. */
const OUTCOMES: Partial<Record<PeerFindingCode, string>> = {
  'never-read': 'It is not translated.',
  'near-miss-name': 'It is not translated.',
  'not-read-by-version': 'It is not translated.',
  'assumed-newest': 'The translation follows those semantics.',
  'true-means-off': KEPT_OFF,
  'not-a-number-means-off': KEPT_OFF,
  'leading-space-means-off': KEPT_OFF,
  'empty-means-off': KEPT_OFF,
  'non-canonical-on': 'The new policy treats it as on, as the image did.',
  'false-means-on': 'The new policy keeps it on, as the image ran it.',
  'post-needs-literal-1': 'The new policy keeps writes off, as the image ran it.',
};

export interface FindingAdjustment {
  explains?: (row: DifferenceView) => boolean;
  severity?: MigrationWarning['severity'];
  /** Replaces the default outcome sentence. */
  outcome?: string;
}

/** What the translator changes about one finding's warning (explanations, a sharper outcome). */
export type AdjustFinding = (finding: PeerFinding) => FindingAdjustment | undefined;

export function convertFindings(
  findings: readonly PeerFinding[],
  source: FindingSource,
  adjust: AdjustFinding = () => undefined,
): MigrationWarning[] {
  return findings.map((finding): MigrationWarning => {
    const adjustment = adjust(finding) ?? {};
    const outcome = adjustment.outcome ?? OUTCOMES[finding.code];
    return {
      code: SHARED_CODES[finding.code] ?? `migrate/${source}/${finding.code}`,
      severity: adjustment.severity ?? finding.severity,
      origin: finding.origin,
      message:
        outcome === undefined
          ? finding.message
          : `${finding.message}${/[.!?]$/.test(finding.message) ? '' : '.'} ${outcome}`,
      ...(adjustment.explains ? { explains: adjustment.explains } : {}),
    };
  });
}
