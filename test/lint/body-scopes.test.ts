import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyScopes, stringEntries } from '../../src/lint/body-scopes.js';
import { createLintContext } from '../../src/lint/lint-context.js';
import { loadPolicy } from '../../src/policy/load.js';

const scopesOf = (text: string, env?: Record<string, string>) =>
  bodyScopes(createLintContext(loadPolicy(text), env ? { env } : {}));

test('the root block and one block per profile, with pointers and message keys', () => {
  const scopes = scopesOf(
    [
      'request_body: { exec: { allow_root_user: true } }',
      'clients:',
      '  profiles:',
      '    - name: a',
      '      rules: [{ match: { method: POST, path: /containers/create }, action: allow }]',
      '    - name: b',
      '      request_body: { image_pull: { allow_official: true } }',
      '      rules: [{ match: { method: GET, path: /info }, action: allow }]',
    ].join('\n'),
  );
  assert.deepEqual(
    scopes.map((s) => [s.pointer, s.key, s.block]),
    [
      ['/request_body', 'request_body', { exec: { allow_root_user: true } }],
      ['/clients/profiles/0/request_body', 'clients.profiles[0].request_body', undefined],
      [
        '/clients/profiles/1/request_body',
        'clients.profiles[1].request_body',
        { image_pull: { allow_official: true } },
      ],
    ],
  );
  assert.equal(scopes[1]!.reachedBy('POST', '/containers/create'), 'rule 1 of profile "a"');
  assert.equal(scopes[2]!.reachedBy('POST', '/containers/create'), undefined);
  assert.equal(scopes[0]!.reachedBy('POST', '/containers/create'), undefined, 'root has only the default rules');
});

test('default and compat rules are named as such', () => {
  assert.equal(scopesOf('log: { level: info }')[0]!.reachedBy('GET', '/_ping'), 'default rule 1');
  const compat = scopesOf('log: { level: info }', { CONTAINERS: '1', POST: '1' });
  assert.match(compat[0]!.reachedBy('POST', '/containers/create') ?? '', /^compat rule \d+$/);
});

test('a policy that did not load reaches nothing (no compiled rules to ask)', () => {
  const scopes = scopesOf('rules: [{ match: { method: POST, path: /containers/create }, action: alow }]');
  assert.equal(scopes[0]!.reachedBy('POST', '/containers/create'), undefined);
});

test('stringEntries keeps the index of each string and skips the rest', () => {
  assert.deepEqual(stringEntries(['/a', 3, null, '/b']), [
    [0, '/a'],
    [3, '/b'],
  ]);
  assert.deepEqual(stringEntries('not a list'), []);
});
