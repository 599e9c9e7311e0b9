/** Reading user files with messages that name the file, never a stack trace. */
import { readFileSync, statSync } from 'node:fs';
import { CliError } from './errors.js';

/** Reads a UTF-8 text file; `-` reads standard input. */
export function readTextFile(path: string): string {
  if (path === '-') return readFileSync(0, 'utf8');
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('input/not-found', `${path}: no such file`);
    throw new CliError('input/unreadable', `${path}: cannot read (${code ?? String(error)})`);
  }
  if (stats.isDirectory()) throw new CliError('input/is-directory', `${path}: is a directory, expected a file`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CliError(
      'input/unreadable',
      `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

export function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
