/** Offsets to 1-based line/column positions, through the `yaml` package's LineCounter. */

import { LineCounter } from 'yaml';
import type { SourcePosition, SourceRange } from '../policy/diagnostic.js';

export type PositionOf = (offset: number) => SourcePosition;

/** A LineCounter filled for `text`, for texts the YAML parser does not count itself (env files, tab-expanded YAML). */
export function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}

export function rangeOf(positionOf: PositionOf, start: number, end: number): SourceRange {
  return { start: positionOf(start), end: positionOf(end) };
}
