import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileLinuxServer } from '../../src/emulators/linuxserver.js';
import { EmulationUnavailableError } from '../../src/emulators/types.js';
import { parseLinuxServerSettings, type LinuxServerSettings } from '../../src/peers/linuxserver.js';
import { translateLinuxServer } from '../../src/translators/linuxserver.js';
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
const APPLY_INTENT: TranslateOptions = { keepExfiltration: false, answers: { 'ineffective-allows': 'apply-intent' } };

function settingsOf(environment: Record<string, string>, imageTag: string | undefined): LinuxServerSettings {
  return parseLinuxServerSettings({ environment, imageTag });
}

function translate(environment: Record<string, string>, imageTag: string | undefined, options = DEFAULTS): Translation {
  return translateLinuxServer(settingsOf(environment, imageTag), options);
}

/** Startup, lint and parity (HAProxy builds) for one translation. */
function check(settings: LinuxServerSettings, options = DEFAULTS): Translation {
  const translation = translateLinuxServer(settings, options);
  assertStartsAndLints(translation);
  assertParity(compileLinuxServer(settings), translation);
  return translation;
}

const has = (t: Translation, code: string, origin?: string): boolean =>
  listWarnings(t).some(([c, o]) => c === code && (origin === undefined || o === origin));

/** The README's compose block (linuxserver-1.yml), every variable at its documented default. */
const README_ENVIRONMENT: Record<string, string> = {
  ALLOW_ARCHIVE: '0',
  ALLOW_CHANGES: '0',
  ALLOW_EXPORT: '0',
  ALLOW_LOGS: '0',
  ALLOW_PAUSE: '0',
  ALLOW_RESTARTS: '0',
  ALLOW_STOP: '0',
  ALLOW_START: '0',
  ALLOW_TOP: '0',
  ALLOW_UNPAUSE: '0',
  AUTH: '0',
  BUILD: '0',
  COMMIT: '0',
  CONFIGS: '0',
  CONTAINERS: '0',
  DISABLE_IPV6: '0',
  DISTRIBUTION: '0',
  EVENTS: '1',
  EXEC: '0',
  IMAGES: '0',
  INFO: '0',
  LOG_LEVEL: 'info',
  NETWORKS: '0',
  NODES: '0',
  PING: '1',
  PLUGINS: '0',
  POST: '0',
  SECRETS: '0',
  SERVICES: '0',
  SESSION: '0',
  SWARM: '0',
  SYSTEM: '0',
  TASKS: '0',
  TZ: 'Etc/UTC',
  VERSION: '1',
  VOLUMES: '0',
  LIBPOD_CONTAINERS: '0',
  LIBPOD_EVENTS: '0',
  LIBPOD_EXEC: '0',
  LIBPOD_GENERATE: '0',
  LIBPOD_IMAGES: '0',
  LIBPOD_INFO: '0',
  LIBPOD_MANIFESTS: '0',
  LIBPOD_NETWORKS: '0',
  LIBPOD_PING: '1',
  LIBPOD_PLAY: '0',
  LIBPOD_PODS: '0',
  LIBPOD_SECRETS: '0',
  LIBPOD_SYSTEM: '0',
  LIBPOD_VERSION: '1',
  LIBPOD_VOLUMES: '0',
};

describe('LinuxServer compose examples (shared/reference/compose-examples)', () => {
  it('linuxserver-1: the README block, :latest, every default written out', () => {
    const t = check(settingsOf(README_ENVIRONMENT, 'latest'));
    assertPolicyGolden('linuxserver-readme', t);
    assert.deepEqual(listWarnings(t), [
      ['migrate/assumed-newest-version', 'image'],
      ['migrate/plaintext-tcp-listener', 'env:DISABLE_IPV6'],
      ['migrate/prefix-match-quirk', 'image'],
      ['migrate/case-insensitive-quirk', 'image'],
    ]);
    assert.equal(t.policy.log?.level, 'info');
    assert.deepEqual(t.choices, []);
  });

  it('linuxserver-2: Traefik, :latest, CONTAINERS EVENTS; ls92 sub-path denies and attach withheld', () => {
    const t = check(settingsOf({ CONTAINERS: '1', EVENTS: '1' }, 'latest'));
    assertPolicyGolden('linuxserver-traefik', t);
    assert.deepEqual(listWarnings(t), [
      ['migrate/assumed-newest-version', 'image'],
      ['migrate/linuxserver/subpath-denied-by-default', 'env:CONTAINERS'],
      ['migrate/plaintext-tcp-listener', 'image'],
      ['migrate/prefix-match-quirk', 'image'],
      ['migrate/case-insensitive-quirk', 'image'],
      ['migrate/haproxy/id-class-widened', 'image'],
      ['migrate/read-exfiltration-withheld', 'env:CONTAINERS'],
    ]);
  });

  it('linuxserver-5: LoggiFly, untagged, CONTAINERS POST=0: logs denied as on ls92, and kept that way', () => {
    const t = check(settingsOf({ CONTAINERS: '1', POST: '0' }, undefined));
    assertPolicyGolden('linuxserver-loggifly', t);
    assert.ok(listRules(t).includes('deny * /containers/*/logs'));
    assert.ok(has(t, 'migrate/linuxserver/subpath-denied-by-default', 'env:CONTAINERS'));
    // Keeping exfiltration does not reopen what the image itself denied.
    const kept = check(settingsOf({ CONTAINERS: '1', POST: '0' }, undefined), { keepExfiltration: true, answers: {} });
    assert.ok(listRules(kept).includes('deny * /containers/*/logs'));
    assert.ok(!listRules(kept).includes('deny GET,HEAD /containers/**/attach/ws'));
  });
});

describe('LinuxServer ls92 sub-path denies (peers.md §2.3 phase 1)', () => {
  it('denies every method on the five sub-paths, ahead of the section allow', () => {
    const rules = listRules(translate({ CONTAINERS: '1' }, '3.4.3-r0-ls92'));
    const denies = [
      'deny * /containers/*/archive',
      'deny * /containers/*/changes',
      'deny * /containers/*/export',
      'deny * /containers/*/logs',
      'deny * /containers/*/top',
    ];
    assert.deepEqual(rules.slice(3, 8), denies);
    assert.ok(rules.indexOf('allow GET,HEAD /containers/**') > 8);
  });

  it('ALLOW_LOGS=1 lifts the image deny; the log read is then withheld as exfiltration by default', () => {
    const settings = settingsOf({ CONTAINERS: '1', ALLOW_LOGS: '1', ALLOW_TOP: '1' }, '3.4.3-r0-ls92');
    const t = check(settings);
    const rules = listRules(t);
    assert.ok(!rules.includes('deny * /containers/*/logs') && !rules.includes('deny * /containers/*/top'));
    assert.ok(rules.includes('deny GET,HEAD /containers/**/logs'));
    const kept = check(settings, { keepExfiltration: true, answers: {} });
    assert.ok(!listRules(kept).some((r) => r.endsWith('/containers/*/logs')));
  });

  it('covers libpod containers and pods only where their sections are on', () => {
    const rules = listRules(translate({ LIBPOD_CONTAINERS: '1', LIBPOD_PODS: '1' }, '3.4.3-r0-ls92'));
    assert.ok(rules.includes('deny * /libpod/containers/*/logs'));
    assert.ok(rules.includes('deny * /libpod/pods/*/logs'));
    assert.ok(!rules.some((r) => r.startsWith('deny * /containers/')));
    assert.ok(!rules.some((r) => r.includes(' /pods/')));
  });
});

describe('LinuxServer actions per era (peers.md §2.1, §2.3)', () => {
  it('ls47: ALLOW_START reaches dockerd with POST=0 (before the gate): POST rule, no choice', () => {
    const settings = settingsOf({ ALLOW_START: '1' }, '3.0.9-r0-ls47');
    const t = check(settings);
    assert.deepEqual(
      listRules(t).filter((r) => r.startsWith('allow POST')),
      ['allow POST /containers/*/start'],
    );
    assert.deepEqual(t.choices, []);
  });

  it('ls92: actions also cover /libpod; /pods/{id}/… is no endpoint and is dropped with a warning', () => {
    const settings = settingsOf({ ALLOW_START: '1', CONTAINERS: '1' }, '3.4.3-r0-ls92');
    const t = check(settings);
    assert.deepEqual(
      listRules(t).filter((r) => r.startsWith('allow POST')),
      ['allow POST /containers/*/start', 'allow POST /libpod/containers/*/start', 'allow POST /libpod/pods/*/start'],
    );
    assert.ok(has(t, 'migrate/haproxy/non-endpoint-paths-dropped', 'image'));
  });

  it('ls73 reads ALLOW_PAUSE; ls47 does not', () => {
    assert.ok(
      listRules(check(settingsOf({ ALLOW_PAUSE: '1' }, '3.2.14-r0-ls73'))).includes('allow POST /containers/*/pause'),
    );
    const old = check(settingsOf({ ALLOW_PAUSE: '1' }, '3.0.9-r0-ls47'));
    assert.ok(!listRules(old).some((r) => r.includes('pause')));
    assert.ok(has(old, 'migrate/unread-variable', 'env:ALLOW_PAUSE'));
  });

  it('ls84: LIBPOD sections and the legacy libpod action variables', () => {
    const t = check(settingsOf({ LIBPOD_IMAGES: '1', LIBPOD_ALLOW_POD_START: '1', POST: '1' }, '3.2.19-r0-ls84'));
    const rules = listRules(t);
    assert.ok(rules.includes('allow GET,HEAD,POST,DELETE /libpod/images/**'));
    assert.ok(rules.includes('allow POST /libpod/pods/*/start'));
    assert.ok(rules.includes('deny GET,HEAD /libpod/images/**/get'));
  });

  it('ls1–ls3 copied Tecnativa: ALLOW_* behind the gate, kept as a no-op unless the intent is applied', () => {
    const settings = settingsOf({ ALLOW_START: '1', CONTAINERS: '1' }, '2.8.7-ls2');
    const t = check(settings);
    assert.ok(!listRules(t).includes('allow POST /containers/*/start'));
    assert.ok(has(t, 'migrate/linuxserver/allow-needs-post', 'env:ALLOW_START'));
    const applied = check(settings, APPLY_INTENT);
    assert.ok(listRules(applied).includes('allow POST /containers/*/start'));
    const result = assertParity(compileLinuxServer(settings), applied);
    assert.ok(listExplainingCodes(result).includes('migrate/linuxserver/allow-needs-post'));
  });

  it('POST=1 with CONTAINERS: section writes, action rules redundant, narrowed methods explained', () => {
    const settings = settingsOf(
      { CONTAINERS: '1', POST: '1', ALLOW_START: '1', ALLOW_RESTARTS: '1', LIBPOD_CONTAINERS: '1' },
      '3.4.3-r0-ls92',
    );
    const t = check(settings);
    assert.ok(listRules(t).includes('allow GET,HEAD,POST,PUT,DELETE /containers/**'));
    assert.ok(has(t, 'migrate/redundant-variable', 'env:ALLOW_START'));
    const result = assertParity(compileLinuxServer(settings), t);
    assert.ok(listExplainingCodes(result).includes('migrate/post-opens-all-writes'));
  });
});

describe('LinuxServer nginx builds (peers.md §2.5)', () => {
  it('cannot be verified by parity: the emulator refuses them', () => {
    assert.throws(() => compileLinuxServer(settingsOf({}, '1.26.2-r4-ls37')), EmulationUnavailableError);
  });

  it('reads values the nginx way: false is ON, POST needs the literal 1', () => {
    const t = translate({ CONTAINERS: 'false', POST: 'true', PROXY_READ_TIMEOUT: '300' }, '1.26.2-r4-ls37');
    assertStartsAndLints(t);
    assertPolicyGolden('linuxserver-nginx', t);
    assert.ok(listRules(t).includes('allow GET,HEAD /containers/**'));
    assert.ok(has(t, 'migrate/linuxserver/false-means-on', 'env:CONTAINERS'));
    assert.ok(has(t, 'migrate/linuxserver/post-needs-literal-1', 'env:POST'));
    assert.ok(has(t, 'migrate/linuxserver/nginx-unverified', 'image'));
    assert.ok(has(t, 'migrate/unmapped-variable', 'env:PROXY_READ_TIMEOUT'));
    assert.ok(!has(t, 'migrate/prefix-match-quirk'));
  });

  const stopTable: [string, string, Record<string, string>, string[], boolean][] = [
    // [name, tag, env, POST rules, choice offered]
    ['ls20 keeps ALLOW_* behind limit_except', '1.26.1-r0-ls20', { ALLOW_START: '1' }, [], true],
    ['ls25 lets ALLOW_* through with POST=0', '1.26.2-r0-ls25', { ALLOW_START: '1' }, ['/containers/*/start'], false],
    ['before ls31 ALLOW_STOP alone does nothing', '1.26.2-r0-ls28', { ALLOW_STOP: '1' }, [], true],
    [
      'before ls31 ALLOW_RESTARTS covers stop',
      '1.26.2-r0-ls28',
      { ALLOW_RESTARTS: '1' },
      ['/containers/*/stop', '/containers/*/restart', '/containers/*/kill'],
      false,
    ],
    [
      'from ls31 ALLOW_RESTARTS does not open stop',
      '1.26.2-r4-ls37',
      { ALLOW_RESTARTS: '1' },
      ['/containers/*/restart', '/containers/*/kill'],
      true,
    ],
    [
      'from ls31 ALLOW_STOP and ALLOW_RESTARTS together',
      '1.26.2-r4-ls37',
      { ALLOW_RESTARTS: '1', ALLOW_STOP: '1' },
      ['/containers/*/stop', '/containers/*/restart', '/containers/*/kill'],
      false,
    ],
  ];
  for (const [name, tag, environment, posts, choice] of stopTable) {
    it(name, () => {
      const t = translate(environment, tag);
      assertStartsAndLints(t);
      assert.deepEqual(
        listRules(t)
          .filter((r) => r.startsWith('allow POST '))
          .map((r) => r.slice('allow POST '.length)),
        posts,
      );
      assert.equal(
        t.choices.some((c) => c.id === 'ineffective-allows'),
        choice,
      );
    });
  }

  it('applying the intent opens stop for ALLOW_RESTARTS on ls37', () => {
    const t = translate({ ALLOW_RESTARTS: '1' }, '1.26.2-r4-ls37', APPLY_INTENT);
    assert.ok(listRules(t).includes('allow POST /containers/*/stop'));
    assert.ok(has(t, 'migrate/linuxserver/stop-governed-by-allow-stop', 'env:ALLOW_RESTARTS'));
  });
});

describe('LinuxServer defaults and names', () => {
  it('GRPC is unset (off) by default, on when set', () => {
    assert.ok(!listRules(translate({}, undefined)).some((r) => r.includes('/grpc')));
    assert.ok(listRules(translate({ GRPC: '1' }, undefined)).includes('allow GET,HEAD /grpc'));
  });

  it('ALLOW_RESTART (singular) and PUID are never read', () => {
    const t = translate({ ALLOW_RESTART: '1', PUID: '1000' }, undefined);
    assert.ok(has(t, 'migrate/unread-variable', 'env:ALLOW_RESTART'));
    assert.ok(has(t, 'migrate/unread-variable', 'env:PUID'));
    assert.ok(!listRules(t).some((r) => r.includes('/restart')));
  });
});
