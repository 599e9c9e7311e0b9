/**
 * The compose rewrite of `sockguard migrate` as a unified diff (the `diff` package), one patch per
 * changed file named as given on both sides, so it can be reviewed or applied with `patch -p0`. Colour (removed red, added green, hunk headers cyan) only when asked: the command
 * decides (a TTY and no NO_COLOR).
 */
import { Chalk } from 'chalk';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

export interface FileChange {
  file: string;
  before: string;
  after: string;
}

export interface ComposeDiffOptions {
  color?: boolean;
  /** Unchanged lines shown around each change; 3 like diff -u. */
  context?: number;
}

const DEFAULT_CONTEXT = 3;

/** One patch per change, in order; '' when nothing changes. */
export function renderComposeDiff(changes: readonly FileChange[], options: ComposeDiffOptions = {}): string {
  const patch = changes
    .filter((change) => change.before !== change.after)
    .map((change) =>
      createTwoFilesPatch(change.file, change.file, change.before, change.after, undefined, undefined, {
        context: options.context ?? DEFAULT_CONTEXT,
        headerOptions: FILE_HEADERS_ONLY,
      }),
    )
    .join('');
  return options.color ? colorPatch(patch) : patch;
}

function colorPatch(patch: string): string {
  const chalk = new Chalk({ level: 1 });
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('---') || line.startsWith('+++')) return chalk.bold(line);
      if (line.startsWith('@@')) return chalk.cyan(line);
      if (line.startsWith('-')) return chalk.red(line);
      if (line.startsWith('+')) return chalk.green(line);
      return line;
    })
    .join('\n');
}
