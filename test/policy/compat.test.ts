import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCompat, COMPAT_VARIABLES, compatRulesFromEnv, parseCompatBool } from '../../src/policy/compat.js';
import { compilePolicy, decide } from '../../src/policy/compile.js';
import { DEFAULT_RULES, NO_MATCHING_ALLOW_RULE, type Rule } from '../../src/policy/defaults.js';
import { defaultPolicy, loadPolicy } from '../../src/policy/load.js';

// The tables of sockguard-config.md §12.2, written out here so a wrong source table fails the tests.
const SECTIONS: [string, string][] = [
  ['PING', '/_ping'],
  ['VERSION', '/version'],
  ['EVENTS', '/events'],
  ['AUTH', '/auth/**'],
  ['BUILD', '/build/**'],
  ['COMMIT', '/commit/**'],
  ['CONFIGS', '/configs/**'],
  ['CONTAINERS', '/containers/**'],
  ['DISTRIBUTION', '/distribution/**'],
  ['EXEC', '/exec/**'],
  ['EXEC', '/containers/*/exec'],
  ['GRPC', '/grpc/**'],
  ['IMAGES', '/images/**'],
  ['INFO', '/info'],
  ['NETWORKS', '/networks/**'],
  ['NODES', '/nodes/**'],
  ['PLUGINS', '/plugins/**'],
  ['SECRETS', '/secrets/**'],
  ['SERVICES', '/services/**'],
  ['SESSION', '/session/**'],
  ['SWARM', '/swarm/**'],
  ['SYSTEM', '/system/**'],
  ['TASKS', '/tasks/**'],
  ['VOLUMES', '/volumes/**'],
];

const GRANULAR: [string[], string, string][] = [
  [['ALLOW_CREATE'], 'POST', '/containers/create'],
  [['ALLOW_DELETE'], 'DELETE', '/containers/*'],
  [['ALLOW_EXEC'], 'POST', '/containers/*/exec'],
  [['ALLOW_KILL', 'ALLOW_RESTARTS', 'ALLOW_RESTART'], 'POST', '/containers/*/kill'],
  [['ALLOW_PAUSE'], 'POST', '/containers/*/pause'],
  [['ALLOW_PRUNE'], 'POST', '/containers/prune'],
  [['ALLOW_RESTARTS', 'ALLOW_RESTART'], 'POST', '/containers/*/restart'],
  [['ALLOW_START'], 'POST', '/containers/*/start'],
  [['ALLOW_STOP', 'ALLOW_RESTARTS', 'ALLOW_RESTART'], 'POST', '/containers/*/stop'],
  [['ALLOW_UNPAUSE'], 'POST', '/containers/*/unpause'],
];

const DEFAULT_ON = new Set(['PING', 'VERSION', 'EVENTS']);
const allow = (method: string, path: string): Rule => ({ match: { method, path }, action: 'allow' });
const FINAL: Rule = { match: { method: '*', path: '/**' }, action: 'deny', reason: NO_MATCHING_ALLOW_RULE };
const BASE = SECTIONS.filter(([name]) => DEFAULT_ON.has(name)).map(([, path]) => allow('GET,HEAD', path));
const paths = (rules: readonly Rule[]) => rules.map((r) => `${r.match.method} ${r.match.path} ${r.action}`);

test('the recognised variables are exactly the 35 of the reference', () => {
  assert.deepEqual(
    [...COMPAT_VARIABLES].sort(),
    [
      ...'AUTH BUILD COMMIT CONFIGS CONTAINERS DISTRIBUTION EVENTS EXEC GRPC IMAGES INFO NETWORKS NODES PING PLUGINS POST SECRETS SERVICES SESSION SWARM SYSTEM TASKS VERSION VOLUMES'.split(
        ' ',
      ),
      ...'ALLOW_START ALLOW_STOP ALLOW_RESTART ALLOW_RESTARTS ALLOW_PAUSE ALLOW_UNPAUSE ALLOW_CREATE ALLOW_EXEC ALLOW_KILL ALLOW_DELETE ALLOW_PRUNE'.split(
        ' ',
      ),
    ].sort(),
  );
});

// parseCompatBool: lower-cased, not trimmed; anything else fails closed.
const BOOLS: [string, boolean | undefined][] = [
  ['1', true],
  ['true', true],
  ['TRUE', true],
  ['yes', true],
  ['Yes', true],
  ['0', false],
  ['false', false],
  ['False', false],
  ['no', false],
  ['NO', false],
  ['2', undefined],
  ['on', undefined],
  ['off', undefined],
  ['y', undefined],
  [' 1', undefined],
  ['1 ', undefined],
  ['', undefined],
  ['01', undefined],
];

for (const [value, expected] of BOOLS) {
  test(`parseCompatBool(${JSON.stringify(value)}) is ${String(expected)}`, () => {
    assert.equal(parseCompatBool(value), expected);
  });
}

test('unset variables: only the default-on PING, VERSION, EVENTS plus the final deny', () => {
  assert.deepEqual(compatRulesFromEnv({}).rules, [...BASE, FINAL]);
});

for (const name of new Set(SECTIONS.map(([n]) => n))) {
  if (DEFAULT_ON.has(name)) {
    test(`${name}=0 removes its default-on rule`, () => {
      const expected = BASE.filter((r) => r.match.path !== SECTIONS.find(([n]) => n === name)![1]);
      assert.deepEqual(compatRulesFromEnv({ [name]: '0' }).rules, [...expected, FINAL]);
    });
    continue;
  }
  test(`${name}=1 adds GET,HEAD ${SECTIONS.filter(([n]) => n === name)
    .map(([, p]) => p)
    .join(' and ')} after the default-on rules`, () => {
    const added = SECTIONS.filter(([n]) => n === name).map(([, path]) => allow('GET,HEAD', path));
    assert.deepEqual(compatRulesFromEnv({ [name]: '1' }).rules, [...BASE, ...added, FINAL]);
  });
}

for (const [vars, method, path] of GRANULAR) {
  for (const name of vars) {
    test(`${name}=1 adds ${method} ${path}`, () => {
      const rules = compatRulesFromEnv({ [name]: '1' }).rules;
      assert.ok(
        rules.some((r) => r.match.method === method && r.match.path === path && r.action === 'allow'),
        paths(rules).join('\n'),
      );
      assert.deepEqual(rules.at(-1), FINAL);
    });
  }
}

test('every variable on: all section rules in table order, then granular rules in table order, then the final deny', () => {
  const env = Object.fromEntries(COMPAT_VARIABLES.filter((n) => n !== 'POST').map((n) => [n, '1']));
  const expected = [
    ...SECTIONS.map(([, path]) => allow('GET,HEAD', path)),
    ...GRANULAR.map(([, method, path]) => allow(method, path)),
    FINAL,
  ];
  assert.deepEqual(compatRulesFromEnv(env).rules, expected);
});

test('POST=1 turns section rules into * but adds no write rule by itself', () => {
  assert.deepEqual(compatRulesFromEnv({ POST: '1' }).rules, [
    allow('*', '/_ping'),
    allow('*', '/version'),
    allow('*', '/events'),
    FINAL,
  ]);
  assert.deepEqual(compatRulesFromEnv({ POST: '1', CONTAINERS: '1' }).rules[3], allow('*', '/containers/**'));
});

test('granular rules are independent of POST and keep their own method', () => {
  const rules = compatRulesFromEnv({ POST: '0', ALLOW_START: '1' }).rules;
  assert.deepEqual(rules, [...BASE, allow('POST', '/containers/*/start'), FINAL]);
  const withPost = compatRulesFromEnv({ POST: '1', ALLOW_START: '1' }).rules;
  assert.deepEqual(withPost.at(-2), allow('POST', '/containers/*/start'));
});

test('ALLOW_RESTARTS fans out to kill, restart and stop, each once', () => {
  const rules = compatRulesFromEnv({ ALLOW_RESTARTS: '1', ALLOW_RESTART: '1', ALLOW_STOP: '1', ALLOW_KILL: '1' }).rules;
  assert.deepEqual(rules, [
    ...BASE,
    allow('POST', '/containers/*/kill'),
    allow('POST', '/containers/*/restart'),
    allow('POST', '/containers/*/stop'),
    FINAL,
  ]);
});

test('ALLOW_EXEC admits exec create only, never /exec/*/start', () => {
  const rules = compatRulesFromEnv({ ALLOW_EXEC: '1' }).rules;
  assert.deepEqual(rules, [...BASE, allow('POST', '/containers/*/exec'), FINAL]);
});

test('unparseable values fail closed, also for default-on variables, and are reported once each', () => {
  const result = compatRulesFromEnv({ PING: 'on', VERSION: '', EVENTS: ' 1', CONTAINERS: '2', ALLOW_STOP: 'y' });
  assert.deepEqual(result.rules, [FINAL]);
  assert.deepEqual(
    result.unparseable.map((u) => u.name).sort(),
    ['ALLOW_STOP', 'CONTAINERS', 'EVENTS', 'PING', 'VERSION'].sort(),
  );
  // ALLOW_STOP is read by two granular rules and must still be listed once.
  assert.equal(compatRulesFromEnv({ ALLOW_RESTARTS: 'x' }).unparseable.length, 1);
});

test('true and yes are on, 2 is off (unlike the HAProxy images)', () => {
  assert.deepEqual(compatRulesFromEnv({ INFO: 'true' }).rules.at(-2), allow('GET,HEAD', '/info'));
  assert.deepEqual(compatRulesFromEnv({ INFO: 'yes' }).rules.at(-2), allow('GET,HEAD', '/info'));
  assert.deepEqual(compatRulesFromEnv({ INFO: '2' }).rules, [...BASE, FINAL]);
});

test('GRPC or SESSION on sets the opaque BuildKit tunnel acknowledgement', () => {
  assert.equal(compatRulesFromEnv({}).acceptOpaqueBuildkitTunnels, false);
  assert.equal(compatRulesFromEnv({ GRPC: '1' }).acceptOpaqueBuildkitTunnels, true);
  assert.equal(compatRulesFromEnv({ SESSION: 'yes' }).acceptOpaqueBuildkitTunnels, true);
  assert.equal(compatRulesFromEnv({ SESSION: '0', GRPC: 'no' }).acceptOpaqueBuildkitTunnels, false);
});

// Activation: a recognised name is present (any value) and the rules equal the defaults exactly.
const ACTIVATION: [string, readonly Rule[], Record<string, string>, boolean][] = [
  ['no variables', DEFAULT_RULES, {}, false],
  ['a recognised variable set to 1', DEFAULT_RULES, { CONTAINERS: '1' }, true],
  ['a recognised variable set to 0 still activates', DEFAULT_RULES, { CONTAINERS: '0' }, true],
  ['an unparseable value still activates', DEFAULT_RULES, { INFO: 'maybe' }, true],
  [
    'only unrecognised names (ALLOW_LOGS, LIBPOD_*, TZ)',
    DEFAULT_RULES,
    { ALLOW_LOGS: '1', LIBPOD_X: '1', TZ: 'UTC' },
    false,
  ],
  ['lower-case names are not recognised', DEFAULT_RULES, { containers: '1' }, false],
  [
    'rules that differ from the defaults',
    [...DEFAULT_RULES.slice(0, 4), allow('GET', '/info'), DEFAULT_RULES[4]!],
    { CONTAINERS: '1' },
    false,
  ],
  [
    'default rules in another order',
    [DEFAULT_RULES[1]!, DEFAULT_RULES[0]!, ...DEFAULT_RULES.slice(2)],
    { CONTAINERS: '1' },
    false,
  ],
  [
    'default rules with another final reason',
    [...DEFAULT_RULES.slice(0, 4), { ...DEFAULT_RULES[4]!, reason: 'nope' }],
    { CONTAINERS: '1' },
    false,
  ],
  [
    'default rules with a reason added to an allow',
    [{ ...DEFAULT_RULES[0]!, reason: 'x' }, ...DEFAULT_RULES.slice(1)],
    { CONTAINERS: '1' },
    false,
  ],
];

for (const [name, rules, env, active] of ACTIVATION) {
  test(`compat activation: ${name} -> ${active ? 'active' : 'inactive'}`, () => {
    const result = applyCompat(rules, env);
    assert.equal(result.active, active);
    if (!active) {
      assert.deepEqual(result.rules, rules);
      assert.deepEqual(result.unparseable, []);
      assert.equal(result.acceptOpaqueBuildkitTunnels, false);
    }
  });
}

test('CONTAINERS=1 makes GET,HEAD /containers/** rule 4 and decides GET /v1.45/containers/json with it', () => {
  const compiled = compilePolicy(defaultPolicy(), { env: { CONTAINERS: '1' } });
  assert.equal(compiled.compat.active, true);
  assert.deepEqual(compiled.compat.rules[3], allow('GET,HEAD', '/containers/**'));
  const verdict = decide(compiled, 'GET', '/v1.45/containers/json');
  assert.equal(verdict.decision, 'allow');
  assert.equal(verdict.matched?.index, 3);
  assert.equal(decide(compiled, 'POST', '/containers/x/start').decision, 'deny');
  // The reference proxy refuses to start with this (compat never sets the exfiltration ack).
  assert.deepEqual(
    compiled.startupProblems.map((p) => p.kind),
    ['read-exfiltration'],
  );
});

test('compat activates for a YAML file whose rules equal the defaults (DRIFT D2), not for other files', () => {
  const defaultsYaml = [
    'rules:',
    '  - match: { method: GET, path: /_ping }',
    '    action: allow',
    '  - match: { method: HEAD, path: /_ping }',
    '    action: allow',
    '  - match: { method: GET, path: /version }',
    '    action: allow',
    '  - match: { method: GET, path: /events }',
    '    action: allow',
    '  - match: { method: "*", path: "/**" }',
    '    action: deny',
    '    reason: no matching allow rule',
  ].join('\n');
  const same = loadPolicy(defaultsYaml).policy!;
  assert.equal(compilePolicy(same, { env: { INFO: '1' } }).compat.active, true);
  const other = loadPolicy(defaultsYaml.replace('/events', '/info')).policy!;
  const compiled = compilePolicy(other, { env: { INFO: '1' } });
  assert.equal(compiled.compat.active, false);
  assert.equal(decide(compiled, 'GET', '/info').matched?.index, 3);
});

test('compat rewrites the root rules only; profiles keep theirs', () => {
  const loaded = loadPolicy(
    [
      'clients:',
      '  profiles:',
      '    - name: ro',
      '      rules:',
      '        - match: { method: GET, path: /info }',
      '          action: allow',
    ].join('\n'),
  );
  const compiled = compilePolicy(loaded.policy!, { env: { CONTAINERS: '1' } });
  assert.equal(compiled.compat.active, true);
  assert.equal(decide(compiled, 'GET', '/info', 'ro').decision, 'allow');
  assert.equal(decide(compiled, 'GET', '/containers/json', 'ro').decision, 'deny');
});
