/**
 * hectorm/cetusguard's own decision for one request (peers.md §5.4, cetusguard/cetusguard.go): the
 * request is forwarded iff some rule lists its method (exact, case-sensitive) and its pattern,
 * compiled as `"^" + expanded + "$"`, matches cleanPath(r.URL.Path); otherwise 403 with an empty
 * body. Rule order does not matter; the query string never takes part.
 */
import { compileGoRegex } from '../peers/go-regex.js';
import type { CetusGuardSettings } from '../peers/cetusguard.js';
import { cleanServeMuxPath, parseGoRequestPath } from './go-request-path.js';
import { assertOriginFormRequest } from './origin-form.js';
import { EmulationUnavailableError } from './types.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

const FORBIDDEN = 403;
const BAD_REQUEST = 400;

/** Binds the rules once (patterns compiled here) and returns the per-request decision function. */
export function compileCetusGuard(settings: CetusGuardSettings): Emulator {
  if (!settings.complete) {
    throw new EmulationUnavailableError('a CetusGuard rules file was not provided, so its rules are unknown');
  }
  const rules = settings.rules.map((rule) => {
    const compiled = compileGoRegex(`^${rule.expanded}$`);
    if (!compiled.ok)
      throw new EmulationUnavailableError(`CetusGuard rule "${rule.pattern}" (${rule.origin}): ${compiled.message}`);
    return { methods: new Set(rule.methods), regex: compiled.regex, rule };
  });

  return (request: EmulatedRequest): EmulatedDecision => {
    assertOriginFormRequest(request);
    const parsed = parseGoRequestPath(request.target);
    if (parsed.kind === 'bad-request') return { allow: false, status: BAD_REQUEST, reason: parsed.reason };
    const subject = cleanServeMuxPath(parsed.path);
    const hit = rules.find((r) => r.methods.has(request.method) && r.regex.test(subject));
    const checked =
      subject === parsed.path
        ? JSON.stringify(subject)
        : `${JSON.stringify(subject)} (cleaned from ${JSON.stringify(parsed.path)})`;
    if (!hit) {
      return { allow: false, status: FORBIDDEN, reason: `denied request: no rule allows ${request.method} ${checked}` };
    }
    return {
      allow: true,
      status: 0,
      reason: `rule "${hit.rule.methods.join(',')} ${hit.rule.pattern}" (${hit.rule.origin}) allows ${request.method} ${checked}`,
    };
  };
}
