/**
 * HAProxy path rules bound to a parsed configuration: each rule's regex compiled once, together with
 * the toggle that arms it and the haproxy.cfg wording that explains a decision it makes.
 */

import type { HaproxyPathRule } from '../peers/haproxy-rules.js';
import { describeSetting, type EnvSetting } from '../peers/peer-settings.js';
import { compileHaproxyRegex } from './haproxy-regex.js';

export interface BoundHaproxyRule {
  variable: string;
  regex: string;
  pattern: RegExp;
  /** The toggle's effective value: does the rule fire when its path matches? */
  on: boolean;
  /** `CONTAINERS=1`, `ALLOW_LOGS unset (image default 0)`: the variable as reasons show it. */
  shown: string;
  /** `CONTAINERS=1: http-request allow if { path,url_dec -m reg -i <regex> } { env(CONTAINERS) -m bool }`. */
  allowReason: string;
  /** The same rule written as a deny-unless-set (LinuxServer phase 1) that fired because the toggle is off. */
  denyReason: string;
}

/** Compiles `rules` (all `path,url_dec -m reg -i`) against the toggles; rules with no toggle entry are off. */
export function bindHaproxyRules(
  rules: readonly HaproxyPathRule[],
  toggles: Readonly<Record<string, EnvSetting<boolean>>>,
): BoundHaproxyRule[] {
  return rules.map((rule) => {
    const toggle = toggles[rule.variable];
    const shown = toggle === undefined ? `${rule.variable} unset` : describeSetting(toggle);
    const condition = `{ path,url_dec -m reg -i ${rule.regex} }`;
    return {
      variable: rule.variable,
      regex: rule.regex,
      pattern: compileHaproxyRegex(rule.regex, true),
      on: toggle?.effective === true,
      shown,
      allowReason: `${shown}: http-request allow if ${condition} { env(${rule.variable}) -m bool }`,
      denyReason: `${shown} is off: http-request deny if ${condition} !{ env(${rule.variable}) -m bool }`,
    };
  });
}

/** First rule (in haproxy.cfg order) whose path matches and whose toggle has the wanted value. */
export function findFiringRule(
  rules: readonly BoundHaproxyRule[],
  decodedPath: string | undefined,
  on: boolean,
): BoundHaproxyRule | undefined {
  if (decodedPath === undefined) return undefined;
  return rules.find((rule) => rule.on === on && rule.pattern.test(decodedPath));
}

/**
 * Why the final `http-request deny` fired: the rules whose path matched but whose toggle is off
 * (in haproxy.cfg order), or that no rule matches at all, or that `url_dec` failed.
 */
export function describeFinalDeny(rules: readonly BoundHaproxyRule[], decodedPath: string | undefined): string {
  if (decodedPath === undefined) {
    return 'http-request deny (catch-all): path,url_dec failed on an invalid %-escape, so no allow rule can match';
  }
  const matchedButOff = rules.filter((rule) => !rule.on && rule.pattern.test(decodedPath));
  if (matchedButOff.length === 0) {
    return `http-request deny (catch-all): no allow rule's regex matches ${JSON.stringify(decodedPath)}`;
  }
  const offList = matchedButOff.map((rule) => `${rule.shown} → off`).join(', ');
  return `http-request deny (catch-all): only rules that are off match the path: ${offList}`;
}

/** The method gate as both images write it, with POST's value and the refused method. */
export function describeMethodGate(post: EnvSetting<boolean> | undefined, method: string): string {
  const shown = post === undefined ? 'POST unset' : describeSetting(post);
  return `${shown} is off: http-request deny unless METH_GET || { env(POST) -m bool } (${method} is not GET/HEAD)`;
}
