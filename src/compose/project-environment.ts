/**
 * The variables compose interpolates with: the environment it runs in, then the `--env-file` files
 * (later files win), or, without that flag, the `.env` beside the first compose file. The running
 * environment always wins over a file. Each env file is itself interpolated with the running
 * environment and the files read before it.
 */

import { dirname, join } from 'node:path';
import { parseDotEnv, type DotEnvProblem } from './dotenv.js';
import type { LookupVariable } from './interpolate.js';
import { interpolationDiagnostic } from './interpolate-tree.js';
import type { ComposeDiagnostic, ComposeInput, ComposeOptions } from './model.js';

export interface ProjectEnvironment {
  lookup: LookupVariable;
  diagnostics: ComposeDiagnostic[];
}

export function buildProjectEnvironment(firstFile: string, options: ComposeOptions): ProjectEnvironment {
  const shell = options.env ?? {};
  const fromShell = (name: string): string | undefined => (Object.hasOwn(shell, name) ? shell[name] : undefined);
  const values = new Map<string, string>();
  const diagnostics: ComposeDiagnostic[] = [];
  for (const file of envFilesOf(firstFile, options)) {
    const parsed = parseDotEnv(file.text, (name) => fromShell(name) ?? values.get(name));
    for (const [name, entry] of parsed.entries) values.set(name, entry.value);
    diagnostics.push(...envFileDiagnostics(file.path, parsed.problems));
  }
  return { lookup: (name) => fromShell(name) ?? values.get(name), diagnostics };
}

function envFilesOf(firstFile: string, options: ComposeOptions): readonly ComposeInput[] {
  if (options.envFiles) return options.envFiles;
  const path = join(dirname(firstFile), '.env');
  const text = options.readText?.(path);
  return text === undefined ? [] : [{ path, text }];
}

/** Env-file problems as diagnostics of that file: interpolation graded as in compose files, the rest errors. */
export function envFileDiagnostics(file: string, problems: readonly DotEnvProblem[]): ComposeDiagnostic[] {
  return problems.map((problem) => {
    const where = { pointer: '', file, range: problem.range };
    if (problem.interpolation) return interpolationDiagnostic(problem.interpolation, where);
    return { ...where, code: 'compose/env-file-syntax', severity: 'error', message: problem.message };
  });
}
