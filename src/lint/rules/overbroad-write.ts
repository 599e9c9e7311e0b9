/**
 * An allow rule that opens many write endpoints at once (`POST /**`, `* /containers/**`,
 * `POST /containers/*\/*`). Each write endpoint is a capability (create, exec, update, archive
 * upload, ...); a rule this broad usually grants far more than the client needs.
 */
import { methodMatches } from '../../policy/methods.js';
import { endpointsMatchedBy } from '../endpoint-catalog.js';
import { eachRule } from '../lint-context.js';
import { defineRule } from '../lint-rule.js';
import { hasPatternDefect } from '../pattern-defects.js';

/** A rule may open this many write endpoints before it counts as overbroad. */
export const MAX_WRITE_ENDPOINTS_PER_RULE = 4;
const EXAMPLES_SHOWN = 5;

export default defineRule({
  id: 'overbroad-write',
  family: 'rule',
  severity: 'warning',
  summary: `Allow rule opens more than ${MAX_WRITE_ENDPOINTS_PER_RULE} write endpoints of the Docker API`,
  help: 'Every write endpoint is a separate capability: creating containers, exec, updating resources, uploading files into containers, pulling images. An allow rule such as POST /** or * /containers/** grants all of them at once, including the ones that amount to root on the host. List the write endpoints the client needs, one rule each (e.g. POST /containers/*/start), and let the final deny handle the rest.',
  check: (context) =>
    eachRule(context).flatMap(({ scope, rule }) => {
      if (rule.action !== 'allow' || hasPatternDefect(rule.path)) return [];
      const writes = endpointsMatchedBy(rule.path).filter(
        (e) => e.method !== 'GET' && e.method !== 'HEAD' && methodMatches(rule.methods, e.method),
      );
      if (writes.length <= MAX_WRITE_ENDPOINTS_PER_RULE) return [];
      const examples = writes.slice(0, EXAMPLES_SHOWN).map((e) => `${e.method} ${e.path}`);
      const more = writes.length > EXAMPLES_SHOWN ? ', ...' : '';
      return [
        {
          message: `${context.label(scope, rule.index)} allows ${writes.length} write endpoints of the Docker API with one rule (${examples.join(', ')}${more}); list the write endpoints the client needs, one rule each`,
          pointer: `${rule.pointer}/match/path`,
        },
      ];
    }),
});
