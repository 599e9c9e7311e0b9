/**
 * `sockguard test`: decide requests offline against a policy (`--request`), or run a policy test
 * suite (`--cases`). Decisions go through the same evaluator as `serve`.
 *
 * Start-up time matters here (aim: 250 ms per call), so everything beyond flag parsing is loaded
 * with a dynamic import inside run(); importing this file costs only oclif and the CLI errors.
 */
import { Flags } from '@oclif/core';
import { SockguardCommand } from '../cli/base-command.js';
import { CliError, EXIT_FINDINGS, flagError } from '../cli/errors.js';
import type { PolicyUnderTest } from '../cases/policy-under-test.js';
import type { RequestLine } from '../cases/request-line.js';
import type { CasesJson } from '../render/cases-report.js';
import type { MatchJson } from '../render/decision-json.js';
import type { Paint } from '../render/decision-text.js';

const DEFAULT_CONFIG = 'sockguard.yaml';
/** The `config` value reported when no policy file was read. */
const BUILT_IN_CONFIG = '(built-in default policy)';

export default class Test extends SockguardCommand {
  static override summary = 'Decide requests against a policy offline, or run a policy test suite.';

  static override description = [
    'Each --request "METHOD PATH" is decided like sockguard serve would: PATH is the request-target as sent (version prefix, percent-escapes and ?query allowed), decoded once, cleaned and stripped of one version prefix; the first matching rule decides. The output names the deciding rule and the line it is written on.',
    `Without -c, ./${DEFAULT_CONFIG} is used when it exists, else the built-in default policy (a note says so). Tecnativa/LinuxServer compat variables (CONTAINERS=1, POST=1, ...) are off unless given with --env; like the proxy, they only take effect when the policy's rules are exactly the default rules.`,
    "--cases runs a suite file: a YAML list of {name, request, expect: allow|deny, rule?, profile?} (rule: the expected deciding rule's 1-based number or its path pattern), or a mapping with cases: and optional config: (relative to the suite file; -c wins) and env:.",
    'Exit status: 0 as expected, 1 an --expect mismatch or a failed case, 2 could not run (bad flag, unreadable or invalid policy or suite, unknown profile).',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> <%= command.id %> --request "GET /_ping"',
    '<%= config.bin %> <%= command.id %> -c examples/traefik.sockguard.yaml -r "GET /v1.45/containers/json" -r "POST /containers/x/start"',
    '<%= config.bin %> <%= command.id %> --env CONTAINERS=1 --request "GET /containers/json" --expect allow',
    '<%= config.bin %> <%= command.id %> --cases examples/traefik.cases.yaml',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "DELETE /containers/web" --json',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    request: Flags.string({
      char: 'r',
      multiple: true,
      description: 'A request "METHOD PATH" to decide (repeatable)',
      exclusive: ['cases'],
    }),
    config: Flags.string({
      char: 'c',
      description: `Policy file [default: ./${DEFAULT_CONFIG}, else the built-in default policy]`,
    }),
    profile: Flags.string({ description: 'Decide with the rules of this client profile' }),
    env: Flags.string({
      multiple: true,
      description: 'A compat variable KEY=VALUE, e.g. CONTAINERS=1 (repeatable); without it compat is off',
    }),
    expect: Flags.string({
      options: ['allow', 'deny'],
      description: 'Exit 1 unless every request gets this decision',
      exclusive: ['cases'],
    }),
    cases: Flags.string({ description: 'Run a policy test suite (YAML file, - for stdin)' }),
  };

  public async run(): Promise<MatchJson | MatchJson[] | CasesJson> {
    const { flags } = await this.parse(Test);
    if (!flags.request && !flags.cases) throw flagError('request', 'give --request "METHOD PATH" or --cases FILE');
    const [{ parseRequestLine }, { parseEnvAssignment }] = await Promise.all([
      import('../cases/request-line.js'),
      import('../cases/compat-env.js'),
    ]);
    const requests = (flags.request ?? []).map((text) => {
      const parsed = parseRequestLine(text);
      if (!parsed.ok) throw flagError('request', parsed.problem);
      return parsed.request;
    });
    const env: Record<string, string> = {};
    for (const text of flags.env ?? []) {
      const parsed = parseEnvAssignment(text);
      if (!parsed.ok) throw flagError('env', parsed.problem);
      env[parsed.name] = parsed.value;
    }
    if (flags.cases !== undefined) return this.runCases(flags.cases, flags.config, env, flags.profile);
    const put = await this.preparePolicy(flags.config, env);
    return this.runRequests(put, requests, flags.profile, flags.expect as 'allow' | 'deny' | undefined);
  }

  private async runRequests(
    put: PolicyUnderTest,
    requests: RequestLine[],
    profile: string | undefined,
    expect: 'allow' | 'deny' | undefined,
  ): Promise<MatchJson | MatchJson[]> {
    const [{ explainRequest }, { formatDecisions }, { toMatchJson }] = await Promise.all([
      import('../cases/explain-request.js'),
      import('../render/decision-text.js'),
      import('../render/decision-json.js'),
    ]);
    if (profile !== undefined) await this.checkProfile(put, profile);
    const reports = requests.map((request) => explainRequest(put, request, profile));
    const context = { config: configLabel(put), compatMode: put.compiled.compat.active };
    this.log(formatDecisions(reports, { ...context, paint: await choosePaint() }));
    if (expect !== undefined) {
      for (const report of reports.filter((r) => r.decision !== expect)) {
        this.note(`sockguard: expected ${expect}, got ${report.decision}: ${report.method} ${report.path}`);
        this.setExitCode(EXIT_FINDINGS);
      }
    }
    const json = reports.map((report) => toMatchJson(report, context));
    return json.length === 1 ? json[0]! : json;
  }

  private async runCases(
    suiteFile: string,
    configFlag: string | undefined,
    flagEnv: Record<string, string>,
    profile: string | undefined,
  ): Promise<CasesJson> {
    const [{ readTextFile }, { loadSuite }, { runSuite }, report, path] = await Promise.all([
      import('../cli/read-text-file.js'),
      import('../cases/load-suite.js'),
      import('../cases/run-suite.js'),
      import('../render/cases-report.js'),
      import('node:path'),
    ]);
    const loaded = loadSuite(readTextFile(suiteFile), { file: suiteFile });
    if (!loaded.suite) {
      for (const d of loaded.diagnostics) this.note(report.formatDiagnosticLine(d));
      throw new CliError('input/invalid', `${suiteFile}: the suite has ${countOf(loaded.diagnostics.length, 'error')}`);
    }
    const { suite } = loaded;
    // A suite's config: is relative to the suite file, like an include; an explicit -c wins.
    const suiteConfig =
      suite.config === undefined
        ? undefined
        : path.join(suiteFile === '-' ? '.' : path.dirname(suiteFile), suite.config);
    const put = await this.preparePolicy(configFlag ?? suiteConfig, { ...suite.env, ...flagEnv });
    if (profile !== undefined) await this.checkProfile(put, profile);
    const result = runSuite(put, suite, profile !== undefined ? { profile } : {});
    const options = { suite: suiteFile, config: configLabel(put), compatMode: put.compiled.compat.active };
    this.log(report.formatCasesText(result, { ...options, paint: await choosePaint() }));
    if (result.failed > 0) this.setExitCode(EXIT_FINDINGS);
    return report.toCasesJson(result, options);
  }

  /**
   * Loads and compiles the policy; invalid policies are printed and end the run with exit 2. The
   * YAML loader is imported only when there is a file to read (start-up time).
   */
  private async preparePolicy(configFlag: string | undefined, env: Record<string, string>): Promise<PolicyUnderTest> {
    const [{ readTextFile, fileExists }, prepare, { describePolicyWarnings }] = await Promise.all([
      import('../cli/read-text-file.js'),
      import('../cases/policy-under-test.js'),
      import('../cases/compat-env.js'),
    ]);
    let put: PolicyUnderTest;
    const file = configFlag ?? (fileExists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
    if (file === undefined) {
      this.note(`sockguard: note: no ./${DEFAULT_CONFIG} here; testing the built-in default policy`);
      const { defaultPolicy } = await import('../policy/resolve.js');
      put = prepare.preparePolicy(defaultPolicy(), { env });
    } else {
      const text = readTextFile(file);
      const { loadPolicy } = await import('../policy/load.js');
      const loaded = loadPolicy(text, { file });
      if (!loaded.policy) {
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        const { formatDiagnosticLine } = await import('../render/cases-report.js');
        for (const d of errors) this.note(formatDiagnosticLine(d));
        throw new CliError('policy/invalid', `${file}: the policy has ${countOf(errors.length, 'error')}`);
      }
      put = prepare.preparePolicy(loaded.policy, {
        file,
        document: loaded.document,
        sourceMap: loaded.sourceMap,
        env,
      });
    }
    for (const warning of describePolicyWarnings(put)) this.note(`sockguard: warning: ${warning}`);
    return put;
  }

  /** stderr even under --json (oclif's logToStderr is silent there): warnings must not vanish. */
  private note(message: string): void {
    process.stderr.write(`${message}\n`);
  }

  private async checkProfile(put: PolicyUnderTest, profile: string): Promise<void> {
    if (put.compiled.profiles.has(profile)) return;
    const { listProfiles } = await import('../cases/policy-under-test.js');
    throw flagError(
      'profile',
      `no client profile named "${profile}" in ${configLabel(put)} (known: ${listProfiles(put)})`,
    );
  }
}

function configLabel(put: PolicyUnderTest): string {
  return put.file ?? BUILT_IN_CONFIG;
}

const countOf = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty. */
async function choosePaint(): Promise<Paint> {
  if (!process.stdout.isTTY || process.env.NO_COLOR) return (await import('../render/decision-text.js')).PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}
