import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Rule } from '../../src/policy/defaults.js';
import { compilePolicy } from '../../src/policy/compile.js';
import { compileRules, evaluateRules } from '../../src/policy/evaluate.js';
import { resolvePolicy } from '../../src/policy/load.js';
import { BODY_BLIND_PROBES, BUILDKIT_TUNNEL_PROBES, READ_EXFILTRATION_PROBES } from '../../src/policy/probes.js';
import { InvalidChoiceAnswerError } from '../../src/translators/resolve-choice.js';
import { listSamplePaths, SENSITIVE_ENDPOINTS } from '../../src/translators/sensitive-endpoints.js';
import {
  createAllow,
  createDeny,
  createFinalDeny,
  type TranslatedRule,
} from '../../src/translators/translated-rule.js';
import type { DifferenceView, TranslateOptions } from '../../src/translators/types.js';
import {
  KEEP_BODY_BLIND_WRITES,
  KEEP_BUILDKIT_TUNNELS,
  KEEP_READ_EXFILTRATION,
  withholdSensitiveEndpoints,
  type SensitiveOutcome,
} from '../../src/translators/withhold-sensitive.js';

const DEFAULTS: TranslateOptions = { keepExfiltration: false, answers: {} };

function rulesOf(...allows: [method: string, path: string][]): TranslatedRule[] {
  return [
    ...allows.map(([method, path], i) => createAllow(method, path, `RULE${i}=1`, `env:RULE${i}`)),
    createFinalDeny('final'),
  ];
}

const shown = (outcome: SensitiveOutcome): string[] =>
  outcome.rules.map((r) => `${r.rule.action} ${r.rule.match.method} ${r.rule.match.path}`);

function decide(outcome: SensitiveOutcome, method: string, path: string): string {
  return evaluateRules(compileRules(outcome.rules.map((r) => r.rule as Rule)), method, path).decision;
}

function startupProblems(outcome: SensitiveOutcome): string[] {
  const policy = resolvePolicy({ ...outcome.acknowledgements, rules: outcome.rules.map((r) => r.rule) });
  return compilePolicy(policy).startupProblems.map((p) => p.kind);
}

function row(method: string, path: string, change: DifferenceView['change'] = 'tightened'): DifferenceView {
  return { method, target: path, change, request: { family: 'catalog' }, new: { normalizedPath: path } };
}

describe('sample paths of a deny glob', () => {
  const table: [string, string[]][] = [
    ['/swarm/join', ['/swarm/join']],
    ['/containers/*/logs', ['/containers/sockguard-test/logs']],
    ['/images/**/get', ['/images/get', '/images/sockguard-test/get', '/images/sockguard-test/sockguard-test/get']],
  ];
  for (const [glob, samples] of table) {
    it(glob, () => assert.deepEqual(listSamplePaths(glob), samples));
  }

  it('every startup probe is a sample of some entry with its method (sockguard-config.md §8.3)', () => {
    for (const probe of [...READ_EXFILTRATION_PROBES, ...BODY_BLIND_PROBES, ...BUILDKIT_TUNNEL_PROBES]) {
      const covered = SENSITIVE_ENDPOINTS.some(
        (e) => e.methods.includes(probe.method) && listSamplePaths(e.path).includes(probe.path),
      );
      assert.ok(covered, `${probe.method} ${probe.path}`);
    }
  });
});

describe('withholding (the default)', () => {
  it('leaves rules that expose nothing alone', () => {
    const rules = rulesOf(['GET,HEAD', '/_ping'], ['GET,HEAD', '/containers/json']);
    const outcome = withholdSensitiveEndpoints(rules, DEFAULTS);
    assert.deepEqual(outcome.rules, rules);
    assert.deepEqual([outcome.warnings, outcome.choices, outcome.applied, outcome.acknowledgements], [[], [], {}, {}]);
  });

  it('denies exactly the exposed endpoints and methods, before the rule that exposed them', () => {
    const outcome = withholdSensitiveEndpoints(
      rulesOf(['GET,HEAD', '/_ping'], ['GET,HEAD', '/containers/**']),
      DEFAULTS,
    );
    assert.deepEqual(shown(outcome), [
      'allow GET,HEAD /_ping',
      'deny GET,HEAD /containers/**/archive',
      'deny GET,HEAD /containers/**/export',
      'deny GET,HEAD /containers/**/logs',
      'deny GET,HEAD /containers/**/attach/ws',
      'allow GET,HEAD /containers/**',
      'deny * /**',
    ]);
    assert.equal(outcome.rules[1]?.origin, 'env:RULE1');
    assert.match(outcome.rules[1]?.comment ?? '', /^withheld: RULE1=1 allowed it/);
    assert.deepEqual(startupProblems(outcome), []);
    assert.equal(decide(outcome, 'GET', '/containers/abc/json'), 'allow');
  });

  it('withholds only the methods the rules allowed', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['GET', '/containers/*/logs']), DEFAULTS);
    assert.deepEqual(shown(outcome).slice(0, 2), ['deny GET /containers/**/logs', 'allow GET /containers/*/logs']);
  });

  it('covers image references with slashes, even when an earlier rule only reaches those', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['GET', '/images/*/*/get'], ['GET', '/images/**']), DEFAULTS);
    assert.equal(shown(outcome)[0], 'deny GET /images/**/get');
    for (const path of ['/images/get', '/images/alpine/get', '/images/registry:5000/org/app:1.0/get']) {
      assert.equal(decide(outcome, 'GET', path), 'deny', path);
    }
    assert.equal(decide(outcome, 'GET', '/images/alpine/json'), 'allow');
  });

  it('covers container names that span segments (legacy link aliases resolve through greedy routes)', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['GET,HEAD', '/containers/**']), DEFAULTS);
    for (const path of ['/containers/db/export', '/containers/web/db/export', '/containers/web/db/logs']) {
      assert.equal(decide(outcome, 'GET', path), 'deny', path);
    }
  });

  it('says so when only such names get through', () => {
    const rules = [createDeny('*', '/containers/*/logs', 'ALLOW_LOGS=0'), ...rulesOf(['GET,HEAD', '/containers/**'])];
    const outcome = withholdSensitiveEndpoints(rules, DEFAULTS);
    assert.ok(shown(outcome).includes('deny GET,HEAD /containers/**/logs'));
    assert.match(outcome.warnings[0]?.message ?? '', /GET,HEAD \/containers\/\{id\}\/logs \(for names containing \//);
    assert.doesNotMatch(outcome.warnings[0]?.message ?? '', /\/containers\/\{id\}\/export \(/);
  });

  it('announces every group with its own code, origin and choice, and the policy starts', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['*', '/**']), DEFAULTS);
    assert.deepEqual(
      outcome.warnings.map((w) => [w.code, w.origin]),
      [
        ['migrate/read-exfiltration-withheld', 'env:RULE0'],
        ['migrate/body-blind-exec-withheld', 'env:RULE0'],
        ['migrate/body-blind-write-withheld', 'env:RULE0'],
        ['migrate/buildkit-tunnel-withheld', 'env:RULE0'],
      ],
    );
    assert.deepEqual(
      outcome.choices.map((c) => [c.id, c.safeDefault]),
      [
        [KEEP_READ_EXFILTRATION, 'withhold'],
        [KEEP_BODY_BLIND_WRITES, 'withhold'],
        [KEEP_BUILDKIT_TUNNELS, 'withhold'],
      ],
    );
    assert.deepEqual(outcome.applied, {
      [KEEP_READ_EXFILTRATION]: 'withhold',
      [KEEP_BODY_BLIND_WRITES]: 'withhold',
      [KEEP_BUILDKIT_TUNNELS]: 'withhold',
    });
    assert.deepEqual(startupProblems(outcome), []);
  });

  it('explains exactly the tightened rows its deny rules decide', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['GET,HEAD', '/containers/**']), DEFAULTS);
    const explains = outcome.warnings[0]?.explains;
    assert.ok(explains);
    assert.equal(explains(row('GET', '/containers/abc/logs')), true);
    assert.equal(explains(row('head', '/containers/abc/archive')), true);
    assert.equal(explains(row('GET', '/containers/abc/logs', 'loosened')), false);
    assert.equal(explains(row('GET', '/containers/abc/json')), false);
    assert.equal(explains(row('PUT', '/containers/abc/archive')), false);
    assert.equal(explains({ ...row('GET', '/containers/abc/logs'), new: { rejected: 'dot-segment' } }), false);
  });
});

describe('keeping', () => {
  const everything = rulesOf(['*', '/**']);
  const cases: [string, TranslateOptions, Record<string, boolean>][] = [
    ['--keep-exfiltration', { keepExfiltration: true, answers: {} }, { insecure_allow_read_exfiltration: true }],
    [
      'an answer for each choice',
      {
        keepExfiltration: false,
        answers: {
          [KEEP_READ_EXFILTRATION]: 'keep',
          [KEEP_BODY_BLIND_WRITES]: 'keep',
          [KEEP_BUILDKIT_TUNNELS]: 'keep',
        },
      },
      {
        insecure_allow_read_exfiltration: true,
        insecure_allow_body_blind_writes: true,
        insecure_accept_opaque_buildkit_tunnels: true,
      },
    ],
  ];
  for (const [name, options, acknowledgements] of cases) {
    it(`${name} keeps the endpoints and sets the acknowledgements`, () => {
      const outcome = withholdSensitiveEndpoints(everything, options);
      assert.deepEqual(outcome.acknowledgements, acknowledgements);
      assert.deepEqual(startupProblems(outcome), []);
      const kept = outcome.warnings.filter((w) => w.code.endsWith('-kept'));
      assert.equal(
        kept.length,
        Object.keys(acknowledgements).length + (acknowledgements.insecure_allow_body_blind_writes ? 1 : 0),
      );
      assert.ok(kept.every((w) => w.explains === undefined));
    });
  }

  it('keeps read exfiltration allowed when asked, and nothing else', () => {
    const outcome = withholdSensitiveEndpoints(rulesOf(['GET,HEAD', '/containers/**']), {
      keepExfiltration: true,
      answers: {},
    });
    assert.deepEqual(shown(outcome), ['allow GET,HEAD /containers/**', 'deny * /**']);
    assert.equal(outcome.applied[KEEP_READ_EXFILTRATION], 'keep');
    assert.equal(outcome.warnings[0]?.code, 'migrate/read-exfiltration-kept');
  });

  it('refuses an answer that names no option', () => {
    assert.throws(
      () =>
        withholdSensitiveEndpoints(everything, {
          keepExfiltration: false,
          answers: { [KEEP_BUILDKIT_TUNNELS]: 'yes' },
        }),
      InvalidChoiceAnswerError,
    );
  });
});
