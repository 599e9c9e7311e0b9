/**
 * The diagnostics of the Go proxies' settings parsers (src/peers/wollomatic.ts, cetusguard.ts:
 * codes `wollomatic/<id>`, `cetusguard/<id>`) as migration warnings: `migrate/<source>/<id>` unless
 * a shared code is given, the same origin, and a sentence on what the translation did about it.
 */
import type { PeerDiagnostic } from '../peers/origin.js';
import type { MigrationWarning } from './types.js';

export interface DiagnosticOutcome {
  /** A shared code (`migrate/assumed-newest-version`) instead of `migrate/<source>/<id>`. */
  code?: string;
  /** What the translation did, appended to the parser's message. */
  outcome?: string;
}

const endSentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

export function convertPeerDiagnostics(
  diagnostics: readonly PeerDiagnostic[],
  outcomes: Readonly<Record<string, DiagnosticOutcome>> = {},
): MigrationWarning[] {
  return diagnostics.map((diagnostic): MigrationWarning => {
    const { code, outcome } = Object.hasOwn(outcomes, diagnostic.code) ? outcomes[diagnostic.code]! : {};
    return {
      code: code ?? `migrate/${diagnostic.code}`,
      severity: diagnostic.severity,
      // `default` names no place in the user's configuration.
      ...(diagnostic.origin === 'default' ? {} : { origin: diagnostic.origin }),
      message: outcome === undefined ? diagnostic.message : `${endSentence(diagnostic.message)} ${outcome}`,
    };
  });
}
