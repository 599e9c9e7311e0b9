/**
 * Answers sockguard produces itself. Errors are Docker-style JSON `{"message": ...}` so the docker CLI
 * prints them as `Error response from daemon: <message>` (sockguard-config.md §13).
 */

export interface Reply {
  status: number;
  /** An object is sent as JSON; a string as-is with `contentType`. */
  body: Readonly<Record<string, unknown>> | string;
  contentType?: string;
  headers?: Readonly<Record<string, string>>;
  /** §13.3 reason code for logs and metrics. */
  reasonCode?: string;
  reason?: string;
}

export const MESSAGES = {
  denied: 'request denied by sockguard policy',
  unreachable: 'upstream Docker socket unreachable',
  timedOut: 'upstream request timed out',
  bodyTooLarge: 'request body too large',
} as const;

export function dockerError(
  status: number,
  message: string,
  reasonCode?: string,
  extra: Readonly<Record<string, unknown>> = {},
): Reply {
  return { status, body: { message, ...extra }, ...(reasonCode ? { reasonCode } : {}) };
}

export function serializeReply(reply: Reply): { payload: Buffer; contentType: string } {
  if (typeof reply.body === 'string') {
    return { payload: Buffer.from(reply.body), contentType: reply.contentType ?? 'text/plain; charset=utf-8' };
  }
  return { payload: Buffer.from(JSON.stringify(reply.body) + '\n'), contentType: 'application/json' };
}
