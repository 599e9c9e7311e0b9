import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

const RULES = 'rules:\n  - match: { method: GET, path: /containers/json }\n    action: allow';

/** The severity of the invalid-visibility finding on each entry of one list (undefined: none). */
function severities(list: string, entries: readonly string[]): (string | undefined)[] {
  const text = `response:\n  ${list}: ${JSON.stringify(entries)}\n${RULES}`;
  const found = new Map(
    lintPolicyText(text)
      .filter((d) => d.code === 'policy/invalid-visibility')
      .map((d) => [Number(d.pointer.split('/').at(-1)), d.severity]),
  );
  return entries.map((_, i) => found.get(i));
}

test('invalid-visibility: label selectors', () => {
  const table: [string, string | undefined][] = [
    ['', 'error'],
    ['=', 'error'],
    ['=prod', 'error'],
    [' =prod', 'error'],
    [' team=web', 'warning'],
    ['team =web', 'warning'],
    ['team', undefined],
    ['team=', undefined],
    ['team=web', undefined],
    ['note=a=b', undefined],
    ['com.example.env=prod', undefined],
  ];
  assert.deepEqual(
    severities(
      'visible_resource_labels',
      table.map(([entry]) => entry),
    ),
    table.map(([, severity]) => severity),
  );
});

test('invalid-visibility: name patterns', () => {
  const table: [string, string | undefined][] = [
    ['', 'error'],
    ['/web', 'warning'],
    ['web-?', 'warning'],
    ['web-[0-9]', 'warning'],
    ['{web,api}', 'warning'],
    ['web', undefined],
    ['web-*', undefined],
    ['**', undefined],
  ];
  assert.deepEqual(
    severities(
      'name_patterns',
      table.map(([entry]) => entry),
    ),
    table.map(([, severity]) => severity),
  );
});

test('invalid-visibility: image patterns need a tag or a trailing wildcard', () => {
  const table: [string, string | undefined][] = [
    ['', 'error'],
    ['nginx', 'warning'],
    ['ghcr.io/acme/app', 'warning'],
    ['nginx:1.2?', 'warning'],
    ['nginx:*', undefined],
    ['ghcr.io/acme/**', undefined],
    ['ghcr.io/acme/*', undefined],
    ['redis@sha256:*', undefined],
    ['ghcr.io/acme/app:1', undefined],
  ];
  assert.deepEqual(
    severities(
      'image_patterns',
      table.map(([entry]) => entry),
    ),
    table.map(([, severity]) => severity),
  );
});

test('invalid-visibility: profile response blocks are checked and positioned on the item', () => {
  const text = [
    'clients:',
    '  default_profile: ci',
    '  profiles:',
    '    - name: ci',
    '      response:',
    '        visible_resource_labels: [ok, "=bad"]',
    '      rules:',
    '        - match: { method: GET, path: /containers/json }',
    '          action: allow',
    RULES,
  ].join('\n');
  const [finding, ...rest] = lintPolicyText(text).filter((d) => d.code === 'policy/invalid-visibility');
  assert.deepEqual(rest, []);
  assert.equal(finding?.pointer, '/clients/profiles/0/response/visible_resource_labels/1');
  assert.deepEqual(finding?.range?.start, { line: 6, col: 39 });
});
