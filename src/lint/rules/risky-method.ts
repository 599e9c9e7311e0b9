/**
 * An allow rule that lists OPTIONS, TRACE or CONNECT. The Docker API needs none of them: dockerd
 * answers OPTIONS on every path (a catch-all route) and CONNECT reaches the proxy's own socket
 * handling (security-notes.md §5). Allowing them only widens what reaches the daemon.
 */
import { splitMethods } from '../../policy/methods.js';
import { eachRule } from '../lint-context.js';
import { defineRule } from '../lint-rule.js';

const RISKY = new Set(['OPTIONS', 'TRACE', 'CONNECT']);

export default defineRule({
  id: 'risky-method',
  family: 'rule',
  severity: 'warning',
  summary: 'Allow rule lists OPTIONS, TRACE or CONNECT',
  help: 'No Docker API operation uses OPTIONS, TRACE or CONNECT. dockerd answers OPTIONS on every path through a catch-all route, and CONNECT is handled outside normal request routing. Remove them from allow rules (deny them unless a client demonstrably needs them).',
  check: (context) =>
    eachRule(context).flatMap(({ scope, rule }) => {
      if (rule.action !== 'allow') return [];
      const tokens = splitMethods(rule.method);
      const risky = [...new Set(tokens.map((t) => t.toUpperCase()).filter((t) => RISKY.has(t)))];
      if (risky.length === 0) return [];
      const rest = tokens.filter((t) => !RISKY.has(t.toUpperCase()));
      return [
        {
          message: `${context.label(scope, rule.index)} allows ${risky.join(', ')}; the Docker API needs none of OPTIONS, TRACE and CONNECT, so allowing them only widens what reaches the daemon — ${rest.length > 0 ? `write "${rest.join(',')}"` : 'delete the rule'}`,
          pointer: `${rule.pointer}/match/method`,
          ...(rest.length > 0 ? { suggestion: rest.join(',') } : {}),
        },
      ];
    }),
});
