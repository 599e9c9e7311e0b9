/**
 * What every lint rule looks at: the document as written, its rule lists (top level and per
 * profile) with 1-based numbers and source lines, and, when the policy loaded without errors, the
 * compiled policy whose evaluator and startup probes are exactly the proxy's.
 */
import { compilePolicy, type CompiledPolicy } from '../policy/compile.js';
import type { CompiledRuleSet } from '../policy/evaluate.js';
import type { LoadedPolicy } from '../policy/load.js';
import { parseMethodSet, type MethodSet } from '../policy/methods.js';
import type { Policy, PolicyDocument, RuleDocument } from '../policy/schema.js';

export interface LintOptions {
  /** Environment for Tecnativa/LinuxServer compat expansion; omit to lint the file as written. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A well-formed rule as written (the loader reports malformed ones). */
export interface ScopedRule {
  /** 0-based position in its list. */
  index: number;
  /** Pointer of the rule entry, e.g. `/rules/3` or `/clients/profiles/0/rules/3`. */
  pointer: string;
  method: string;
  path: string;
  action: 'allow' | 'deny';
  methods: MethodSet;
}

export interface RuleScope {
  /** The profile name; undefined for the top-level rules. */
  profile?: string;
  /** Pointer of the rule list, e.g. `/rules`. */
  pointer: string;
  /** Well-formed rules as written, in order (gaps where an entry is malformed). */
  rules: ScopedRule[];
  /** The rule set the proxy would enforce for this scope (after defaults and compat). */
  ruleSet?: CompiledRuleSet;
}

export interface LintContext {
  document: PolicyDocument;
  /** Present when the policy loaded without errors. */
  policy?: Policy;
  compiled?: CompiledPolicy;
  /** The top-level scope first, then one per profile (in file order). */
  scopes: RuleScope[];
  /** 1-based line of the node at a pointer (or its nearest written ancestor). */
  lineOf(pointer: string): number | undefined;
  /** `rule 3` or `rule 3 of profile "ci"` (1-based, like the proxy's own messages). */
  label(scope: RuleScope, index: number): string;
  /** The label with the rule's line: `rule 3 (line 12)`, for naming another rule. */
  describe(scope: RuleScope, index: number): string;
  /**
   * Where to report a rule the proxy's evaluator matched and how to name it: its `match/path`, or
   * the rule list when the enforced rules are not the written ones (defaults, compat expansion).
   */
  locateMatch(scope: RuleScope, index: number): { pointer: string; name: string };
}

function scopedRules(rules: readonly RuleDocument[] | undefined, pointer: string): ScopedRule[] {
  const out: ScopedRule[] = [];
  (rules ?? []).forEach((rule, index) => {
    const method = rule?.match?.method;
    const path = rule?.match?.path;
    const action = rule?.action;
    if (typeof method !== 'string' || method.trim() === '' || typeof path !== 'string' || path === '') return;
    if (action !== 'allow' && action !== 'deny') return;
    out.push({ index, pointer: `${pointer}/${index}`, method, path, action, methods: parseMethodSet(method) });
  });
  return out;
}

export function createLintContext(loaded: LoadedPolicy, options: LintOptions = {}): LintContext {
  const { document, policy, sourceMap } = loaded;
  const compiled = policy ? compilePolicy(policy, options.env ? { env: options.env } : {}) : undefined;
  const rootWritten = (document.rules?.length ?? 0) > 0;
  const scopes: RuleScope[] = [
    {
      pointer: '/rules',
      rules: scopedRules(document.rules, '/rules'),
      ...(compiled ? { ruleSet: compiled.root } : {}),
    },
  ];
  (document.clients?.profiles ?? []).forEach((profile, i) => {
    const pointer = `/clients/profiles/${i}/rules`;
    const name = typeof profile?.name === 'string' ? profile.name : undefined;
    const ruleSet = name !== undefined ? compiled?.profiles.get(name) : undefined;
    scopes.push({
      ...(name !== undefined ? { profile: name } : {}),
      pointer,
      rules: scopedRules(profile?.rules, pointer),
      ...(ruleSet ? { ruleSet } : {}),
    });
  });
  const label = (scope: RuleScope, index: number): string =>
    `rule ${index + 1}${scope.profile !== undefined ? ` of profile "${scope.profile}"` : ''}`;
  const lineOf = (pointer: string): number | undefined => sourceMap.rangeOf(pointer)?.start.line;
  const writtenRulesEnforced = (scope: RuleScope): boolean =>
    scope.profile !== undefined || (rootWritten && !compiled?.compat.active);
  return {
    document,
    ...(policy ? { policy } : {}),
    ...(compiled ? { compiled } : {}),
    scopes,
    lineOf,
    label,
    describe: (scope, index) => {
      const line = lineOf(`${scope.pointer}/${index}`);
      return `${label(scope, index)}${line !== undefined ? ` (line ${line})` : ''}`;
    },
    locateMatch: (scope, index) => {
      if (writtenRulesEnforced(scope))
        return { pointer: `${scope.pointer}/${index}/match/path`, name: label(scope, index) };
      const kind = compiled?.compat.active ? 'compat rule' : 'default rule';
      return { pointer: scope.pointer, name: `${kind} ${index + 1}` };
    },
  };
}

/** Every well-formed rule of every scope, top level first. */
export function eachRule(context: LintContext): { scope: RuleScope; rule: ScopedRule }[] {
  return context.scopes.flatMap((scope) => scope.rules.map((rule) => ({ scope, rule })));
}
