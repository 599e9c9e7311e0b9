import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPolicy } from '../../src/policy/load.js';
import { DEFAULT_RULES } from '../../src/policy/defaults.js';

const codes = (text: string) => loadPolicy(text, { file: 'p.yaml' }).diagnostics.map((d) => d.code);
const only = (text: string, code: string) => {
  const found = loadPolicy(text, { file: 'p.yaml' }).diagnostics.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(loadPolicy(text).diagnostics)}`);
  return found[0]!;
};

test('a minimal valid policy loads with defaults applied', () => {
  const loaded = loadPolicy('rules:\n  - match: { method: GET, path: /_ping }\n    action: allow\n');
  assert.deepEqual(loaded.diagnostics, []);
  assert.equal(loaded.policy?.upstream.socket, '/var/run/docker.sock');
  assert.equal(loaded.policy?.listen.address, '127.0.0.1:2375');
  assert.equal(loaded.policy?.request_body.image_pull.allow_official, true);
  assert.equal(loaded.policy?.rules?.length, 1);
});

test('absent or empty rules become the five default rules', () => {
  assert.deepEqual(loadPolicy('log: { level: debug }\n').policy?.rules, DEFAULT_RULES);
  assert.deepEqual(loadPolicy('rules: []\n').policy?.rules, DEFAULT_RULES);
});

test('profiles get no root defaults inside request_body (list elements are leaves)', () => {
  const loaded = loadPolicy(
    'clients:\n  profiles:\n    - name: ci\n      rules: [{ match: { method: GET, path: /_ping }, action: allow }]\n      request_body: { image_pull: { allow_imports: true } }\n',
  );
  const profile = loaded.policy?.clients.profiles?.[0];
  assert.equal(profile?.request_body?.image_pull?.allow_official, undefined);
});

test('empty file, whitespace-only file and a bare comment are "empty"', () => {
  for (const text of ['', '   \n', '# nothing\n']) assert.deepEqual(codes(text), ['yaml/empty'], JSON.stringify(text));
});

test('YAML syntax errors carry line and column', () => {
  const d = only('rules:\n  - match: { method: GET, path: /x\n    action: allow\n', 'yaml/syntax');
  assert.equal(d.file, 'p.yaml');
  assert.ok(d.range && d.range.start.line >= 1);
});

test('tab indentation is a syntax error with a position', () => {
  const d = loadPolicy('rules:\n\t- match: {}\n').diagnostics[0]!;
  assert.equal(d.code, 'yaml/syntax');
  assert.equal(d.range?.start.line, 2);
});

test('duplicate keys are reported at the second key', () => {
  const d = only('log:\n  level: info\nlog:\n  level: debug\n', 'yaml/duplicate-key');
  assert.equal(d.range?.start.line, 3);
});

test('more than one document is an error at the second', () => {
  const d = only('rules: []\n---\nrules: []\n', 'yaml/multi-document');
  assert.equal(d.range?.start.line, 2);
});

test('a list or scalar root is not a policy', () => {
  assert.deepEqual(codes('- a\n- b\n'), ['yaml/not-a-mapping']);
  assert.deepEqual(codes('hello\n'), ['yaml/not-a-mapping']);
});

test('unknown keys warn with a did-you-mean and point at the key', () => {
  const d = only('rules: []\nupstrem:\n  socket: /x\n', 'schema/unknown-key');
  assert.equal(d.severity, 'warning');
  assert.equal(d.suggestion, 'upstream');
  assert.deepEqual(d.range?.start, { line: 2, col: 1 });
  assert.equal(d.pointer, '/upstrem');
});

test('keys are case-insensitive upstream: accepted with a warning; case variants clash', () => {
  assert.equal(only('Rules: []\n', 'schema/key-case').suggestion, 'rules');
  assert.equal(only('rules: []\nRULES: []\n', 'schema/duplicate-key').severity, 'error');
});

test('wrong types are errors naming the key', () => {
  const d = only('listen:\n  socket_uid: [1]\n', 'schema/type');
  assert.match(d.message, /listen\.socket_uid must be an integer/);
  assert.equal(d.range?.start.line, 2);
});

test('weakly typed scalars are coerced like mapstructure, with a warning', () => {
  const loaded = loadPolicy('metrics:\n  enabled: "true"\nlisten:\n  socket_gid: "999"\n  socket: /run/s.sock\n');
  assert.equal(loaded.policy?.metrics.enabled, true);
  assert.equal(loaded.policy?.listen.socket_gid, 999);
  assert.deepEqual(
    loaded.diagnostics.map((d) => d.code),
    ['schema/coerced', 'schema/coerced'],
  );
});

test('bad enum values suggest the closest', () => {
  const d = only('log:\n  level: inf\n', 'schema/enum');
  assert.equal(d.suggestion, 'info');
  const action = only('rules:\n  - match: { method: GET, path: /x }\n    action: Allow\n', 'schema/enum');
  assert.match(action.message, /"allow" or "deny", got "Allow"/);
});

test('bad CIDRs, durations and an off timeout that is not lower-case', () => {
  assert.match(only('clients:\n  allowed_cidrs: [10.0.0.0/33]\n', 'schema/format').message, /not a CIDR/);
  assert.match(only('clients:\n  allowed_cidrs: ["10.0.0.1"]\n', 'schema/format').message, /not a CIDR/);
  assert.deepEqual(codes('clients:\n  allowed_cidrs: ["fd00::/8", "::1/128", "0.0.0.0/0"]\n'), []);
  assert.match(only('upstream:\n  request_timeout: 10 seconds\n', 'schema/format').message, /not a duration/);
  assert.match(only('upstream:\n  request_timeout: OFF\n', 'schema/format').message, /exact, lower-case/);
  assert.deepEqual(codes('upstream:\n  request_timeout: "off"\nreload:\n  debounce: 1m30s\n'), []);
});

test('an unquoted octal socket mode is explained precisely', () => {
  const d = only('listen:\n  socket: /run/s.sock\n  socket_mode: 0600\n', 'yaml/octal-mode');
  assert.match(d.message, /octal 384/);
  assert.equal(d.suggestion, '"0600"');
  assert.equal(d.range?.start.line, 3);
  assert.equal(only('listen:\n  socket: /run/s.sock\n  socket_mode: "0644"\n', 'schema/enum').severity, 'error');
});

test('a % in a rule path is rejected with the Go message', () => {
  const d = only(
    'rules:\n  - match: { method: GET, path: "/containers/a%2Fb" }\n    action: allow\n',
    'config/percent-in-path',
  );
  assert.match(d.message, /^rule 1: match\.path "\/containers\/a%2Fb" contains a literal '%'/);
  assert.equal(d.range?.start.line, 2);
});

test('missing method, path and action use the Go messages', () => {
  const found = loadPolicy('rules:\n  - match: {}\n').diagnostics.map((d) => d.message);
  assert.deepEqual(found, [
    'rule 1: match.method is required',
    'rule 1: match.path is required',
    'rule 1: action must be allow or deny, got ""',
  ]);
});

test('cross-field checks: listen vs listeners, TLS parts, 0660 without gid, plain TCP', () => {
  assert.ok(
    codes(
      'listen: { address: 127.0.0.1:2375 }\nlisteners:\n  - { name: a, socket: /a.sock, allowed_profiles: ["*"] }\n',
    ).includes('config/listen-exclusive'),
  );
  assert.ok(codes('listen:\n  tls: { cert_file: /c }\n').includes('config/tls-incomplete'));
  assert.ok(codes('listen:\n  socket: /s.sock\n  socket_mode: "0660"\n').includes('config/socket-mode'));
  assert.ok(codes('listen:\n  address: 0.0.0.0:2375\n').includes('config/plaintext-tcp'));
  assert.ok(codes('listen:\n  address: ":2375"\n').includes('config/plaintext-tcp'));
  assert.deepEqual(codes('listen:\n  address: "[::1]:2375"\n'), []);
  assert.deepEqual(
    codes(
      'listen:\n  address: 0.0.0.0:2375\n  insecure_allow_plain_tcp: true\n  insecure_allow_unauthenticated_clients: true\n',
    ),
    [],
  );
  assert.ok(
    codes('listen:\n  address: 0.0.0.0:2375\n  insecure_allow_plain_tcp: true\n').includes('config/plaintext-tcp'),
  );
});

test('profiles: unique names, at least one rule, selectors must name a profile', () => {
  const text = [
    'clients:',
    '  default_profile: nope',
    '  profiles:',
    '    - name: a',
    '      rules: []',
    '    - name: a',
    '      rules: [{ match: { method: GET, path: /x }, action: allow }]',
    '  unix_peer_profiles:',
    '    - { profile: a, pids: [12] }',
  ].join('\n');
  const messages = loadPolicy(text).diagnostics.map((d) => d.message);
  assert.ok(messages.includes('clients.profiles[0].rules must contain at least one rule'));
  assert.ok(messages.includes('clients.profiles[].name must be unique, got duplicate "a"'));
  assert.ok(messages.includes('clients.default_profile must match a configured client profile, got "nope"'));
  assert.ok(messages.some((m) => m.includes('selects by pid only')));
});

test('keys the proxy does not enforce yet are reported as info, naming the key', () => {
  const d = only('policy_bundle:\n  enabled: false\n', 'schema/not-implemented');
  assert.equal(d.severity, 'info');
  assert.match(d.message, /policy_bundle/);
});

test('anchors and aliases resolve; positions still point into the file', () => {
  const loaded = loadPolicy(
    'x-allow: &allow allow\nrules:\n  - match: { method: GET, path: /_ping }\n    action: *allow\n',
  );
  assert.equal(loaded.policy?.rules?.[0]?.action, 'allow');
  assert.ok(loaded.diagnostics.some((d) => d.code === 'schema/unknown-key' && d.pointer === '/x-allow'));
});

test('every diagnostic carries the file name it was loaded from', () => {
  for (const d of loadPolicy('log:\n  level: loud\nfoo: 1\n', { file: 'p.yaml' }).diagnostics)
    assert.equal(d.file, 'p.yaml');
});
