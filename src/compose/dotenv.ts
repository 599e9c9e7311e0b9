/**
 * The `.env` format docker compose reads for `--env-file`, the project `.env` and `env_file:` entries
 * (compose-go's dotenv parser): blank lines and lines starting with `#` are skipped; an optional
 * `export ` prefix; `KEY=VAL` or `KEY: VAL`; a bare `KEY` takes its value from the lookup and is
 * skipped when the lookup has none. Unquoted values end at the line end or at the first ` #` and are
 * trimmed; single-quoted values are literal; double-quoted values may span lines, understand `\n`,
 * `\t`, `\"`, `\\`, `\$` and octal `\0NNN` escapes. Unquoted and double-quoted values are interpolated
 * with earlier keys of the same file first, then the lookup.
 */

import type { SourceRange } from '../policy/diagnostic.js';
import { interpolate, type InterpolationProblem, type LookupVariable } from './interpolate.js';
import { countLines, rangeOf, type PositionOf } from './text-positions.js';

export interface DotEnvEntry {
  name: string;
  value: string;
  /** The value as written on its line(s), quotes included; for a bare `KEY`, the key. */
  written: string;
  range: SourceRange;
  /** `true` for a bare `KEY` line whose value came from the lookup. */
  inherited: boolean;
}

export interface DotEnvProblem {
  message: string;
  range: SourceRange;
  /** Set for interpolation problems, so callers can grade unset variables and errors differently. */
  interpolation?: InterpolationProblem;
}

export interface DotEnv {
  /** Later lines win: one entry per key, at the position of its last definition. */
  entries: Map<string, DotEnvEntry>;
  problems: DotEnvProblem[];
}

const BOM = '\uFEFF';
// Horizontal white space as compose's parser counts it (a line break is not white space here).
const SPACE = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u00A0']);
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;
const ESCAPE = /\\(?:0[0-7]{3}|[abfnrtv$"\\])/g;
const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

export function parseDotEnv(source: string, lookup: LookupVariable): DotEnv {
  const text = source.startsWith(BOM) ? source.slice(1) : source;
  const shift = text.length === source.length ? 0 : 1;
  const lines = countLines(source);
  const positionOf: PositionOf = (offset) => lines.linePos(offset + shift);
  const entries = new Map<string, DotEnvEntry>();
  const problems: DotEnvProblem[] = [];
  const lookupInFile: LookupVariable = (name) => entries.get(name)?.value ?? lookup(name);
  let i = 0;
  while (i < text.length) {
    i = skipBlankAndComments(text, i);
    if (i >= text.length) break;
    const statement = parseStatement(text, i, positionOf, lookupInFile, lookup, problems);
    if (statement.entry) entries.set(statement.entry.name, statement.entry);
    if (statement.next === undefined) break;
    i = statement.next;
  }
  return { entries, problems };
}

function skipBlankAndComments(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (/\s/.test(char)) i++;
    else if (char === '#') i = lineEnd(text, i);
    else break;
  }
  return i;
}

interface Statement {
  entry?: DotEnvEntry;
  /** Where the next statement may start; `undefined` stops parsing (compose stops at the first error). */
  next?: number;
}

function parseStatement(
  text: string,
  start: number,
  positionOf: PositionOf,
  lookupInFile: LookupVariable,
  lookup: LookupVariable,
  problems: DotEnvProblem[],
): Statement {
  const exported = /^export\s+/.exec(text.slice(start, start + 64));
  const keyStart = exported ? skipSpace(text, start + 'export'.length) : start;
  let i = keyStart;
  while (i < text.length && text[i] !== '=' && text[i] !== ':' && text[i] !== '\n') {
    const char = text[i] ?? '';
    if (!SPACE.has(char) && !KEY_CHAR.test(char)) {
      problems.push({
        message: `unexpected character ${JSON.stringify(char)} in variable name; docker compose refuses this file`,
        range: rangeOf(positionOf, i, i + 1),
      });
      return {};
    }
    i++;
  }
  const name = text.slice(keyStart, i).replace(/\s+$/, '');
  if (name === '' || /\s/.test(name)) {
    const reason = name === '' ? 'a line has no variable name' : 'a variable name cannot contain a space';
    problems.push({
      message: `${reason}; docker compose refuses this file`,
      range: rangeOf(positionOf, keyStart, Math.max(i, keyStart + 1)),
    });
    return {};
  }
  if (i >= text.length || text[i] === '\n') {
    const value = lookup(name);
    const range = rangeOf(positionOf, keyStart, keyStart + name.length);
    return {
      next: i + 1,
      ...(value === undefined ? {} : { entry: { name, value, written: name, range, inherited: true } }),
    };
  }
  const valueStart = skipSpace(text, i + 1);
  const quote = text[valueStart];
  if (quote === '"' || quote === "'")
    return parseQuoted(text, keyStart, name, valueStart, quote, positionOf, lookupInFile, problems);
  const end = lineEnd(text, valueStart);
  const line = text.slice(valueStart, end);
  const comment = line.indexOf(' #');
  const written = (comment < 0 ? line : line.slice(0, comment)).replace(/\s+$/, '');
  const value = expand(written, valueStart, positionOf, lookupInFile, problems);
  return {
    next: end,
    entry: {
      name,
      value,
      written,
      range: rangeOf(positionOf, keyStart, valueStart + written.length),
      inherited: false,
    },
  };
}

function parseQuoted(
  text: string,
  keyStart: number,
  name: string,
  valueStart: number,
  quote: string,
  positionOf: PositionOf,
  lookupInFile: LookupVariable,
  problems: DotEnvProblem[],
): Statement {
  let raw = '';
  for (let i = valueStart + 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1] ?? '';
      // An escaped quote loses its backslash; any other escape is kept for the escape pass below.
      raw += next === quote ? next : char + next;
      i++;
    } else if (char === quote) {
      const written = text.slice(valueStart, i + 1);
      const range = rangeOf(positionOf, keyStart, i + 1);
      const value =
        quote === "'" ? raw : expand(expandEscapes(raw), valueStart + 1, positionOf, lookupInFile, problems, false);
      return { next: i + 1, entry: { name, value, written, range, inherited: false } };
    } else {
      raw += char;
    }
  }
  problems.push({
    message: `unterminated quoted value for ${name}; docker compose refuses this file`,
    range: rangeOf(positionOf, valueStart, lineEnd(text, valueStart)),
  });
  return {};
}

function expandEscapes(raw: string): string {
  return raw.replace(ESCAPE, (match) => {
    const code = match.slice(1);
    // `\$` must survive interpolation as a literal dollar, which compose spells `$$`.
    if (code === '$') return '$$';
    if (code.startsWith('0')) return String.fromCharCode(parseInt(code.slice(1), 8));
    return ESCAPES[code] ?? match;
  });
}

/**
 * Interpolates a value; `exact` says whether offsets in `value` map onto the source text (they do not
 * once escapes were expanded), so problem ranges point at the variable or at the whole value.
 */
function expand(
  value: string,
  start: number,
  positionOf: PositionOf,
  lookup: LookupVariable,
  problems: DotEnvProblem[],
  exact = true,
): string {
  const result = interpolate(value, lookup);
  for (const problem of result.problems) {
    const range = exact
      ? rangeOf(positionOf, start + problem.offset, start + problem.offset + problem.length)
      : rangeOf(positionOf, start, start + value.length);
    problems.push({ message: problem.message, range, interpolation: problem });
  }
  return result.value;
}

function skipSpace(text: string, start: number): number {
  let i = start;
  while (i < text.length && SPACE.has(text[i] ?? '')) i++;
  return i;
}

function lineEnd(text: string, start: number): number {
  const end = text.indexOf('\n', start);
  return end < 0 ? text.length : end;
}
