/**
 * W3C Trace Context (`traceparent`): a valid incoming header keeps its trace id and sampled flag and
 * gets a fresh span id for the hop to the daemon; an invalid one is dropped rather than forwarded.
 * There is no exporter (sockguard-config.md §13.2).
 */
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  traceId: string;
  /** The caller's span id: the parent of ours. */
  parentId: string;
  /** Our span id, forwarded upstream. */
  spanId: string;
  sampled: boolean;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  if (header === undefined) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  // Version ff is invalid; version 00 has no trailing fields.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || parentId === ZERO_SPAN) return undefined;
  return {
    traceId: traceId!,
    parentId: parentId!,
    spanId: randomBytes(8).toString('hex'),
    sampled: (parseInt(flags!, 16) & 1) === 1,
    flags: flags!,
  };
}

export function formatTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;
}
