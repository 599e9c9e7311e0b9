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
import type { FullRequestInput } from '../cases/explain-full-request.js';
import type { RequestReport } from '../cases/explain-request.js';
import type { PolicyCase, PolicySuite } from '../cases/load-suite.js';
import type { PolicyUnderTest } from '../cases/policy-under-test.js';
import type { RequestLine } from '../cases/request-line.js';
import type { RequestPolicies } from '../policy/clients/request-policies.js';
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
    'A request a rule allows is then judged by the request-body inspector of its route, as serve does (sockguard-config.md §8): --body gives the body (JSON, or raw bytes such as a tar for build and archive uploads; without it the body is empty) and --header adds headers such as Content-Type or X-Registry-Auth (a JSON or tar body without Content-Type gets the one the docker CLI sends). A denial names the field and the policy key that forbids it, with its status: 403 policy, 400 malformed, 413 too large.',
    "The client can be given as serve sees it: --client-ip (TCP), --client-cert (mTLS leaf, PEM), --unix-peer uid:gid[:pid] (unix socket). The clients.allowed_cidrs ACL then runs first (client_ip_not_allowed), the profile is resolved as serve resolves it (certificate > unix peer > source IP > default_profile > root policy) and the output says which selector chose it; --listener NAME adds the listener's allowed_profiles check. --profile names a profile by hand instead.",
    "--cases runs a suite file: a YAML list of {name, request, expect: allow|deny, rule?, profile?, body? or body_file?, headers?, client_ip?, unix_peer?, client_cert?, listener?} (rule: the expected deciding rule's 1-based number or its path pattern; body: a mapping or list is sent as JSON, a string as is; body_file and client_cert are relative to the suite file), or a mapping with cases: and optional config: (relative to the suite file; -c wins) and env:.",
    'With ownership.owner set, an allowed request then goes through owner isolation as serve runs it: endpoints it cannot scope are denied (403 owner_policy_denied_access), lists, prunes and events show the forwarded query with the owner filter, creates the stamped owner label and the referenced objects serve checks, per-resource requests the owner lookup serve makes (offline, allow assumes the object is owned). Attestation statements are denied unless response.allow_attestation_statements. --response FILE (with --status, default 200) puts that daemon response through the response policy and prints what the client gets: unchanged, rewritten, 404 hidden or 502 rejected.',
    'JSON (--json): the object of sockguard match -o json, plus, each only when set: matched_rule.line; status and reason_code for a denial; profile, profile_selected_by (flag, client_certificate, unix_peer, source_ip, default_profile, none) and profile_mode; body {inspector, decision, status, reason_code, reason, bytes, notes}; ownership {owner, label_key, handling, decision, status, reason_code, reason, forward_target, stamped, forward_body, checks, notes}; response {upstream_status, outcome, status, reason_code, body, detail, notes}; notes.',
    'Exit status: 0 as expected, 1 an --expect mismatch or a failed case, 2 could not run (bad flag, unreadable or invalid policy or suite, unknown profile).',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> <%= command.id %> --request "GET /_ping"',
    '<%= config.bin %> <%= command.id %> -c examples/traefik.sockguard.yaml -r "GET /v1.45/containers/json" -r "POST /containers/x/start"',
    '<%= config.bin %> <%= command.id %> --env CONTAINERS=1 --request "GET /containers/json" --expect allow',
    '<%= config.bin %> <%= command.id %> --cases examples/traefik.cases.yaml',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "DELETE /containers/web" --json',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "POST /v1.45/containers/create" --body create.json',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "POST /images/create?fromImage=ghcr.io/acme/app&tag=1" --header "X-Registry-Auth: e30="',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "POST /containers/web/exec" --body exec.json --unix-peer 1000:1000',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "GET /containers/json" --client-ip 10.0.0.5 --listener public',
    '<%= config.bin %> <%= command.id %> -c policy.yaml -r "GET /containers/json" --response containers.json --profile ci',
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
    profile: Flags.string({
      description: 'Decide with the rules of this client profile (instead of resolving it from the client)',
      exclusive: ['client-ip', 'client-cert', 'unix-peer'],
    }),
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
    body: Flags.string({
      description: 'The request body (file, - for stdin): JSON, or raw bytes such as a tar',
      exclusive: ['cases'],
    }),
    header: Flags.string({
      multiple: true,
      description: 'A request header "Name: value", e.g. "X-Registry-Auth: e30=" (repeatable)',
      exclusive: ['cases'],
    }),
    'client-ip': Flags.string({ description: "The client's source address (a TCP client)", exclusive: ['cases'] }),
    'client-cert': Flags.string({
      description: "The client's mTLS certificate (PEM file, the leaf first)",
      exclusive: ['cases'],
    }),
    'unix-peer': Flags.string({
      description: "The unix-socket client's credentials uid:gid[:pid]",
      exclusive: ['cases'],
    }),
    listener: Flags.string({
      description: 'The listener the request arrives on (listeners[].name; "default" for a listen block)',
      exclusive: ['cases'],
    }),
    response: Flags.string({
      description: "The daemon's response body to the request (file, - for stdin), put through the response policy",
      exclusive: ['cases'],
    }),
    status: Flags.integer({
      description: "The daemon's status code for --response [default: 200]",
      min: 100,
      max: 599,
      dependsOn: ['response'],
    }),
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
    if (flags.profile !== undefined) await this.checkProfile(put, flags.profile);
    const input = await this.readRequestInput(flags, put);
    return this.runRequests(put, requests, flags.profile, input, flags.expect as 'allow' | 'deny' | undefined);
  }

  /**
   * The body, headers and client of the requests, read and checked against the policy; undefined
   * when none was given (the requests are then decided by their rules, and inspected only when a
   * rule lets them reach a route with a body inspector).
   */
  private async readRequestInput(
    flags: Partial<
      Record<
        'body' | 'client-ip' | 'client-cert' | 'unix-peer' | 'listener' | 'profile' | 'response',
        string | undefined
      >
    > & {
      header?: string[] | undefined;
      status?: number | undefined;
    },
    put: PolicyUnderTest,
  ): Promise<FullRequestInput | undefined> {
    const given = [
      flags.body,
      flags.header,
      flags['client-ip'],
      flags['client-cert'],
      flags['unix-peer'],
      flags.listener,
      flags.response,
    ];
    if (given.every((value) => value === undefined)) return undefined;
    if (flags.body === '-' && flags.response === '-')
      throw flagError('response', 'only one of --body and --response can be read from stdin');
    const [extras, { checkClientInput }] = await Promise.all([
      import('../cases/request-extras.js'),
      import('../cases/check-client-input.js'),
    ]);
    const headers: Record<string, string | string[]> = {};
    for (const text of flags.header ?? []) {
      const parsed = extras.parseHeaderLine(text);
      if (!parsed.ok) throw flagError('header', parsed.problem);
      extras.addHeader(headers, parsed.value);
    }
    const client: NonNullable<FullRequestInput['client']> = {};
    if (flags['client-ip'] !== undefined) {
      const parsed = extras.parseSourceIp(flags['client-ip']);
      if (!parsed.ok) throw flagError('client-ip', parsed.problem);
      client.sourceIp = parsed.value;
    }
    if (flags['unix-peer'] !== undefined) {
      const parsed = extras.parseUnixPeer(flags['unix-peer']);
      if (!parsed.ok) throw flagError('unix-peer', parsed.problem);
      client.unixPeer = parsed.value;
    }
    if (flags['client-cert'] !== undefined)
      client.certificate = await readCertificate(flags['client-cert'], 'client-cert');
    if (flags.listener !== undefined) client.listener = flags.listener;
    const problem = checkClientInput(put.compiled.policy, client, flagName);
    if (problem) throw flagError(flagName(problem.field).slice(2), problem.problem);
    return {
      client,
      ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
      ...(flags.body !== undefined ? { body: await readBody(flags.body, 'body') } : {}),
      headers,
      ...(flags.response !== undefined
        ? { response: { status: flags.status ?? 200, body: await readBody(flags.response, 'response') } }
        : {}),
    };
  }

  private async runRequests(
    put: PolicyUnderTest,
    requests: RequestLine[],
    profile: string | undefined,
    input: FullRequestInput | undefined,
    expect: 'allow' | 'deny' | undefined,
  ): Promise<MatchJson | MatchJson[]> {
    const [{ explainRequest }, { formatDecisions }, { toMatchJson }] = await Promise.all([
      import('../cases/explain-request.js'),
      import('../render/decision-text.js'),
      import('../render/decision-json.js'),
    ]);
    const reports: RequestReport[] = [];
    let policies: RequestPolicies | undefined;
    for (const request of requests) {
      // Rules first when nothing but the request line was given: most requests never reach an
      // inspector, and then neither the client nor the body cores need loading (start-up time).
      const ruled = input === undefined ? explainRequest(put, request, profile) : undefined;
      if (ruled !== undefined && !(await reachesLaterStages(put, ruled))) {
        reports.push(ruled);
        continue;
      }
      policies ??= await compileRequestPolicies(put);
      const { explainFullRequest } = await import('../cases/explain-full-request.js');
      reports.push(explainFullRequest(put, policies, request, input ?? (profile !== undefined ? { profile } : {})));
    }
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
    // A suite's config: and files are relative to the suite file, like an include; an explicit -c wins.
    const suiteDir = suiteFile === '-' ? '.' : path.dirname(suiteFile);
    const inSuiteDir = (file: string) => (path.isAbsolute(file) ? file : path.join(suiteDir, file));
    const suiteConfig = suite.config === undefined ? undefined : inSuiteDir(suite.config);
    const put = await this.preparePolicy(configFlag ?? suiteConfig, { ...suite.env, ...flagEnv });
    if (profile !== undefined) await this.checkProfile(put, profile);
    const inputs = await readCaseInputs(put, suite, suiteFile, inSuiteDir, profile);
    const result = await withPolicyErrors(put, () =>
      runSuite(put, suite, { ...(profile !== undefined ? { profile } : {}), inputs }),
    );
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

/** `client_ip` -> `--client-ip`: how the command names a client input in its messages. */
const flagName = (field: string): string => `--${field.replace(/_/g, '-')}`;

/** Whether an allowed request reaches a stage after the rules (body inspection, ownership, ...). */
async function reachesLaterStages(put: PolicyUnderTest, report: RequestReport): Promise<boolean> {
  if (report.decision !== 'allow') return false;
  const stages = await import('../cases/later-stages.js');
  return stages.reachesLaterStages(put, report);
}

/** Runs `work`; a clients block serve would refuse to start with (ClientConfigError) exits 2. */
async function withPolicyErrors<T>(put: PolicyUnderTest, work: () => T): Promise<T> {
  const { ClientConfigError } = await import('../policy/clients/compile-clients.js');
  try {
    return work();
  } catch (error) {
    if (error instanceof ClientConfigError)
      throw new CliError('policy/invalid', `${configLabel(put)}: ${error.message}`);
    throw error;
  }
}

/** The client and body policies, compiled once per run. */
async function compileRequestPolicies(put: PolicyUnderTest): Promise<RequestPolicies> {
  const { compileRequestPolicies: compile } = await import('../policy/clients/request-policies.js');
  return withPolicyErrors(put, () => compile(put.compiled.policy));
}

/** Reads a file (or stdin for `-`) as bytes; problems name the flag. */
async function readBody(path: string, flag: string): Promise<Uint8Array> {
  const { readFileSync } = await import('node:fs');
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw flagError(flag, `${path}: no such file`);
    if (code === 'EISDIR') throw flagError(flag, `${path}: is a directory, expected a file`);
    throw flagError(flag, `${path}: cannot read (${code ?? String(error)})`);
  }
}

/**
 * The resolved body, headers and client of every case that gives them: files are read relative to
 * the suite, and a case whose client serve could never see (checkClientInput) stops the run (exit 2)
 * naming the suite line.
 */
async function readCaseInputs(
  put: PolicyUnderTest,
  suite: PolicySuite,
  suiteFile: string,
  inSuiteDir: (file: string) => string,
  profile: string | undefined,
): Promise<Map<PolicyCase, FullRequestInput>> {
  const inputs = new Map<PolicyCase, FullRequestInput>();
  if (!suite.cases.some((c) => c.input !== undefined)) return inputs;
  const [{ resolveCaseInput }, { checkClientInput }, { readFileSync }] = await Promise.all([
    import('../cases/case-input.js'),
    import('../cases/check-client-input.js'),
    import('node:fs'),
  ]);
  for (const c of suite.cases) {
    if (c.input === undefined) continue;
    const where = `${suiteFile}:${c.line}: case "${c.name}"`;
    const read = (file: string): Uint8Array => {
      const resolved = inSuiteDir(file);
      try {
        return readFileSync(resolved);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliError(
          'input/unreadable',
          `${where}: ${resolved}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`}`,
        );
      }
    };
    const resolved = resolveCaseInput(c.input, read, c.profile ?? profile);
    if (!resolved.ok) throw new CliError('input/invalid', `${where}: ${resolved.problem}`);
    const problem = checkClientInput(put.compiled.policy, resolved.value.client ?? {}, (field) => field);
    if (problem) throw new CliError('input/invalid', `${where}: ${problem.field}: ${problem.problem}`);
    inputs.set(c, resolved.value);
  }
  return inputs;
}

/** The identity in a PEM certificate file; problems name the flag. */
async function readCertificate(path: string, flag: string) {
  const { identityFromPem } = await import('../policy/clients/certificate-identity.js');
  const parsed = identityFromPem(new TextDecoder().decode(await readBody(path, flag)));
  if (!parsed.ok) throw flagError(flag, `${path}: ${parsed.problem}`);
  return parsed.value;
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
