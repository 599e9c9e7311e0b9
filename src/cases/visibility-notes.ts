/**
 * What serve's request-side visibility stage (sockguard-config.md §7: `visible_resource_labels`,
 * `name_patterns`, `image_patterns`, root merged with the client's profile) does with one request, as
 * notes for `sockguard test`: the selectors it adds to list, prune and events filters, and the
 * daemon lookups it makes before acting on a resource. Whether a resource is hidden is for the daemon
 * to say at request time, so offline that is a gap, never a decision (`--response` judges an inspect).
 */
import type { ParsedTarget } from '../policy/canonical-path.js';
import { classifyOwnedRequest } from '../policy/ownership/classify-owned-request.js';
import { resolveOwnershipSettings } from '../policy/ownership/ownership-settings.js';
import { constrainsRequests } from '../policy/response/request-visibility.js';
import { findResponseRoute } from '../policy/response/response-routes.js';
import { compileResponseScopes, selectResponsePolicy } from '../policy/response/response-scopes.js';
import { formatSelectorFilters } from '../policy/response/visibility.js';
import type { Policy } from '../policy/schema.js';

const HIDDEN = '404 resource not found';

export function visibilityNotes(
  policy: Policy,
  profile: string | undefined,
  method: string,
  target: ParsedTarget,
  /** A daemon answer is judged with `--response`: an inspect needs no note. */
  answerJudged = false,
): string[] {
  const scopes = compileResponseScopes(policy, resolveOwnershipSettings(policy));
  const visibility = scopes.ok ? selectResponsePolicy(scopes.scopes, profile)?.visibility : undefined;
  if (visibility === undefined || !constrainsRequests(visibility)) return [];
  const request = classifyOwnedRequest(method, target.normalizedPath, { allowUnownedImages: false });
  switch (request.kind) {
    case 'list':
    case 'prune':
    case 'events': {
      if (request.filterKey === undefined || visibility.selectors.length === 0) return [];
      const filters = formatSelectorFilters(visibility).join(', ');
      return [`serve adds the response visibility selectors to the ${request.filterKey} filter: ${filters}`];
    }
    case 'per-resource':
      if (findResponseRoute(method, target.normalizedPath)?.inspect !== undefined) {
        if (answerJudged) return [];
        return [
          `serve answers ${HIDDEN} when the daemon's answer shows a resource response visibility hides (judge an answer with --response)`,
        ];
      }
      return [
        `serve looks the ${request.resource} up first and answers ${HIDDEN} when response visibility hides it (that needs the daemon: not checked here)`,
      ];
    case 'create':
      return request.references === undefined
        ? []
        : [
            `serve looks up the containers, networks and volumes the body names and answers ${HIDDEN} when response visibility hides one (not checked here)`,
          ];
    default:
      return [];
  }
}
