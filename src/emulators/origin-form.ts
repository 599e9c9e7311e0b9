/**
 * The emulators' input contract: a request a client can put on the wire in origin form. Anything
 * else (absolute-form, `*`, a method that is not a token) is a caller bug, not a request to judge.
 */

import type { EmulatedRequest } from './types.js';

/** A method token (RFC 9110 `tchar`); anything else cannot form a request line. */
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Throws a RangeError unless the target starts with `/`. */
export function assertOriginFormTarget(target: string): void {
  if (!target.startsWith('/')) {
    throw new RangeError(`only origin-form request-targets are emulated, got ${JSON.stringify(target)}`);
  }
}

/** Throws a RangeError unless the method is a token and the target starts with `/`. */
export function assertOriginFormRequest(request: EmulatedRequest): void {
  if (!METHOD_TOKEN.test(request.method)) {
    throw new RangeError(`not an HTTP method token: ${JSON.stringify(request.method)}`);
  }
  assertOriginFormTarget(request.target);
}
