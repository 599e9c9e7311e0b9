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
import { isMethGet, viewHaproxyRequest } from './haproxy-request.js';
import {
  bindHaproxyRules,
  describeAllowRule,
  describeDenyUnlessSet,
  describeFinalDeny,
  describeMethodGate,
  findFiringRule,
} from './haproxy-rule-set.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

/** Status of `http-request deny` (Tecnativa's errorfile and HAProxy's built-in page are both 403). */
const DENY_STATUS = 403;
/** HAProxy's answer to a request line its HTTP/1 parser refuses. */
const BAD_REQUEST_STATUS = 400;

export interface HaproxyPipeline {
  denyUnlessSet: readonly HaproxyPathRule[];
  allowBeforeGate: readonly HaproxyPathRule[];
  allowAfterGate: readonly HaproxyPathRule[];
  /** See HaproxyParserOptions: false only for images built before HAProxy refused `#` (2023). */
  rejectsHashInTarget: boolean;
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
  const parserOptions = { rejectsHashInTarget: pipeline.rejectsHashInTarget };

  return (request: EmulatedRequest): EmulatedDecision => {
    const view = viewHaproxyRequest(request, parserOptions);
    if (view.kind === 'bad-request') return { allow: false, status: BAD_REQUEST_STATUS, reason: view.reason };
    const { decodedPath } = view;

    const denying = findFiringRule(denyUnlessSet, decodedPath, false);
    if (denying) return { allow: false, status: DENY_STATUS, reason: describeDenyUnlessSet(denying) };
    const early = findFiringRule(beforeGate, decodedPath, true);
    if (early) return { allow: true, status: 0, reason: describeAllowRule(early) };
    if (!isMethGet(view.method) && post?.effective !== true) {
      return { allow: false, status: DENY_STATUS, reason: describeMethodGate(post, view.method) };
    }
    const late = findFiringRule(afterGate, decodedPath, true);
    if (late) return { allow: true, status: 0, reason: describeAllowRule(late) };
    return { allow: false, status: DENY_STATUS, reason: describeFinalDeny(allows, decodedPath) };
  };
}
