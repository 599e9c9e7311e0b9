/**
 * The proxy's loggers (pino): JSON lines by default, `text` on request (key=value with untrusted
 * strings CR/LF-escaped, sockguard-config.md §14.1); to stderr, stdout or file:/absolute/path.
 */
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

export type LogFormat = 'json' | 'text';

export interface LogTarget {
  level: string;
  format: LogFormat;
  output: string;
}

export interface ProxyLogger {
  readonly logger: Logger;
  /** Writes out anything buffered (before exit). */
  flush(): void;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // Untrusted strings (paths, ids) must not be able to forge a second log line.
  const escaped = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return /[\s"=]/.test(escaped) || escaped === '' ? JSON.stringify(escaped) : escaped;
}

/** One JSON log line as `time LEVEL msg key=value ...`. */
export function formatTextLine(jsonLine: string): string {
  const record = JSON.parse(jsonLine) as Record<string, unknown>;
  const { time, level, msg, ...fields } = record;
  const parts = [
    typeof time === 'number' ? new Date(time).toISOString() : String(time ?? ''),
    LEVEL_NAMES[level as number] ?? String(level),
    formatValue(msg ?? ''),
  ];
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ') + '\n';
}

function textStream(inner: DestinationStream): DestinationStream {
  return { write: (line: string) => inner.write(formatTextLine(line)) };
}

/**
 * Log lines are collected up to BATCH_BYTES before one write (one write per request line cost the
 * proxy ~15% of its CPU under load) and flushed at least every FLUSH_INTERVAL_MS, and on exit.
 */
const BATCH_BYTES = 4096;
const FLUSH_INTERVAL_MS = 1_000;

export class LogOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogOutputError';
  }
}

/** A log file is opened at once, so a path that cannot be written stops startup with a clear message. */
function openFile(file: string): number {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    return openSync(file, 'a', 0o640);
  } catch (error) {
    throw new LogOutputError(
      `cannot open log output file:${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function openOutput(output: string): DestinationStream & { flushSync?: () => void } {
  const dest = output === 'stdout' ? 1 : output.startsWith('file:') ? openFile(output.slice(5)) : 2;
  const stream = pino.destination({ dest, sync: false, minLength: BATCH_BYTES });
  // flush() reports (not throws) a closed stream to its callback.
  setInterval(() => stream.flush(() => undefined), FLUSH_INTERVAL_MS).unref();
  return stream;
}

/** `destination` replaces the configured output (tests capture lines with it). */
export function createLogger(target: LogTarget, destination?: DestinationStream): ProxyLogger {
  const raw = destination ?? openOutput(target.output);
  const stream = target.format === 'text' ? textStream(raw) : raw;
  const logger = pino({ level: target.level, base: null, timestamp: pino.stdTimeFunctions.isoTime }, stream);
  return {
    logger,
    flush: () => {
      const sonic = raw as { flushSync?: () => void };
      try {
        sonic.flushSync?.();
      } catch {
        // nothing buffered, or the stream is already closed
      }
    },
  };
}
