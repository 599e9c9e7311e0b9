/**
 * The compat environment given to `sockguard test` (`--env KEY=VALUE`, a suite's `env:`), and the
 * warnings a user needs to read the decisions right: misspelt or unparseable compat variables,
 * variables that have no effect because the rules are not the defaults, and startup refusals.
 */
import { COMPAT_VARIABLES } from '../policy/compat.js';
import { closestName } from '../policy/schema-dsl.js';
import type { PolicyUnderTest } from './policy-under-test.js';

export type EnvAssignmentResult = { ok: true; name: string; value: string } | { ok: false; problem: string };

/** `KEY=VALUE`; the value is kept verbatim (compat parsing does not trim either). */
export function parseEnvAssignment(text: string): EnvAssignmentResult {
  const eq = text.indexOf('=');
  const name = eq < 0 ? '' : text.slice(0, eq);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return { ok: false, problem: `expected KEY=VALUE (e.g. CONTAINERS=1), got "${text}"` };
  }
  return { ok: true, name, value: text.slice(eq + 1) };
}

/** Warnings about the policy under test, one sentence each. */
export function describePolicyWarnings(put: PolicyUnderTest): string[] {
  const warnings: string[] = [];
  const names = Object.keys(put.env);
  for (const name of names) {
    if (COMPAT_VARIABLES.includes(name)) continue;
    const guess = closestName(name, COMPAT_VARIABLES);
    warnings.push(`${name} is not a compat variable and is ignored${guess ? `; did you mean ${guess}?` : ''}`);
  }
  const { compat } = put.compiled;
  for (const { name, value } of compat.unparseable) {
    warnings.push(
      `ignoring compat env var with unparseable boolean value: ${name}=${JSON.stringify(value)} counts as false (use 1/true/yes or 0/false/no)`,
    );
  }
  if (compat.acceptOpaqueBuildkitTunnels) {
    warnings.push(
      'GRPC or SESSION is on: compat sets the deprecated insecure_accept_opaque_buildkit_tunnels acknowledgement',
    );
  }
  if (!compat.active && names.some((name) => COMPAT_VARIABLES.includes(name))) {
    warnings.push('compat variables have no effect: the policy rules are not exactly the default rules');
  }
  for (const problem of put.compiled.startupProblems) {
    warnings.push(`the proxy would refuse to start: ${problem.message}`);
  }
  return warnings;
}
