/**
 * `exec.allowed_commands` templates that admit any command (sockguard-config.md §8.2): a free first
 * token (`*`, `**`) runs any program, and an interpreter with its code flag followed by a free token
 * (`["sh", "-c", "*"]`, `["python3", "-c", "**"]`, `["awk", "*"]`) runs any script. Tokens are tested
 * with the inspector's own argv glob, so `/bin/*sh` counts as a shell. Reported where a rule lets
 * clients create execs.
 */
import { compileArgvGlob } from '../../policy/body/argv-glob.js';
import { bodyScopes, PROBE_ID } from '../body-scopes.js';
import { defineRule, type LintFinding } from '../lint-rule.js';

/** Interpreters and the flag that makes the next argument the program (none: the next argument is). */
const INTERPRETERS: readonly (readonly [string, readonly string[]])[] = [
  ...['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'fish'].map((n) => [n, ['-c']] as const),
  ...['python', 'python2', 'python3'].map((n) => [n, ['-c']] as const),
  ['perl', ['-e', '-E']],
  ['ruby', ['-e']],
  ['node', ['-e', '--eval', '-p']],
  ['php', ['-r']],
  ['lua', ['-e']],
  ...['awk', 'gawk', 'mawk', 'nawk'].map((n) => [n, []] as const),
];

const BIN_DIRECTORIES = ['', '/bin/', '/usr/bin/', '/usr/local/bin/', '/sbin/', '/usr/sbin/'];

/** Arguments a free token must admit: any word, and shell syntax. */
const FREE_PROBES = ['sockguard-lint-probe', 'id;cat${IFS}x|sh'];

type Token = (token: string) => boolean;

const isFree = (token: Token): boolean => FREE_PROBES.every(token);

/** The interpreter a token admits, with its code flags, if any. */
function interpreterOf(token: Token): readonly [string, readonly string[]] | undefined {
  return INTERPRETERS.find(([name]) => BIN_DIRECTORIES.some((dir) => token(`${dir}${name}`)));
}

/** Why a template admits any command, or undefined. */
function openness(template: readonly string[]): string | undefined {
  const tokens = template.map(compileArgvGlob);
  if (tokens[0] !== undefined && isFree(tokens[0])) {
    return `its first token "${template[0]}" admits any program`;
  }
  for (let i = 0; i < tokens.length; i++) {
    const interpreter = interpreterOf(tokens[i]!);
    if (!interpreter) continue;
    const [name, flags] = interpreter;
    if (flags.length === 0 && tokens[i + 1] !== undefined && isFree(tokens[i + 1]!)) {
      return `"${template[i + 1]}" after ${name} admits any ${name} program`;
    }
    const flag = tokens[i + 1];
    const code = tokens[i + 2];
    if (flag && code && flags.some(flag) && isFree(code)) {
      return `"${template[i + 2]}" after ${template[i]} ${template[i + 1]} admits any ${name} script`;
    }
  }
  return undefined;
}

export default defineRule({
  id: 'exec-any-command',
  family: 'exposure',
  severity: 'error',
  summary: 'exec.allowed_commands admits any command',
  help: 'Each exec.allowed_commands entry is an argv template whose tokens are globs. A template whose program is a wildcard, or that passes a wildcard to an interpreter (["sh", "-c", "*"], ["python3", "-c", "**"], ["awk", "*"]), lets a client run anything inside the container: the allowlist checks nothing. List the exact commands instead, with wildcards only where an argument may vary harmlessly, e.g. ["/app/healthcheck"] or ["nginx", "-s", "reload"].',
  check: (context) => {
    const findings: LintFinding[] = [];
    for (const scope of bodyScopes(context)) {
      const commands = scope.block?.exec?.allowed_commands;
      if (!Array.isArray(commands) || commands.length === 0) continue;
      const rule = scope.reachedBy('POST', `/containers/${PROBE_ID}/exec`);
      if (rule === undefined) continue;
      commands.forEach((template: unknown, i) => {
        if (!Array.isArray(template) || !template.every((t) => typeof t === 'string')) return;
        const why = openness(template as string[]);
        if (why === undefined) return;
        findings.push({
          message: `${scope.key}.exec.allowed_commands[${i}] ${JSON.stringify(template)}: ${why}, and ${rule} allows POST /containers/{id}/exec; list the exact commands instead, e.g. ["/app/healthcheck"]`,
          pointer: `${scope.pointer}/exec/allowed_commands/${i}`,
        });
      });
    }
    return findings;
  },
});
