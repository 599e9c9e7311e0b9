/**
 * Where an effective rule came from: a line of the policy file, the built-in default rules, or the
 * Tecnativa/LinuxServer compat expansion (and which variables generated it, sockguard-config.md §12.2).
 */
import { COMPAT_GRANULAR, COMPAT_SECTIONS, parseCompatBool } from '../policy/compat.js';
import type { Rule } from '../policy/defaults.js';
import type { PolicyUnderTest } from './policy-under-test.js';

/** A compat variable behind a generated rule; `value` is undefined when it was unset (on by default). */
export interface CompatSetting {
  name: string;
  value?: string;
}

export type RuleOrigin =
  | { kind: 'file'; file: string; line: number; col: number }
  | { kind: 'default' }
  /** `variables` is empty for the final deny every compat expansion ends with. */
  | { kind: 'compat'; variables: CompatSetting[] };

function settingOf(env: Readonly<Record<string, string>>, name: string): CompatSetting {
  const value = env[name];
  return value === undefined ? { name } : { name, value };
}

/** Re-derives the variables behind a compat rule from the same tables the expansion used. */
function compatVariables(rule: Rule, env: Readonly<Record<string, string>>): CompatSetting[] {
  if (rule.action === 'deny') return [];
  const { method, path } = rule.match;
  // Section rules are GET,HEAD (or * with POST on); granular rules have one write method.
  if (method === 'GET,HEAD' || method === '*') {
    const section = COMPAT_SECTIONS.find((s) => s.path === path);
    const settings = section ? [settingOf(env, section.name)] : [];
    return method === '*' ? [...settings, settingOf(env, 'POST')] : settings;
  }
  const granular = COMPAT_GRANULAR.find((g) => g.method === method && g.path === path);
  return (granular?.vars ?? [])
    .filter((name) => {
      const value = env[name];
      return value !== undefined && parseCompatBool(value) === true;
    })
    .map((name) => settingOf(env, name));
}

function profilePosition(put: PolicyUnderTest, profile: string): number {
  return (put.document.clients?.profiles ?? []).findIndex((p) => p.name === profile);
}

/** Origin of the rule at 0-based `index` of the root rules, or of `profile`'s rules. */
export function originOfRule(put: PolicyUnderTest, index: number, profile?: string): RuleOrigin {
  const { compat } = put.compiled;
  if (profile === undefined && compat.active) {
    const rule = compat.rules[index];
    return { kind: 'compat', variables: rule ? compatVariables(rule, put.env) : [] };
  }
  const pointer =
    profile === undefined ? `/rules/${index}` : `/clients/profiles/${profilePosition(put, profile)}/rules/${index}`;
  const range = put.sourceMap?.has(pointer) ? put.sourceMap.rangeOf(pointer) : undefined;
  if (put.file === undefined || !range) return { kind: 'default' };
  return { kind: 'file', file: put.file, line: range.start.line, col: range.start.col };
}
