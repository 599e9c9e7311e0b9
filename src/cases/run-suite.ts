/**
 * Runs a policy test suite against one compiled policy: each case is decided through
 * explainRequest and compared with its expected decision and, optionally, its deciding rule.
 */
import { UnknownProfileError } from '../policy/compile.js';
import { explainRequest, type MatchedRule, type RequestReport } from './explain-request.js';
import type { PolicyCase, PolicySuite } from './load-suite.js';
import { listProfiles, type PolicyUnderTest } from './policy-under-test.js';

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

function runCase(put: PolicyUnderTest, testCase: PolicyCase, defaultProfile?: string): CaseResult {
  const profile = testCase.profile ?? defaultProfile;
  let report: RequestReport;
  try {
    report = explainRequest(put, testCase.request, profile);
  } catch (error) {
    if (!(error instanceof UnknownProfileError)) throw error;
    return { case: testCase, failures: [`${error.message} (known: ${listProfiles(put)})`] };
  }
  const failures: string[] = [];
  if (report.decision !== testCase.expect) {
    failures.push(`expected ${testCase.expect}, got ${report.decision} by ${describeRule(report.matched)}`);
  }
  if (testCase.rule !== undefined) {
    const problem = ruleFailure(testCase.rule, report.matched);
    if (problem) failures.push(problem);
  }
  return { case: testCase, report, failures };
}

export function runSuite(put: PolicyUnderTest, suite: PolicySuite, options: { profile?: string } = {}): SuiteResult {
  const results = suite.cases.map((c) => runCase(put, c, options.profile));
  const failed = results.filter((r) => r.failures.length > 0).length;
  return { results, passed: results.length - failed, failed };
}
