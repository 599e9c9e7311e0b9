/**
 * Tecnativa / LinuxServer compatibility (sockguard-config.md §12.2, Go `config/compat.go`):
 * environment variables such as CONTAINERS=1 generate the rule list when the configured rules
 * are exactly the defaults. Parsing is Sockguard's own (1/true/yes on, anything odd fails closed),
 * not the HAProxy images' (see src/peers for those).
 */
import { isDefaultRuleList, NO_MATCHING_ALLOW_RULE, type Rule } from './defaults.js';
import type { RuleDocument } from './schema.js';

export const COMPAT_SECTIONS: readonly { name: string; path: string; defaultOn: boolean }[] = [
  { name: 'PING', path: '/_ping', defaultOn: true },
  { name: 'VERSION', path: '/version', defaultOn: true },
  { name: 'EVENTS', path: '/events', defaultOn: true },
  { name: 'AUTH', path: '/auth/**', defaultOn: false },
  { name: 'BUILD', path: '/build/**', defaultOn: false },
  { name: 'COMMIT', path: '/commit/**', defaultOn: false },
  { name: 'CONFIGS', path: '/configs/**', defaultOn: false },
  { name: 'CONTAINERS', path: '/containers/**', defaultOn: false },
  { name: 'DISTRIBUTION', path: '/distribution/**', defaultOn: false },
  { name: 'EXEC', path: '/exec/**', defaultOn: false },
  { name: 'EXEC', path: '/containers/*/exec', defaultOn: false },
  { name: 'GRPC', path: '/grpc/**', defaultOn: false },
  { name: 'IMAGES', path: '/images/**', defaultOn: false },
  { name: 'INFO', path: '/info', defaultOn: false },
  { name: 'NETWORKS', path: '/networks/**', defaultOn: false },
  { name: 'NODES', path: '/nodes/**', defaultOn: false },
  { name: 'PLUGINS', path: '/plugins/**', defaultOn: false },
  { name: 'SECRETS', path: '/secrets/**', defaultOn: false },
  { name: 'SERVICES', path: '/services/**', defaultOn: false },
  { name: 'SESSION', path: '/session/**', defaultOn: false },
  { name: 'SWARM', path: '/swarm/**', defaultOn: false },
  { name: 'SYSTEM', path: '/system/**', defaultOn: false },
  { name: 'TASKS', path: '/tasks/**', defaultOn: false },
  { name: 'VOLUMES', path: '/volumes/**', defaultOn: false },
];

export const COMPAT_GRANULAR: readonly { vars: readonly string[]; method: string; path: string }[] = [
  { vars: ['ALLOW_CREATE'], method: 'POST', path: '/containers/create' },
  { vars: ['ALLOW_DELETE'], method: 'DELETE', path: '/containers/*' },
  { vars: ['ALLOW_EXEC'], method: 'POST', path: '/containers/*/exec' },
  { vars: ['ALLOW_KILL', 'ALLOW_RESTARTS', 'ALLOW_RESTART'], method: 'POST', path: '/containers/*/kill' },
  { vars: ['ALLOW_PAUSE'], method: 'POST', path: '/containers/*/pause' },
  { vars: ['ALLOW_PRUNE'], method: 'POST', path: '/containers/prune' },
  { vars: ['ALLOW_RESTARTS', 'ALLOW_RESTART'], method: 'POST', path: '/containers/*/restart' },
  { vars: ['ALLOW_START'], method: 'POST', path: '/containers/*/start' },
  { vars: ['ALLOW_STOP', 'ALLOW_RESTARTS', 'ALLOW_RESTART'], method: 'POST', path: '/containers/*/stop' },
  { vars: ['ALLOW_UNPAUSE'], method: 'POST', path: '/containers/*/unpause' },
];

export const COMPAT_VARIABLES: readonly string[] = [
  ...new Set([...COMPAT_SECTIONS.map((s) => s.name), 'POST', ...COMPAT_GRANULAR.flatMap((g) => g.vars)]),
].sort();

export interface CompatResult {
  active: boolean;
  rules: Rule[];
  /** Variables whose value was not 1/true/yes/0/false/no (treated as false). */
  unparseable: { name: string; value: string }[];
  /** GRPC or SESSION on: the deprecated opaque-tunnel acknowledgement is set automatically. */
  acceptOpaqueBuildkitTunnels: boolean;
}

/** Sockguard's compat boolean: lower-cased, not trimmed; 1/true/yes on, 0/false/no off, else off + warning. */
export function parseCompatBool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === '1' || v === 'true' || v === 'yes') return true;
  if (v === '0' || v === 'false' || v === 'no') return false;
  return undefined;
}

export function compatRulesFromEnv(env: Readonly<Record<string, string | undefined>>): Omit<CompatResult, 'active'> {
  const unparseable: { name: string; value: string }[] = [];
  const read = (name: string, fallback: boolean): boolean => {
    const value = env[name];
    if (value === undefined) return fallback;
    const parsed = parseCompatBool(value);
    if (parsed === undefined) {
      if (!unparseable.some((u) => u.name === name)) unparseable.push({ name, value });
      return false;
    }
    return parsed;
  };
  const method = read('POST', false) ? '*' : 'GET,HEAD';
  const rules: Rule[] = [];
  for (const section of COMPAT_SECTIONS) {
    if (read(section.name, section.defaultOn)) rules.push({ match: { method, path: section.path }, action: 'allow' });
  }
  for (const granular of COMPAT_GRANULAR) {
    if (granular.vars.some((v) => read(v, false))) {
      rules.push({ match: { method: granular.method, path: granular.path }, action: 'allow' });
    }
  }
  rules.push({ match: { method: '*', path: '/**' }, action: 'deny', reason: NO_MATCHING_ALLOW_RULE });
  return { rules, unparseable, acceptOpaqueBuildkitTunnels: read('GRPC', false) || read('SESSION', false) };
}

/** Compat is active when a recognised variable is present (any value) and the rules equal the defaults. */
export function applyCompat(
  rules: readonly RuleDocument[],
  env: Readonly<Record<string, string | undefined>>,
): CompatResult {
  const present = COMPAT_VARIABLES.some((name) => env[name] !== undefined);
  if (!present || !isDefaultRuleList(rules)) {
    return { active: false, rules: rules as Rule[], unparseable: [], acceptOpaqueBuildkitTunnels: false };
  }
  return { active: true, ...compatRulesFromEnv(env) };
}
