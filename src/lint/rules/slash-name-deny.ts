/**
 * A deny rule that names a container, image or plugin with a one-segment `*` while a later rule allows the same endpoint for names holding a `/`. dockerd's
 * routes for these take greedy names (`{name:.*}`, security-notes.md D8), so `/containers/a/b/archive`
 * is the archive of the container named `a/b`: a legacy link alias (`--link db:alias` makes
 * `/<parent>/alias` a name of `db`), a namespaced image (`library/busybox`) or a plugin
 * (`vieux/sshfs`). The deny misses those requests and the broader allow lets them through.
 * Fix: write the name as `**` (`/containers/**\/archive`), as the translators do.
 */
import { evaluateRules } from '../../policy/evaluate.js';
import { compileGlob } from '../../policy/glob.js';
import { methodMatches, STANDARD_METHODS } from '../../policy/methods.js';
import type { LintContext, RuleScope, ScopedRule } from '../lint-context.js';
import { defineRule, type LintFinding } from '../lint-rule.js';
import { hasPatternDefect } from '../pattern-defects.js';

/**
 * dockerd's routes whose name parameter is greedy and where real names hold a `/`, with such a name
 * (exec IDs are hex and volume names cannot hold `/`, so their one-segment denies are sound).
 */
const SLASHED_NAMES: ReadonlyMap<string, { name: string; what: string }> = new Map([
  ['containers', { name: 'web/db', what: 'the link alias "db" of container "web" names the linked container' }],
  ['images', { name: 'library/busybox', what: 'image names contain "/"' }],
  ['distribution', { name: 'library/busybox', what: 'image names contain "/"' }],
  ['plugins', { name: 'vieux/sshfs', what: 'plugin names contain "/"' }],
]);
/** Stands for any one-segment name in a concrete example path. */
const PLAIN_NAME = 'x';

/** The deny's path with its name segment turned into `**`: what the rule should say. */
function widenedPattern(segments: readonly string[]): string {
  return ['', segments[1], '**', ...segments.slice(3)].join('/');
}

/**
 * A concrete request path the deny rule matches with `name` in its name position, or undefined when
 * the rule has no single-segment name wildcard there (or other wildcards this check cannot fill).
 */
function examplePath(segments: readonly string[], name: string): string | undefined {
  const filled = segments.map((segment, i) => {
    if (i === 2) return name;
    if (/[*?[\]{}\\]/.test(segment)) return undefined;
    return segment;
  });
  return filled.every((s) => s !== undefined) ? filled.join('/') : undefined;
}

/** The first method of the deny for which the scope's rules allow the slashed-name request. */
function bypassingMethod(scope: RuleScope, rule: ScopedRule, path: string) {
  if (!scope.ruleSet) return undefined;
  for (const method of STANDARD_METHODS) {
    if (!methodMatches(rule.methods, method)) continue;
    const verdict = evaluateRules(scope.ruleSet, method, path);
    if (verdict.decision === 'allow' && verdict.matched) return { method, allowedBy: verdict.matched.index };
  }
  return undefined;
}

function findBypass(context: LintContext, scope: RuleScope, rule: ScopedRule): LintFinding | undefined {
  if (rule.action !== 'deny' || hasPatternDefect(rule.path)) return undefined;
  const segments = rule.path.split('/');
  const example = SLASHED_NAMES.get(segments[1] ?? '');
  if (example === undefined || segments[2] !== '*') return undefined;
  const plain = examplePath(segments, PLAIN_NAME);
  const slashed = examplePath(segments, example.name);
  if (plain === undefined || slashed === undefined) return undefined;
  const glob = compileGlob(rule.path);
  if (!glob.test(plain) || glob.test(slashed)) return undefined;
  const bypass = bypassingMethod(scope, rule, slashed);
  if (!bypass) return undefined;
  const widened = widenedPattern(segments);
  const allowing = context.locateMatch(scope, bypass.allowedBy).name;
  return {
    message: `${context.label(scope, rule.index)} denies "${rule.path}" with a one-segment name, but dockerd reads the whole rest of the path as the name here and ${example.what}: ${bypass.method} ${slashed} reaches the same endpoint and ${allowing} allows it; write the name as ** ("${widened}")`,
    pointer: `${rule.pointer}/match/path`,
    suggestion: widened,
  };
}

export default defineRule({
  id: 'slash-name-deny',
  family: 'rule',
  severity: 'warning',
  summary: 'Deny rule misses resource names that contain "/", which a later rule allows',
  help: 'dockerd reads the name in /containers/{name}/..., /images/{name}/..., /distribution/{name}/... and /plugins/{name}/... routes greedily: /containers/parent/alias/archive is the archive of the container named "parent/alias" (a legacy --link alias of another container), and image and plugin names routinely contain "/". A deny written with a one-segment * (GET /containers/*/archive) does not match those requests, so a broader allow after it (GET /containers/**) lets them through. Write the name as ** (GET /containers/**/archive) so the deny covers every name.',
  check: (context) =>
    context.scopes.flatMap((scope) =>
      scope.rules.flatMap((rule) => {
        const finding = findBypass(context, scope, rule);
        return finding ? [finding] : [];
      }),
    ),
});
