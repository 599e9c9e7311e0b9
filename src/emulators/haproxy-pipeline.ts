/**
 * The `http-request` rule sequence shared by the HAProxy-based images, evaluated top-down until the
 * first rule fires (peers.md §1.3, §2.3):
 *   1. deny-unless-set rules: 403 when the path matches and the toggle is off (LinuxServer ls92+);
 *   2. allows before the method gate (LinuxServer action allows, any method);
 *   3. `http-request deny unless METH_GET || { env(POST) -m bool }`;
 *   4. allows after the gate (Tecnativa: all of them);
 *   5. `http-request deny`.
 * Tecnativa uses phases 3–5 only, LinuxServer all five depending on the build.
 */

import type { HaproxyPathRule } from '../peers/haproxy-rules.js';
import type { EnvSetting } from '../peers/peer-settings.js';
import { memoizeByKey } from './bounded-memo.js';
import {
  decodeHaproxyUrl,
  extractHaproxyPath,
  findHaproxyParseError,
  isMethGet,
  type HaproxyParserOptions,
} from './haproxy-request.js';
import { bindHaproxyRules, describeFinalDeny, describeMethodGate, findFiringRule } from './haproxy-rule-set.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

/** Status of `http-request deny` (Tecnativa's errorfile and HAProxy's built-in page are both 403). */
const DENY_STATUS = 403;
/** HAProxy's answer to a request line its HTTP/1 parser refuses. */
const BAD_REQUEST_STATUS = 400;

export interface HaproxyPipeline {
  denyUnlessSet: readonly HaproxyPathRule[];
  allowBeforeGate: readonly HaproxyPathRule[];
  allowAfterGate: readonly HaproxyPathRule[];
  /** Request-line checks of the image's HAProxy (see HaproxyParserOptions). */
  parser: HaproxyParserOptions;
}

/** What the rules decide for one path: phases 1–2 decide for every method, phases 4–5 after the gate. */
interface PathOutcome {
  beforeGate: EmulatedDecision | undefined;
  afterGate: EmulatedDecision;
}

function decided(allow: boolean, reason: string): EmulatedDecision {
  return Object.freeze({ allow, status: allow ? 0 : DENY_STATUS, reason });
}

/** Compiles the pipeline against the toggles once; the result decides one request per call. */
export function compileHaproxyPipeline(
  pipeline: HaproxyPipeline,
  toggles: Readonly<Record<string, EnvSetting<boolean>>>,
): Emulator {
  const denyUnlessSet = bindHaproxyRules(pipeline.denyUnlessSet, toggles);
  const beforeGate = bindHaproxyRules(pipeline.allowBeforeGate, toggles);
  const afterGate = bindHaproxyRules(pipeline.allowAfterGate, toggles);
  const allows = [...beforeGate, ...afterGate];
  const post = toggles['POST'];

  // Everything but the method gate depends on the path alone, so each distinct path is decided once.
  const decidePath = memoizeByKey((path: string): PathOutcome => {
    const decodedPath = decodeHaproxyUrl(path);
    const denying = findFiringRule(denyUnlessSet, decodedPath, false);
    const early = findFiringRule(beforeGate, decodedPath, true);
    const late = findFiringRule(afterGate, decodedPath, true);
    return {
      beforeGate: denying ? decided(false, denying.denyReason) : early ? decided(true, early.allowReason) : undefined,
      afterGate: late ? decided(true, late.allowReason) : decided(false, describeFinalDeny(allows, decodedPath)),
    };
  });

  return (request: EmulatedRequest): EmulatedDecision => {
    const parseError = findHaproxyParseError(request, pipeline.parser);
    if (parseError !== undefined) return { allow: false, status: BAD_REQUEST_STATUS, reason: parseError };
    const outcome = decidePath(extractHaproxyPath(request.target));
    if (outcome.beforeGate) return outcome.beforeGate;
    if (!isMethGet(request.method) && post?.effective !== true) {
      return { allow: false, status: DENY_STATUS, reason: describeMethodGate(post, request.method) };
    }
    return outcome.afterGate;
  };
}
