import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileTecnativa } from '../../src/emulators/tecnativa.js';
import { DOCKER_SECTION_RULES } from '../../src/peers/haproxy-rules.js';
import { parseTecnativaSettings, type TecnativaSettings } from '../../src/peers/tecnativa.js';
import { translateTecnativa } from '../../src/translators/tecnativa.js';
import type { TranslateOptions, Translation } from '../../src/translators/types.js';
import {
  assertParity,
  assertPolicyGolden,
  assertStartsAndLints,
  listExplainingCodes,
  listRules,
  listWarnings,
} from './translation-checks.js';

const DEFAULTS: TranslateOptions = { keepExfiltration: false, answers: {} };

function settingsOf(environment: Record<string, string>, imageTag: string | undefined = '0.4.1'): TecnativaSettings {
  return parseTecnativaSettings({ environment, imageTag });
}

function translate(environment: Record<string, string>, imageTag?: string, options = DEFAULTS): Translation {
  return translateTecnativa(settingsOf(environment, imageTag), options);
}

/** Golden policy, startup, lint and parity for one scenario. */
function checkScenario(name: string, settings: TecnativaSettings, options = DEFAULTS): Translation {
  const translation = translateTecnativa(settings, options);
  assertPolicyGolden(`tecnativa-${name}`, translation);
  assertStartsAndLints(translation);
  assertParity(compileTecnativa(settings), translation);
  return translation;
}

describe('Tecnativa compose examples (shared/reference/compose-examples)', () => {
  it('tecnativa-1: Homepage, ghcr :latest, CONTAINERS SERVICES TASKS, POST=0', () => {
    const t = checkScenario(
      'homepage',
      settingsOf({ CONTAINERS: '1', SERVICES: '1', TASKS: '1', POST: '0' }, 'latest'),
    );
    assert.deepEqual(listWarnings(t), [
      ['migrate/assumed-newest-version', 'image'],
      ['migrate/plaintext-tcp-listener', 'image'],
      ['migrate/prefix-match-quirk', 'image'],
      ['migrate/case-insensitive-quirk', 'image'],
      ['migrate/read-exfiltration-withheld', 'env:CONTAINERS'],
    ]);
    assert.deepEqual(t.applied, { 'keep-read-exfiltration': 'withhold' });
  });

  it('tecnativa-2: Dozzle, untagged, CONTAINERS INFO; logs withheld by default, kept on request', () => {
    const settings = settingsOf({ CONTAINERS: '1', INFO: '1' }, undefined);
    const withheld = checkScenario('dozzle', settings);
    assert.ok(listRules(withheld).includes('deny GET,HEAD /containers/**/logs'));
    const kept = checkScenario('dozzle-keep-exfiltration', settings, { keepExfiltration: true, answers: {} });
    assert.equal(kept.policy.insecure_allow_read_exfiltration, true);
    assert.ok(!listRules(kept).some((r) => r.startsWith('deny GET,HEAD /containers/**/logs')));
    assert.deepEqual(listWarnings(kept).at(-1), ['migrate/read-exfiltration-kept', 'env:CONTAINERS']);
  });

  it('tecnativa-5: issue #114, :edge, POST=1 with CONTAINERS IMAGES NETWORKS and all ALLOW_*', () => {
    const t = checkScenario(
      'issue-114',
      settingsOf(
        {
          POST: '1',
          CONTAINERS: '1',
          IMAGES: '1',
          NETWORKS: '1',
          ALLOW_START: '1',
          ALLOW_STOP: '1',
          ALLOW_RESTARTS: '1',
        },
        'edge',
      ),
    );
    const codes = listWarnings(t);
    assert.ok(codes.some(([code, origin]) => code === 'migrate/post-opens-all-writes' && origin === 'env:POST'));
    assert.ok(codes.some(([code]) => code === 'migrate/body-blind-exec-withheld'));
    assert.ok(codes.some(([code]) => code === 'migrate/container-create-inspected'));
    // CONTAINERS with POST already allows every action: the ALLOW_* rules add nothing.
    assert.deepEqual(
      codes.filter(([code]) => code === 'migrate/redundant-variable').map(([, origin]) => origin),
      ['env:ALLOW_RESTARTS', 'env:ALLOW_RESTARTS', 'env:ALLOW_RESTARTS', 'env:ALLOW_START', 'env:ALLOW_STOP'],
    );
  });
});

describe('Tecnativa sections (peers.md §1.3)', () => {
  const expected: Record<string, [string, string]> = {
    AUTH: ['/auth', 'POST'],
    BUILD: ['/build/**', 'POST'],
    COMMIT: ['/commit', 'POST'],
    CONFIGS: ['/configs/**', 'POST,DELETE'],
    CONTAINERS: ['/containers/**', 'POST,PUT,DELETE'],
    DISTRIBUTION: ['/distribution/**', ''],
    EVENTS: ['/events', ''],
    EXEC: ['/exec/**', 'POST'],
    GRPC: ['/grpc', 'POST'],
    IMAGES: ['/images/**', 'POST,DELETE'],
    INFO: ['/info', ''],
    NETWORKS: ['/networks/**', 'POST,DELETE'],
    NODES: ['/nodes/**', 'POST,DELETE'],
    PING: ['/_ping', ''],
    PLUGINS: ['/plugins/**', 'POST,DELETE'],
    SECRETS: ['/secrets/**', 'POST,DELETE'],
    SERVICES: ['/services/**', 'POST,DELETE'],
    SESSION: ['/session', 'POST'],
    SWARM: ['/swarm/**', 'POST'],
    SYSTEM: ['/system/**', ''],
    TASKS: ['/tasks/**', ''],
    VERSION: ['/version', ''],
    VOLUMES: ['/volumes/**', 'POST,PUT,DELETE'],
  };
  it('covers every section variable', () => {
    assert.deepEqual(Object.keys(expected).sort(), DOCKER_SECTION_RULES.map((r) => r.variable).sort());
  });
  const off = { PING: '0', VERSION: '0', EVENTS: '0' };
  for (const [variable, [path, writes]] of Object.entries(expected)) {
    it(`${variable}=1 → GET,HEAD ${path}; with POST=1 → GET,HEAD${writes ? `,${writes}` : ''}`, () => {
      const read = translate({ ...off, [variable]: '1' });
      assert.deepEqual(
        listRules(read).filter((r) => r.startsWith('allow')),
        [`allow GET,HEAD ${path}`],
      );
      assert.equal(read.ruleOrigins[listRules(read).indexOf(`allow GET,HEAD ${path}`)], `${variable}=1`);
      const write = translate({ ...off, [variable]: '1', POST: '1' });
      const methods = writes ? `GET,HEAD,${writes}` : 'GET,HEAD';
      assert.ok(listRules(write).includes(`allow ${methods} ${path}`), listRules(write).join('\n'));
      assertStartsAndLints(write);
    });
  }

  it('PING, VERSION and EVENTS are on by default and come first, with their origin', () => {
    const t = translate({ CONTAINERS: '1' });
    assert.deepEqual(listRules(t).slice(0, 3), [
      'allow GET,HEAD /_ping',
      'allow GET,HEAD /version',
      'allow GET,HEAD /events',
    ]);
    assert.equal(t.ruleOrigins[0], 'PING unset (image default 1)');
    assert.deepEqual(listRules(t).at(-1), 'deny * /**');
  });
});

describe('Tecnativa values (peers.md §1.6: env(VAR) -m bool)', () => {
  const table: [string, string, boolean, string | undefined][] = [
    ['1', 'on', true, undefined],
    ['2', 'on (non-canonical)', true, 'migrate/haproxy/non-canonical-on'],
    ['true', 'OFF', false, 'migrate/haproxy/true-means-off'],
    ['yes', 'OFF', false, 'migrate/haproxy/true-means-off'],
    [' 1', 'OFF (leading space)', false, 'migrate/haproxy/leading-space-means-off'],
    ['enabled', 'OFF', false, 'migrate/haproxy/not-a-number-means-off'],
    ['0x1', 'OFF (leading 0)', false, undefined],
  ];
  for (const [value, reading, on, code] of table) {
    it(`CONTAINERS=${JSON.stringify(value)} is ${reading}`, () => {
      const t = translate({ CONTAINERS: value });
      assert.equal(
        listRules(t).some((r) => r.endsWith(' /containers/**')),
        on,
      );
      const warned = listWarnings(t)
        .filter(([, origin]) => origin === 'env:CONTAINERS')
        .map(([c]) => c);
      assert.deepEqual(
        warned.filter((c) => c.startsWith('migrate/haproxy/')),
        code ? [code] : [],
      );
    });
  }

  it('POST=true is off: no writes', () => {
    const t = translate({ CONTAINERS: '1', POST: 'true' });
    assert.ok(listRules(t).includes('allow GET,HEAD /containers/**'));
    assert.ok(!listWarnings(t).some(([code]) => code === 'migrate/post-opens-all-writes'));
  });
});

describe('Tecnativa ALLOW_* (peers.md §1.5)', () => {
  it('with POST=0 they had no effect: kept as a no-op by default, with a choice and a warning', () => {
    const settings = settingsOf({ ALLOW_START: '1', ALLOW_RESTARTS: '1' });
    const t = translateTecnativa(settings, DEFAULTS);
    assert.ok(!listRules(t).some((r) => r.includes('/start')));
    assert.deepEqual(
      t.choices.map((c) => [c.id, c.safeDefault]),
      [['ineffective-allows', 'keep-no-op']],
    );
    assert.deepEqual(t.applied, { 'ineffective-allows': 'keep-no-op' });
    assert.ok(
      listWarnings(t).some(([c, o]) => c === 'migrate/tecnativa/allow-needs-post' && o === 'env:ALLOW_RESTARTS'),
    );
    const result = assertParity(compileTecnativa(settings), t);
    assert.ok(listExplainingCodes(result).includes('migrate/tecnativa/allow-needs-post'));
  });

  it('applying the apparent intent allows POST on exactly those actions', () => {
    const settings = settingsOf({ ALLOW_START: '1', ALLOW_RESTARTS: '1' });
    const t = translateTecnativa(settings, {
      keepExfiltration: false,
      answers: { 'ineffective-allows': 'apply-intent' },
    });
    assertPolicyGolden('tecnativa-allow-without-post-applied', t);
    assert.deepEqual(
      listRules(t).filter((r) => r.startsWith('allow POST')),
      [
        'allow POST /containers/*/stop',
        'allow POST /containers/*/restart',
        'allow POST /containers/*/kill',
        'allow POST /containers/*/start',
      ],
    );
    assert.match(
      t.ruleOrigins[listRules(t).indexOf('allow POST /containers/*/start')] ?? '',
      /^ALLOW_START=1 \(needs POST=1/,
    );
    assertStartsAndLints(t);
    const result = assertParity(compileTecnativa(settings), t);
    assert.ok(result.summary.loosened > 0);
  });

  it('with POST=1 and no CONTAINERS they are POST-only grants (every other method was path-only noise)', () => {
    const settings = settingsOf({ POST: '1', ALLOW_STOP: '1' });
    const t = translateTecnativa(settings, DEFAULTS);
    assert.ok(listRules(t).includes('allow POST /containers/*/stop'));
    assert.equal(t.choices.length, 0);
    const result = assertParity(compileTecnativa(settings), t);
    assert.ok(listExplainingCodes(result).includes('migrate/haproxy/action-methods-narrowed'));
  });

  it('v0.1.1 does not read ALLOW_START: no rule, a warning at the variable', () => {
    const t = translate({ POST: '1', ALLOW_START: '1' }, '0.1.1');
    assert.ok(!listRules(t).some((r) => r.includes('/start')));
    assert.ok(listWarnings(t).some(([c, o]) => c === 'migrate/unread-variable' && o === 'env:ALLOW_START'));
  });
});

describe('Tecnativa names the image never reads (peers.md §1.2, §7)', () => {
  const table: [string, string][] = [
    ['ALLOW_RESTART', '1'],
    ['BIND_CONFIG', ':2375'],
    ['IAMGES', '1'],
    ['ALLOW_LOGS', '1'],
  ];
  for (const [name, value] of table) {
    it(`${name}=${value} → migrate/unread-variable at env:${name}, nothing allowed`, () => {
      const t = translate({ [name]: value });
      assert.ok(listWarnings(t).some(([c, o]) => c === 'migrate/unread-variable' && o === `env:${name}`));
      assert.deepEqual(listRules(t).filter((r) => r.startsWith('allow')).length, 3);
    });
  }
});

describe('Tecnativa sensitive endpoints', () => {
  it('withholds exec, BuildKit and exfiltration by default and starts; keeps all when asked', () => {
    const env = {
      CONTAINERS: '1',
      EXEC: '1',
      IMAGES: '1',
      SESSION: '1',
      GRPC: '1',
      PLUGINS: '1',
      SWARM: '1',
      POST: '1',
    };
    const settings = settingsOf(env);
    const withheld = checkScenario('everything-writable', settings);
    assert.deepEqual(
      withheld.choices.map((c) => c.id),
      ['keep-read-exfiltration', 'keep-body-blind-writes', 'keep-buildkit-tunnels'],
    );
    const kept = translateTecnativa(settings, {
      keepExfiltration: true,
      answers: { 'keep-body-blind-writes': 'keep', 'keep-buildkit-tunnels': 'keep' },
    });
    assertStartsAndLints(kept);
    assert.deepEqual(
      [
        kept.policy.insecure_allow_read_exfiltration,
        kept.policy.insecure_allow_body_blind_writes,
        kept.policy.insecure_accept_opaque_buildkit_tunnels,
      ],
      [true, true, true],
    );
    assertParity(compileTecnativa(settings), kept);
  });

  it('SWARM=1 exposes the join tokens: warned at the variable', () => {
    const t = translate({ SWARM: '1' });
    assert.ok(listWarnings(t).some(([c, o]) => c === 'migrate/swarm-join-tokens-exposed' && o === 'env:SWARM'));
  });
});

describe('Tecnativa parity across eras and toggles', () => {
  const all = Object.fromEntries(DOCKER_SECTION_RULES.map((r) => [r.variable, '1']));
  const scenarios: [string, Record<string, string>, string | undefined][] = [
    ['every section read-only', all, '0.4.1'],
    ['every section writable', { ...all, POST: '1', ALLOW_START: '1' }, '0.3.0'],
    ['nothing at all', { PING: '0', VERSION: '0', EVENTS: '0' }, '0.4.1'],
    ['v0.1.0 with the later variables', { GRPC: '1', ALLOW_STOP: '1', POST: '1', CONTAINERS: '1' }, '0.1.0'],
  ];
  for (const [name, environment, tag] of scenarios) {
    it(name, () => {
      const settings = settingsOf(environment, tag);
      const t = translateTecnativa(settings, DEFAULTS);
      assertStartsAndLints(t);
      assertParity(compileTecnativa(settings), t);
    });
  }
});
