import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPolicy, lintPolicyText } from '../../src/lint/lint-policy.js';
import { loadPolicy } from '../../src/policy/load.js';

const rule = (method: string, path: string, action = 'allow') =>
  `  - match: { method: "${method}", path: "${path}" }\n    action: ${action}\n`;
const summary = (text: string, options = {}) =>
  lintPolicyText(text, { file: 'p.yaml', ...options }).map((d) => `${d.range?.start.line}:${d.code}`);

test('loader diagnostics and lint findings come together, ordered by position', () => {
  const text = `rules:\n${rule('GET', '/containers/*/json')}${rule('GET', '/containers/web/json', 'deny')}lgo: {}\n`;
  assert.deepEqual(summary(text), ['4:rule/shadowed', '6:schema/unknown-key']);
});

test('findings carry the file and the range of the node they are about', () => {
  const [d] = lintPolicyText(`rules:\n${rule('GET', '/v1.45/info')}`, { file: 'p.yaml' });
  assert.equal(d?.file, 'p.yaml');
  assert.equal(d?.pointer, '/rules/0/match/path');
  // `  - match: { method: "GET", path: "/v1.45/info" }`: the quoted path value.
  assert.deepEqual(d?.range, { start: { line: 2, col: 35 }, end: { line: 2, col: 48 } });
});

test('with loader errors, rule-level checks still run but probe checks (which need a valid policy) do not', () => {
  const text = `listen:\n  socket_mode: 0600\nrules:\n${rule('GET', '/containers/**')}${rule('GET', '/v1.45/info')}`;
  assert.deepEqual(summary(text), ['2:yaml/octal-mode', '6:rule/version-prefix']);
  const valid = text.replace('socket_mode: 0600', 'socket_mode: "0600"');
  assert.ok(summary(valid).includes('4:exposure/read-exfiltration'));
});

test('a malformed rule is left to the loader and does not shift the numbers of the others', () => {
  const text = `rules:\n${rule('GET', '/info')}  - match: { method: GET }\n    action: allow\n${rule('GET', '/v1/info')}`;
  const found = lintPolicyText(text);
  assert.deepEqual(
    found.map((d) => d.code),
    ['config/required', 'rule/version-prefix'],
  );
  assert.match(found[1]!.message, /^rule 3: /);
});

test('profile rules are checked too, named by profile, with pointers into the profile', () => {
  const text = `clients:\n  default_profile: ci\n  profiles:\n    - name: ci\n      rules:\n        - match: { method: GET, path: /info }\n          action: allow\n        - match: { method: GET, path: /info/ }\n          action: allow\n`;
  const [d] = lintPolicyText(text);
  assert.equal(d?.code, 'rule/unclean-pattern');
  assert.equal(d?.pointer, '/clients/profiles/0/rules/1/match/path');
  assert.match(d!.message, /^rule 2 of profile "ci": /);
  assert.equal(d?.range?.start.line, 8);
});

test('with a compat environment, findings about generated rules point at the rule list', () => {
  const defaults = `rules:\n${rule('GET', '/_ping')}${rule('HEAD', '/_ping')}${rule('GET', '/version')}${rule('GET', '/events')}  - match: { method: "*", path: "/**" }\n    action: deny\n    reason: no matching allow rule\n`;
  assert.deepEqual(summary(defaults), ['2:policy/compat-defaults']);
  const withEnv = lintPolicy(loadPolicy(defaults), { env: { CONTAINERS: '1' } });
  const exfiltration = withEnv.find((d) => d.code === 'exposure/read-exfiltration');
  assert.equal(exfiltration?.pointer, '/rules');
  assert.match(exfiltration!.message, /^compat rule \d+ allows GET \/containers\/sockguard-test\/archive/);
});

test('an empty or unparsable file yields only the loader diagnostic', () => {
  assert.deepEqual(summary(''), ['1:yaml/empty']);
  assert.deepEqual(summary('rules: [\n'), ['2:yaml/syntax']);
});

test('a 1,000-rule policy lints completely (timing belongs to npm run bench)', () => {
  const shapes: ((i: number) => [method: string, path: string])[] = [
    (i: number) => ['GET', `/containers/app-${i}/json`],
    (i: number) => ['POST', `/containers/app-${i}/start`],
    (i: number) => ['GET', `/images/team/repo-${i}/json`],
    (i: number) => ['DELETE', `/volumes/vol-${i}`],
    (i: number) => ['GET,HEAD', `/containers/team-${i}-*/json`],
    (i: number) => ['POST', `/networks/net-${i}/connect`],
    (i: number) => ['GET', `/services/svc-${i}/**`],
    (i: number) => ['GET', `/containers/*/x${i}`],
  ];
  const rules = Array.from({ length: 1000 }, (_, i) => {
    const [method, path] = shapes[i % shapes.length]!(i);
    return rule(method, path, i % 7 === 0 ? 'deny' : 'allow');
  });
  const text = `rules:\n${rules.join('')}  - match: { method: "*", path: "/**" }\n    action: deny\n`;
  const found = lintPolicyText(text);
  // The `/containers/*/x<i>` paths match no endpoint; everything else is well-formed and distinct.
  assert.equal(found.filter((d) => d.code === 'rule/unknown-endpoint').length, 125);
  assert.equal(found.filter((d) => d.code !== 'rule/unknown-endpoint').length, 0);
});
