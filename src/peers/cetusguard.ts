/**
 * hectorm/cetusguard settings (peers.md §5, v1.1.3): flags parsed like Go's flag package,
 * `CETUSGUARD_*` environment variables (a flag wins; an unparseable int/bool env value is ignored),
 * and the rules: built-ins (unless `-no-builtin-rules`), then every `-rules` text, then every
 * `-rules-file`, each line parsed by rule.go's grammar with `%VARIABLE%` expansion. Every rule keeps
 * its origin; parse errors are diagnostics with a line/column inside the rules text.
 */
import { createPeerDiagnostic, indexEnvironment } from './origin.js';
import type { LocateOrigin, Origin, PeerDiagnostic, PeerEnvVar, Sourced } from './origin.js';
import type { SourceRange } from '../policy/diagnostic.js';
import { parseGoFlags } from './go-flag.js';
import type { GoFlagKind } from './go-flag.js';
import { parseGoAtoi, parseGoBool, parseGoInt } from './go-strconv.js';
import { translateGoRegex } from './go-regex.js';
import { expandCetusGuardVariables, findUnknownCetusGuardVariables } from './cetusguard-variables.js';

export type CetusGuardDiagnosticCode =
  | 'cetusguard/flag-rejected'
  | 'cetusguard/arguments-ignored'
  | 'cetusguard/env-ignored'
  | 'cetusguard/env-unknown-value'
  | 'cetusguard/prints-version'
  | 'cetusguard/invalid-address'
  | 'cetusguard/invalid-rule-line'
  | 'cetusguard/invalid-rule-pattern'
  | 'cetusguard/pattern-not-emulated'
  | 'cetusguard/unknown-variable'
  | 'cetusguard/unusual-method'
  | 'cetusguard/rules-file-unavailable'
  | 'cetusguard/rules-file-line-too-long'
  | 'cetusguard/builtin-rules';

export type CetusGuardDiagnostic = PeerDiagnostic<CetusGuardDiagnosticCode>;

/** Built-in rules (`RawBuiltinRules`, peers.md §5.3), loaded first unless `-no-builtin-rules`. */
export const CETUSGUARD_BUILTIN_RULES: readonly string[] = [
  'GET,HEAD %API_PREFIX_PING%',
  'GET,HEAD %API_PREFIX_LIBPOD_PING%',
  'GET %API_PREFIX_VERSION%',
  'GET %API_PREFIX_LIBPOD_VERSION%',
  'GET %API_PREFIX_INFO%',
  'GET %API_PREFIX_LIBPOD_INFO%',
];

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE']);
/** rule.go's line grammar; `[^\n]` stands for Go's `.` (which, unlike JavaScript's, matches `\r`). */
const RULE_LINE = /^[\t ]*([A-Z]+(?:,[A-Z]+)*)[\t ]+([^\n]+?)[\t ]*$/d;
const COMMENT_LINE = /^[\t ]*(?:![^\n]*)?$/;
/** bufio.Scanner's default token limit: a longer line ends the scan (rule.go does not check the error). */
const MAX_SCAN_LINE_BYTES = 64 * 1024;

export interface CetusGuardRule {
  /** Method tokens in the order written (matched exactly, case-sensitive). */
  methods: string[];
  /** Pattern as written, `%VARIABLES%` unexpanded. */
  pattern: string;
  /** Pattern after the fixpoint expansion; CetusGuard compiles `"^" + expanded + "$"`. */
  expanded: string;
  /** `%NAME%` tokens left literal because CetusGuard does not know them. */
  unknownVariables: string[];
  builtin: boolean;
  origin: Origin;
  /** Position of the pattern inside its rules text (line 1 = first line of that text). */
  range: SourceRange;
}

export interface CetusGuardSettings {
  backendAddr: Sourced<string>;
  frontendAddr: Sourced<string>[];
  backendTlsCacert: Sourced<string>;
  backendTlsCert: Sourced<string>;
  backendTlsKey: Sourced<string>;
  frontendTlsCacert: Sourced<string>;
  frontendTlsCert: Sourced<string>;
  frontendTlsKey: Sourced<string>;
  rulesTexts: Sourced<string>[];
  rulesFiles: Sourced<string>[];
  noBuiltinRules: Sourced<boolean>;
  /** Clamped to 0..7 like the logger does. */
  logLevel: Sourced<number>;
  rules: CetusGuardRule[];
  /** False when a rules file's content was not supplied, so rules may be missing. */
  complete: boolean;
}

export interface CetusGuardInput {
  argv: readonly string[];
  env: readonly PeerEnvVar[];
  /** Rules file contents by the path CetusGuard opens (the caller reads mounted files). */
  rulesFiles?: ReadonlyMap<string, string>;
  locate?: LocateOrigin;
}

export interface CetusGuardParse {
  settings: CetusGuardSettings;
  /** False when CetusGuard would exit instead of serving (bad flag, bad rule, `-version`). */
  starts: boolean;
  diagnostics: CetusGuardDiagnostic[];
}

type StringFlag =
  | 'backend-addr'
  | 'backend-tls-cacert'
  | 'backend-tls-cert'
  | 'backend-tls-key'
  | 'frontend-tls-cacert'
  | 'frontend-tls-cert'
  | 'frontend-tls-key';

/** Env names per string flag (`cmd/cetusguard/main.go`); the first one that is set wins. */
const STRING_FLAGS: Record<StringFlag, { env: string[]; def: string }> = {
  'backend-addr': {
    env: ['CETUSGUARD_BACKEND_ADDR', 'CONTAINER_HOST', 'DOCKER_HOST'],
    def: 'unix:///var/run/docker.sock',
  },
  'backend-tls-cacert': { env: ['CETUSGUARD_BACKEND_TLS_CACERT'], def: '' },
  'backend-tls-cert': { env: ['CETUSGUARD_BACKEND_TLS_CERT'], def: '' },
  'backend-tls-key': { env: ['CETUSGUARD_BACKEND_TLS_KEY'], def: '' },
  'frontend-tls-cacert': { env: ['CETUSGUARD_FRONTEND_TLS_CACERT'], def: '' },
  'frontend-tls-cert': { env: ['CETUSGUARD_FRONTEND_TLS_CERT'], def: '' },
  'frontend-tls-key': { env: ['CETUSGUARD_FRONTEND_TLS_KEY'], def: '' },
};

const SLICE_FLAGS = {
  'frontend-addr': { env: 'CETUSGUARD_FRONTEND_ADDR', def: ['tcp://127.0.0.1:2375'] },
  rules: { env: 'CETUSGUARD_RULES', def: [] as string[] },
  'rules-file': { env: 'CETUSGUARD_RULES_FILE', def: [] as string[] },
} as const;

const FLAG_KINDS: ReadonlyMap<string, GoFlagKind> = new Map<string, GoFlagKind>([
  ...Object.keys(STRING_FLAGS).map((f): [string, GoFlagKind] => [f, 'value']),
  ...Object.keys(SLICE_FLAGS).map((f): [string, GoFlagKind] => [f, 'value']),
  ['log-level', 'value'],
  ['no-builtin-rules', 'bool'],
  ['version', 'bool'],
]);

/** Parses a CetusGuard service's configuration surface. */
export function parseCetusGuardSettings(input: CetusGuardInput): CetusGuardParse {
  const diagnostics: CetusGuardDiagnostic[] = [];
  let starts = true;
  const report = (
    code: CetusGuardDiagnosticCode,
    severity: 'error' | 'warning' | 'info',
    message: string,
    origin: Origin,
    range?: SourceRange,
  ): void => {
    diagnostics.push(createPeerDiagnostic(code, severity, message, origin, input.locate, range));
    if (severity === 'error') starts = false;
  };

  const env = indexEnvironment(input.env);
  for (const { name, value } of input.env) {
    if (value === null && (name.startsWith('CETUSGUARD_') || name === 'DOCKER_HOST' || name === 'CONTAINER_HOST')) {
      report(
        'cetusguard/env-unknown-value',
        'warning',
        `${name} is passed through from the host; its value is unknown and treated as unset`,
        `env:${name}`,
      );
    }
  }

  // Defaults from the environment (env.StringEnv: the first variable that is set wins, even when empty).
  const strings = {} as Record<StringFlag, Sourced<string>>;
  for (const [flag, spec] of Object.entries(STRING_FLAGS) as [StringFlag, (typeof STRING_FLAGS)[StringFlag]][]) {
    const name = spec.env.find((n) => env.has(n));
    strings[flag] = name ? { value: env.get(name)!, origin: `env:${name}` } : { value: spec.def, origin: 'default' };
  }
  const slices = {} as Record<keyof typeof SLICE_FLAGS, { values: Sourced<string>[]; fromDefault: boolean }>;
  for (const [flag, spec] of Object.entries(SLICE_FLAGS) as [
    keyof typeof SLICE_FLAGS,
    (typeof SLICE_FLAGS)[keyof typeof SLICE_FLAGS],
  ][]) {
    const values = env.has(spec.env)
      ? [{ value: env.get(spec.env)!, origin: `env:${spec.env}` }]
      : spec.def.map((value) => ({ value, origin: 'default' }));
    slices[flag] = { values, fromDefault: true };
  }
  let noBuiltinRules: Sourced<boolean> = { value: false, origin: 'default' };
  const builtinEnv = env.get('CETUSGUARD_NO_BUILTIN_RULES');
  if (builtinEnv !== undefined) {
    const b = parseGoBool(builtinEnv);
    if (b === undefined)
      report(
        'cetusguard/env-ignored',
        'warning',
        `CETUSGUARD_NO_BUILTIN_RULES="${builtinEnv}" is not a Go boolean; CetusGuard ignores it`,
        'env:CETUSGUARD_NO_BUILTIN_RULES',
      );
    else noBuiltinRules = { value: b, origin: 'env:CETUSGUARD_NO_BUILTIN_RULES' };
  }
  let logLevel: Sourced<number> = { value: 6, origin: 'default' };
  const levelEnv = env.get('CETUSGUARD_LOG_LEVEL');
  if (levelEnv !== undefined) {
    const n = parseGoAtoi(levelEnv);
    if (n === undefined)
      report(
        'cetusguard/env-ignored',
        'warning',
        `CETUSGUARD_LOG_LEVEL="${levelEnv}" is not an integer; CetusGuard ignores it`,
        'env:CETUSGUARD_LOG_LEVEL',
      );
    else logLevel = { value: Number(n), origin: 'env:CETUSGUARD_LOG_LEVEL' };
  }
  let printVersion = false;

  const parsed = parseGoFlags(input.argv, FLAG_KINDS);
  for (const f of parsed.flags) {
    const origin = `arg:${f.valueIndex}`;
    if (f.name in STRING_FLAGS) strings[f.name as StringFlag] = { value: f.value, origin };
    else if (f.name in SLICE_FLAGS) {
      const slot = slices[f.name as keyof typeof SLICE_FLAGS];
      // flagextra's string slice: the first flag replaces the env/default value, later ones append.
      if (slot.fromDefault) slot.values = [];
      slot.fromDefault = false;
      slot.values.push({ value: f.value, origin });
    } else if (f.name === 'log-level') {
      const n = parseGoInt(f.value, 0, 64);
      if (n === undefined) {
        report(
          'cetusguard/flag-rejected',
          'error',
          `invalid value "${f.value}" for flag -log-level: parse error (CetusGuard exits with status 2)`,
          origin,
        );
        break;
      }
      logLevel = { value: Number(n), origin };
    } else {
      const b = parseGoBool(f.value);
      if (b === undefined) {
        report(
          'cetusguard/flag-rejected',
          'error',
          `invalid boolean value "${f.value}" for -${f.name}: parse error (CetusGuard exits with status 2)`,
          origin,
        );
        break;
      }
      if (f.name === 'no-builtin-rules') noBuiltinRules = { value: b, origin };
      else printVersion = b;
    }
  }
  if (parsed.failure) {
    report(
      'cetusguard/flag-rejected',
      'error',
      `${parsed.failure.message}; CetusGuard exits with status ${parsed.failure.exitCode}`,
      `arg:${parsed.failure.index}`,
    );
  } else if (parsed.stoppedAt !== undefined) {
    report(
      'cetusguard/arguments-ignored',
      'warning',
      `Go's flag parsing stops at "${input.argv[parsed.stoppedAt]}" (not a flag); CetusGuard ignores it and every argument after it: ${parsed.rest.join(' ')}`,
      `arg:${parsed.stoppedAt}`,
    );
  }
  if (printVersion)
    report(
      'cetusguard/prints-version',
      'error',
      '-version prints the version and exits; CetusGuard does not serve',
      'argv',
    );
  logLevel = { value: Math.min(7, Math.max(0, logLevel.value)), origin: logLevel.origin };

  for (const addr of [strings['backend-addr'], ...slices['frontend-addr'].values]) {
    const problem = checkAddress(addr.value);
    if (problem)
      report(
        'cetusguard/invalid-address',
        'error',
        `${problem}: "${addr.value}" (CetusGuard refuses to start)`,
        addr.origin,
      );
  }

  const rules: CetusGuardRule[] = [];
  const addText = (text: string, origin: (line: number) => Origin, builtin: boolean, errorText: string): void => {
    const lines = text.split(/\r?\n/);
    lines.forEach((line, k) => {
      const built = buildRuleLine(line, k + 1, origin(k + 1), builtin, errorText, report);
      if (built) rules.push(built);
    });
  };
  if (!noBuiltinRules.value) {
    CETUSGUARD_BUILTIN_RULES.forEach((line, k) => {
      const built = buildRuleLine(line, 1, `builtin:${k + 1}`, true, line, report);
      if (built) rules.push(built);
    });
    report(
      'cetusguard/builtin-rules',
      'info',
      'CetusGuard adds built-in rules (GET/HEAD _ping, GET version, GET info, with and without /libpod); Sockguard has no implicit allows, so they must be written out',
      noBuiltinRules.origin,
    );
  }
  for (const { value, origin } of slices.rules.values) {
    addText(value, (line) => `${origin} line ${line}`, false, value);
  }
  let complete = true;
  for (const { value: path, origin } of slices['rules-file'].values) {
    const content = input.rulesFiles?.get(path);
    if (content === undefined) {
      complete = false;
      report(
        'cetusguard/rules-file-unavailable',
        'warning',
        `rules file "${path}" was not provided, so its rules are unknown`,
        origin,
      );
      continue;
    }
    const lines = content.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!.endsWith('\r') ? lines[k]!.slice(0, -1) : lines[k]!;
      const lineOrigin = `rules-file:${path}:${k + 1}`;
      if (new TextEncoder().encode(line).length >= MAX_SCAN_LINE_BYTES) {
        report(
          'cetusguard/rules-file-line-too-long',
          'warning',
          `line ${k + 1} of "${path}" is longer than bufio.Scanner's 64 KiB limit; CetusGuard silently stops reading the file there, so it and the following lines add no rules`,
          lineOrigin,
          { start: { line: k + 1, col: 1 }, end: { line: k + 1, col: line.length + 1 } },
        );
        break;
      }
      const built = buildRuleLine(line, k + 1, lineOrigin, false, line, report);
      if (built) rules.push(built);
    }
  }

  const sourced = (flag: StringFlag): Sourced<string> => strings[flag];
  return {
    settings: {
      backendAddr: sourced('backend-addr'),
      frontendAddr: slices['frontend-addr'].values,
      backendTlsCacert: sourced('backend-tls-cacert'),
      backendTlsCert: sourced('backend-tls-cert'),
      backendTlsKey: sourced('backend-tls-key'),
      frontendTlsCacert: sourced('frontend-tls-cacert'),
      frontendTlsCert: sourced('frontend-tls-cert'),
      frontendTlsKey: sourced('frontend-tls-key'),
      rulesTexts: slices.rules.values,
      rulesFiles: slices['rules-file'].values,
      noBuiltinRules,
      logLevel,
      rules,
      complete,
    },
    starts,
    diagnostics,
  };
}

/** cetusguard.go parseAddr: `unix://<path>` or `tcp://<host:port>`. */
function checkAddress(addr: string): string | undefined {
  const sep = addr.indexOf('://');
  if (sep <= 0 || sep + 3 >= addr.length) return 'invalid address format';
  const scheme = addr.slice(0, sep);
  if (scheme !== 'unix' && scheme !== 'tcp') return 'unsupported address protocol';
  return undefined;
}

type Report = (
  code: CetusGuardDiagnosticCode,
  severity: 'error' | 'warning' | 'info',
  message: string,
  origin: Origin,
  range?: SourceRange,
) => void;

/** rule.go BuildRules for one line: comment/blank, `METHODS PATTERN`, variable expansion, compile. */
function buildRuleLine(
  line: string,
  lineNo: number,
  origin: Origin,
  builtin: boolean,
  errorText: string,
  report: Report,
): CetusGuardRule | undefined {
  if (COMMENT_LINE.test(line)) return undefined;
  const whole: SourceRange = { start: { line: lineNo, col: 1 }, end: { line: lineNo, col: line.length + 1 } };
  const m = RULE_LINE.exec(line);
  if (!m) {
    const hint = /^[\t ]*[a-z]+[\t ,]/.test(line)
      ? ' (methods must be upper-case)'
      : /^[\t ]*[A-Z]+(?:[\t ]*,[\t ]*[A-Z]+)+/.test(line)
        ? ' (no spaces around the commas between methods)'
        : '';
    report('cetusguard/invalid-rule-line', 'error', `invalid rule line: ${line}${hint}`, origin, whole);
    return undefined;
  }
  const [patternStart, patternEnd] = m.indices![2]!;
  const range: SourceRange = {
    start: { line: lineNo, col: patternStart + 1 },
    end: { line: lineNo, col: patternEnd + 1 },
  };
  const methods = [...new Set(m[1]!.split(','))];
  for (const method of methods) {
    if (!STANDARD_METHODS.has(method)) {
      report(
        'cetusguard/unusual-method',
        'warning',
        `"${method}" is not an HTTP method; CetusGuard accepts it but it only matches requests that use exactly that method`,
        origin,
        {
          start: { line: lineNo, col: m.indices![1]![0] + 1 },
          end: { line: lineNo, col: m.indices![1]![1] + 1 },
        },
      );
    }
  }
  const pattern = m[2]!;
  const unknownVariables = findUnknownCetusGuardVariables(pattern);
  for (const name of unknownVariables) {
    report(
      'cetusguard/unknown-variable',
      'warning',
      `%${name}% is not a CetusGuard variable; it stays in the pattern as literal text (CetusGuard does not report this)`,
      origin,
      range,
    );
  }
  const expanded = expandCetusGuardVariables(pattern);
  const t = translateGoRegex(`^${expanded}$`);
  if (!t.ok && !t.unsupported) {
    report(
      'cetusguard/invalid-rule-pattern',
      'error',
      `invalid rule pattern: ${errorText} (${t.message})`,
      origin,
      range,
    );
    return undefined;
  }
  if (!t.ok)
    report(
      'cetusguard/pattern-not-emulated',
      'warning',
      `pattern is valid Go but cannot be reproduced exactly in JavaScript: ${t.message}`,
      origin,
      range,
    );
  return { methods, pattern, expanded, unknownVariables, builtin, origin, range };
}
