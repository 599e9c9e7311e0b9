/**
 * The `request_body` blocks of a policy, each with the rules it guards: the top-level block judges
 * requests the top-level rules allow, and each client profile's own block (no inherited defaults,
 * sockguard-config.md §8.1) judges what that profile's rules allow. Lint rules about body settings
 * use this to speak only about settings a client can reach, and to name the rule that reaches them.
 */
import { evaluateRules } from '../policy/evaluate.js';
import type { RequestBodyPolicy } from '../policy/schema.js';
import type { LintContext, RuleScope } from './lint-context.js';

export type RequestBodyGroups = Partial<RequestBodyPolicy>;

export interface BodyScope {
  /** Pointer of the block, e.g. `/request_body` or `/clients/profiles/0/request_body`. */
  pointer: string;
  /** The dotted key of the block for messages, e.g. `clients.profiles[0].request_body`. */
  key: string;
  /** The block as written (undefined when the scope has none). */
  block?: RequestBodyGroups;
  /**
   * The rule that lets `method path` through in this scope, named for a message (`rule 3`), or
   * undefined when no rule allows it or the policy did not load.
   */
  reachedBy(method: string, path: string): string | undefined;
}

/** The probe id the startup checks use for path parameters (sockguard-config.md §8.3). */
export const PROBE_ID = 'sockguard-test';

function reacher(context: LintContext, scope: RuleScope | undefined): BodyScope['reachedBy'] {
  return (method, path) => {
    if (!scope?.ruleSet) return undefined;
    const verdict = evaluateRules(scope.ruleSet, method, path);
    if (verdict.decision !== 'allow' || !verdict.matched) return undefined;
    return context.locateMatch(scope, verdict.matched.index).name;
  };
}

const asBlock = (value: unknown): RequestBodyGroups | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RequestBodyGroups) : undefined;

export function bodyScopes(context: LintContext): BodyScope[] {
  const { document } = context;
  const root = asBlock(document.request_body);
  const scopes: BodyScope[] = [
    {
      pointer: '/request_body',
      key: 'request_body',
      ...(root ? { block: root } : {}),
      reachedBy: reacher(context, context.scopes[0]),
    },
  ];
  (document.clients?.profiles ?? []).forEach((profile, i) => {
    const block = asBlock(profile?.request_body);
    scopes.push({
      pointer: `/clients/profiles/${i}/request_body`,
      key: `clients.profiles[${i}].request_body`,
      ...(block ? { block } : {}),
      reachedBy: reacher(context, context.scopes[i + 1]),
    });
  });
  return scopes;
}

/** The strings of a list as written, with their indexes (entries of another type are skipped). */
export function stringEntries(value: unknown): [number, string][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown, i) => (typeof entry === 'string' ? [[i, entry] as [number, string]] : []));
}
