import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileWollomatic } from '../../src/emulators/wollomatic.js';
import type { PeerEnvVar } from '../../src/peers/origin.js';
import { parseWollomaticSettings, type WollomaticParse } from '../../src/peers/wollomatic.js';
import { HALF_ANCHORED_ALTERNATION } from '../../src/translators/regex-allow-rules.js';
import type { TranslateOptions, Translation } from '../../src/translators/types.js';
import { translateWollomatic } from '../../src/translators/wollomatic.js';
import { KEEP_BODY_BLIND_WRITES } from '../../src/translators/withhold-sensitive.js';
import { unexplained } from '../../src/verify/parity.js';
import { assertGolden } from '../helpers/golden.js';
import {
  allowsOf,
  checkTranslation,
  codesOf,
  compareWithOld,
  describeRules,
  renderPolicy,
} from './check-translation.js';

interface Scenario {
  argv?: string[];
  env?: Record<string, string>;
  labels?: { service: string; labels: Record<string, string> }[];
  tag?: string;
  options?: Partial<TranslateOptions>;
}

function run(scenario: Scenario): { parse: WollomaticParse; translation: Translation } {
  const env: PeerEnvVar[] = Object.entries(scenario.env ?? {}).map(([name, value]) => ({ name, value }));
  const parse = parseWollomaticSettings({
    argv: scenario.argv ?? [],
    env,
    imageTag: scenario.tag ?? '1.13.1',
    labeledServices: (scenario.labels ?? []).map(({ service, labels }) => ({
      service,
      labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
    })),
  });
  const translation = translateWollomatic(parse, { keepExfiltration: false, answers: {}, ...scenario.options });
  return { parse, translation };
}

/** Translates and checks startup, lint and parity (every difference announced). */
function translate(scenario: Scenario): Translation {
  const { parse, translation } = run(scenario);
  checkTranslation(translation, compileWollomatic(parse.settings));
  return translation;
}

const warningOf = (translation: Translation, code: string) => {
  const found = translation.warnings.filter((w) => w.code === code);
  assert.equal(found.length, 1, `one ${code} warning in ${codesOf(translation).join(', ')}`);
  return found[0]!;
};

describe('wollomatic: the seed migration guide table', () => {
  // [flag, allow rules (withheld denies and the final deny aside), not exact?]
  const table: [string, string[], boolean][] = [
    ['-allowGET=^/(v[0-9.]+/)?containers/json$', ['GET /containers/json'], false],
    ['-allowGET=^/(v[0-9.]+/)?events$', ['GET /events'], false],
    // [a-z0-9]+ refuses names such as web-1 and My_App.2 that `*` admits.
    ['-allowPOST=^/(v[0-9.]+/)?containers/[a-z0-9]+/start$', ['POST /containers/*/start'], true],
  ];
  for (const [flag, allows, notExact] of table) {
    it(flag, () => {
      const translation = translate({ argv: [flag] });
      assert.deepEqual(allowsOf(translation), allows);
      assert.equal(codesOf(translation).includes('migrate/regex-not-exact'), notExact);
      assert.deepEqual(describeRules(translation).at(-1), 'deny * /**');
    });
  }

  it('the [a-z0-9]+ rule names the requests only Sockguard allows and explains exactly those rows', () => {
    const { parse, translation } = run({ argv: ['-allowPOST=^/(v[0-9.]+/)?containers/[a-z0-9]+/start$'] });
    const warning = warningOf(translation, 'migrate/regex-not-exact');
    assert.equal(warning.origin, 'arg:0');
    assert.match(warning.message, /wider than the regex: only Sockguard allows POST \/containers\/web-1\/start/);
    const parity = compareWithOld(translation, compileWollomatic(parse.settings));
    const explained = parity.rows.filter((r) => r.explainedBy.includes('migrate/regex-not-exact'));
    assert.ok(explained.length > 0);
    for (const row of explained) {
      assert.equal(row.change, 'loosened');
      assert.equal(row.request.method, 'POST');
      assert.equal(row.request.family, 'catalog');
      assert.match(row.new.normalizedPath ?? '', /^\/containers\/[^/]+\/start$/);
    }
    // Without it those rows are unexplained.
    const without = compareWithOld(
      translation,
      compileWollomatic(parse.settings),
      translation.warnings.filter((w) => w.code !== 'migrate/regex-not-exact'),
    );
    assert.equal(unexplained(without.rows).length, explained.length);
  });

  it('-allowfrom=172.18.0.0/16 becomes clients.allowed_cidrs', () => {
    const translation = translate({ argv: ['-listenip=0.0.0.0', '-allowfrom=172.18.0.0/16'] });
    assert.deepEqual(translation.policy.clients, { allowed_cidrs: ['172.18.0.0/16'] });
    assert.match(
      warningOf(translation, 'migrate/plaintext-listener').message,
      /clients\.allowed_cidrs \(172\.18\.0\.0\/16\) still limits/,
    );
  });

  it('-allowfrom=traefik (hostname admission) is a warning, not a CIDR', () => {
    const translation = translate({ argv: ['-listenip=0.0.0.0', '-allowfrom=traefik'] });
    assert.equal(translation.policy.clients, undefined);
    const warning = warningOf(translation, 'migrate/hostname-admission');
    assert.equal(warning.origin, 'arg:1');
    assert.match(warning.message, /"traefik"/);
    assert.match(warning.message, /every client that reaches the listener is admitted/);
    assert.match(warning.message, /clients\.container_labels/);
    assert.match(warning.message, /client_certificate_profiles/);
    assert.match(warning.message, /unix_peer_profiles/);
    assert.match(warningOf(translation, 'migrate/plaintext-listener').message, /the old proxy admitted only "traefik"/);
  });

  it('socket-proxy.allow.get=.* labels enable clients.container_labels with the wollomatic prefix', () => {
    const translation = translate({
      argv: ['-listenip=0.0.0.0', '-proxycontainername=socket-proxy'],
      labels: [{ service: 'dozzle', labels: { 'socket-proxy.allow.get': '.*' } }],
    });
    assert.deepEqual(translation.policy.clients?.container_labels, {
      enabled: true,
      label_prefix: 'socket-proxy.allow.',
    });
    const warning = warningOf(translation, 'migrate/label-allowlists');
    assert.equal(warning.origin, 'label:dozzle:socket-proxy.allow.get');
    assert.match(warning.message, /dozzle: socket-proxy\.allow\.get=\/\*\* \(was socket-proxy\.allow\.get=\.\*\)/);
    assert.match(warning.message, /must also be allowed by the rules/);
  });

  it('-allowbindmountfrom=/srv/data,/var/log becomes allowed_bind_mounts (containers and services)', () => {
    const translation = translate({ argv: ['-allowbindmountfrom=/srv/data,/var/log/'] });
    assert.deepEqual(translation.policy.request_body, {
      container_create: { allowed_bind_mounts: ['/srv/data', '/var/log'] },
      service: { allowed_bind_mounts: ['/srv/data', '/var/log'] },
    });
  });

  it('-proxysocketendpoint=/tmp/filtered.sock becomes listen.socket', () => {
    const translation = translate({ argv: ['-proxysocketendpoint=/tmp/filtered.sock'] });
    assert.deepEqual(translation.policy.listen, { socket: '/tmp/filtered.sock' });
    assert.deepEqual(codesOf(translation), []);
  });
});

describe('wollomatic: the typical invocations of peers.md §3.8', () => {
  it('README Traefik example (golden)', () => {
    const translation = translate({
      argv: [
        '-loglevel=info',
        '-listenip=0.0.0.0',
        '-allowfrom=traefik',
        '-allowGET=/v1\\..{1,2}/(version|containers/.*|events.*)',
        '-allowbindmountfrom=/var/log',
        '-watchdoginterval=3600',
        '-stoponwatchdog',
        '-shutdowngracetime=5',
      ],
    });
    assertGolden('fixtures/translations/wollomatic-traefik.policy.yaml', renderPolicy(translation));
    assert.deepEqual(translation.policy.health, { watchdog: { enabled: true, interval: '3600s' } });
    assert.deepEqual(translation.policy.log, { level: 'info' });
    // The required /v1.xx prefix: unversioned requests (issue #53) are now allowed.
    assert.match(warningOf(translation, 'migrate/regex-not-exact').message, /cannot require one/);
    assert.deepEqual(
      translation.warnings.filter((w) => w.code === 'migrate/unsupported-setting').map((w) => w.origin),
      ['arg:6', 'arg:7'],
    );
    assert.equal(warningOf(translation, 'migrate/read-exfiltration-withheld').origin, 'arg:3');
  });

  it('API discovery mode: every method .* (golden)', () => {
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'TRACE', 'OPTIONS'];
    const translation = translate({ argv: ['-loglevel=debug', ...methods.map((m) => `-allow${m}=.*`)] });
    assertGolden('fixtures/translations/wollomatic-discovery.policy.yaml', renderPolicy(translation));
    for (const code of [
      'migrate/read-exfiltration-withheld',
      'migrate/body-blind-exec-withheld',
      'migrate/body-blind-write-withheld',
      'migrate/buildkit-tunnel-withheld',
    ]) {
      warningOf(translation, code);
    }
    assert.ok(!codesOf(translation).includes('migrate/regex-not-exact'), '.* is exactly /**');
  });

  it('SP_ALLOW_GET="/version" SP_ALLOW_GET_2="/_ping": no version prefix, so versioned requests open up', () => {
    const translation = translate({ env: { SP_ALLOW_GET: '/version', SP_ALLOW_GET_2: '/_ping' } });
    assert.deepEqual(allowsOf(translation), ['GET /version', 'GET /_ping']);
    const warnings = translation.warnings.filter((w) => w.code === 'migrate/regex-not-exact');
    assert.deepEqual(
      warnings.map((w) => w.origin),
      ['env:SP_ALLOW_GET', 'env:SP_ALLOW_GET_2'],
    );
    assert.match(warnings[0]!.message, /only Sockguard allows GET \/v1\.41\/version, \/v1\.45\/version/);
    assert.deepEqual(translation.ruleOrigins.slice(0, 2), ['SP_ALLOW_GET=/version', 'SP_ALLOW_GET_2=/_ping']);
  });

  it("labels 'socket-proxy.allow.get=.*' and 'socket-proxy.allow.head.1=/exec': one label per method, globs", () => {
    const translation = translate({
      argv: ['-listenip=0.0.0.0', '-proxycontainername=socket-proxy', '-allowfrom=10.0.0.0/8'],
      labels: [
        { service: 'dozzle', labels: { 'socket-proxy.allow.get': '.*' } },
        {
          service: 'runner',
          labels: { 'socket-proxy.allow.head.1': '/exec', 'socket-proxy.allow.bindmountfrom': '/srv' },
        },
      ],
    });
    const message = warningOf(translation, 'migrate/label-allowlists').message;
    assert.match(message, /dozzle, runner carry socket-proxy\.allow\.\* labels/);
    assert.match(
      message,
      /runner: socket-proxy\.allow\.head=\/exec \(was socket-proxy\.allow\.head\.1=\/exec; not exact\)/,
    );
    assert.match(message, /socket-proxy\.allow\.bindmountfrom on runner has no per-container counterpart/);
    assert.deepEqual(translation.policy.clients?.allowed_cidrs, ['10.0.0.0/8']);
  });

  it('labels without -proxycontainername stay inactive, as in wollomatic', () => {
    const translation = translate({ labels: [{ service: 'dozzle', labels: { 'socket-proxy.allow.get': '.*' } }] });
    assert.equal(translation.policy.clients, undefined);
    assert.match(warningOf(translation, 'migrate/wollomatic/labels-inactive').message, /container_labels stays off/);
  });

  it('Watchtower example (golden)', () => {
    const translation = translate({
      argv: [
        '-allowGET=/v1\\..{2}/(containers/.*|images/.*)',
        '-allowPOST=/v1\\..{2}/(containers/.*|images/.*|networks/.*)',
        '-allowDELETE=/v1\\..{2}/(containers/.*|images/.*)',
      ],
    });
    assertGolden('fixtures/translations/wollomatic-watchtower.policy.yaml', renderPolicy(translation));
    // POST /containers/{id}/exec and /exec/{id}/start are not under these paths, but attach is.
    warningOf(translation, 'migrate/read-exfiltration-withheld');
    warningOf(translation, 'migrate/container-create-inspected');
  });

  it('issue #125: one container action', () => {
    const translation = translate({ argv: ['-allowPOST=/v1\\..{1,2}/(containers/private-traefik/kill)'] });
    assert.deepEqual(allowsOf(translation), ['POST /containers/private-traefik/kill']);
  });
});

describe('wollomatic: half-anchored alternations (peers.md §3.3)', () => {
  const dozzle = '-allowGET=/v1\\..{2}/(containers/.*|events)|/_ping';

  it('the Dozzle example is anchored by default, and says what the old proxy also allowed', () => {
    const translation = translate({ argv: [dozzle] });
    assert.deepEqual(translation.applied[HALF_ANCHORED_ALTERNATION], 'anchor');
    assert.deepEqual(allowsOf(translation), ['GET /containers/*/**', 'GET /events', 'GET /_ping']);
    const warning = warningOf(translation, 'migrate/half-anchored-alternation');
    assert.equal(warning.origin, 'arg:0');
    assert.match(warning.message, /also allowed GET \/v1\.41\/eventsfoo/);
    assert.match(warning.message, /half-anchored-alternation=reproduce/);
    const choice = translation.choices.find((c) => c.id === HALF_ANCHORED_ALTERNATION);
    assert.equal(choice?.safeDefault, 'anchor');
  });

  it('the warning explains exactly the requests the anchoring tightened', () => {
    const { parse, translation } = run({ argv: [dozzle] });
    const emulator = compileWollomatic(parse.settings);
    const parity = compareWithOld(translation, emulator);
    const explained = parity.rows.filter((r) => r.explainedBy.includes('migrate/half-anchored-alternation'));
    assert.ok(explained.some((r) => r.request.target === '/v1.41/eventsfoo'));
    for (const row of explained) {
      assert.equal(row.change, 'tightened');
      assert.equal(row.request.method, 'GET');
      assert.doesNotMatch(row.request.target, /^\/v1\..{2}\/(containers\/.*|events)$|^\/_ping$/);
    }
    const without = compareWithOld(
      translation,
      emulator,
      translation.warnings.filter((w) => w.code !== 'migrate/half-anchored-alternation'),
    );
    assert.ok(unexplained(without.rows).some((r) => r.request.target === '/v1.41/eventsfoo'));
  });

  it('reproduce keeps the old matching as far as globs can', () => {
    const translation = translate({
      argv: [dozzle],
      options: { answers: { [HALF_ANCHORED_ALTERNATION]: 'reproduce' } },
    });
    assert.deepEqual(allowsOf(translation), ['GET /containers/*/**', 'GET /events**', 'GET /**/_ping']);
    assert.match(warningOf(translation, 'migrate/half-anchored-alternation').message, /reproduce that/);
  });

  it('an empty last alternative allowed the method on every path', () => {
    const argv = ['-allowHEAD=/version|/_ping|'];
    const anchored = translate({ argv });
    assert.deepEqual(allowsOf(anchored), ['HEAD /version', 'HEAD /_ping']);
    assert.match(warningOf(anchored, 'migrate/half-anchored-alternation').message, /allowed HEAD on every path/);
    assert.equal(warningOf(anchored, 'migrate/half-anchored-alternation').severity, 'warning');
    const reproduced = translate({ argv, options: { answers: { [HALF_ANCHORED_ALTERNATION]: 'reproduce' } } });
    assert.ok(allowsOf(reproduced).includes('HEAD /**'));
    warningOf(reproduced, 'migrate/read-exfiltration-withheld');
  });

  it('alternatives that carry their own anchors are not flagged', () => {
    const translation = translate({ argv: ['-allowGET=^/(v[0-9.]+/)?version$|^/(v[0-9.]+/)?_ping$'] });
    assert.deepEqual(allowsOf(translation), ['GET /version', 'GET /_ping']);
    assert.ok(!codesOf(translation).includes('migrate/half-anchored-alternation'));
    assert.deepEqual(translation.choices, []);
  });
});

describe('wollomatic: sensitive endpoints', () => {
  const argv = ['-allowGET=.*', '-allowPOST=.*'];

  it('withheld by default, before the rule that allowed them', () => {
    const translation = translate({ argv });
    const rules = describeRules(translation);
    assert.ok(rules.indexOf('deny GET,HEAD /containers/**/archive') < rules.indexOf('allow GET /**'));
    assert.ok(rules.includes('deny POST /containers/**/exec'));
    assert.equal(translation.policy.insecure_allow_read_exfiltration, undefined);
  });

  it('--keep-exfiltration keeps reads and sets the acknowledgement; exec stays withheld', () => {
    const translation = translate({ argv, options: { keepExfiltration: true } });
    assert.equal(translation.policy.insecure_allow_read_exfiltration, true);
    warningOf(translation, 'migrate/read-exfiltration-kept');
    warningOf(translation, 'migrate/body-blind-exec-withheld');
    assert.ok(!describeRules(translation).includes('deny GET,HEAD /containers/**/archive'));
  });

  it('exec is kept only by answering the choice', () => {
    const translation = translate({ argv, options: { answers: { [KEEP_BODY_BLIND_WRITES]: 'keep' } } });
    assert.equal(translation.policy.insecure_allow_body_blind_writes, true);
    warningOf(translation, 'migrate/body-blind-exec-kept');
  });
});

describe('wollomatic: listener and client admission', () => {
  it('the default listener is loopback, plaintext and needs nothing', () => {
    const translation = translate({ argv: ['-allowGET=^/_ping$'] });
    assert.deepEqual(translation.policy.listen, { address: '127.0.0.1:2375' });
    assert.equal(translation.policy.clients, undefined);
  });

  it('0.0.0.0 with the default allowfrom keeps wollomatic admitting 127.0.0.1 only', () => {
    const translation = translate({ argv: ['-listenip=0.0.0.0', '-proxyport=2376'] });
    assert.deepEqual(translation.policy.listen, {
      address: '0.0.0.0:2376',
      insecure_allow_plain_tcp: true,
      insecure_allow_unauthenticated_clients: true,
    });
    assert.deepEqual(translation.policy.clients, { allowed_cidrs: ['127.0.0.1/32'] });
  });

  it('any 127.0.0.0/8 or ::1 listen IP is loopback', () => {
    for (const ip of ['127.0.0.2', '::1']) {
      const translation = translate({ argv: [`-listenip=${ip}`] });
      assert.equal(translation.policy.listen?.insecure_allow_plain_tcp, undefined);
      assert.ok(!codesOf(translation).includes('migrate/plaintext-listener'));
    }
  });

  it('an IPv6 listen IP is bracketed', () => {
    const translation = translate({ env: { SP_LISTENIP: '::', SP_ALLOWFROM: 'fd00::/8' } });
    assert.equal(translation.policy.listen?.address, '[::]:2375');
    assert.equal(warningOf(translation, 'migrate/plaintext-listener').origin, 'env:SP_LISTENIP');
    assert.match(warningOf(translation, 'migrate/plaintext-listener').message, /^SP_LISTENIP=::/);
  });

  it('allowfrom: IPs before the first CIDR admit, the first CIDR decides, the rest never counts', () => {
    const translation = translate({
      argv: ['-listenip=0.0.0.0', '-allowfrom=192.168.1.5,traefik,10.0.0.0/08,172.16.0.0/12,1.2.3.4'],
    });
    assert.deepEqual(translation.policy.clients?.allowed_cidrs, ['192.168.1.5/32', '10.0.0.0/8']);
    assert.match(
      warningOf(translation, 'migrate/hostname-admission').message,
      /only clients in 192\.168\.1\.5\/32, 10\.0\.0\.0\/8 are admitted/,
    );
    assert.match(
      warningOf(translation, 'migrate/wollomatic/allowfrom-first-cidr-decides').message,
      /lists only what wollomatic enforced/,
    );
  });

  it('allowfrom items no resolver accepts admit no one, and an allowfrom that admits no one stays so', () => {
    const some = translate({ argv: ['-listenip=0.0.0.0', '-allowfrom=bad name,10.0.0.0/8'] });
    assert.deepEqual(some.policy.clients?.allowed_cidrs, ['10.0.0.0/8']);
    assert.match(warningOf(some, 'migrate/wollomatic/allowfrom-admits-nobody').message, /"bad name" is neither/);
    // A trailing space makes the CIDR unparsable, and an empty allowed_cidrs would admit everyone.
    const none = translate({ argv: ['-listenip=0.0.0.0', '-allowfrom=10.0.0.0/8 '] });
    assert.deepEqual(none.policy.clients?.allowed_cidrs, ['255.255.255.255/32']);
    assert.match(
      warningOf(none, 'migrate/wollomatic/allowfrom-admits-nobody').message,
      /admitted no TCP client at all/,
    );
    assert.ok(!codesOf(none).includes('migrate/hostname-admission'));
  });

  it('allowfrom has no effect on a unix socket', () => {
    const translation = translate({ argv: ['-proxysocketendpoint=/run/proxy.sock', '-allowfrom=10.0.0.0/8'] });
    assert.equal(translation.policy.clients, undefined);
    assert.match(warningOf(translation, 'migrate/unsupported-setting').message, /no effect on a unix socket/);
  });

  it('a socket file mode Sockguard does not offer keeps 0600 and says so', () => {
    const translation = translate({
      argv: ['-proxysocketendpoint=/run/proxy.sock', '-proxysocketendpointfilemode=0660'],
    });
    assert.deepEqual(translation.policy.listen, { socket: '/run/proxy.sock' });
    assert.match(
      warningOf(translation, 'migrate/unsupported-setting').message,
      /0660: Sockguard creates its socket with mode 0600/,
    );
  });
});

describe('wollomatic: operational flags', () => {
  it('map to upstream, log and health, or say why not', () => {
    const translation = translate({
      argv: ['-socketpath=/run/docker.sock', '-logjson', '-loglevel=WARN', '-allowhealthcheck'],
      env: { SP_SHUTDOWNGRACETIME: '3' },
    });
    assert.deepEqual(translation.policy.upstream, { socket: '/run/docker.sock' });
    assert.deepEqual(translation.policy.log, { level: 'warn', format: 'json' });
    assert.equal(translation.policy.health, undefined);
    assert.match(warningOf(translation, 'migrate/wollomatic/healthcheck-moved').message, /GET \/health/);
    assert.equal(warningOf(translation, 'migrate/unsupported-setting').origin, 'env:SP_SHUTDOWNGRACETIME');
  });

  it('-logjson=false chooses text logs', () => {
    assert.deepEqual(translate({ argv: ['-logjson=false'] }).policy.log, { format: 'text' });
  });

  it('an untagged image assumes the newest release and says so', () => {
    const translation = translate({ tag: 'latest', argv: ['-allowGET=^/_ping$'] });
    assert.equal(warningOf(translation, 'migrate/assumed-newest-version').origin, 'image');
  });

  it('an invalid regex makes no rule (wollomatic would not start)', () => {
    const translation = translate({ argv: ['-allowGET=/containers/(json', '-allowHEAD=^/_ping$'] });
    assert.deepEqual(allowsOf(translation), ['HEAD /_ping']);
    const warning = warningOf(translation, 'migrate/wollomatic/invalid-regex');
    assert.equal(warning.severity, 'error');
    assert.match(warning.message, /No rule is translated from it/);
  });
});
