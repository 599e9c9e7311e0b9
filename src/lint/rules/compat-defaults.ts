/**
 * Rules written out exactly as sockguard's five defaults. The Go code (not its docs, DRIFT D2 in
 * sockguard-config.md §18) then turns on Tecnativa compatibility: any CONTAINERS=, POST=, ALLOW_*=
 * variable in the proxy's environment replaces these rules with generated ones (§12.2).
 */
import { isDefaultRuleList } from '../../policy/defaults.js';
import { defineRule } from '../lint-rule.js';

export default defineRule({
  id: 'compat-defaults',
  family: 'policy',
  severity: 'info',
  summary: 'Rules equal the built-in defaults, which enables Tecnativa compatibility mode',
  help: 'When the rules are exactly the five default rules (same methods, paths, actions and reasons, same order), sockguard treats the policy as unconfigured: if the environment sets any Tecnativa/LinuxServer variable (CONTAINERS, POST, ALLOW_START, ...), the rules are replaced by rules generated from those variables, even though the file lists them explicitly. Change any rule (for example the final deny reason) if the file must always win.',
  check: (context) => {
    const rules = context.document.rules;
    if (!rules || rules.length === 0 || !isDefaultRuleList(rules)) return [];
    return [
      {
        message:
          "these rules are exactly sockguard's five default rules, which turns on Tecnativa compatibility: if the proxy's environment sets CONTAINERS, POST, ALLOW_START or a similar variable, sockguard replaces them with rules generated from it; change any rule (e.g. the final deny's reason) if this file must always win",
        pointer: '/rules',
      },
    ];
  },
});
