/**
 * The `"METHOD PATH"` request notation shared by `sockguard test --request` and case suites.
 * PATH is a request-target as sent on the wire: it may carry a version prefix, percent-escapes and
 * a query string; it is decoded exactly once later, like the proxy does.
 */
import { parseTarget, TargetError } from '../policy/canonical-path.js';

export interface RequestLine {
  /** Upper-cased method (matching is case-insensitive; the display follows `sockguard match`). */
  method: string;
  /** The request-target as given. */
  target: string;
}

export type RequestLineResult = { ok: true; request: RequestLine } | { ok: false; problem: string };

/** RFC 9110 token characters: what an HTTP method may consist of. */
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function parseRequestLine(text: string): RequestLineResult {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2 || parts[0] === '') {
    return { ok: false, problem: `expected "METHOD PATH" (e.g. "GET /containers/json"), got "${text}"` };
  }
  const [method, target] = parts as [string, string];
  if (!METHOD_TOKEN.test(method)) return { ok: false, problem: `"${method}" is not an HTTP method` };
  try {
    parseTarget(target);
  } catch (error) {
    if (error instanceof TargetError) return { ok: false, problem: error.message };
    throw error;
  }
  return { ok: true, request: { method: method.toUpperCase(), target } };
}
