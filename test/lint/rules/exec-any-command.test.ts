import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicyText } from '../../../src/lint/lint-policy.js';

/** A policy allowing exec create with one template. */
const policy = (template: readonly string[], ruleMethod = 'POST') =>
  [
    'request_body:',
    '  exec:',
    `    allowed_commands: [${JSON.stringify(template)}]`,
    'rules:',
    `  - match: { method: ${ruleMethod}, path: "/containers/*/exec" }`,
    '    action: allow',
    `  - match: { method: POST, path: "/exec/*/start" }`,
    '    action: allow',
  ].join('\n');

const findings = (template: readonly string[], ruleMethod?: string) =>
  lintPolicyText(policy(template, ruleMethod)).filter((d) => d.code === 'exposure/exec-any-command');

const OPEN: [string[], RegExp][] = [
  [['*'], /first token "\*" admits any program/],
  [['**'], /first token "\*\*" admits any program/],
  [['*', 'status'], /first token/],
  [['sh', '-c', '*'], /admits any sh script/],
  [['/bin/sh', '-c', '**'], /admits any sh script/],
  [['/usr/local/bin/bash', '-c', '*'], /admits any bash script/],
  [['ash', '-c', '*'], /ash script/],
  [['python', '-c', '*'], /python script/],
  [['perl', '-E', '*'], /perl script/],
  [['node', '--eval', '*'], /node script/],
  [['php', '-r', '*'], /php script/],
  [['gawk', '*'], /gawk program/],
  [['timeout', '10', 'sh', '-c', '*'], /sh script/],
  [['/bin/*', '-c', '*'], /sh script/],
  [['sh', '-*', '*'], /sh script/],
];

for (const [template, why] of OPEN) {
  test(`exec-any-command reports ${JSON.stringify(template)}`, () => {
    const found = findings(template);
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, why);
    assert.equal(found[0]!.severity, 'error');
    assert.equal(found[0]!.pointer, '/request_body/exec/allowed_commands/0');
  });
}

const EXACT: string[][] = [
  ['/app/healthcheck'],
  ['sh', '-c', 'nginx -t'],
  ['sh', '/scripts/*.sh'],
  ['sh', '-c', 'pg_dump *'],
  ['python3', '/app/manage.py', '*'],
  ['nginx', '-s', '*'],
  ['sh', '-x', '*'],
  ['cat', '*'],
];

for (const template of EXACT) {
  test(`exec-any-command accepts ${JSON.stringify(template)}`, () => assert.deepEqual(findings(template), []));
}

test('exec-any-command is silent when no rule lets clients create execs', () => {
  assert.deepEqual(findings(['sh', '-c', '*'], 'GET'), []);
});
