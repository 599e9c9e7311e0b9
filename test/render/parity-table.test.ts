import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatParitySummary,
  formatParityTable,
  groupParityDifferences,
  toParityJson,
} from '../../src/render/parity-table.js';
import type { CorpusRequest } from '../../src/verify/corpus.js';
import { summarizeParity, type Change, type ParityRow } from '../../src/verify/parity.js';

test('the summary line: counts with thousands separators, explained shares, unexplained total', () => {
  assert.equal(
    formatParitySummary({
      total: 41234,
      identical: 40100,
      tightened: 1100,
      loosened: 34,
      unexplained: { tightened: 0, loosened: 0 },
    }),
    'parity: 41,234 requests — 40,100 identical, 1,100 tightened (explained), 34 loosened (explained), 0 unexplained',
  );
  assert.equal(
    formatParitySummary({
      total: 1200,
      identical: 1000,
      tightened: 190,
      loosened: 10,
      unexplained: { tightened: 5, loosened: 10 },
    }),
    'parity: 1,200 requests — 1,000 identical, 190 tightened (185 explained), 10 loosened (0 explained), 15 unexplained',
  );
  assert.equal(
    formatParitySummary({
      total: 3,
      identical: 3,
      tightened: 0,
      loosened: 0,
      unexplained: { tightened: 0, loosened: 0 },
    }),
    'parity: 3 requests — 3 identical, 0 tightened, 0 loosened, 0 unexplained',
  );
});

const catalog = (method: string, target: string, template: string, endpoint?: string): CorpusRequest => ({
  method,
  target,
  family: 'catalog',
  template,
  ...(endpoint !== undefined ? { endpoint } : {}),
});
const quirk = (method: string, target: string, kind: CorpusRequest['quirk']): CorpusRequest => ({
  method,
  target,
  family: 'quirk',
  ...(kind !== undefined ? { quirk: kind } : {}),
});

function row(request: CorpusRequest, change: Change, explainedBy: string[] = []): ParityRow {
  const oldAllow = change !== 'loosened';
  const newAllow = change !== 'tightened';
  return {
    request,
    old: {
      allow: oldAllow,
      reason: oldAllow ? 'CONTAINERS=1' : 'catch-all deny',
      ...(oldAllow ? {} : { status: 403 }),
    },
    new: newAllow
      ? { allow: true, reason: 'rule #1 (allow GET /containers/**)', ruleIndex: 0, normalizedPath: '/p' }
      : {
          allow: false,
          reason: 'rule #2 (deny * /**): no matching allow rule',
          status: 403,
          ruleIndex: 1,
          normalizedPath: '/p',
        },
    change,
    explainedBy,
  };
}

const LOGS = '/containers/{id}/logs';
const ROWS: ParityRow[] = [
  row(catalog('GET', '/containers/json', '/containers/json', 'ContainerList'), 'identical'),
  row(catalog('GET', '/containers/a/logs', LOGS, 'ContainerLogs'), 'tightened', ['migrate/read-exfiltration-withheld']),
  row(catalog('GET', '/v1.41/containers/a/logs', LOGS, 'ContainerLogs'), 'tightened', [
    'migrate/read-exfiltration-withheld',
  ]),
  row(quirk('GET', '/containersfoo', 'prefix-extension'), 'tightened', ['migrate/tecnativa/prefix-match']),
  row(quirk('GET', '/CONTAINERS/JSON', 'case'), 'tightened'),
  row(catalog('DELETE', '/containers/a/logs', LOGS), 'loosened', ['migrate/post-opens-all-methods']),
  row(quirk('HEAD', '/Containers/json', 'case'), 'tightened'),
  row(quirk('GET', '/v1.41/containersfoo', 'prefix-extension'), 'tightened', ['migrate/tecnativa/prefix-match']),
];

test('differences are grouped by endpoint, change and explanation: unexplained first, loosened before tightened', () => {
  assert.deepEqual(
    groupParityDifferences(ROWS).map((g) => [g.endpoint, g.change, g.explainedBy, g.count, g.example.request.target]),
    [
      ['quirk:case GET', 'tightened', [], 1, '/CONTAINERS/JSON'],
      ['quirk:case HEAD', 'tightened', [], 1, '/Containers/json'],
      ['DELETE /containers/{id}/logs', 'loosened', ['migrate/post-opens-all-methods'], 1, '/containers/a/logs'],
      [
        'GET /containers/{id}/logs (ContainerLogs)',
        'tightened',
        ['migrate/read-exfiltration-withheld'],
        2,
        '/containers/a/logs',
      ],
      ['quirk:prefix-extension GET', 'tightened', ['migrate/tecnativa/prefix-match'], 2, '/containersfoo'],
    ],
  );
});

test('the --verify table: one aligned line per group; unexplained groups also show both reasons', () => {
  assert.equal(
    formatParityTable(ROWS, summarizeParity(ROWS)),
    [
      'parity: 8 requests — 1 identical, 6 tightened (4 explained), 1 loosened (explained), 2 unexplained',
      '',
      'change     count  endpoint                                   explained by                        example',
      'tightened      1  quirk:case GET                             UNEXPLAINED                         GET /CONTAINERS/JSON',
      '    old: allowed (CONTAINERS=1)',
      '    new: denied (rule #2 (deny * /**): no matching allow rule)',
      'tightened      1  quirk:case HEAD                            UNEXPLAINED                         HEAD /Containers/json',
      '    old: allowed (CONTAINERS=1)',
      '    new: denied (rule #2 (deny * /**): no matching allow rule)',
      'loosened       1  DELETE /containers/{id}/logs               migrate/post-opens-all-methods      DELETE /containers/a/logs',
      'tightened      2  GET /containers/{id}/logs (ContainerLogs)  migrate/read-exfiltration-withheld  GET /containers/a/logs',
      'tightened      2  quirk:prefix-extension GET                 migrate/tecnativa/prefix-match      GET /containersfoo',
    ].join('\n'),
  );
});

test('without differences the table is the summary line alone', () => {
  const rows = [ROWS[0]!];
  assert.equal(
    formatParityTable(rows, summarizeParity(rows)),
    'parity: 1 request — 1 identical, 0 tightened, 0 loosened, 0 unexplained',
  );
});

test('the JSON: summary, groups and every difference (identical rows only counted)', () => {
  const json = toParityJson(ROWS, summarizeParity(ROWS));
  assert.deepEqual(json.summary, {
    total: 8,
    identical: 1,
    tightened: 6,
    loosened: 1,
    unexplained: { tightened: 2, loosened: 0 },
  });
  assert.equal(json.groups.length, 5);
  assert.deepEqual(json.groups[3], {
    endpoint: 'GET /containers/{id}/logs (ContainerLogs)',
    change: 'tightened',
    explained_by: ['migrate/read-exfiltration-withheld'],
    count: 2,
    example: {
      method: 'GET',
      target: '/containers/a/logs',
      family: 'catalog',
      endpoint: 'ContainerLogs',
      template: LOGS,
    },
  });
  assert.equal(json.differences.length, 7);
  assert.deepEqual(json.differences[0], {
    request: {
      method: 'GET',
      target: '/containers/a/logs',
      family: 'catalog',
      endpoint: 'ContainerLogs',
      template: LOGS,
    },
    change: 'tightened',
    old: { allow: true, reason: 'CONTAINERS=1' },
    new: {
      allow: false,
      reason: 'rule #2 (deny * /**): no matching allow rule',
      status: 403,
      rule: 2,
      normalized_path: '/p',
    },
    explained_by: ['migrate/read-exfiltration-withheld'],
  });
  assert.deepEqual(json.differences[3]!.request, {
    method: 'GET',
    target: '/CONTAINERS/JSON',
    family: 'quirk',
    quirk: 'case',
  });
  // Round-trips through JSON unchanged (no functions, no undefined).
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});
