/**
 * Findings are data: every problem found in a user's file (policy, compose file, rules list) is a
 * Diagnostic with a stable code, a severity, a JSON pointer into the parsed document and, when the
 * source text is known, a 1-based range in that file. Exceptions are reserved for "could not run".
 */

export type Severity = 'error' | 'warning' | 'info';

/** A 1-based line/column position in a source file (columns count UTF-16 code units, like editors). */
export interface SourcePosition {
  line: number;
  col: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

export interface Diagnostic<Code extends string = string> {
  /** Stable kebab code with a family prefix, e.g. `yaml/syntax`, `schema/unknown-key`, `rule/unreachable`. */
  code: Code;
  severity: Severity;
  message: string;
  /** RFC 6901 JSON pointer to the offending node ('' for the document root). */
  pointer: string;
  /** Path of the file the range refers to, when known. */
  file?: string;
  range?: SourceRange;
  /** A concrete replacement the user probably meant (did-you-mean, glob for a regex, ...). */
  suggestion?: string;
}

/** Escapes one JSON pointer reference token (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins reference tokens into a JSON pointer. */
export function pointerOf(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + escapePointerToken(t)).join('');
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
