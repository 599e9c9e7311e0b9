import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

type Rule = readonly [action: 'allow' | 'deny', method: string, path: string];

const ruleYaml = ([action, method, path]: Rule) =>
  `  - match: { method: "${method}", path: "${path}" }\n    action: ${action}\n`;

function flagged(rules: readonly Rule[]) {
  return lintPolicyText(`insecure_allow_read_exfiltration: true\nrules:\n${rules.map(ruleYaml).join('')}`)
    .filter((d) => d.code === 'rule/slash-name-deny')
    .map((d) => ({ pointer: d.pointer, suggestion: d.suggestion }));
}

test('a one-segment deny on a greedy-name route is flagged when a later rule allows the slashed name', () => {
  const cases: [name: string, rules: Rule[], expected: { pointer: string; suggestion: string }[]][] = [
    [
      'container archive behind /containers/**',
      [
        ['deny', 'GET', '/containers/*/archive'],
        ['allow', 'GET', '/containers/**'],
      ],
      [{ pointer: '/rules/0/match/path', suggestion: '/containers/**/archive' }],
    ],
    [
      'container delete behind a catch-all allow',
      [
        ['deny', 'DELETE', '/containers/*'],
        ['allow', '*', '/**'],
      ],
      [{ pointer: '/rules/0/match/path', suggestion: '/containers/**' }],
    ],
    [
      'image export behind /images/**',
      [
        ['deny', 'GET', '/images/*/get'],
        ['allow', 'GET', '/images/**'],
      ],
      [{ pointer: '/rules/0/match/path', suggestion: '/images/**/get' }],
    ],
    [
      'plugin enable, method list overlapping on POST only',
      [
        ['deny', 'POST,PUT', '/plugins/*/enable'],
        ['allow', 'POST', '/plugins/**'],
      ],
      [{ pointer: '/rules/0/match/path', suggestion: '/plugins/**/enable' }],
    ],
    [
      'the deny already covers every name',
      [
        ['deny', 'GET', '/containers/**/archive'],
        ['allow', 'GET', '/containers/**'],
      ],
      [],
    ],
    [
      'no later rule allows the slashed name (the allow is one-segment too)',
      [
        ['deny', 'GET', '/containers/*/archive'],
        ['allow', 'GET', '/containers/*/json'],
      ],
      [],
    ],
    [
      'the allow covers other methods only',
      [
        ['deny', 'POST', '/containers/*/kill'],
        ['allow', 'GET', '/containers/**'],
      ],
      [],
    ],
    [
      'exec IDs never hold "/"',
      [
        ['deny', 'POST', '/exec/*/start'],
        ['allow', 'POST', '/exec/**'],
      ],
      [],
    ],
    [
      'volume names never hold "/"',
      [
        ['deny', 'DELETE', '/volumes/*'],
        ['allow', 'DELETE', '/volumes/**'],
      ],
      [],
    ],
    [
      'services take one-segment names',
      [
        ['deny', 'GET', '/services/*/logs'],
        ['allow', 'GET', '/services/**'],
      ],
      [],
    ],
    [
      'a name pattern narrower than * is left alone',
      [
        ['deny', 'GET', '/containers/db*/archive'],
        ['allow', 'GET', '/containers/**'],
      ],
      [],
    ],
    [
      'an allow rule is never flagged',
      [
        ['allow', 'GET', '/containers/*/json'],
        ['allow', 'GET', '/containers/**'],
      ],
      [],
    ],
  ];
  for (const [name, rules, expected] of cases) assert.deepEqual(flagged(rules), expected, name);
});

test('profiles are checked against their own rules', () => {
  const text = [
    'clients:',
    '  default_profile: ci',
    '  profiles:',
    '    - name: ci',
    '      rules:',
    '        - match: { method: "GET", path: "/containers/*/export" }',
    '          action: deny',
    '        - match: { method: "GET", path: "/containers/**" }',
    '          action: allow',
    'insecure_allow_read_exfiltration: true',
  ].join('\n');
  const findings = lintPolicyText(text).filter((d) => d.code === 'rule/slash-name-deny');
  assert.deepEqual(
    findings.map((d) => d.pointer),
    ['/clients/profiles/0/rules/0/match/path'],
  );
  assert.match(
    findings[0]!.message,
    /GET \/containers\/web\/db\/export reaches the same endpoint and rule 2 of profile "ci"/,
  );
});
