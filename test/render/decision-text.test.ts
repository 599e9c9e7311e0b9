import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestReport } from '../../src/cases/explain-request.js';
import { describeOrigin, formatDecisions, PLAIN, type Paint } from '../../src/render/decision-text.js';

const allowReport: RequestReport = {
  method: 'GET',
  path: '/v1.45/containers/json?all=1',
  normalizedPath: '/containers/json',
  apiVersion: '1.45',
  decision: 'allow',
  reasonCode: 'matched_allow_rule',
  reason: '',
  matched: {
    index: 3,
    method: 'GET',
    path: '/containers/json',
    action: 'allow',
    origin: { kind: 'file', file: 'p.yaml', line: 13, col: 5 },
  },
};

const denyReport: RequestReport = {
  method: 'POST',
  path: '/containers/x/../../secrets',
  normalizedPath: '/secrets',
  decision: 'deny',
  reasonCode: 'no_matching_allow_rule',
  reason: 'no matching allow rule',
  profile: 'ci',
  refusedByServe: 'not canonical',
};

test('one aligned block per request after the config header', () => {
  const text = formatDecisions([allowReport, denyReport], { config: 'p.yaml', compatMode: true, paint: PLAIN });
  assert.equal(
    text,
    [
      'Config:          p.yaml',
      'Mode:            tecnativa compatibility',
      '',
      'Decision:        ALLOW',
      'Method:          GET',
      'Path:            /v1.45/containers/json?all=1',
      'Normalized path: /containers/json',
      'API version:     1.45 (stripped)',
      'Matched rule:    #3 allow GET /containers/json (p.yaml:13)',
      'Reason:          matched_allow_rule',
      '',
      'Decision:        DENY',
      'Method:          POST',
      'Path:            /containers/x/../../secrets',
      'Normalized path: /secrets',
      'Profile:         ci',
      'Matched rule:    none (default deny)',
      'Reason:          no_matching_allow_rule (no matching allow rule)',
      'Note:            sockguard serve answers 400 to this target: not canonical',
    ].join('\n'),
  );
});

test('paint is applied to the decision words only', () => {
  const tag: Paint = {
    green: (t) => `<g>${t}</g>`,
    red: (t) => `<r>${t}</r>`,
    yellow: (t) => `<y>${t}</y>`,
    dim: (t) => t,
  };
  const { refusedByServe: _refused, ...canonicalDeny } = denyReport;
  const text = formatDecisions([allowReport, canonicalDeny], {
    config: 'p.yaml',
    compatMode: false,
    paint: tag,
  });
  assert.match(text, /^Decision: {8}<g>ALLOW<\/g>$/m);
  assert.match(text, /^Decision: {8}<r>DENY<\/r>$/m);
  assert.doesNotMatch(text, /Mode:/);
});

const ORIGINS: [Parameters<typeof describeOrigin>[0], string][] = [
  [{ kind: 'file', file: 'a/b.yaml', line: 7, col: 3 }, 'a/b.yaml:7'],
  [{ kind: 'default' }, 'default policy'],
  [{ kind: 'compat', variables: [{ name: 'CONTAINERS', value: '1' }] }, 'compat rule generated from CONTAINERS=1'],
  [
    {
      kind: 'compat',
      variables: [
        { name: 'EXEC', value: 'yes' },
        { name: 'POST', value: 'true' },
      ],
    },
    'compat rule generated from EXEC=yes, POST=true',
  ],
  [{ kind: 'compat', variables: [{ name: 'PING' }] }, 'compat rule generated from PING (unset, on by default)'],
  [{ kind: 'compat', variables: [] }, 'compat rule: final deny'],
];

for (const [origin, text] of ORIGINS) {
  test(`describeOrigin: ${text}`, () => assert.equal(describeOrigin(origin), text));
}
