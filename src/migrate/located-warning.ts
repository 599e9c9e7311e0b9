/**
 * A migration warning with the place the user wrote what it is about: a translator's warning whose
 * `origin` was resolved through the compose files, or a deployment warning positioned directly.
 */
import type { SourceRange } from '../policy/diagnostic.js';
import type { Origin } from '../compose/model.js';
import type { MigrationWarning } from '../translators/types.js';

export interface LocatedWarning extends MigrationWarning {
  file?: string;
  range?: SourceRange;
  /** JSON pointer in `file`'s document (compose files) or `/<KEY>` for env files. */
  pointer?: string;
}

/** Attaches `at` (when known) to a warning. */
export function placeWarning(warning: MigrationWarning, at: Origin | undefined): LocatedWarning {
  if (!at) return { ...warning };
  return { ...warning, file: at.file, range: at.range, pointer: at.pointer };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Errors, then warnings, then info; within a severity by file and position, unplaced last. */
export function sortWarnings(warnings: readonly LocatedWarning[]): LocatedWarning[] {
  return [...warnings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      Number(a.file === undefined) - Number(b.file === undefined) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
      (a.range?.start.col ?? 0) - (b.range?.start.col ?? 0),
  );
}
