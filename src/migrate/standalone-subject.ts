/**
 * A migration subject for proxies run without compose: `--from <source>` with the proxy's
 * environment in an env file (`--env-file proxy.env`), its arguments as one string
 * (`--args '-allowGET=...'`) and, for CetusGuard, a rules file (`sockguard migrate --from cetusguard
 * rules.list`, read as if passed with `-rules-file`). Origins point into those inputs: an env file
 * line, the column of an argument inside `--args`, a rules file line.
 */
import { parseDotEnv } from '../compose/dotenv.js';
import type { Origin } from '../compose/model.js';
import { splitShellWords } from '../compose/shell-words.js';
import { detectSource } from '../translators/detect-source.js';
import type { SourceKind } from '../translators/types.js';
import { MigrateError } from './migrate-error.js';
import { argumentIndexOf, locateRulesFileOrigin, variableOf, type MigrationSubject } from './peer-input.js';

/** The pseudo file name `--args` positions refer to (the renderer shows the string as its source). */
export const ARGS_FILE = '--args';

export interface StandaloneInput {
  source: SourceKind;
  /** `--env-file`: the proxy's own environment. */
  envFile?: { path: string; text: string };
  /** `--args`: the arguments after the binary, split like compose splits a `command:` string. */
  args?: string;
  /** Positional rules file (CetusGuard). */
  rulesFile?: { path: string; text: string };
  /** `--image`: the image the proxy ran, for its release era. */
  image?: string;
}

interface LocatedArg {
  value: string;
  origin: Origin;
}

/** Each argument with the columns it spans inside the `--args` string (found left to right). */
function locateArguments(args: string): LocatedArg[] {
  const words = splitShellWords(args);
  if (words.error !== undefined) {
    throw new MigrateError(
      'migrate/bad-input',
      `--args: ${words.error} (it is split like a compose command string: quote arguments holding spaces, parentheses or | & ; < >)`,
    );
  }
  let cursor = 0;
  return words.args.map((value, index) => {
    const found = args.indexOf(value, cursor);
    // A quoted argument is not found verbatim: point at the rest of the string.
    const start = found < 0 ? cursor : found;
    const end = found < 0 ? args.length : found + value.length;
    cursor = end;
    return {
      value,
      origin: {
        file: ARGS_FILE,
        pointer: `/${index}`,
        range: { start: { line: 1, col: start + 1 }, end: { line: 1, col: end + 1 } },
      },
    };
  });
}

export function buildStandaloneSubject(input: StandaloneInput): MigrationSubject {
  const env = input.envFile ? parseDotEnv(input.envFile.text, () => undefined) : undefined;
  const problem = env?.problems[0];
  if (input.envFile && problem) {
    const { line, col } = problem.range.start;
    throw new MigrateError('migrate/bad-input', `${input.envFile.path}:${line}:${col}: ${problem.message}`);
  }
  const entries = [...(env?.entries.values() ?? [])];
  const args = input.args === undefined ? [] : locateArguments(input.args);
  const rulesArg = input.rulesFile ? [`-rules-file=${input.rulesFile.path}`] : [];
  const detected = input.image === undefined ? undefined : detectSource(input.image);
  const envOrigin = (name: string): Origin | undefined => {
    const entry = env?.entries.get(name);
    return entry && input.envFile ? { file: input.envFile.path, pointer: `/${name}`, range: entry.range } : undefined;
  };
  return {
    name: input.source,
    detection: {
      source: input.source,
      ...(input.image !== undefined ? { image: input.image } : {}),
      ...(detected ? { repository: detected.repository } : {}),
      forced: true,
    },
    input: {
      environment: Object.fromEntries(entries.map((e) => [e.name, e.value])),
      env: entries.map((e) => ({ name: e.name, value: e.value })),
      argv: [...args.map((a) => a.value), ...rulesArg],
      imageTag: detected?.tag,
      labeledServices: [],
      readMounted: (path) =>
        input.rulesFile && path === input.rulesFile.path
          ? { hostPath: input.rulesFile.path, text: input.rulesFile.text }
          : undefined,
      locate: (origin) => {
        const variable = variableOf(origin);
        if (variable !== undefined) return envOrigin(variable);
        const index = argumentIndexOf(origin);
        if (index !== undefined) return args[index]?.origin;
        if (origin.startsWith('rules-file:')) {
          return locateRulesFileOrigin(origin, (path) => (path === input.rulesFile?.path ? path : undefined));
        }
        return undefined;
      },
    },
  };
}
