import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, UnknownProfileError } from '../../src/policy/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { buildCorpus, type CorpusRequest } from '../../src/verify/corpus.js';
import {
  classifyChange,
  compareDecisions,
  explain,
  newPolicyDecider,
  unexplained,
  type ExplainingWarning,
  type ParityRow,
} from '../../src/verify/parity.js';

const POLICY = `
rules:
  - {match: {method: GET, path: /containers/json}, action: allow}
  - {match: {method: "GET,HEAD", path: /containers/*/json}, action: allow}
  - {match: {method: POST, path: /containers/*/start}, action: allow}
  - {match: {method: "*", path: /**}, action: deny, reason: no matching allow rule}
`;
const OPEN_POLICY = 'rules: [{match: {method: "*", path: /**}, action: allow}]';

const compile = (text: string) => compilePolicy(loadPolicy(text).policy!);
const decideNew = newPolicyDecider(compile(POLICY));
const corpus = buildCorpus();
const request = (method: string, target: string): CorpusRequest => ({ method, target, family: 'quirk' });

test('classifyChange: tightened = old allowed and new denies, loosened = the reverse', () => {
  assert.equal(classifyChange(true, true), 'identical');
  assert.equal(classifyChange(false, false), 'identical');
  assert.equal(classifyChange(true, false), 'tightened');
  assert.equal(classifyChange(false, true), 'loosened');
});

test('an old decider that decides like the new policy is identical on every request', () => {
  const result = compareDecisions(corpus, decideNew, decideNew);
  assert.equal(result.summary.total, corpus.length);
  assert.equal(result.summary.identical, corpus.length);
  assert.deepEqual(unexplained(result.rows), []);
});

test('an old decider that allows more shows up as tightened rows, one that allows less as loosened', () => {
  const newAllows = corpus.filter((r) => decideNew(r).allow).length;
  assert.ok(newAllows > 0 && newAllows < corpus.length);

  const permissive = compareDecisions(corpus, () => ({ allow: true, reason: 'allow all' }), decideNew);
  assert.deepEqual(permissive.summary, {
    total: corpus.length,
    identical: newAllows,
    tightened: corpus.length - newAllows,
    loosened: 0,
    unexplained: { tightened: corpus.length - newAllows, loosened: 0 },
  });

  const strict = compareDecisions(corpus, () => ({ allow: false, reason: 'deny all', status: 403 }), decideNew);
  assert.equal(strict.summary.loosened, newAllows);
  assert.equal(strict.summary.tightened, 0);
  const row = strict.rows.find((r) => r.change === 'loosened')!;
  assert.equal(row.old.reason, 'deny all');
  assert.equal(row.new.allow, true);
});

test('the new side reports the deciding rule (0-based index) and the path it judged', () => {
  assert.deepEqual(decideNew(request('POST', '/v1.45/containers/web-1/start?x=1')), {
    allow: true,
    reason: 'rule #3 (allow POST /containers/*/start)',
    ruleIndex: 2,
    normalizedPath: '/containers/web-1/start',
  });
  assert.deepEqual(decideNew(request('GET', '/containers/web-1/start')), {
    allow: false,
    status: 403,
    reason: 'rule #4 (deny * /**): no matching allow rule',
    ruleIndex: 3,
    normalizedPath: '/containers/web-1/start',
  });
});

// serve canonicalises strictly before any rule runs: even an allow-all policy denies these.
const REJECTED: [string, string][] = [
  ['/containers/../secrets', 'unclean-path'],
  ['/v1.41/containers/json/../../secrets', 'unclean-path'],
  ['/containers/%2e%2e/secrets', 'unclean-path'],
  ['//containers/json', 'unclean-path'],
  ['/v1.23/containers/json', 'api-version-too-old'],
  ['/containers/json#x', 'fragment'],
  ['/containers/x%5C..%5Csecrets', 'backslash'],
  ['/containers/%zz/json', 'bad-escape'],
  ['/containers/%00/json', 'control-character'],
];

for (const [target, problem] of REJECTED) {
  test(`the new side denies ${target} as serve would (400, ${problem}) whatever the rules say`, () => {
    const open = newPolicyDecider(compile(OPEN_POLICY));
    const verdict = open(request('GET', target));
    assert.equal(verdict.allow, false);
    assert.equal(verdict.status, 400);
    assert.equal(verdict.rejected, problem);
    assert.match(verdict.reason, /^rejected by serve before the rules \(400\): /);
    assert.equal(verdict.normalizedPath, undefined);
  });
}

test('a dot-segment request an old proxy forwarded is tightened on the new side', () => {
  const open = newPolicyDecider(compile(OPEN_POLICY));
  const result = compareDecisions(
    [request('GET', '/containers/json/../../secrets')],
    () => ({ allow: true, reason: 'prefix /containers' }),
    open,
  );
  assert.equal(result.rows[0]!.change, 'tightened');
  assert.equal(result.rows[0]!.new.rejected, 'unclean-path');
});

test('serve accepts a trailing slash (Clean drops it before the rules)', () => {
  assert.equal(decideNew(request('GET', '/containers/json/')).allow, true);
});

test('the verdict is the same for every method of a repeated target (the canonical form is reused)', () => {
  const open = newPolicyDecider(compile(OPEN_POLICY));
  assert.equal(open(request('GET', '/containers/json')).allow, true);
  assert.equal(open(request('POST', '/containers/json')).allow, true);
  assert.equal(open(request('POST', '/containers/../json')).allow, false);
  assert.equal(open(request('GET', '/containers/json')).allow, true);
});

test('profiles: the decider uses the named profile, an unknown one is an error', () => {
  const compiled = compile(`
clients:
  profiles:
    - name: ro
      rules: [{match: {method: GET, path: /info}, action: allow}]
`);
  assert.equal(newPolicyDecider(compiled, 'ro')(request('GET', '/info')).allow, true);
  assert.equal(newPolicyDecider(compiled)(request('GET', '/info')).allow, false);
  // No rule at all matched: no index, the evaluator's default-deny reason.
  assert.deepEqual(newPolicyDecider(compiled, 'ro')(request('GET', '/v1.41/version')), {
    allow: false,
    status: 403,
    reason: 'no rule matched: no matching allow rule',
    normalizedPath: '/version',
  });
  assert.throws(() => newPolicyDecider(compiled, 'nope'), UnknownProfileError);
});

// Explanations.
const prefixWarning: ExplainingWarning = {
  code: 'test/prefix-match',
  explains: (row) => row.change === 'tightened' && row.request.target.startsWith('/containersfoo'),
};
const anyTightened: ExplainingWarning = { code: 'test/any-tightened', explains: (row) => row.change === 'tightened' };
const silent: ExplainingWarning = { code: 'test/no-predicate' };

const rowOf = (change: ParityRow['change'], target: string): ParityRow => ({
  request: request('GET', target),
  old: { allow: change === 'tightened', reason: 'old' },
  new: { allow: change === 'loosened', reason: 'new' },
  change,
  explainedBy: [],
});

test('explain lists every warning whose predicate accepts the row, in warning order, once each', () => {
  const row = rowOf('tightened', '/containersfoo');
  assert.deepEqual(explain(row, [silent, anyTightened, prefixWarning, anyTightened]), [
    'test/any-tightened',
    'test/prefix-match',
  ]);
  assert.deepEqual(explain(rowOf('tightened', '/other'), [silent, prefixWarning]), []);
  assert.deepEqual(explain(rowOf('loosened', '/containersfoo'), [prefixWarning, anyTightened]), []);
});

test('predicates never see identical rows', () => {
  const throwing: ExplainingWarning = {
    code: 'test/throws',
    explains: () => {
      throw new Error('called on an identical row');
    },
  };
  assert.deepEqual(explain(rowOf('identical', '/x'), [throwing]), []);
  const result = compareDecisions([request('GET', '/containers/json')], decideNew, decideNew, [throwing]);
  assert.equal(result.summary.identical, 1);
});

test('compareDecisions explains rows and counts the unexplained ones; unexplained() returns them', () => {
  const targets = ['/containersfoo', '/containers/json', '/Containers/json'];
  const rows = targets.map((t) => request('GET', t));
  const result = compareDecisions(rows, () => ({ allow: true, reason: 'old allows' }), decideNew, [prefixWarning]);
  assert.deepEqual(
    result.rows.map((r) => [r.request.target, r.change, r.explainedBy]),
    [
      ['/containersfoo', 'tightened', ['test/prefix-match']],
      ['/containers/json', 'identical', []],
      ['/Containers/json', 'tightened', []],
    ],
  );
  assert.deepEqual(result.summary.unexplained, { tightened: 1, loosened: 0 });
  assert.deepEqual(
    unexplained(result.rows).map((r) => r.request.target),
    ['/Containers/json'],
  );
});
