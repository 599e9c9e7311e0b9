/**
 * Go's standard `flag` package command-line parsing (FlagSet.Parse with ExitOnError), reproduced for
 * the argv of a compose `command:` (peers.md §3.2: "-flag=value, --flag=value, -flag value; names are
 * case-sensitive"). The quirks that change what a proxy runs with are kept on purpose:
 * - parsing stops at the first non-flag argument (`-stoponwatchdog false` stops at `false`) or after
 *   `--`; everything after is ignored by the proxy;
 * - a bool flag never takes the next argument; a non-bool flag takes the next argument even when it
 *   starts with `-` (`-allowGET -allowPOST` sets GET's regex to "-allowPOST");
 * - `-h`/`-help` (when not defined) print usage and exit 0; an unknown flag, a missing value or a
 *   value the flag rejects exit 2.
 */

export type GoFlagKind = 'bool' | 'value';

export interface GoFlagOccurrence {
  name: string;
  /** The value handed to the flag's Set (`"true"` for a bare bool flag). */
  value: string;
  /** Index in argv of the argument holding the flag name. */
  index: number;
  /** Index in argv of the argument holding the value (same as index for `-f=v` and bare bools). */
  valueIndex: number;
}

export type GoFlagFailure =
  | { kind: 'undefined-flag'; message: string; index: number; exitCode: 2 }
  | { kind: 'help'; message: string; index: number; exitCode: 0 }
  | { kind: 'bad-syntax'; message: string; index: number; exitCode: 2 }
  | { kind: 'missing-value'; message: string; index: number; exitCode: 2 };

export interface GoFlagParse {
  /** Flags in the order Go applies them (each one calls the flag's Set). */
  flags: GoFlagOccurrence[];
  /** Index of the first argument left unparsed (a positional argument or the one after `--`), if any. */
  stoppedAt?: number;
  /** Arguments the proxy ignores because parsing stopped before them. */
  rest: string[];
  failure?: GoFlagFailure;
}

/** Parses argv like Go's FlagSet.Parse; `kinds` maps every defined flag name to its kind. */
export function parseGoFlags(argv: readonly string[], kinds: ReadonlyMap<string, GoFlagKind>): GoFlagParse {
  const flags: GoFlagOccurrence[] = [];
  let i = 0;
  while (i < argv.length) {
    const s = argv[i]!;
    if (s.length < 2 || s[0] !== '-') return { flags, stoppedAt: i, rest: argv.slice(i) };
    let minuses = 1;
    if (s[1] === '-') {
      minuses = 2;
      if (s.length === 2)
        return { flags, ...(i + 1 < argv.length ? { stoppedAt: i + 1 } : {}), rest: argv.slice(i + 1) };
    }
    let name = s.slice(minuses);
    if (name.length === 0 || name[0] === '-' || name[0] === '=') {
      return {
        flags,
        rest: [],
        failure: { kind: 'bad-syntax', message: `bad flag syntax: ${s}`, index: i, exitCode: 2 },
      };
    }
    let value: string | undefined;
    const eq = name.indexOf('=', 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const kind = kinds.get(name);
    if (kind === undefined) {
      if (name === 'help' || name === 'h') {
        return {
          flags,
          rest: [],
          failure: { kind: 'help', message: `-${name}: usage printed`, index: i, exitCode: 0 },
        };
      }
      const message = `flag provided but not defined: -${name}`;
      return { flags, rest: [], failure: { kind: 'undefined-flag', message, index: i, exitCode: 2 } };
    }
    if (kind === 'bool') {
      flags.push({ name, value: value ?? 'true', index: i, valueIndex: i });
      i += 1;
      continue;
    }
    if (value !== undefined) {
      flags.push({ name, value, index: i, valueIndex: i });
      i += 1;
      continue;
    }
    if (i + 1 < argv.length) {
      flags.push({ name, value: argv[i + 1]!, index: i, valueIndex: i + 1 });
      i += 2;
      continue;
    }
    const message = `flag needs an argument: -${name}`;
    return { flags, rest: [], failure: { kind: 'missing-value', message, index: i, exitCode: 2 } };
  }
  return { flags, rest: [] };
}
