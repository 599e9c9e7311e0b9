/**
 * `sockguard migrate`: a compose project (or a proxy's env file / flags / rules file) in, a
 * Sockguard policy, the compose change and a parity proof out. Nothing is written unless asked:
 * `--out` writes the policy, `--write` applies the compose change (and writes the policy it mounts),
 * each refusing to overwrite without `--force` and keeping `.bak` copies.
 *
 * Exit status: 0 migrated; 1 with `--strict` when there is any warning or unexplained parity
 * difference; 2 when it could not run (bad input with its file:line:col, no proxy service, a
 * refused overwrite, `--interactive` without a terminal).
 *
 * The pipeline and renderers are imported inside run(), so `--help` stays fast.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SockguardCommand } from '../cli/base-command.js';
import { CliError, EXIT_FINDINGS, EXIT_OK, flagError } from '../cli/errors.js';
import { fileExists, readTextFile } from '../cli/read-text-file.js';
import type { ComposeDiagnostic, ComposeProject } from '../compose/model.js';
import type { MigrationPlan } from '../migrate/migration-plan.js';
import type { PlanOptions } from '../migrate/plan-migration.js';
import type { StandaloneInput } from '../migrate/standalone-subject.js';
import type { MigrationJson } from '../render/migration-report.js';
import type { SourceKind } from '../translators/types.js';

const SOURCES: readonly SourceKind[] = ['tecnativa', 'linuxserver', 'wollomatic', 'elevennotes', 'cetusguard'];
/** What `docker compose` looks for when no file is given, in its order. */
const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const DEFAULT_POLICY_NAME = 'sockguard.yaml';

/** A file's text, or undefined when it does not exist or cannot be read (for optional inputs). */
function readOptionalText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `policy.yaml` → `policy.<service>.yaml` when one run writes several policies. */
function perServicePath(path: string, service: string, count: number): string {
  if (count === 1) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.${service}${ext || '.yaml'}`);
}

/** `--answer [service:]id=value` into answers by subject; a bare id applies to every subject. */
function parseAnswers(values: readonly string[], subjects: readonly string[]): Record<string, Record<string, string>> {
  const answers: Record<string, Record<string, string>> = {};
  for (const value of values) {
    const match = /^(?:([^:=]+):)?([^=]+)=(.*)$/.exec(value);
    if (!match) throw flagError('answer', `expected [service:]choice=value, got "${value}"`);
    const [, service, id, answer] = match;
    for (const subject of service === undefined ? subjects : [service]) {
      (answers[subject] ??= {})[id!] = answer!;
    }
  }
  return answers;
}

function formatComposeError(diagnostic: ComposeDiagnostic): string {
  const at = diagnostic.range ? `:${diagnostic.range.start.line}:${diagnostic.range.start.col}` : '';
  return `${diagnostic.file ?? '<compose>'}${at}: ${diagnostic.message} (${diagnostic.code})`;
}

export default class Migrate extends SockguardCommand {
  static override summary =
    'Migrate a Docker socket proxy (Tecnativa, LinuxServer, wollomatic, 11notes, CetusGuard) to a Sockguard policy';
  static override description =
    'Finds the socket-proxy services of a compose project, translates each configuration into a Sockguard policy with the same intent, shows the compose change (image, environment, policy mount) as a diff, and proves parity: the old proxy and the new policy decide every endpoint of the Docker Engine API catalog, and every difference is announced by a warning. Nothing is written unless --out or --write is given. Without compose: --from SOURCE with --env-file, --args or a CetusGuard rules file.';
  static override examples = [
    '<%= config.bin %> migrate docker-compose.yml',
    '<%= config.bin %> migrate -f compose.yml -f compose.override.yml --service socket-proxy --verify',
    '<%= config.bin %> migrate compose.yml --out sockguard.yaml --write',
    '<%= config.bin %> migrate --from tecnativa --env-file proxy.env',
    "<%= config.bin %> migrate --from wollomatic --args '-allowGET=/v1\\..{1,2}/(version|containers/.*) -allowfrom=traefik'",
    "<%= config.bin %> migrate --from cetusguard rules.list --args '-frontend-addr=unix:///run/cetusguard/docker.sock'",
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ description: 'compose file(s); with --from cetusguard, the rules file' }),
  };
  static override flags = {
    file: Flags.string({ char: 'f', description: 'compose file; repeat to merge like docker compose', multiple: true }),
    'env-file': Flags.string({
      description: 'compose: variables for interpolation (replaces .env); with --from: the proxy environment',
      multiple: true,
    }),
    service: Flags.string({ description: 'migrate this service only' }),
    source: Flags.string({
      description: 'translate as this source whatever the image (with --service)',
      options: [...SOURCES],
    }),
    from: Flags.string({ description: 'migrate a proxy run without compose', options: [...SOURCES] }),
    args: Flags.string({ description: 'with --from: the proxy command-line arguments' }),
    image: Flags.string({
      description: 'with --from: the image the proxy ran (its tag decides the release semantics)',
    }),
    out: Flags.string({
      char: 'o',
      description: `write the policy here (default: ${DEFAULT_POLICY_NAME} beside the compose file)`,
    }),
    write: Flags.boolean({
      description: 'apply the compose change in place (keeps <file>.bak) and write the policy it mounts',
    }),
    force: Flags.boolean({ description: 'overwrite existing outputs (keeping .bak copies)' }),
    verify: Flags.boolean({ description: 'print the full parity table' }),
    strict: Flags.boolean({ description: 'exit 1 on any warning or unexplained parity difference' }),
    'keep-exfiltration': Flags.boolean({
      description: 'keep read-exfiltration endpoints the old proxy exposed (sets insecure_allow_read_exfiltration)',
    }),
    interactive: Flags.boolean({ char: 'i', description: 'ask where the intent is ambiguous' }),
    answer: Flags.string({ description: 'answer a choice: [service:]choice=value (repeatable)', multiple: true }),
  };

  /** Compose warnings (recovered YAML, fragments, unset variables): shown before the plans. */
  private inputDiagnostics: readonly ComposeDiagnostic[] = [];

  async run(): Promise<MigrationJson | undefined> {
    const given = [...this.argv];
    const { argv, flags: parsed } = await this.parse(Migrate, shieldArgs(given));
    const flags = { ...parsed, ...(parsed.args !== undefined ? { args: parsed.args.slice(1) } : {}) };
    const positional = argv as string[];
    if (flags.interactive && !process.stdin.isTTY) {
      throw flagError('interactive', 'needs a terminal on standard input; answer with --answer instead');
    }
    if (flags.interactive && this.jsonEnabled()) throw flagError('interactive', 'cannot be combined with --json');
    const { planMigration, planStandaloneMigration } = await import('../migrate/plan-migration.js');
    const { MigrateError } = await import('../migrate/migrate-error.js');

    const sources = new Map<string, string>();
    let plan: (options: PlanOptions) => MigrationPlan[];
    let subjects: string[];
    let defaultDir: string;
    if (flags.from !== undefined) {
      const input = this.readStandaloneInput(flags.from as SourceKind, positional, flags, sources);
      plan = (options) => [planStandaloneMigration(input, options)];
      subjects = [input.source];
      defaultDir = '.';
    } else {
      if (flags.args !== undefined)
        throw flagError('args', 'only with --from (compose services carry their own command)');
      const project = await this.readProject([...(flags.file ?? []), ...positional], flags['env-file'] ?? [], sources);
      plan = (options) => planMigration(project, options);
      subjects = project.services.map((s) => s.name);
      defaultDir = project.projectDir;
    }

    const policyPath = (subject: string, count: number): string =>
      perServicePath(flags.out ?? join(defaultDir, DEFAULT_POLICY_NAME), subject, count);
    const options: PlanOptions = {
      ...(flags.service !== undefined || flags.source !== undefined
        ? {
            selection: {
              ...(flags.service !== undefined ? { service: flags.service } : {}),
              ...(flags.source !== undefined ? { source: flags.source as SourceKind } : {}),
            },
          }
        : {}),
      keepExfiltration: flags['keep-exfiltration'],
      answers: parseAnswers(flags.answer ?? [], subjects),
      policyPath,
      readText: (path) => {
        const text = readOptionalText(path);
        if (text !== undefined) sources.set(path, text);
        return text;
      },
    };

    let plans: MigrationPlan[];
    try {
      plans = plan(options);
      if (flags.interactive) plans = plan({ ...options, answers: await this.ask(plans, options.answers ?? {}) });
    } catch (error) {
      if (error instanceof MigrateError) throw new CliError('input/invalid', error.message);
      throw error;
    }

    const writePolicies = flags.out !== undefined || flags.write;
    this.refuseOverwrites(plans, writePolicies, flags.write, flags.force);
    const writtenPolicies = new Set<string>();
    if (writePolicies)
      for (const p of plans) this.writeWithBackup(p.policyPath, p.policyText, flags.force, writtenPolicies);
    if (flags.write) {
      // Plans chain their changes to a file: the first `before` is the original, the last `after` the result.
      const files = new Map<string, { before: string; after: string }>();
      for (const change of plans.flatMap((p) => p.composeChanges)) {
        files.set(change.file, { before: files.get(change.file)?.before ?? change.before, after: change.after });
      }
      for (const [file, { before, after }] of files) {
        writeFileSync(`${file}.bak`, before);
        writeFileSync(file, after);
      }
    }

    const { renderMigrationReport, toMigrationJson } = await import('../render/migration-report.js');
    const reportOptions = {
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      verify: flags.verify,
      sources,
      writtenPolicies,
      composeWritten: flags.write,
      input: this.inputDiagnostics,
      next: this.describeNextSteps(given, plans, flags.write, writtenPolicies.size > 0, flags.interactive),
    };
    const failed = flags.strict && (hasFindings(plans) || this.inputDiagnostics.some((d) => d.severity !== 'info'));
    this.setExitCode(failed ? EXIT_FINDINGS : EXIT_OK);
    if (this.jsonEnabled()) return toMigrationJson(plans, reportOptions);
    this.log(renderMigrationReport(plans, reportOptions));
    return undefined;
  }

  private async readProject(
    paths: string[],
    envFiles: readonly string[],
    sources: Map<string, string>,
  ): Promise<ComposeProject> {
    const files =
      paths.length > 0
        ? paths
        : [DEFAULT_COMPOSE_FILES.find((name) => fileExists(name))].flatMap((f) => (f ? [f] : []));
    if (files.length === 0) {
      throw new CliError(
        'input/not-found',
        `no compose file given and none of ${DEFAULT_COMPOSE_FILES.join(', ')} here; pass one, or use --from for a proxy run without compose`,
      );
    }
    const inputs = files.map((path) => ({ path, text: readTextFile(path) }));
    for (const { path, text } of inputs) sources.set(path, text);
    const { parseComposeFiles } = await import('../compose/parse-compose-files.js');
    const result = parseComposeFiles(inputs, {
      env: Object.fromEntries(Object.entries(process.env).flatMap(([k, v]) => (v === undefined ? [] : [[k, v]]))),
      // Given --env-file replaces the .env beside the first file (as in docker compose); none keeps it.
      ...(envFiles.length > 0 ? { envFiles: envFiles.map((path) => ({ path, text: readTextFile(path) })) } : {}),
      readText: (path) => {
        const text = readOptionalText(path);
        if (text !== undefined) sources.set(path, text);
        return text;
      },
    });
    const error = result.diagnostics.find((d) => d.severity === 'error');
    if (error || !result.project) {
      throw new CliError(
        'input/invalid',
        error ? formatComposeError(error) : `${files.join(', ')}: no compose content`,
      );
    }
    this.inputDiagnostics = result.diagnostics;
    return result.project;
  }

  private readStandaloneInput(
    source: SourceKind,
    positional: readonly string[],
    flags: {
      'env-file'?: string[] | undefined;
      args?: string | undefined;
      image?: string | undefined;
      file?: string[] | undefined;
      service?: string | undefined;
      source?: string | undefined;
    },
    sources: Map<string, string>,
  ): StandaloneInput {
    if (flags.file !== undefined) throw flagError('file', 'compose files cannot be combined with --from');
    if (flags.service !== undefined || flags.source !== undefined) {
      throw flagError(flags.service !== undefined ? 'service' : 'source', 'applies to compose input, not --from');
    }
    if (positional.length > 0 && source !== 'cetusguard') {
      throw flagError(
        'from',
        `${source} has no rules file; give its environment with --env-file or its flags with --args`,
      );
    }
    if (positional.length > 1) throw flagError('from', 'takes one rules file');
    const envFiles = flags['env-file'] ?? [];
    if (envFiles.length > 1) throw flagError('env-file', 'with --from, give the proxy environment in one file');
    const read = (path: string): { path: string; text: string } => {
      const text = readTextFile(path);
      sources.set(path, text);
      return { path, text };
    };
    if (flags.args !== undefined) sources.set('--args', flags.args);
    const input: StandaloneInput = {
      source,
      ...(envFiles[0] !== undefined ? { envFile: read(envFiles[0]) } : {}),
      ...(flags.args !== undefined ? { args: flags.args } : {}),
      ...(positional[0] !== undefined ? { rulesFile: read(positional[0]) } : {}),
      ...(flags.image !== undefined ? { image: flags.image } : {}),
    };
    if (!input.envFile && input.args === undefined && !input.rulesFile) {
      throw flagError('from', 'needs the proxy configuration: --env-file, --args, or (CetusGuard) a rules file');
    }
    return input;
  }

  /** One prompt per choice (options with their effect); answers keyed by subject. */
  private async ask(
    plans: readonly MigrationPlan[],
    given: Readonly<Record<string, Readonly<Record<string, string>>>>,
  ): Promise<Record<string, Record<string, string>>> {
    const { select } = await import('@inquirer/prompts');
    const answers: Record<string, Record<string, string>> = {};
    for (const plan of plans) {
      const mine: Record<string, string> = { ...given[plan.name] };
      for (const { choice, applied } of plan.choices) {
        mine[choice.id] = await select({
          message: `${plan.name}: ${choice.question}`,
          choices: choice.options.map((o) => ({
            value: o.value,
            name: o.value === choice.safeDefault ? `${o.label} (safe default)` : o.label,
            description: o.effect,
          })),
          default: applied,
        });
      }
      answers[plan.name] = mine;
    }
    return answers;
  }

  /** Every refusal is decided before anything is written. */
  private refuseOverwrites(plans: readonly MigrationPlan[], policies: boolean, compose: boolean, force: boolean): void {
    if (force) return;
    for (const plan of plans) {
      if (policies && existsSync(plan.policyPath)) {
        throw new CliError(
          'output/exists',
          `${plan.policyPath} exists; pass --force to overwrite it (a .bak copy is kept)`,
        );
      }
      if (!compose) continue;
      for (const change of plan.composeChanges) {
        if (existsSync(`${change.file}.bak`)) {
          throw new CliError('output/exists', `${change.file}.bak exists; pass --force to replace it`);
        }
      }
    }
  }

  private writeWithBackup(path: string, text: string, force: boolean, written: Set<string>): void {
    if (force && existsSync(path)) copyFileSync(path, `${path}.bak`);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new CliError(
        'output/unwritable',
        `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    written.add(path);
  }

  /** The exact commands that finish the migration from here. */
  private describeNextSteps(
    given: readonly string[],
    plans: readonly MigrationPlan[],
    applied: boolean,
    wrotePolicy: boolean,
    interactive: boolean,
  ): string[] {
    const composeFiles = [...new Set(plans.flatMap((p) => p.composeChanges.map((c) => c.file)))];
    const lint = `sockguard lint ${plans.map((p) => shellQuote(p.policyPath)).join(' ')}`;
    if (applied) {
      const files = composeFiles.map((f) => `-f ${shellQuote(f)}`).join(' ');
      return [lint, `docker compose ${files} up -d ${plans.map((p) => p.name).join(' ')}`];
    }
    // The same run again, minus what only changes the report, plus the flag that writes.
    const reportOnly = new Set(['--json', '--verify', '--strict', '--interactive', '-i']);
    // Interactive answers become --answer flags, so the command repeats this migration exactly.
    const answers = interactive
      ? plans.flatMap((p) =>
          p.choices.flatMap(({ choice, applied }) => ['--answer', `${p.name}:${choice.id}=${applied}`]),
        )
      : [];
    const rerun = ['sockguard', 'migrate', ...given.filter((a) => !reportOnly.has(a)), ...answers]
      .map(shellQuote)
      .join(' ');
    if (composeFiles.length > 0) return [`${rerun} --write`];
    if (!wrotePolicy) return [`${rerun} --out ${shellQuote(plans[0]?.policyPath ?? DEFAULT_POLICY_NAME)}`];
    return [lint, `sockguard serve -c ${shellQuote(plans[0]?.policyPath ?? DEFAULT_POLICY_NAME)}`];
  }
}

/**
 * oclif refuses an option value that looks like one of the command's own flags, and the old
 * proxies' arguments do (`-frontend-addr=...` reads as `-f`). Every `--args` value is therefore
 * parsed with one space in front, which run() takes off again.
 */
function shieldArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--args=')) out.push(`--args= ${arg.slice('--args='.length)}`);
    else if (arg === '--args' && i + 1 < argv.length) out.push(arg, ` ${argv[++i]!}`);
    else out.push(arg);
  }
  return out;
}

/** Single-quotes a word for a POSIX shell when it needs it. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function hasFindings(plans: readonly MigrationPlan[]): boolean {
  return plans.some(
    (p) =>
      p.warnings.some((w) => w.severity !== 'info') ||
      p.lint.some((d) => d.severity !== 'info') ||
      (p.parity.kind === 'compared' &&
        p.parity.result.summary.unexplained.tightened + p.parity.result.summary.unexplained.loosened > 0),
  );
}
