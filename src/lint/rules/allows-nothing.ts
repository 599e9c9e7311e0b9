/**
 * A rule list without a single allow rule: every request through it is denied. For a profile this
 * is the lint side of "profile without rules" (the loader already rejects an empty list).
 */
import { defineRule, type LintFinding } from '../lint-rule.js';

export default defineRule({
  id: 'allows-nothing',
  family: 'policy',
  severity: 'warning',
  summary: 'Rule list (top level or profile) has no allow rule',
  help: 'With no allow rule every request is denied: clients using the top-level rules (or the profile) cannot even ping the daemon. Add allow rules for the endpoints the clients need (for example GET,HEAD /_ping and GET /version) or remove the profile.',
  check: (context) =>
    context.scopes.flatMap((scope, i): LintFinding[] => {
      const written = i === 0 ? context.document.rules : context.document.clients?.profiles?.[i - 1]?.rules;
      // Malformed entries are the loader's to report; judge only complete lists.
      if (!written || written.length === 0 || scope.rules.length !== written.length) return [];
      if (scope.rules.some((r) => r.action === 'allow')) return [];
      const subject = scope.profile !== undefined ? `profile "${scope.profile}"` : 'the top-level rules';
      return [
        {
          message: `${subject} contain${scope.profile !== undefined ? 's' : ''} no allow rule, so every request ${scope.profile !== undefined ? 'from its clients ' : ''}is denied; add allow rules for the endpoints clients need (e.g. GET,HEAD /_ping)${scope.profile !== undefined ? ' or remove the profile' : ''}`,
          pointer: scope.pointer,
        },
      ];
    }),
});
