/**
 * The proxy's loggers (pino): JSON lines by default, `text` on request (key=value with untrusted
 * strings CR/LF-escaped, sockguard-config.md §14.1); to stderr, stdout or file:/absolute/path.
 */
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

function openOutput(output: string): DestinationStream & { flushSync?: () => void } {
  if (output === 'stdout') return pino.destination({ dest: 1, sync: false });
  if (output.startsWith('file:')) return pino.destination({ dest: output.slice(5), sync: false, mkdir: true });
  return pino.destination({ dest: 2, sync: false });
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
