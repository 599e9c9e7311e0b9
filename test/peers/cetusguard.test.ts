import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CETUSGUARD_BUILTIN_RULES, parseCetusGuardSettings } from '../../src/peers/cetusguard.js';
import type { CetusGuardInput } from '../../src/peers/cetusguard.js';
import {
  CETUSGUARD_VARIABLES,
  expandCetusGuardVariables,
  findUnknownCetusGuardVariables,
} from '../../src/peers/cetusguard-variables.js';

const env = (pairs: Record<string, string | null>) => Object.entries(pairs).map(([name, value]) => ({ name, value }));
const parse = (input: Partial<CetusGuardInput>) => parseCetusGuardSettings({ argv: [], env: [], ...input });
const codes = (r: ReturnType<typeof parse>) => r.diagnostics.map((d) => d.code);

describe('CetusGuard variables (peers.md §5.5)', () => {
  it('has all 71 entries, API_PREFIX_DEBUG included', () => {
    assert.equal(CETUSGUARD_VARIABLES.size, 71);
    assert.equal(CETUSGUARD_VARIABLES.get('API_PREFIX_DEBUG'), '%API_PREFIX%/debug');
  });
  const expansions: [string, string][] = [
    ['%API_PREFIX%', '(?:/v[0-9]+(?:\\.[0-9]+)*)?'],
    ['%API_PREFIX_CONTAINERS%', '(?:/v[0-9]+(?:\\.[0-9]+)*)?/containers'],
    ['%API_PREFIX_LIBPOD%', '(?:/v[0-9]+(?:\\.[0-9]+)*)/libpod'],
    ['%API_PREFIX_LIBPOD_PING%', '(?:/v[0-9]+(?:\\.[0-9]+)*)/libpod/_ping'],
    ['%CONTAINER_ID_OR_NAME%', '(?:(?:[a-fA-F0-9]+)|(?:[a-zA-Z0-9][a-zA-Z0-9_.-]+))'],
    ['%VOLUME_ID_OR_NAME%', '(?:(?:[a-fA-F0-9]+)|(?:[a-zA-Z0-9][a-zA-Z0-9_.-]+))'],
    ['%NETWORK_ID_OR_NAME%', '(?:(?:[a-fA-F0-9]+)|(?:[^/]+))'],
    [
      '%IP%',
      '(?:(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3})|(?:\\[[a-fA-F0-9]{0,4}(?::[a-fA-F0-9]{0,4}){2,7}(?:%[a-zA-Z0-9_]+)?\\]))',
    ],
  ];
  for (const [pattern, want] of expansions) it(pattern, () => assert.equal(expandCetusGuardVariables(pattern), want));
  it('expands to the documented lengths (489 and 343 characters)', () => {
    assert.equal(expandCetusGuardVariables('%IMAGE_ID_OR_REFERENCE%').length, 489);
    assert.equal(expandCetusGuardVariables('%IMAGE_NAME%').length, 343);
    assert.equal(expandCetusGuardVariables('%PLUGIN_NAME%'), expandCetusGuardVariables('%IMAGE_NAME%'));
  });
  it('leaves unknown variables literal', () => {
    assert.equal(expandCetusGuardVariables('%API_PREFIX_FOO%/x'), '%API_PREFIX_FOO%/x');
    assert.deepEqual(findUnknownCetusGuardVariables('%api_prefix%/%API_PREFIX%/%FOO%'), ['api_prefix', 'FOO']);
  });
  it('every expansion is a valid pattern with no variable left', () => {
    for (const name of CETUSGUARD_VARIABLES.keys()) {
      const e = expandCetusGuardVariables(`%${name}%`);
      assert.equal(findUnknownCetusGuardVariables(e).length, 0, name);
      assert.doesNotThrow(() => new RegExp(e, 'u'), name);
    }
  });
});

describe('CetusGuard rules (peers.md §5.3)', () => {
  it('built-in rules come first, with their origins', () => {
    const r = parse({});
    assert.deepEqual(
      r.settings.rules.map((rule) => [rule.methods, rule.pattern, rule.origin, rule.builtin]),
      CETUSGUARD_BUILTIN_RULES.map((line, k) => [
        line.split(' ')[0]!.split(','),
        line.split(' ')[1],
        `builtin:${k + 1}`,
        true,
      ]),
    );
    assert.ok(codes(r).includes('cetusguard/builtin-rules'));
  });
  it('-no-builtin-rules and CETUSGUARD_NO_BUILTIN_RULES remove them', () => {
    assert.equal(parse({ argv: ['-no-builtin-rules'] }).settings.rules.length, 0);
    assert.equal(parse({ env: env({ CETUSGUARD_NO_BUILTIN_RULES: 'true' }) }).settings.rules.length, 0);
    const ignored = parse({ env: env({ CETUSGUARD_NO_BUILTIN_RULES: 'yes' }) });
    assert.equal(ignored.settings.rules.length, 6);
    assert.ok(codes(ignored).includes('cetusguard/env-ignored'));
  });
  it('grammar: comments, blank lines, method lists, trailing blanks, positions', () => {
    const text =
      '! comment\n\n  GET,HEAD\t%API_PREFIX_CONTAINERS%/json  \r\nPOST %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/start';
    const r = parse({ argv: ['-no-builtin-rules', '-rules', text] });
    assert.equal(r.starts, true);
    const [a, b] = r.settings.rules;
    assert.deepEqual(a!.methods, ['GET', 'HEAD']);
    assert.equal(a!.pattern, '%API_PREFIX_CONTAINERS%/json');
    assert.equal(a!.origin, 'arg:2 line 3');
    assert.deepEqual(a!.range, { start: { line: 3, col: 12 }, end: { line: 3, col: 40 } });
    assert.equal(a!.expanded, '(?:/v[0-9]+(?:\\.[0-9]+)*)?/containers/json');
    assert.deepEqual(b!.methods, ['POST']);
    assert.equal(b!.origin, 'arg:2 line 4');
  });
  it('"!" starts a comment, not a negation', () => {
    assert.equal(parse({ argv: ['-no-builtin-rules', '-rules=! GET /secrets'] }).settings.rules.length, 0);
  });
  const invalid: [string, RegExp][] = [
    ['get /version', /invalid rule line: get \/version \(methods must be upper-case\)/],
    ['GET, HEAD /version', /invalid rule line: GET, HEAD \/version \(no spaces around the commas/],
    ['GET', /invalid rule line: GET$/],
    [
      'GET /containers/(json',
      /invalid rule pattern: GET \/containers\/\(json \(error parsing regexp: missing closing \)/,
    ],
  ];
  for (const [line, message] of invalid) {
    it(`fatal: ${line}`, () => {
      const r = parse({ argv: ['-no-builtin-rules', `-rules=${line}`] });
      assert.equal(r.starts, false);
      const d = r.diagnostics.find((x) => x.severity === 'error')!;
      assert.match(d.message, message);
      assert.equal(d.range?.start.line, 1);
    });
  }
  it('unknown variables and unusual methods are warnings', () => {
    const r = parse({ argv: ['-no-builtin-rules', '-rules=GETS %API_PREFIX_FOO%/x'] });
    assert.equal(r.starts, true);
    assert.deepEqual(codes(r), ['cetusguard/unusual-method', 'cetusguard/unknown-variable']);
    assert.deepEqual(r.settings.rules[0]!.unknownVariables, ['API_PREFIX_FOO']);
  });
  it('load order: built-ins, -rules values, then rules files (each line its own origin)', () => {
    const r = parse({
      argv: ['-rules-file', '/etc/cetusguard/rules.list', '-rules=GET /a'],
      env: env({ CETUSGUARD_RULES: 'GET /from-env' }),
      rulesFiles: new Map([['/etc/cetusguard/rules.list', '! rules\r\nGET /b\r\nDELETE /c\n']]),
    });
    assert.deepEqual(
      r.settings.rules.filter((x) => !x.builtin).map((x) => [x.pattern, x.origin]),
      [
        ['/a', 'arg:2 line 1'],
        ['/b', 'rules-file:/etc/cetusguard/rules.list:2'],
        ['/c', 'rules-file:/etc/cetusguard/rules.list:3'],
      ],
    );
  });
  it('CETUSGUARD_RULES is used when no -rules flag is given', () => {
    const r = parse({ env: env({ CETUSGUARD_RULES: 'GET /x\nGET /y' }), argv: ['-no-builtin-rules'] });
    assert.deepEqual(
      r.settings.rules.map((x) => x.origin),
      ['env:CETUSGUARD_RULES line 1', 'env:CETUSGUARD_RULES line 2'],
    );
  });
  it('an unavailable rules file makes the settings incomplete', () => {
    const r = parse({ env: env({ CETUSGUARD_RULES_FILE: '/rules.list' }) });
    assert.equal(r.settings.complete, false);
    assert.equal(
      r.diagnostics.find((d) => d.code === 'cetusguard/rules-file-unavailable')?.origin,
      'env:CETUSGUARD_RULES_FILE',
    );
  });
  it('a rules-file line over 64 KiB silently ends the file', () => {
    const r = parse({
      argv: ['-no-builtin-rules', '-rules-file=/r'],
      rulesFiles: new Map([['/r', `GET /a\nGET /${'x'.repeat(70000)}\nGET /c\n`]]),
    });
    assert.deepEqual(
      r.settings.rules.map((x) => x.pattern),
      ['/a'],
    );
    assert.ok(codes(r).includes('cetusguard/rules-file-line-too-long'));
  });
});

describe('CetusGuard flags and env (peers.md §5.2)', () => {
  it('defaults', () => {
    const s = parse({}).settings;
    assert.deepEqual(s.backendAddr, { value: 'unix:///var/run/docker.sock', origin: 'default' });
    assert.deepEqual(s.frontendAddr, [{ value: 'tcp://127.0.0.1:2375', origin: 'default' }]);
    assert.deepEqual(s.logLevel, { value: 6, origin: 'default' });
  });
  it('backend address: CETUSGUARD_BACKEND_ADDR, then CONTAINER_HOST, then DOCKER_HOST; a flag wins', () => {
    assert.equal(
      parse({ env: env({ DOCKER_HOST: 'tcp://d:2375', CONTAINER_HOST: 'unix:///c.sock' }) }).settings.backendAddr
        .origin,
      'env:CONTAINER_HOST',
    );
    assert.equal(
      parse({ env: env({ DOCKER_HOST: 'tcp://d:2375' }), argv: ['-backend-addr=unix:///x.sock'] }).settings.backendAddr
        .value,
      'unix:///x.sock',
    );
  });
  it('-frontend-addr: the first flag replaces env/default, later ones append', () => {
    const r = parse({
      env: env({ CETUSGUARD_FRONTEND_ADDR: 'tcp://0.0.0.0:2375' }),
      argv: ['-frontend-addr=unix:///a.sock', '-frontend-addr', 'tcp://:2376'],
    });
    assert.deepEqual(r.settings.frontendAddr, [
      { value: 'unix:///a.sock', origin: 'arg:0' },
      { value: 'tcp://:2376', origin: 'arg:2' },
    ]);
  });
  it('log level: env via Atoi (bad value ignored), flag via Go int syntax, clamped 0..7', () => {
    assert.equal(parse({ env: env({ CETUSGUARD_LOG_LEVEL: 'debug' }) }).settings.logLevel.value, 6);
    assert.equal(parse({ env: env({ CETUSGUARD_LOG_LEVEL: '9' }) }).settings.logLevel.value, 7);
    assert.equal(parse({ argv: ['-log-level=0x4'] }).settings.logLevel.value, 4);
    assert.equal(parse({ argv: ['-log-level=warn'] }).starts, false);
  });
  it('-version prints and exits; invalid addresses are fatal', () => {
    assert.equal(parse({ argv: ['-version'] }).starts, false);
    const bad = parse({ argv: ['-backend-addr=/var/run/docker.sock'] });
    assert.equal(bad.starts, false);
    assert.deepEqual(
      codes(bad).filter((c) => c !== 'cetusguard/builtin-rules'),
      ['cetusguard/invalid-address'],
    );
  });
});
