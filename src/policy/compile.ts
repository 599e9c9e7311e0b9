/**
 * A loaded Policy compiled once for fast decisions: compat expansion, rule sets for the root and
 * every profile, and the startup-probe problems the Go proxy would refuse to start with.
 */
import { applyCompat, type CompatResult } from './compat.js';
import type { Rule } from './defaults.js';
import { compileRules, evaluateRules, type CompiledRuleSet, type RuleDecision } from './evaluate.js';
import { parseTarget, type ParsedTarget } from './canonical-path.js';
import {
  allowedProbes,
  blindWriteProbes,
  BUILDKIT_TUNNEL_PROBES,
  formatProbes,
  READ_EXFILTRATION_PROBES,
  type Probe,
} from './probes.js';
import type { Policy, RequestBodyPolicy } from './schema.js';

export type StartupProblemKind = 'read-exfiltration' | 'body-blind-writes' | 'buildkit-tunnels';

export interface StartupProblem {
  kind: StartupProblemKind;
  /** Undefined for the root policy. */
  profile?: string;
  probes: Probe[];
  message: string;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly compat: CompatResult;
  readonly root: CompiledRuleSet;
  readonly profiles: ReadonlyMap<string, CompiledRuleSet>;
  /** Non-empty means the Go proxy (and our serve) refuses to start with this policy. */
  readonly startupProblems: readonly StartupProblem[];
}

export interface CompileOptions {
  /** Environment for Tecnativa/LinuxServer compat expansion; omit for none. */
  env?: Readonly<Record<string, string | undefined>>;
}

function exfiltrationMessage(probes: Probe[], profile?: string): string {
  const subject = profile
    ? `client profile "${profile}" allows raw archive/export, log/attach streaming, or registry push endpoints (these can exfiltrate container files, images, plugins, environment variables, and secrets); either tighten the profile's allow rules or set the top-level insecure_allow_read_exfiltration: true to acknowledge the risk`
    : 'rules allow raw archive/export, log/attach streaming, or registry push endpoints (these can exfiltrate container files, images, plugins, environment variables, and secrets); either tighten the allow rules to omit these paths or set insecure_allow_read_exfiltration: true to acknowledge the risk';
  return `${subject}. Exposed endpoints: ${formatProbes(probes)}`;
}

function blindMessage(probes: Probe[], profile?: string): string {
  const subject = profile ? `client profile "${profile}" allows` : 'rules allow';
  return `${subject} body-sensitive write endpoints without request body inspection; set insecure_allow_body_blind_writes=true to acknowledge this risk: ${formatProbes(probes)}`;
}

function buildkitMessage(probes: Probe[], profile?: string): string {
  const subject = profile ? `client profile "${profile}" allows` : 'rules allow';
  return `${subject} opaque BuildKit tunnel endpoints; configure request_body.buildkit mediation or set insecure_accept_opaque_buildkit_tunnels: true: ${formatProbes(probes)}`;
}

function probeScope(
  policy: Policy,
  ruleSet: CompiledRuleSet,
  body: RequestBodyPolicy | undefined,
  acceptTunnels: boolean,
  profile?: string,
): StartupProblem[] {
  const problems: StartupProblem[] = [];
  const scope = profile ? { profile } : {};
  if (!policy.insecure_allow_read_exfiltration) {
    const probes = allowedProbes(ruleSet, READ_EXFILTRATION_PROBES);
    if (probes.length > 0)
      problems.push({ kind: 'read-exfiltration', ...scope, probes, message: exfiltrationMessage(probes, profile) });
  }
  if (!policy.insecure_allow_body_blind_writes) {
    const probes = blindWriteProbes(ruleSet, body);
    if (probes.length > 0)
      problems.push({ kind: 'body-blind-writes', ...scope, probes, message: blindMessage(probes, profile) });
  }
  if (!acceptTunnels && !body?.buildkit) {
    const probes = allowedProbes(ruleSet, BUILDKIT_TUNNEL_PROBES);
    if (probes.length > 0)
      problems.push({ kind: 'buildkit-tunnels', ...scope, probes, message: buildkitMessage(probes, profile) });
  }
  return problems;
}

export function compilePolicy(policy: Policy, options: CompileOptions = {}): CompiledPolicy {
  const compat = applyCompat(policy.rules ?? [], options.env ?? {});
  const root = compileRules(compat.rules);
  const profiles = new Map<string, CompiledRuleSet>();
  for (const profile of policy.clients.profiles ?? []) {
    if (profile.name) profiles.set(profile.name, compileRules((profile.rules ?? []) as Rule[]));
  }
  const acceptTunnels = policy.insecure_accept_opaque_buildkit_tunnels || compat.acceptOpaqueBuildkitTunnels;
  const startupProblems = [
    ...probeScope(policy, root, policy.request_body, acceptTunnels),
    ...(policy.clients.profiles ?? []).flatMap((p) =>
      p.name ? probeScope(policy, profiles.get(p.name)!, p.request_body, acceptTunnels, p.name) : [],
    ),
  ];
  return { policy, compat, root, profiles, startupProblems };
}

export interface Decision extends RuleDecision {
  method: string;
  target: ParsedTarget;
  /** The profile whose rules decided, undefined for the root policy. */
  profile?: string;
}

export class UnknownProfileError extends Error {
  constructor(readonly profile: string) {
    super(`no client profile named "${profile}"`);
    this.name = 'UnknownProfileError';
  }
}

/** Decides one request offline (no body, no client identity). Throws TargetError for a bad path. */
export function decide(compiled: CompiledPolicy, method: string, target: string, profile?: string): Decision {
  const parsed = parseTarget(target);
  let ruleSet = compiled.root;
  if (profile !== undefined) {
    const found = compiled.profiles.get(profile);
    if (!found) throw new UnknownProfileError(profile);
    ruleSet = found;
  }
  const verdict = evaluateRules(ruleSet, method, parsed.normalizedPath);
  return { ...verdict, method: method.toUpperCase(), target: parsed, ...(profile !== undefined ? { profile } : {}) };
}
