/**
 * Reading and preparing the policy `serve` runs, at startup and on every reload: the YAML file (a
 * missing default file means built-in defaults, a missing explicit one is an error), the
 * environment and flags (src/policy/env-overlay.ts), compat expansion, the startup probes and the
 * settings this proxy cannot enforce. Any problem refuses the policy with every reason listed.
 */
import { readFileSync } from 'node:fs';
import { compilePolicy, type CompiledPolicy } from '../policy/compile.js';
import type { Diagnostic } from '../policy/diagnostic.js';
import { loadServePolicy, type ServeFlags } from '../policy/env-overlay.js';
import { ClientConfigError, compileClients } from '../policy/clients/compile-clients.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import { findUnenforcedSettings } from './enforcement.js';
import { listenerSpecs } from './listener-specs.js';
import { compileResponseScopes } from '../policy/response/response-scopes.js';

export const DEFAULT_CONFIG_PATH = '/etc/sockguard/sockguard.yaml';

export interface ConfigLocation {
  path: string;
  /** Given with -c/--config: then it must exist. */
  explicit: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly summary: string,
    readonly issues: readonly string[],
    /** load: the file could not be read or parsed; validation: it parsed but is not acceptable. */
    readonly kind: 'load' | 'validation' = 'validation',
  ) {
    super(issues.length > 0 ? `${summary}:\n${issues.map((i) => `  - ${i}`).join('\n')}` : summary);
    this.name = 'ConfigError';
  }
}

/** The file's text; undefined when the default file does not exist. */
export function readConfigText(location: ConfigLocation): string | undefined {
  try {
    return readFileSync(location.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !location.explicit) return undefined;
    throw new ConfigError(
      `config preflight: config file: ${location.path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`,
      [],
      'load',
    );
  }
}

export function describeDiagnostic(d: Diagnostic): string {
  const where =
    d.file !== undefined ? `${d.file}${d.range ? `:${d.range.start.line}:${d.range.start.col}` : ''}: ` : '';
  return `${where}${d.message}`;
}

export interface PreparedPolicy {
  compiled: CompiledPolicy;
  /** Things to log at startup: schema warnings, ignored compat values, rules that can never match. */
  warnings: string[];
}

export function preparePolicy(
  text: string | undefined,
  options: { file?: string; env: Env; flags?: ServeFlags },
): PreparedPolicy {
  const loaded = loadServePolicy(text, {
    env: options.env,
    ...(options.file !== undefined ? { file: options.file } : {}),
    ...(options.flags ? { flags: options.flags } : {}),
  });
  if (!loaded.policy) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    throw new ConfigError(
      'config validation failed',
      errors.map(describeDiagnostic),
      errors.some((d) => d.code.startsWith('yaml/')) ? 'load' : 'validation',
    );
  }
  const compiled = compilePolicy(loaded.policy, { env: options.env });
  if (compiled.startupProblems.length > 0) {
    throw new ConfigError(
      'config validation failed',
      compiled.startupProblems.map((p) => p.message),
    );
  }
  try {
    compileClients(compiled.policy.clients);
    listenerSpecs(compiled.policy);
  } catch (error) {
    if (error instanceof ClientConfigError) throw new ConfigError('config validation failed', [error.message]);
    throw error;
  }
  const unenforced = findUnenforcedSettings(compiled);
  if (unenforced.length > 0) throw new ConfigError('this proxy does not enforce', unenforced);
  const scopes = compileResponseScopes(compiled.policy, resolveOwnershipSettings(compiled.policy));
  if (!scopes.ok) throw new ConfigError('config validation failed', scopes.problems);
  const warnings = [
    ...loaded.diagnostics.filter((d) => d.severity === 'warning').map(describeDiagnostic),
    ...compiled.compat.unparseable.map(
      (u) =>
        `ignoring compat env var with unparseable boolean value: ${u.name}=${JSON.stringify(u.value)} (treated as false)`,
    ),
    ...compiled.root.rules
      .filter((r) => /^\/v\d/.test(r.rule.match.path))
      .map((r) => `rule ${r.index + 1}: path "${r.rule.match.path}" starts with a version prefix and can never match`),
  ];
  return { compiled, warnings };
}
