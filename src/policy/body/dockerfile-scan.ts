/**
 * Finds RUN instructions in a Dockerfile the way the builder could see them, erring towards finding
 * one. The parser joins continuation lines without a separator (`R\` + `UN x` is `RUN x`), skips
 * comment and blank lines inside a continuation, and the `# escape=` directive switches the
 * continuation character between `\` and a backtick; instruction keywords are lower-cased with Go's
 * Unicode rules. Rather than trust our reading of the directive, lines are joined with both escape
 * characters and every physical line is also checked on its own, so no reading hides a RUN.
 * A false positive (a heredoc line starting with RUN) only denies.
 */
import { toLowerGo } from './go-fold.js';

export interface DockerfileScan {
  /** 1-based line where a RUN (or ONBUILD RUN) instruction starts, if any. */
  runLine?: number;
  /** 1-based line of a RUN that asks for the host network (`--network=host`). */
  hostNetworkLine?: number;
  /** The `# syntax=` parser directive (a BuildKit frontend image), if present. */
  syntax?: string;
}

// The value is trimmed separately: a lazy `(.+?)\s*$` backtracks quadratically on long blank runs.
const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=/;
// Go's regexp \s is [\t\n\f\r ]; JS \s is wider, which only splits (and finds) more.
const WHITESPACE = /\s+/;
const HOST_NETWORK = /--network(?:=|\s+)["']?host\b/i;

interface LogicalLine {
  line: number;
  text: string;
}

function isRunInstruction(text: string): boolean {
  const words = text.trimStart().split(WHITESPACE);
  const first = toLowerGo(words[0] ?? '');
  return first === 'run' || (first === 'onbuild' && toLowerGo(words[1] ?? '') === 'run');
}

function joinLogicalLines(lines: readonly string[], escape: string): LogicalLine[] {
  const continuation = new RegExp(`${escape === '\\' ? '\\\\' : escape}[ \\t]*$`);
  const out: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trimStart();
    if (current === undefined) {
      if (trimmed === '' || trimmed.startsWith('#')) return;
      current = { line: index + 1, text: '' };
    } else if (trimmed === '' || trimmed.startsWith('#')) {
      return; // comments and empty lines inside a continuation are dropped
    }
    const text = current.text === '' ? trimmed : raw;
    if (continuation.test(text)) {
      current.text += text.replace(continuation, '');
      return;
    }
    current.text += text;
    out.push(current);
    current = undefined;
  });
  if (current !== undefined) out.push(current);
  return out;
}

export function scanDockerfile(source: string): DockerfileScan {
  const lines = source
    .replace(/^\uFEFF/, '')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const scan: DockerfileScan = {};
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line);
    const value = directive ? line.slice(directive[0].length).trim() : '';
    if (!directive || value === '') break;
    if (directive[1]!.toLowerCase() === 'syntax') scan.syntax = value;
  }
  const candidates: LogicalLine[] = [
    ...lines.map((text, i) => ({ line: i + 1, text })),
    ...joinLogicalLines(lines, '\\'),
    ...joinLogicalLines(lines, '`'),
  ];
  for (const candidate of candidates) {
    if (!isRunInstruction(candidate.text)) continue;
    if (scan.runLine === undefined || candidate.line < scan.runLine) scan.runLine = candidate.line;
    if (HOST_NETWORK.test(candidate.text) && (scan.hostNetworkLine ?? Infinity) > candidate.line) {
      scan.hostNetworkLine = candidate.line;
    }
  }
  return scan;
}
