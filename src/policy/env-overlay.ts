/**
 * Where a running `sockguard serve` takes each setting from, highest first (sockguard-config.md §1,
 * §12): CLI flags > `SOCKGUARD_*` environment > Tecnativa aliases `SOCKET_PATH` / `LOG_LEVEL` >
 * YAML file > built-in defaults. Pure: the environment and flags come in as plain values.
 *
 * `SOCKGUARD_*` names every scalar and string-list leaf reachable through mappings: dots become `_`,
 * upper-cased (`metrics.enabled` -> SOCKGUARD_METRICS_ENABLED). Lists are comma-separated; an empty
 * value counts as unset. Leaves inside lists (rules, listeners, profiles, ...) are not settable,
 * and neither is `clients.global_concurrency` (§12.1).
 */
import { hasErrors, pointerOf, type Diagnostic } from './diagnostic.js';
import { loadPolicy, resolvePolicy } from './load.js';
import { validateAgainst, type Spec } from './schema-dsl.js';
import { policySchema, type Policy, type PolicyDocument } from './schema.js';
import { validatePolicy } from './validate.js';

export type OverlayCode = 'env/invalid-value';

export interface OverlayEntry {
  /** Document path of the leaf. */
  tokens: readonly string[];
  value: unknown;
  /** What set it: an environment variable name or a `--flag`. */
  source: string;
}

export interface ServeFlags {
  listenSocket?: string;
  listenAddress?: string;
  upstreamSocket?: string;
  logLevel?: string;
  logFormat?: string;
  denyVerbosity?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const NOT_ENV_SETTABLE = new Set(['clients.global_concurrency']);
const ENV_PREFIX = 'SOCKGUARD_';

interface Leaf {
  tokens: string[];
  spec: Spec;
}

function collectLeaves(spec: Spec, tokens: string[], out: Map<string, Leaf>): void {
  if (NOT_ENV_SETTABLE.has(tokens.join('.'))) return;
  if (spec.kind === 'object') {
    for (const [key, field] of Object.entries(spec.fields)) collectLeaves(field, [...tokens, key], out);
    return;
  }
  if (spec.kind === 'map') return;
  if (spec.kind === 'list' && spec.item.kind !== 'string' && spec.item.kind !== 'enum') return;
  out.set(ENV_PREFIX + tokens.join('_').toUpperCase(), { tokens, spec });
}

const LEAVES: ReadonlyMap<string, Leaf> = (() => {
  const out = new Map<string, Leaf>();
  collectLeaves(policySchema, [], out);
  return out;
})();

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Decodes an environment string the way Viper's weak decoding would for this leaf. */
function decodeEnvValue(spec: Spec, text: string): { value: unknown } | { problem: string } {
  switch (spec.kind) {
    case 'bool':
      if (GO_TRUE.has(text)) return { value: true };
      if (GO_FALSE.has(text)) return { value: false };
      return { problem: `must be true or false, got "${text}"` };
    case 'int':
      return /^[-+]?\d+$/.test(text) ? { value: Number(text) } : { problem: `must be an integer, got "${text}"` };
    case 'list':
      return { value: text.split(',') };
    default:
      return { value: text };
  }
}

/** HAProxy's syslog level names (Tecnativa/LinuxServer LOG_LEVEL) on sockguard's four levels (§12.2). */
export const SYSLOG_LEVELS: Readonly<Record<string, 'debug' | 'info' | 'warn' | 'error'>> = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  err: 'error',
  crit: 'error',
  alert: 'error',
  emerg: 'error',
};

/** LOG_LEVEL's syslog-style names mapped onto sockguard's levels; others lower-cased (the enum check then judges them). */
export function mapCompatLogLevel(value: string): string {
  const lower = value.toLowerCase();
  return SYSLOG_LEVELS[lower] ?? lower;
}

function isSet(env: Env, name: string): boolean {
  return (env[name] ?? '') !== '';
}

/** The environment's entries in ascending precedence: compat aliases, then SOCKGUARD_*. */
export function environmentOverlay(env: Env): { entries: OverlayEntry[]; diagnostics: Diagnostic[] } {
  const entries: OverlayEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const socketPath = (env['SOCKET_PATH'] ?? '').trim();
  if (socketPath !== '' && !isSet(env, 'SOCKGUARD_UPSTREAM_SOCKET')) {
    entries.push({ tokens: ['upstream', 'socket'], value: socketPath, source: 'SOCKET_PATH' });
  }
  const logLevel = env['LOG_LEVEL'] ?? '';
  if (logLevel !== '' && !isSet(env, 'SOCKGUARD_LOG_LEVEL')) {
    entries.push({ tokens: ['log', 'level'], value: mapCompatLogLevel(logLevel), source: 'LOG_LEVEL' });
  }
  for (const [name, leaf] of LEAVES) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const decoded = decodeEnvValue(leaf.spec, text);
    if ('problem' in decoded) {
      diagnostics.push({
        code: 'env/invalid-value',
        severity: 'error',
        message: `${name}: ${leaf.tokens.join('.')} ${decoded.problem}`,
        pointer: pointerOf(leaf.tokens),
      });
      continue;
    }
    entries.push({ tokens: leaf.tokens, value: decoded.value, source: name });
  }
  return { entries, diagnostics };
}

/** Flags, the highest precedence. `--listen-address` switches the main listener to TCP. */
export function flagOverlay(flags: ServeFlags): OverlayEntry[] {
  const entries: OverlayEntry[] = [];
  const add = (tokens: string[], value: string | undefined, flag: string) => {
    if (value !== undefined) entries.push({ tokens, value, source: `--${flag}` });
  };
  add(['listen', 'address'], flags.listenAddress, 'listen-address');
  if (flags.listenAddress !== undefined && flags.listenSocket === undefined) {
    entries.push({ tokens: ['listen', 'socket'], value: undefined, source: '--listen-address' });
  }
  add(['listen', 'socket'], flags.listenSocket, 'listen-socket');
  add(['upstream', 'socket'], flags.upstreamSocket, 'upstream-socket');
  add(['log', 'level'], flags.logLevel, 'log-level');
  add(['log', 'format'], flags.logFormat, 'log-format');
  add(['response', 'deny_verbosity'], flags.denyVerbosity, 'deny-verbosity');
  return entries;
}

/** Writes the entries over a copy of the document, later entries winning. */
export function applyOverlay(document: PolicyDocument, entries: readonly OverlayEntry[]): PolicyDocument {
  const out = structuredClone(document) as Record<string, unknown>;
  for (const { tokens, value } of entries) {
    let node = out;
    for (const token of tokens.slice(0, -1)) {
      const next = node[token];
      node[token] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {};
      node = node[token] as Record<string, unknown>;
    }
    const last = tokens[tokens.length - 1]!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return out as PolicyDocument;
}

/** Validates each overlaid value against its leaf, naming the variable or flag that set it. */
function validateEntries(entries: readonly OverlayEntry[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const entry of entries) {
    if (entry.value === undefined) continue;
    let spec: Spec = policySchema;
    for (const token of entry.tokens) spec = spec.kind === 'object' ? spec.fields[token]! : spec;
    for (const issue of validateAgainst(spec, entry.value).issues) {
      if (issue.severity !== 'error') continue;
      diagnostics.push({
        code: issue.code,
        severity: 'error',
        message: `${entry.source}: ${entry.tokens.join('.')}${issue.message.replace(/^\(root\)/, '')}`,
        pointer: pointerOf(entry.tokens),
      });
    }
  }
  return diagnostics;
}

function coveredBy(pointer: string, overridden: ReadonlySet<string>): boolean {
  for (const p of overridden) if (pointer === p || pointer.startsWith(p + '/')) return true;
  return false;
}

export interface ServePolicy {
  /** The effective document: YAML with the environment and flags written over it. */
  document: PolicyDocument;
  /** Present when there are no errors. */
  policy?: Policy;
  diagnostics: Diagnostic[];
}

/**
 * The effective policy of `serve`: `text` is the YAML file (undefined when the default file does
 * not exist: built-in defaults + environment). Cross-field validation runs on the result, as the
 * Go loader validates after merging every source.
 */
export function loadServePolicy(
  text: string | undefined,
  options: { file?: string; env: Env; flags?: ServeFlags },
): ServePolicy {
  const blank = text === undefined || text.trim() === '';
  const loaded = blank ? undefined : loadPolicy(text, options.file !== undefined ? { file: options.file } : {});
  const fromEnv = environmentOverlay(options.env);
  const entries = [...fromEnv.entries, ...flagOverlay(options.flags ?? {})];
  const overridden = new Set(entries.map((e) => pointerOf(e.tokens)));
  const yamlDiagnostics = (loaded?.diagnostics ?? []).filter(
    (d) => !d.code.startsWith('config/') && !(d.code.startsWith('schema/') && coveredBy(d.pointer, overridden)),
  );
  const document = applyOverlay(loaded?.document ?? {}, entries);
  const diagnostics = [
    ...yamlDiagnostics,
    ...fromEnv.diagnostics,
    ...validateEntries(entries),
    ...(hasErrors(yamlDiagnostics)
      ? []
      : validatePolicy(document).map(({ onKey, ...d }) => {
          const range = loaded?.sourceMap.rangeOf(d.pointer, onKey ?? false);
          return { ...d, ...(options.file !== undefined ? { file: options.file } : {}), ...(range ? { range } : {}) };
        })),
  ];
  return hasErrors(diagnostics)
    ? { document, diagnostics }
    : { document, policy: resolvePolicy(document), diagnostics };
}
