import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSuite } from '../../src/cases/load-suite.js';

test('a plain list of cases, with line numbers and optional rule/profile', () => {
  const text = [
    '- name: ping',
    '  request: get /_ping',
    '  expect: allow',
    '  rule: 1',
    '- name: no exec',
    '  request: POST /containers/x/exec',
    '  expect: deny',
    '  rule: /**',
    '  profile: ci',
  ].join('\n');
  const { suite, diagnostics } = loadSuite(text, { file: 'c.yaml' });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(suite, {
    env: {},
    cases: [
      { name: 'ping', request: { method: 'GET', target: '/_ping' }, expect: 'allow', rule: 1, line: 1 },
      {
        name: 'no exec',
        request: { method: 'POST', target: '/containers/x/exec' },
        expect: 'deny',
        rule: '/**',
        profile: 'ci',
        line: 5,
      },
    ],
  });
});

test('a mapping with cases, config and env (scalars become strings)', () => {
  const text = [
    'config: ../policy.yaml',
    'env:',
    '  CONTAINERS: 1',
    '  POST: false',
    '  INFO: "yes"',
    'cases:',
    '  - { name: list, request: GET /containers/json, expect: allow }',
  ].join('\n');
  const { suite, diagnostics } = loadSuite(text);
  assert.deepEqual(diagnostics, []);
  assert.equal(suite?.config, '../policy.yaml');
  assert.deepEqual(suite?.env, { CONTAINERS: '1', POST: 'false', INFO: 'yes' });
  assert.equal(suite?.cases[0]?.line, 7);
});

/** [name, suite text, expected "code line:col" findings, message pattern of the first]. */
const BAD: [string, string, string[], RegExp][] = [
  ['empty file', '', ['cases/empty'], /no cases/],
  ['empty list', '[]', ['cases/empty 1:1'], /no cases/],
  ['a scalar', 'hello', ['cases/wrong-shape 1:1'], /list of cases or a mapping/],
  ['mapping without cases', 'config: p.yaml', ['cases/missing-key 1:1'], /no "cases:" list/],
  ['cases not a list', 'cases:\n  name: x', ['cases/wrong-shape 2:3'], /"cases" must be a list, got a object/],
  [
    'unknown top-level key',
    'case:\n  - {name: a, request: GET /, expect: allow}\ncases: []',
    ['cases/unknown-key 1:1', 'cases/empty 3:8'],
    /unknown key "case"; did you mean "cases"\?/,
  ],
  ['YAML syntax error', 'cases: [\n', ['yaml/syntax'], /./],
  ['duplicate key', '- name: a\n  name: b\n  request: GET /\n  expect: allow', ['yaml/duplicate-key 2:3'], /unique/],
  ['a case that is not a mapping', '- GET /_ping', ['cases/wrong-shape 1:3'], /case 1 must be a mapping/],
  ['missing keys', '- name: a', ['cases/missing-key 1:3', 'cases/missing-key 1:3'], /case 1 has no "request"/],
  [
    'unknown case key',
    '- name: a\n  request: GET /\n  expect: allow\n  expected: deny',
    ['cases/unknown-key 4:3'],
    /unknown key "expected"; did you mean "expect"\?/,
  ],
  [
    'bad request',
    '- name: a\n  request: GET containers\n  expect: allow',
    ['cases/bad-request 2:12'],
    /"request": the request path must start with "\/"/,
  ],
  [
    'request not a string',
    '- name: a\n  request: [GET, /]\n  expect: allow',
    ['cases/bad-request 2:12'],
    /must be "METHOD PATH", got a list/,
  ],
  [
    'bad expect',
    '- name: a\n  request: GET /\n  expect: allowed',
    ['cases/bad-value 3:11'],
    /"expect" must be allow or deny, got "allowed"/,
  ],
  [
    'rule zero',
    '- name: a\n  request: GET /\n  expect: allow\n  rule: 0',
    ['cases/bad-value 4:9'],
    /rule number \(1-based\)/,
  ],
  ['rule fraction', '- name: a\n  request: GET /\n  expect: allow\n  rule: 1.5', ['cases/bad-value 4:9'], /got 1.5/],
  [
    'rule without leading slash',
    '- name: a\n  request: GET /\n  expect: allow\n  rule: containers/**',
    ['cases/bad-value 4:9'],
    /starting with "\/"/,
  ],
  ['empty name', '- name: ""\n  request: GET /\n  expect: allow', ['cases/bad-value 1:9'], /non-empty string/],
  [
    'empty profile',
    '- name: a\n  request: GET /\n  expect: allow\n  profile: ""',
    ['cases/bad-value 4:12'],
    /profile name/,
  ],
  [
    'env not a mapping',
    'env: [A]\ncases:\n  - {name: a, request: GET /, expect: allow}',
    ['cases/bad-value 1:6'],
    /"env" must map/,
  ],
  [
    'env value not scalar',
    'env:\n  A: [1]\ncases:\n  - {name: a, request: GET /, expect: allow}',
    ['cases/bad-value 2:6'],
    /env A must be a scalar/,
  ],
  [
    'bad config',
    'config: 3\ncases:\n  - {name: a, request: GET /, expect: allow}',
    ['cases/bad-value 1:9'],
    /"config" must be a file path/,
  ],
  [
    'body and body_file together',
    '- name: a\n  request: POST /containers/create\n  expect: deny\n  body: {}\n  body_file: b.json',
    ['cases/bad-value 5:14'],
    /give "body" or "body_file", not both/,
  ],
  [
    'body_file not a path',
    '- name: a\n  request: POST /build\n  expect: deny\n  body_file: 3',
    ['cases/bad-value 4:14'],
    /"body_file" must be a file path/,
  ],
  [
    'headers not a mapping',
    '- name: a\n  request: POST /build\n  expect: deny\n  headers: [X-A]',
    ['cases/bad-value 4:12'],
    /"headers" must map header names to values, got a list/,
  ],
  [
    'a framing header',
    '- name: a\n  request: POST /build\n  expect: deny\n  headers: { Content-Length: 3 }',
    ['cases/bad-value 4:30'],
    /Content-Length describes framing/,
  ],
  [
    'a header value that is a mapping',
    '- name: a\n  request: POST /build\n  expect: deny\n  headers: { X-A: { b: c } }',
    ['cases/bad-value 4:19'],
    /header X-A must be a string or a list of strings, got a object/,
  ],
  [
    'a bad client_ip',
    '- name: a\n  request: GET /\n  expect: deny\n  client_ip: 10.0.0.1/8',
    ['cases/bad-value 4:14'],
    /"client_ip": expected an IP address/,
  ],
  [
    'a client_ip that is a number',
    '- name: a\n  request: GET /\n  expect: deny\n  client_ip: 10',
    ['cases/bad-value 4:14'],
    /"client_ip": expected an IP address, got a number/,
  ],
  [
    'a bad unix_peer',
    '- name: a\n  request: GET /\n  expect: deny\n  unix_peer: "1000:-1"',
    ['cases/bad-value 4:14'],
    /"unix_peer": gid must be a decimal number/,
  ],
  [
    'a unix_peer YAML reads as a number',
    '- name: a\n  request: GET /\n  expect: deny\n  unix_peer: 1000',
    ['cases/bad-value 4:14'],
    /expected "uid:gid\[:pid\]" as a string, got a number/,
  ],
  [
    'an empty client_cert',
    '- name: a\n  request: GET /\n  expect: deny\n  client_cert: ""',
    ['cases/bad-value 4:16'],
    /"client_cert" must be a PEM file path or PEM text/,
  ],
  [
    'an empty listener',
    '- name: a\n  request: GET /\n  expect: deny\n  listener: ""',
    ['cases/bad-value 4:13'],
    /"listener" must be a listener name/,
  ],
  [
    'a profile together with a client identity',
    '- name: a\n  request: GET /\n  expect: deny\n  profile: ci\n  client_ip: 10.0.0.1',
    ['cases/bad-value 4:12'],
    /"profile" and "client_ip" exclude each other/,
  ],
  [
    'duplicate names',
    '- {name: a, request: GET /, expect: allow}\n- {name: a, request: GET /x, expect: deny}',
    ['cases/duplicate-name 2:10'],
    /case name "a" is already used on line 1/,
  ],
];

for (const [name, text, expected, message] of BAD) {
  test(`suite diagnostics: ${name}`, () => {
    const { suite, diagnostics } = loadSuite(text, { file: 'suite.yaml' });
    assert.equal(suite, undefined);
    const got = diagnostics.map((d) => `${d.code}${d.range ? ` ${d.range.start.line}:${d.range.start.col}` : ''}`);
    if (expected.every((e) => e.includes(' '))) assert.deepEqual(got, expected);
    else
      assert.deepEqual(
        diagnostics.map((d) => d.code),
        expected,
      );
    assert.match(diagnostics[0]!.message, message);
    for (const d of diagnostics) {
      assert.equal(d.severity, 'error');
      assert.equal(d.file, 'suite.yaml');
    }
  });
}

test('one bad case does not hide the problems of the next', () => {
  const { diagnostics } = loadSuite(
    '- {name: a, request: GET, expect: allow}\n- {name: b, request: GET /, expect: maybe}',
  );
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range?.start.line]),
    [
      ['cases/bad-request', 1],
      ['cases/bad-value', 2],
    ],
  );
});

test('what a case carries: inline bodies (JSON for mappings, bytes for strings), files, headers, client', () => {
  const text = [
    '- name: mapping body',
    '  request: POST /containers/create',
    '  expect: deny',
    '  body: { Image: nginx, HostConfig: { Privileged: true } }',
    '  headers: { X-Registry-Auth: e30=, X-Multi: [a, b] }',
    '  client_ip: 10.1.0.9',
    '  listener: public',
    '- name: raw body and files',
    '  request: POST /build',
    '  expect: deny',
    '  body: \'{"a":1,"A":2}\'',
    '  unix_peer: "1000:100:7"',
    '- name: files',
    '  request: POST /build',
    '  expect: deny',
    '  body_file: ctx.tar',
    '  client_cert: certs/ci.pem',
    '- name: inline pem',
    '  request: GET /_ping',
    '  expect: allow',
    '  client_cert: |',
    '    -----BEGIN CERTIFICATE-----',
    '    MIIB',
    '    -----END CERTIFICATE-----',
    '- name: plain',
    '  request: GET /_ping',
    '  expect: allow',
  ].join('\n');
  const { suite, diagnostics } = loadSuite(text);
  assert.deepEqual(diagnostics, []);
  const [mapping, raw, files, pem, plain] = suite!.cases;
  const decode = (i: typeof mapping) =>
    i?.input?.body?.kind === 'inline' ? new TextDecoder().decode(i.input.body.bytes) : undefined;
  assert.equal(decode(mapping), '{"Image":"nginx","HostConfig":{"Privileged":true}}');
  assert.deepEqual(mapping?.input?.headers, { 'x-registry-auth': 'e30=', 'x-multi': ['a', 'b'] });
  assert.equal(mapping?.input?.clientIp, '10.1.0.9');
  assert.equal(mapping?.input?.listener, 'public');
  assert.equal(
    decode(raw),
    '{"a":1,"A":2}',
    'a string body is kept byte for byte (duplicate keys reach the inspector)',
  );
  assert.deepEqual(raw?.input?.unixPeer, { uid: 1000, gid: 100, pid: 7 });
  assert.deepEqual(files?.input?.body, { kind: 'file', path: 'ctx.tar' });
  assert.deepEqual(files?.input?.clientCert, { kind: 'file', path: 'certs/ci.pem' });
  assert.equal(pem?.input?.clientCert?.kind, 'pem');
  assert.equal(plain?.input, undefined, 'no input object for a plain case');
});
