/**
 * 11notes/docker-socket-proxy's own decision for one request (peers.md §4.1): `httpProxy` forwards
 * only when the method is exactly one the release proxies AND no blocked pattern is found anywhere in
 * `r.URL.String()` — the client's escaped path plus `?` and the raw query. Otherwise
 * `http.Error(w, "", 403)`. Requests Go's server cannot parse are answered 400 before the handler.
 */

import type { ElevenNotesSettings } from '../peers/elevennotes.js';
import { compileGoRegex } from '../peers/go-regex.js';
import { memoizeByKey } from './bounded-memo.js';
import { parseGoRequestUrl } from './go-request-url.js';
import { assertOriginFormRequest } from './origin-form.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

/** `http.StatusForbidden` from `http.Error(w, "", http.StatusForbidden)`. */
const DENY_STATUS = 403;
/** Go net/http's answer to an unparseable request line or URI. */
const BAD_REQUEST_STATUS = 400;

/** Binds the settings once (patterns compiled here) and returns the per-request decision function. */
export function compileElevenNotes(settings: ElevenNotesSettings): Emulator {
  const patterns = settings.blockedPatterns.map((source) => {
    const compiled = compileGoRegex(source);
    // The patterns are the release's own constants, all valid RE2; failing here is a bug in the table.
    if (!compiled.ok) throw new Error(`11notes pattern ${source} does not compile: ${compiled.message}`);
    return { source, regex: compiled.regex };
  });
  const methods = new Set(settings.methods);
  const methodList = settings.methods.join(' or ');

  // Parsing and pattern search depend on the target alone, so each distinct target is decided once.
  const decideTarget = memoizeByKey((target: string): EmulatedDecision => {
    const url = parseGoRequestUrl(target);
    if (url.kind === 'bad-request')
      return Object.freeze({ allow: false, status: BAD_REQUEST_STATUS, reason: url.reason });
    const shown = JSON.stringify(url.urlString);
    const blocking = patterns.find((pattern) => pattern.regex.test(url.urlString));
    return Object.freeze(
      blocking
        ? {
            allow: false,
            status: DENY_STATUS,
            reason: `blocked: ${blocking.source} is found in r.URL.String() ${shown}`,
          }
        : { allow: true, status: 0, reason: `${methodList}, and no blocked pattern in r.URL.String() ${shown}` },
    );
  });

  return (request: EmulatedRequest): EmulatedDecision => {
    assertOriginFormRequest(request);
    const decision = decideTarget(request.target);
    if (decision.status === BAD_REQUEST_STATUS || methods.has(request.method)) return decision;
    return {
      allow: false,
      status: DENY_STATUS,
      reason: `blocked: ${request.method} is not ${methodList} (httpProxy method check; exact, case-sensitive)`,
    };
  };
}

/** One-off decision; compile once with compileElevenNotes when deciding many requests. */
export function emulateElevenNotes(settings: ElevenNotesSettings, request: EmulatedRequest): EmulatedDecision {
  return compileElevenNotes(settings)(request);
}
