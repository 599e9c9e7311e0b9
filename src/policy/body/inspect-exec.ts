/**
 * request_body.exec — POST /containers/{id}/exec and the re-check of POST /exec/{id}/start
 * (sockguard-config.md §8.2, security-notes.md §15.4). allowed_commands are argv templates: the
 * token counts must be equal and each token is a glob (`*` within one path segment, `**` across).
 * A string Cmd is whitespace-split without shell parsing. An empty allowlist denies every exec
 * unless insecure_allow_body_blind_writes acknowledges running them uninspected; privilege and root
 * checks apply either way. The start re-check judges what the daemon reports for the exec instance,
 * closing the case of an exec created by another route (the create/start race remains, as upstream).
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { execCreateShape, execInspectShape } from './body-shapes.js';
import { compileArgvGlob } from './argv-glob.js';
import type { Decoded } from './json-shape.js';
import { isRootUser } from './user-spec.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['exec']>;

/** What an exec instance will run, from its create body or the daemon's exec inspect. */
export interface ExecProcess {
  argv: string[];
  privileged: boolean;
  user: string;
  /** Only known at create; the daemon's exec inspect does not report it. */
  env?: string[];
}

export interface CompiledExec {
  key: PolicyKey;
  allowPrivileged: boolean;
  allowRootUser: boolean;
  /** Undefined when commands are not checked (empty allowlist acknowledged as blind). */
  templates: ((token: string) => boolean)[][] | undefined;
  /** True when every exec is denied (empty allowlist, no acknowledgement). */
  denyAll: boolean;
  allowedEnvNames: ReadonlySet<string>;
  deniedEnvNames: ReadonlySet<string>;
  allowedEnvValues: ReadonlySet<string>;
}

export function compileExec(group: Group | undefined, prefix: string, blindWritesAcknowledged: boolean): CompiledExec {
  const g = group ?? {};
  const templates = (g.allowed_commands ?? [])
    .filter((argv) => argv.length > 0)
    .map((argv) => argv.map(compileArgvGlob));
  return {
    key: policyKeys(prefix, 'exec'),
    allowPrivileged: g.allow_privileged ?? false,
    allowRootUser: g.allow_root_user ?? false,
    templates: templates.length > 0 ? templates : undefined,
    denyAll: templates.length === 0 && !blindWritesAcknowledged,
    allowedEnvNames: new Set(g.allowed_env_vars ?? []),
    deniedEnvNames: new Set(g.denied_env_vars ?? []),
    allowedEnvValues: new Set(g.allowed_env_values ?? []),
  };
}

/** Go's strings.Fields: split on runs of Unicode white space. */
function splitFields(command: string): string[] {
  return command
    .split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/)
    .filter((f) => f !== '');
}

export function execProcessFromCreate(body: Decoded<typeof execCreateShape>): ExecProcess {
  const cmd = body.Cmd;
  return {
    argv: typeof cmd === 'string' ? splitFields(cmd) : (cmd ?? []),
    privileged: body.Privileged ?? false,
    user: body.User ?? '',
    env: body.Env ?? [],
  };
}

export function execProcessFromInspect(body: Decoded<typeof execInspectShape>): ExecProcess {
  const pc = body.ProcessConfig ?? {};
  const entrypoint = pc.entrypoint ?? '';
  return {
    argv: [...(entrypoint === '' ? [] : [entrypoint]), ...(pc.arguments ?? [])],
    privileged: pc.privileged ?? false,
    user: pc.user ?? '',
  };
}

function inspectEnv(env: readonly string[], p: CompiledExec): BodyVerdict {
  const restricted = p.allowedEnvNames.size > 0 || p.allowedEnvValues.size > 0;
  for (const [index, entry] of env.entries()) {
    const name = entry.includes('=') ? entry.slice(0, entry.indexOf('=')) : entry;
    if (p.deniedEnvNames.has(name)) return denied(`Env[${index}] sets ${name}; it is in ${p.key('denied_env_vars')}`);
    if (restricted && !p.allowedEnvNames.has(name) && !p.allowedEnvValues.has(entry)) {
      return denied(
        `Env[${index}] sets ${name}; it is in neither ${p.key('allowed_env_vars')} nor ${p.key('allowed_env_values')}`,
      );
    }
  }
  return ALLOW;
}

export function inspectExecProcess(process: ExecProcess, p: CompiledExec, origin: string): BodyVerdict {
  if (p.denyAll) {
    return denied(
      `${origin}: every exec is denied because ${p.key('allowed_commands')} is empty (set it, or acknowledge uninspected execs with insecure_allow_body_blind_writes)`,
    );
  }
  if (process.privileged && !p.allowPrivileged) {
    return denied(`${origin}: Privileged is true; ${p.key('allow_privileged')} is false`);
  }
  if (!p.allowRootUser && isRootUser(process.user)) {
    return denied(`${origin}: User ${JSON.stringify(process.user)} runs as root; ${p.key('allow_root_user')} is false`);
  }
  if (p.templates !== undefined) {
    const argv = process.argv;
    const matches = p.templates.some(
      (template) => template.length === argv.length && template.every((tokenMatches, i) => tokenMatches(argv[i]!)),
    );
    if (!matches) {
      return denied(`${origin}: Cmd ${JSON.stringify(argv)} matches no template in ${p.key('allowed_commands')}`);
    }
  }
  const envVerdict = inspectEnv(process.env ?? [], p);
  return envVerdict.ok ? ALLOW : denied(`${origin}: ${envVerdict.reason}`);
}
