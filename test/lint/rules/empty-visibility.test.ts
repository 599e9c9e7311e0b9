import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

const RULES = 'rules:\n  - match: { method: GET, path: /containers/json }\n    action: allow';

function pointers(root: readonly string[], profile: readonly string[] | undefined, ownership = ''): string[] {
  const profileBlock =
    profile === undefined
      ? ''
      : [
          'clients:',
          '  default_profile: ci',
          '  profiles:',
          '    - name: ci',
          `      response: { visible_resource_labels: ${JSON.stringify(profile)} }`,
          '      rules:',
          '        - match: { method: GET, path: /containers/json }',
          '          action: allow',
        ].join('\n');
  const text = [ownership, profileBlock, `response: { visible_resource_labels: ${JSON.stringify(root)} }`, RULES].join(
    '\n',
  );
  return lintPolicyText(text)
    .filter((d) => d.code === 'policy/empty-visibility')
    .map((d) => d.pointer);
}

const OWNER = 'ownership:\n  owner: team-a';

test('empty-visibility: contradictions and their position', () => {
  const table: [string, readonly string[], readonly string[] | undefined, string, string[]][] = [
    ['two values of one key', ['env=dev', 'env=prod'], undefined, '', ['/response/visible_resource_labels/1']],
    ['an empty value is a value', ['env=', 'env=prod'], undefined, '', ['/response/visible_resource_labels/1']],
    ['key only and a value agree', ['env', 'env=prod'], undefined, '', []],
    ['the same selector twice agrees', ['env=prod', 'env=prod'], undefined, '', []],
    ['different keys agree', ['env=prod', 'team=web'], undefined, '', []],
    ['keys are case-sensitive', ['env=prod', 'Env=dev'], undefined, '', []],
    ['profile against root', ['env=prod'], ['env=dev'], '', ['/clients/profiles/0/response/visible_resource_labels/0']],
    ['a root conflict is reported once', ['env=a', 'env=b'], ['team=x'], '', ['/response/visible_resource_labels/1']],
    [
      "another owner's value",
      ['com.sockguard.owner=team-b'],
      undefined,
      OWNER,
      ['/response/visible_resource_labels/0'],
    ],
    ["the owner's own value", ['com.sockguard.owner=team-a'], undefined, OWNER, []],
    ['owner label without ownership', ['com.sockguard.owner=team-b'], undefined, '', []],
    ['custom label key', ['team=b'], undefined, `${OWNER}\n  label_key: team`, ['/response/visible_resource_labels/0']],
  ];
  for (const [name, root, profile, ownership, expected] of table) {
    assert.deepEqual(pointers(root, profile, ownership), expected, name);
  }
});
