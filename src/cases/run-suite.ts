/**
 * Runs a policy test suite against one compiled policy: each case is decided like
 * `sockguard test --request` decides (its rules, then the client gates, body inspection and owner
 * isolation when the case gives a body or client or its request reaches a later stage) and compared with its
 * expected decision and, optionally, its deciding rule.
 */
import { UnknownProfileError } from '../policy/compile.js';
import { explainFullRequest, type FullRequestInput } from './explain-full-request.js';
import { explainRequest, type MatchedRule, type RequestReport } from './explain-request.js';
import { reachesLaterStages } from './later-stages.js';
import type { PolicyCase, PolicySuite } from './load-suite.js';
import { listProfiles, type PolicyUnderTest } from './policy-under-test.js';
import { compileRequestPolicies, type RequestPolicies } from '../policy/clients/request-policies.js';

export interface RunSuiteOptions {
  /** The profile of cases that name none and give no client (--profile). */
  profile?: string;
  /** The resolved input of each case that gives a body, headers or a client (case-input.ts). */
  inputs?: ReadonlyMap<PolicyCase, FullRequestInput>;
  /** The policy's client and body policies, when the caller compiled them already. */
  policies?: RequestPolicies;
}

export interface CaseResult {
  case: PolicyCase;
  /** Absent when the case could not be decided (unknown profile). */
  report?: RequestReport;
  /** Why the case failed; empty when it passed. */
  failures: string[];
}

export interface SuiteResult {
  results: CaseResult[];
  passed: number;
  failed: number;
}

function describeRule(rule: MatchedRule | undefined): string {
  return rule ? `rule #${rule.index} (${rule.action} ${rule.method} ${rule.path})` : 'no rule (default deny)';
}

function ruleFailure(expected: number | string, matched: MatchedRule | undefined): string | undefined {
  const ok = typeof expected === 'number' ? matched?.index === expected : matched?.path === expected;
  if (ok) return undefined;
  const wanted = typeof expected === 'number' ? `rule #${expected}` : `the rule for "${expected}"`;
  return `expected ${wanted}, decided by ${describeRule(matched)}`;
}

/** What decided: a client gate, the body inspector, or a rule. */
function describeDecider(report: RequestReport): string {
  if (report.body?.decision === 'deny') return `the ${report.body.inspector} body inspector: ${report.body.reason}`;
  if (!report.matched && report.reasonCode !== 'no_matching_allow_rule')
    return `${report.reasonCode} (${report.reason})`;
  return describeRule(report.matched);
}

function decideCase(
  put: PolicyUnderTest,
  testCase: PolicyCase,
  options: RunSuiteOptions,
  policies: () => RequestPolicies,
): RequestReport {
  const profile = testCase.profile ?? options.profile;
  const input = options.inputs?.get(testCase);
  if (input === undefined) {
    const report = explainRequest(put, testCase.request, profile);
    if (!reachesLaterStages(put, report)) return report;
  }
  return explainFullRequest(put, policies(), testCase.request, input ?? (profile !== undefined ? { profile } : {}));
}

function runCase(
  put: PolicyUnderTest,
  testCase: PolicyCase,
  options: RunSuiteOptions,
  policies: () => RequestPolicies,
): CaseResult {
  let report: RequestReport;
  try {
    report = decideCase(put, testCase, options, policies);
  } catch (error) {
    if (!(error instanceof UnknownProfileError)) throw error;
    return { case: testCase, failures: [`${error.message} (known: ${listProfiles(put)})`] };
  }
  const failures: string[] = [];
  if (report.decision !== testCase.expect) {
    failures.push(`expected ${testCase.expect}, got ${report.decision} by ${describeDecider(report)}`);
  }
  if (testCase.rule !== undefined) {
    const problem = ruleFailure(testCase.rule, report.matched);
    if (problem) failures.push(problem);
  }
  return { case: testCase, report, failures };
}

/** Throws ClientConfigError when a case needs a clients block serve would refuse to start with. */
export function runSuite(put: PolicyUnderTest, suite: PolicySuite, options: RunSuiteOptions = {}): SuiteResult {
  let policies = options.policies;
  const lazyPolicies = () => (policies ??= compileRequestPolicies(put.compiled.policy));
  const results = suite.cases.map((c) => runCase(put, c, options, lazyPolicies));
  const failed = results.filter((r) => r.failures.length > 0).length;
  return { results, passed: results.length - failed, failed };
}
