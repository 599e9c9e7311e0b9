/**
 * `sockguard lint <file...>`: schema diagnostics plus semantic rules for policy files, as text with
 * code frames, JSON (`--format json` or `--json`) or SARIF 2.1.0. Exit 0 when clean (info and
 * warnings within --max-warnings), 1 for errors or too many warnings, 2 when it could not run.
 *
 * The linter and renderers are imported inside run(), so loading this command (e.g. for --help)
 * does not build the endpoint catalog.
 */
import { Args, Flags } from '@oclif/core';
import { SockguardCommand } from '../cli/base-command.js';
import { EXIT_FINDINGS, EXIT_OK } from '../cli/errors.js';
import { readTextFile } from '../cli/read-text-file.js';
import type { FileDiagnostics, LintJsonFile } from '../render/diagnostics-json.js';

export default class Lint extends SockguardCommand {
  static override summary = 'Check policy files for mistakes, unreachable rules and risky exposure';
  static override description =
    'Reports YAML and schema problems, rules that never match or never apply, endpoints the policy exposes (including the ones that stop the proxy from starting), and listener and profile mistakes. Each finding has a code, a severity and a file:line:col position.';
  static override examples = [
    '<%= config.bin %> lint sockguard.yaml',
    '<%= config.bin %> lint policies/*.yaml --max-warnings 0',
    '<%= config.bin %> lint sockguard.yaml --format sarif > sockguard.sarif',
    'cat sockguard.yaml | <%= config.bin %> lint -',
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override args = {
    file: Args.string({ description: 'policy file(s) to lint; - reads standard input', required: true }),
  };
  static override flags = {
    format: Flags.string({
      char: 'f',
      description: 'output format (--json is the same as --format json)',
      options: ['text', 'json', 'sarif'],
      default: 'text',
    }),
    'max-warnings': Flags.integer({
      description: 'exit 1 when there are more warnings than this',
      min: 0,
    }),
    quiet: Flags.boolean({ char: 'q', description: 'report errors only', default: false }),
  };

  async run(): Promise<LintJsonFile[] | undefined> {
    const { argv, flags } = await this.parse(Lint);
    const paths = argv as string[];
    // Read every file before printing anything: a missing one means the lint could not run.
    const inputs = paths.map((path) => ({ file: path === '-' ? '<stdin>' : path, source: readTextFile(path) }));
    const { lintPolicyText } = await import('../lint/lint-policy.js');
    const { countSeverities, renderDiagnosticsJson, toLintJson } = await import('../render/diagnostics-json.js');
    const linted = inputs.map(({ file, source }) => ({ file, source, diagnostics: lintPolicyText(source, { file }) }));
    const all = linted.flatMap((f) => f.diagnostics);
    const { errorCount, warningCount } = countSeverities(all);
    const maxWarnings = flags['max-warnings'];
    const tooManyWarnings = maxWarnings !== undefined && warningCount > maxWarnings;
    this.setExitCode(errorCount > 0 || tooManyWarnings ? EXIT_FINDINGS : EXIT_OK);

    const files: FileDiagnostics[] = flags.quiet
      ? linted.map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => d.severity === 'error') }))
      : linted;
    if (this.jsonEnabled()) return toLintJson(files);
    if (flags.format === 'json') this.log(renderDiagnosticsJson(files));
    else if (flags.format === 'sarif') {
      const { DIAGNOSTIC_CATALOG: rules } = await import('../lint/diagnostic-catalog.js');
      const { renderSarif } = await import('../render/sarif.js');
      this.log(renderSarif(files, { name: 'sockguard', version: this.config.version, rules }));
    } else {
      const { renderDiagnosticsText } = await import('../render/diagnostics-text.js');
      const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      this.log(renderDiagnosticsText(files, { color, ...(maxWarnings !== undefined ? { maxWarnings } : {}) }));
    }
    return undefined;
  }
}
