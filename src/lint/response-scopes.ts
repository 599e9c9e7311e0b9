/**
 * The `response` visibility blocks of a policy and the owner isolation settings, as lint rules about
 * them need them (sockguard-config.md §7, §9, §10). The root block applies to every client; a client
 * profile's `response` block adds to it (mergeVisibilitySettings: the selectors of both apply, the
 * pattern lists are united).
 */
import type { OwnershipSettings } from '../policy/ownership/authorize-owned-request.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import { evaluateRules } from '../policy/evaluate.js';
import { stringEntries } from './body-scopes.js';
import type { LintContext } from './lint-context.js';

export type VisibilityList = 'visible_resource_labels' | 'name_patterns' | 'image_patterns';

export const VISIBILITY_LISTS: readonly VisibilityList[] = [
  'visible_resource_labels',
  'name_patterns',
  'image_patterns',
];

export interface VisibilityScope {
  /** Pointer of the block, e.g. `/response` or `/clients/profiles/0/response`. */
  pointer: string;
  /** The dotted key of the block for messages, e.g. `clients.profiles[0].response`. */
  key: string;
  /** The string entries of each list as written, with their indexes. */
  lists: Record<VisibilityList, [number, string][]>;
}

function listsOf(block: unknown): Record<VisibilityList, [number, string][]> {
  const object = typeof block === 'object' && block !== null ? (block as Record<string, unknown>) : {};
  return {
    visible_resource_labels: stringEntries(object.visible_resource_labels),
    name_patterns: stringEntries(object.name_patterns),
    image_patterns: stringEntries(object.image_patterns),
  };
}

/** The root block first, then one per profile (in file order). */
export function visibilityScopes(context: LintContext): VisibilityScope[] {
  const root = { pointer: '/response', key: 'response', lists: listsOf(context.document.response) };
  const profiles = (context.document.clients?.profiles ?? []).map((profile, i) => ({
    pointer: `/clients/profiles/${i}/response`,
    key: `clients.profiles[${i}].response`,
    lists: listsOf(profile?.response),
  }));
  return [root, ...profiles];
}

/**
 * Owner isolation as serve reads it (resolveOwnershipSettings), when `ownership.owner` enables it;
 * undefined also when the policy does not load.
 */
export function ownershipOf(context: LintContext): OwnershipSettings | undefined {
  return context.policy && resolveOwnershipSettings(context.policy);
}

/**
 * The first request of `requests` some client can send, with the rule that lets it through (named
 * for a message), looking at every rule scope: root response and ownership settings apply to all
 * clients, whichever profile they resolve to.
 */
export function firstReached<R extends { method: string; path: string }>(
  context: LintContext,
  requests: readonly R[],
): (R & { rule: string }) | undefined {
  for (const request of requests) {
    for (const scope of context.scopes) {
      if (!scope.ruleSet) continue;
      const verdict = evaluateRules(scope.ruleSet, request.method, request.path);
      if (verdict.decision === 'allow' && verdict.matched) {
        return { ...request, rule: context.locateMatch(scope, verdict.matched.index).name };
      }
    }
  }
  return undefined;
}
