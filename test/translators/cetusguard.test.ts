import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileCetusGuard } from '../../src/emulators/cetusguard.js';
import { parseCetusGuardSettings, type CetusGuardParse } from '../../src/peers/cetusguard.js';
import type { PeerEnvVar } from '../../src/peers/origin.js';
import { translateCetusGuard } from '../../src/translators/cetusguard.js';
import { HALF_ANCHORED_ALTERNATION } from '../../src/translators/regex-allow-rules.js';
import type { TranslateOptions, Translation } from '../../src/translators/types.js';
import { unexplained } from '../../src/verify/parity.js';
import { assertGolden } from '../helpers/golden.js';
import { allowsOf, checkTranslation, codesOf, compareWithOld, renderPolicy } from './check-translation.js';

interface Scenario {
  argv?: string[];
  env?: Record<string, string>;
  files?: Record<string, string>;
  options?: Partial<TranslateOptions>;
}

const RULES_FILE = '/etc/cetusguard/rules.list';

function run(scenario: Scenario): { parse: CetusGuardParse; translation: Translation } {
  const env: PeerEnvVar[] = Object.entries(scenario.env ?? {}).map(([name, value]) => ({ name, value }));
  const parse = parseCetusGuardSettings({
    argv: scenario.argv ?? [],
    env,
    rulesFiles: new Map(Object.entries(scenario.files ?? {})),
  });
  const translation = translateCetusGuard(parse, { keepExfiltration: false, answers: {}, ...scenario.options });
  return { parse, translation };
}

/** Translates and checks startup, lint and parity (every difference announced). */
function translate(scenario: Scenario): Translation {
  const { parse, translation } = run(scenario);
  checkTranslation(translation, compileCetusGuard(parse.settings));
  return translation;
}

/** Only the rules given, without the built-ins. */
const rulesOnly = (rules: string): Scenario => ({ argv: ['-no-builtin-rules', `-rules=${rules}`] });

const warningOf = (translation: Translation, code: string) => {
  const found = translation.warnings.filter((w) => w.code === code);
  assert.equal(found.length, 1, `one ${code} warning in ${codesOf(translation).join(', ')}`);
  return found[0]!;
};

const BUILTIN_ALLOWS = [
  'GET,HEAD /_ping',
  'GET,HEAD /libpod/_ping',
  'GET /version',
  'GET /libpod/version',
  'GET /info',
  'GET /libpod/info',
];

describe('CetusGuard: the seed migration guide table', () => {
  const table: [string, string[]][] = [
    ['GET %API_PREFIX_CONTAINERS%/json', ['GET /containers/json']],
    ['GET %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json', ['GET /containers/*/json']],
    ['POST %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/start', ['POST /containers/*/start']],
    // The guide's "a GET,POST method list becomes two rules": one rule with the list says the same.
    ['GET,POST %API_PREFIX_NETWORKS%', ['GET,POST /networks']],
  ];
  for (const [rule, allows] of table) {
    it(rule, () => assert.deepEqual(allowsOf(translate(rulesOnly(rule))), allows));
  }

  it('%CONTAINER_ID_OR_NAME% is wider as *: digests such as sha256:… are ids CetusGuard refused', () => {
    const translation = translate(rulesOnly('GET %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json'));
    const warning = warningOf(translation, 'migrate/regex-not-exact');
    assert.equal(warning.origin, 'arg:1 line 1');
    assert.match(warning.message, /wider than the regex: only Sockguard allows GET \/containers\/sha256:/);
  });

  it('the built-in /_ping, /version and /info rules are made explicit, Podman ones included', () => {
    const translation = translate({});
    assert.deepEqual(allowsOf(translation), BUILTIN_ALLOWS);
    assert.match(translation.ruleOrigins[0]!, /^CetusGuard built-in rule: GET,HEAD %API_PREFIX_PING%/);
    assert.match(warningOf(translation, 'migrate/cetusguard/builtin-rules').message, /written out as rules/);
  });

  const disabled: [string, Scenario][] = [
    ['-no-builtin-rules', { argv: ['-no-builtin-rules'] }],
    ['CETUSGUARD_NO_BUILTIN_RULES=true', { env: { CETUSGUARD_NO_BUILTIN_RULES: 'true' } }],
  ];
  for (const [how, scenario] of disabled) {
    it(`${how} leaves them out`, () => {
      const translation = translate(scenario);
      assert.deepEqual(allowsOf(translation), []);
      assert.ok(!codesOf(translation).includes('migrate/cetusguard/builtin-rules'));
    });
  }

  it('%API_PREFIX_LIBPOD% requires a version, Sockguard cannot: the unversioned Podman paths open up', () => {
    const { parse, translation } = run({});
    const parity = compareWithOld(translation, compileCetusGuard(parse.settings));
    const row = parity.rows.find((r) => r.request.method === 'GET' && r.request.target === '/libpod/_ping');
    assert.equal(row?.change, 'loosened');
    assert.deepEqual(row?.explainedBy, ['migrate/regex-odd-request-forms']);
    assert.match(warningOf(translation, 'migrate/regex-odd-request-forms').message, /GET,HEAD \/libpod\/_ping/);
  });

  it('%API_PREFIX% accepts any number of version parts; Sockguard strips at most three', () => {
    const { parse, translation } = run({});
    const parity = compareWithOld(translation, compileCetusGuard(parse.settings));
    const row = parity.rows.find((r) => r.request.method === 'GET' && r.request.target === '/v1.41.0.1/_ping');
    assert.equal(row?.change, 'tightened');
    assert.deepEqual(row?.explainedBy, ['migrate/regex-odd-request-forms']);
    // Without the warning the odd forms are unexplained.
    const without = compareWithOld(
      translation,
      compileCetusGuard(parse.settings),
      translation.warnings.filter((w) => w.code !== 'migrate/regex-odd-request-forms'),
    );
    assert.ok(unexplained(without.rows).length > 0);
  });
});

describe('CetusGuard: rules files and inline rules', () => {
  it('the README example rules (golden)', () => {
    const translation = translate({
      argv: [`-rules-file=${RULES_FILE}`],
      files: {
        [RULES_FILE]: [
          '! Ping',
          'GET,HEAD %API_PREFIX_PING%',
          '',
          '! Get version',
          'GET %API_PREFIX_VERSION%',
          '',
          '! Get system information',
          'GET %API_PREFIX_INFO%',
          '',
          '! Get data usage information',
          'GET %API_PREFIX_SYSTEM%/df',
          '',
          '! Monitor events',
          'GET %API_PREFIX_EVENTS%',
          '',
          '! List containers',
          'GET %API_PREFIX_CONTAINERS%/json',
          '',
          '! Inspect a container ',
          'GET %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json',
          '',
        ].join('\n'),
      },
    });
    assertGolden('fixtures/translations/cetusguard-readme.policy.yaml', renderPolicy(translation));
    // Rules that repeat a built-in add no rule, only their origin.
    assert.equal(
      translation.ruleOrigins[0],
      `CetusGuard built-in rule: GET,HEAD %API_PREFIX_PING% (-no-builtin-rules drops it); also rules-file:${RULES_FILE}:2: GET,HEAD %API_PREFIX_PING%`,
    );
    assert.deepEqual(allowsOf(translation), [
      ...BUILTIN_ALLOWS,
      'GET /system/df',
      'GET /events',
      'GET /containers/json',
      'GET /containers/*/json',
    ]);
  });

  it('the Traefik example: CETUSGUARD_RULES with comments, TCP on every interface, debug logs (golden)', () => {
    const translation = translate({
      env: {
        CETUSGUARD_BACKEND_ADDR: 'unix:///var/run/docker.sock',
        CETUSGUARD_FRONTEND_ADDR: 'tcp://:2375',
        CETUSGUARD_RULES: [
          '! Monitor events',
          'GET %API_PREFIX_EVENTS%',
          '! List containers',
          'GET %API_PREFIX_CONTAINERS%/json',
          '! Inspect a container',
          'GET %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json',
          '',
        ].join('\n'),
        CETUSGUARD_LOG_LEVEL: '7',
      },
    });
    assertGolden('fixtures/translations/cetusguard-traefik.policy.yaml', renderPolicy(translation));
    assert.deepEqual(translation.policy.listen, {
      address: ':2375',
      insecure_allow_plain_tcp: true,
      insecure_allow_unauthenticated_clients: true,
    });
    assert.equal(translation.policy.upstream, undefined);
    assert.deepEqual(translation.policy.log, { level: 'debug' });
    assert.equal(warningOf(translation, 'migrate/plaintext-listener').origin, 'env:CETUSGUARD_FRONTEND_ADDR');
    assert.equal(translation.ruleOrigins[7], 'env:CETUSGUARD_RULES line 4: GET %API_PREFIX_CONTAINERS%/json');
  });

  it('CRLF lines, blanks, indented comments and multi-method rules', () => {
    const translation = translate({
      argv: ['-no-builtin-rules', `-rules-file=${RULES_FILE}`],
      files: {
        [RULES_FILE]:
          '\t! images\r\n  GET,HEAD\t%API_PREFIX_IMAGES%/json  \r\n\r\nPOST,DELETE %API_PREFIX_VOLUMES%/%VOLUME_ID_OR_NAME%\r\n',
      },
    });
    assert.deepEqual(allowsOf(translation), ['GET,HEAD /images/json', 'POST,DELETE /volumes/*']);
    assert.deepEqual(translation.policy.rules?.filter((r) => r.action === 'allow').length, 2);
    assert.equal(translation.ruleOrigins[0], `rules-file:${RULES_FILE}:2: GET,HEAD %API_PREFIX_IMAGES%/json`);
  });

  it('an image reference spans segments: README image rules, with the redundant query suffix left out', () => {
    const translation = translate(
      rulesOnly(
        'GET %API_PREFIX_IMAGES%/%IMAGE_ID_OR_REFERENCE%/json\nDELETE %API_PREFIX_IMAGES%/%IMAGE_ID_OR_REFERENCE%(\\?.*)?',
      ),
    );
    assert.deepEqual(allowsOf(translation), ['GET /images/*/**/json', 'DELETE /images/*/**']);
    const deleteWarning = translation.warnings.find(
      (w) => w.code === 'migrate/regex-not-exact' && w.origin === 'arg:1 line 2',
    );
    assert.match(deleteWarning?.message ?? '', /left out: \/images\/\*\?\*\*/);
  });

  it('an unknown %VARIABLE% stays literal in CetusGuard; the translation is checked like any other', () => {
    const translation = translate(rulesOnly('GET %API_PREFIX_CONTAINERS%/%NOPE%/json'));
    warningOf(translation, 'migrate/cetusguard/unknown-variable');
    assert.deepEqual(allowsOf(translation), ['GET /containers/*NOPE*/json']);
  });

  it('a method no client sends is left out of the rule', () => {
    const translation = translate(rulesOnly('GET,FOO %API_PREFIX_EVENTS%\nFOO %API_PREFIX_INFO%'));
    assert.deepEqual(allowsOf(translation), ['GET /events']);
    const unusual = translation.warnings.filter((w) => w.code === 'migrate/cetusguard/unusual-method');
    assert.deepEqual(
      unusual.map((w) => w.origin),
      ['arg:1 line 1', 'arg:1 line 2'],
    );
    assert.match(unusual[0]!.message, /leaves it out/);
  });

  it('a half-anchored alternation is anchored by default', () => {
    const translation = translate(rulesOnly('GET %API_PREFIX_INFO%|%API_PREFIX_VERSION%'));
    assert.equal(translation.applied[HALF_ANCHORED_ALTERNATION], 'anchor');
    assert.deepEqual(allowsOf(translation), ['GET /info', 'GET /version']);
    assert.match(
      warningOf(translation, 'migrate/half-anchored-alternation').message,
      /^rule "GET %API_PREFIX_INFO%\|%API_PREFIX_VERSION%"/,
    );
    const reproduced = translate({
      ...rulesOnly('GET %API_PREFIX_INFO%|%API_PREFIX_VERSION%'),
      options: { answers: { [HALF_ANCHORED_ALTERNATION]: 'reproduce' } },
    });
    assert.deepEqual(allowsOf(reproduced), ['GET /info**', 'GET /**/version']);
  });

  it('a rules file that could not be read is an error: its rules are unknown', () => {
    const { translation } = run({ argv: [`-rules-file=${RULES_FILE}`] });
    const warning = warningOf(translation, 'migrate/cetusguard/rules-file-unavailable');
    assert.equal(warning.origin, 'arg:0');
    assert.match(warning.message, /The policy has none of its rules/);
  });

  it('a broad rule has its sensitive endpoints withheld, or kept with --keep-exfiltration', () => {
    const withheld = translate(rulesOnly('GET,HEAD %API_PREFIX_CONTAINERS%/.*'));
    warningOf(withheld, 'migrate/read-exfiltration-withheld');
    const kept = translate({
      ...rulesOnly('GET,HEAD %API_PREFIX_CONTAINERS%/.*'),
      options: { keepExfiltration: true },
    });
    assert.equal(kept.policy.insecure_allow_read_exfiltration, true);
    warningOf(kept, 'migrate/read-exfiltration-kept');
  });
});

describe('CetusGuard: frontends, TLS, backend, log level', () => {
  it('the default frontend is loopback TCP', () => {
    assert.deepEqual(translate({}).policy.listen, { address: '127.0.0.1:2375' });
  });

  it('a unix frontend becomes listen.socket', () => {
    const translation = translate({ argv: ['-frontend-addr=unix:///run/cetusguard/docker.sock'] });
    assert.deepEqual(translation.policy.listen, { socket: '/run/cetusguard/docker.sock' });
  });

  // cetusguard.go parseAddr takes the URL's host: userinfo and any path are not part of the address.
  const frontends: [string, object][] = [
    ['tcp://[::1]:2375', { address: '[::1]:2375' }],
    ['tcp://localhost:2375', { address: 'localhost:2375' }],
    [
      'tcp://user@0.0.0.0:2375/ignored?x#y',
      { address: '0.0.0.0:2375', insecure_allow_plain_tcp: true, insecure_allow_unauthenticated_clients: true },
    ],
    ['unix:///run/a b.sock', { socket: '/run/a b.sock' }],
  ];
  for (const [addr, listen] of frontends) {
    it(`-frontend-addr=${addr}`, () => {
      assert.deepEqual(translate({ argv: [`-frontend-addr=${addr}`] }).policy.listen, listen);
    });
  }

  it('several frontends become listeners; the first flag replaces the env value', () => {
    const translation = translate({
      env: { CETUSGUARD_FRONTEND_ADDR: 'tcp://127.0.0.1:9999' },
      argv: ['-frontend-addr=unix:///run/cg.sock', '-frontend-addr=tcp://0.0.0.0:2375'],
    });
    assert.equal(translation.policy.listen, undefined);
    assert.deepEqual(translation.policy.listeners, [
      { name: 'frontend-1', socket: '/run/cg.sock', allowed_profiles: ['*'] },
      {
        name: 'frontend-2',
        address: '0.0.0.0:2375',
        insecure_allow_plain_tcp: true,
        insecure_allow_unauthenticated_clients: true,
        allowed_profiles: ['*'],
      },
    ]);
    assert.equal(warningOf(translation, 'migrate/plaintext-listener').origin, 'arg:1');
  });

  it('cert, key and client CA become mutual TLS (golden)', () => {
    const translation = translate({
      argv: [
        '-frontend-addr=tcp://0.0.0.0:2376',
        '-frontend-tls-cert=/certs/server.pem',
        '-frontend-tls-key=/certs/server.key',
        '-frontend-tls-cacert=/certs/ca.pem',
        '-backend-addr=unix:///run/user/1000/docker.sock',
        '-log-level=4',
      ],
    });
    assertGolden('fixtures/translations/cetusguard-mtls.policy.yaml', renderPolicy(translation));
    assert.deepEqual(translation.policy.listen, {
      address: '0.0.0.0:2376',
      tls: { cert_file: '/certs/server.pem', key_file: '/certs/server.key', client_ca_file: '/certs/ca.pem' },
    });
    assert.deepEqual(translation.policy.upstream, { socket: '/run/user/1000/docker.sock' });
    assert.deepEqual(translation.policy.log, { level: 'warn' });
    assert.match(warningOf(translation, 'migrate/cetusguard/tls-minimum-raised').message, /TLS 1\.3/);
    assert.ok(!codesOf(translation).includes('migrate/plaintext-listener'));
  });

  it('TLS without a client CA cannot be carried: plaintext, acknowledged, and said twice', () => {
    const translation = translate({
      argv: ['-frontend-addr=tcp://:2376', '-frontend-tls-cert=/c.pem', '-frontend-tls-key=/k.pem'],
    });
    assert.equal(translation.policy.listen?.tls, undefined);
    assert.equal(translation.policy.listen?.insecure_allow_plain_tcp, true);
    assert.match(
      warningOf(translation, 'migrate/cetusguard/tls-not-mutual').message,
      /without asking clients for a certificate/,
    );
    warningOf(translation, 'migrate/plaintext-listener');
  });

  it('TLS flags on unix-only frontends had no effect', () => {
    const translation = translate({
      argv: ['-frontend-addr=unix:///run/cg.sock', '-frontend-tls-cacert=/ca.pem'],
    });
    assert.match(warningOf(translation, 'migrate/unsupported-setting').message, /had no effect/);
  });

  it('a TCP backend goes to upstream.endpoints, which serve does not implement yet', () => {
    const plain = translate({ env: { DOCKER_HOST: 'tcp://docker:2375' } });
    assert.deepEqual(plain.policy.upstream, {
      endpoints: [{ address: 'tcp://docker:2375', insecure_allow_plain_tcp: true }],
    });
    const warning = warningOf(plain, 'migrate/unsupported-setting');
    assert.equal(warning.origin, 'env:DOCKER_HOST');
    assert.match(warning.message, /does not implement yet/);
    const tls = translate({
      argv: [
        '-backend-addr=tcp://docker:2376',
        '-backend-tls-cacert=/ca.pem',
        '-backend-tls-cert=/c.pem',
        '-backend-tls-key=/k.pem',
      ],
    });
    assert.deepEqual(tls.policy.upstream, {
      endpoints: [
        { address: 'tcp://docker:2376', tls: { ca_file: '/ca.pem', cert_file: '/c.pem', key_file: '/k.pem' } },
      ],
    });
  });

  const levels: [string, string][] = [
    ['7', 'debug'],
    ['6', 'info'],
    ['5', 'info'],
    ['4', 'warn'],
    ['3', 'error'],
    ['2', 'error'],
    ['0', 'error'],
  ];
  for (const [value, level] of levels) {
    it(`-log-level=${value} is ${level}`, () => {
      assert.deepEqual(translate({ argv: [`-log-level=${value}`] }).policy.log, { level });
    });
  }
});
