/**
 * Splits a `command:` / `entrypoint:` string the way docker compose does (mattn/go-shellwords with its
 * default options): white space separates words; single quotes are literal; double quotes group; a
 * backslash outside single quotes takes the next character literally, inside double quotes too.
 * There is no shell: `$VAR` stays text (compose interpolated already), and the first unquoted `;`, `&`,
 * `|`, `<` or `>` ends the command silently, dropping the rest. Backticks and `$(...)` keep their text
 * (spaces included) as part of a word; an unquoted `(` that does not follow `$` is an error.
 */

export interface ShellWords {
  args: string[];
  /** Offset of the unquoted `;`, `&`, `|`, `<` or `>` where compose stopped reading. */
  stoppedAt?: number;
  /** Set when compose refuses the string (unterminated quote, dangling escape, stray parenthesis). */
  error?: string;
}

const SPACES = new Set([' ', '\t', '\r', '\n']);
const STOPS = new Set([';', '&', '|', '<', '>']);

export function splitShellWords(line: string): ShellWords {
  const args: string[] = [];
  let word = '';
  let inWord = false;
  let escaped = false;
  let single = false;
  let double = false;
  let backQuote = false;
  let dollarQuote = false;
  let stoppedAt: number | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? '';
    if (escaped) {
      word += char;
      escaped = false;
      inWord = true;
      continue;
    }
    if (char === '\\' && !single) {
      escaped = true;
      continue;
    }
    const grouped = single || double || backQuote || dollarQuote;
    if (SPACES.has(char)) {
      if (grouped) word += char;
      else if (inWord) {
        args.push(word);
        word = '';
        inWord = false;
      }
      continue;
    }
    if (char === '"' && !single && !dollarQuote) {
      if (double) inWord = true;
      double = !double;
      continue;
    }
    if (char === "'" && !double && !dollarQuote) {
      if (single) inWord = true;
      single = !single;
      continue;
    }
    if (char === '`' && !single && !double && !dollarQuote) backQuote = !backQuote;
    if (char === ')' && !single && !double && !backQuote) dollarQuote = !dollarQuote;
    if (char === '(' && !single && !double && !backQuote) {
      if (dollarQuote || !word.endsWith('$')) return { args, error: `unexpected "(" at offset ${i}` };
      dollarQuote = true;
    }
    if (STOPS.has(char) && !grouped) {
      stoppedAt = i;
      // `2>file`: the digits name a file descriptor, not an argument.
      if (char === '>' && /^[0-9]+$/.test(word)) inWord = false;
      break;
    }
    word += char;
    inWord = true;
  }
  if (inWord) args.push(word);
  if (stoppedAt === undefined && (escaped || single || double || backQuote || dollarQuote)) {
    const what = escaped
      ? 'a trailing backslash'
      : single || double
        ? 'an unterminated quote'
        : 'an unterminated ` or $(';
    return { args, error: what };
  }
  return stoppedAt === undefined ? { args } : { args, stoppedAt };
}
