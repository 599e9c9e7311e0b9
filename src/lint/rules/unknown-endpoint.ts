/**
 * A rule path that matches no Docker Engine API endpoint (a typo such as `/containers/*\/jsn`), or
 * whose endpoints accept none of the rule's methods (`POST /containers/json`). Decided on the
 * glob and template languages (glob-language.ts), so specific names such as
 * `/containers/my-app/json` count as matching `/containers/{id}/json`.
 */
import { methodMatches } from '../../policy/methods.js';
import { closestEndpointGlob, endpointsMatchedBy, isOutsideCatalog } from '../endpoint-catalog.js';
import { eachRule } from '../lint-context.js';
import { defineRule } from '../lint-rule.js';
import { hasPatternDefect } from '../pattern-defects.js';

const ROUTELESS_METHODS = new Set(['OPTIONS', 'TRACE', 'CONNECT']);

export default defineRule({
  id: 'unknown-endpoint',
  family: 'rule',
  severity: 'warning',
  summary: 'Rule path matches no Docker Engine API endpoint (or none with its methods)',
  help: "The rule's path (or its method) matches none of the Docker Engine API endpoints (API 1.56 catalog plus the daemon routes the spec omits), so it never applies to a Docker client's request, and a deny written with a typo protects nothing. Check the spelling against the API reference; * matches one segment, ** any depth. Podman's /libpod paths are not checked.",
  check: (context) =>
    eachRule(context).flatMap(({ scope, rule }) => {
      if (hasPatternDefect(rule.path) || isOutsideCatalog(rule.path)) return [];
      const label = context.label(scope, rule.index);
      const pointer = `${rule.pointer}/match/path`;
      const endpoints = endpointsMatchedBy(rule.path);
      if (endpoints.length === 0) {
        const closest = closestEndpointGlob(rule.path);
        return [
          {
            message: `${label}: path "${rule.path}" matches no Docker Engine API endpoint, so this rule never applies${closest ? `; did you mean "${closest}"?` : ''}`,
            pointer,
            ...(closest ? { suggestion: closest } : {}),
          },
        ];
      }
      // A method no endpoint accepts only matters for an allow: the client's request fails. A
      // deny that matches nothing is harmless, and OPTIONS/TRACE/CONNECT have no routes at all
      // (risky-method reports them); unknown method names are unknown-method's to report.
      const { methods } = rule;
      if (rule.action !== 'allow' || methods.any || methods.mask === 0) return [];
      if (methods.names.some((m) => ROUTELESS_METHODS.has(m))) return [];
      if (endpoints.some((e) => methodMatches(methods, e.method))) return [];
      const answers = [...new Set(endpoints.map((e) => e.method))].join(', ');
      return [
        {
          message: `${label}: no Docker Engine API endpoint matched by "${rule.path}" accepts ${methods.names.join(', ')} (they answer ${answers}), so this rule never applies`,
          pointer: `${rule.pointer}/match/method`,
        },
      ];
    }),
});
