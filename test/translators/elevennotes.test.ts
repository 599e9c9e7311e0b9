import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileElevenNotes } from '../../src/emulators/elevennotes.js';
import { parseElevenNotesSettings, type ElevenNotesSettings } from '../../src/peers/elevennotes.js';
import { translateElevenNotes } from '../../src/translators/elevennotes.js';
import type { DifferenceView, TranslateOptions, Translation } from '../../src/translators/types.js';
import {
  assertParity,
  assertPolicyGolden,
  assertStartsAndLints,
  listExplainingCodes,
  listRules,
  listWarnings,
} from './translation-checks.js';

const DEFAULTS: TranslateOptions = { keepExfiltration: false, answers: {} };

function settingsOf(environment: Record<string, string>, imageTag: string | undefined): ElevenNotesSettings {
  return parseElevenNotesSettings({ environment, imageTag });
}

function translate(environment: Record<string, string>, imageTag: string | undefined, options = DEFAULTS): Translation {
  return translateElevenNotes(settingsOf(environment, imageTag), options);
}

function check(settings: ElevenNotesSettings, options = DEFAULTS): Translation {
  const translation = translateElevenNotes(settings, options);
  assertStartsAndLints(translation);
  assertParity(compileElevenNotes(settings), translation);
  return translation;
}

const warningOf = (t: Translation, code: string) => t.warnings.find((w) => w.code === code);

function row(change: DifferenceView['change'], method: string, target: string, normalizedPath: string): DifferenceView {
  return { method, target, change, request: { family: 'quirk' }, new: { normalizedPath } };
}

const INTENT_DENIES = [
  'deny * /containers/**/attach/ws',
  'deny * /containers/**/export',
  'deny * /libpod/containers/**/export',
  'deny * /containers/**/archive',
  'deny * /libpod/containers/**/archive',
  'deny * /secrets/**',
  'deny * /libpod/secrets/**',
  'deny * /configs/**',
  'deny * /swarm/unlockkey',
  'deny * /images/get',
];

describe('11notes compose examples (shared/reference/compose-examples)', () => {
  it('11notes-1: the project compose, v2.1.4, TZ only', () => {
    const settings = settingsOf({ TZ: 'Europe/Zurich' }, '2.1.4');
    const t = check(settings);
    assertPolicyGolden('elevennotes-2.1.4', t);
    assert.deepEqual(listWarnings(t), [
      ['migrate/elevennotes/tcp-listener-exposed', 'image'],
      ['migrate/unread-variable', 'env:TZ'],
      ['migrate/elevennotes/socket-owner', 'image-default:SOCKET_PROXY_UID'],
      ['migrate/elevennotes/escaped-url-bypass', 'image'],
      ['migrate/elevennotes/keyword-overblocking', 'image'],
      ['migrate/elevennotes/substring-match-quirk', 'image'],
      ['migrate/elevennotes/guide-differs', 'image'],
      ['migrate/read-exfiltration-withheld', 'image'],
      ['migrate/swarm-join-tokens-exposed', 'image'],
    ]);
    assert.equal(warningOf(t, 'migrate/unread-variable')?.severity, 'info');
    assert.deepEqual(t.policy.listen, { socket: '/run/proxy/docker.sock', socket_uid: 1000, socket_gid: 1000 });
    assert.deepEqual(t.policy.upstream, { socket: '/run/docker.sock' });
    const result = assertParity(compileElevenNotes(settings), t);
    assert.deepEqual(listExplainingCodes(result), [
      'migrate/elevennotes/escaped-url-bypass',
      'migrate/elevennotes/keyword-overblocking',
      'migrate/elevennotes/substring-match-quirk',
      'migrate/non-canonical-target-rejected',
      'migrate/read-exfiltration-withheld',
    ]);
  });

  it('11notes-4: LoggiFly, the floating :2 tag (assumed newest)', () => {
    const t = check(settingsOf({}, '2'));
    assertPolicyGolden('elevennotes-floating-2', t);
    assert.deepEqual(listWarnings(t).slice(0, 2), [
      ['migrate/assumed-newest-version', 'image'],
      ['migrate/elevennotes/tcp-listener-exposed', 'image'],
    ]);
    assert.ok(warningOf(t, 'migrate/elevennotes/images-get-query-bypass'));
  });
});

describe('11notes policy per release (peers.md §4.1, §4.4)', () => {
  const table: [tag: string, methods: string, intent: boolean][] = [
    ['1.0.0', 'GET', false],
    ['1.0.4', 'GET', true],
    ['2.1.1', 'GET', true],
    ['2.1.2', 'GET,HEAD', true],
    ['2.1.6', 'GET,HEAD', true],
  ];
  for (const [tag, methods, intent] of table) {
    it(`v${tag}: ${methods} /**${intent ? ' after the seven patterns’ endpoints' : ', no patterns yet'}`, () => {
      const t = check(settingsOf({}, tag));
      const rules = listRules(t);
      assert.deepEqual(rules.slice(-2), [`allow ${methods} /**`, 'deny * /**']);
      assert.deepEqual(
        rules.slice(0, INTENT_DENIES.length),
        intent ? INTENT_DENIES : rules.slice(0, INTENT_DENIES.length),
      );
      assert.equal(rules.includes('deny * /secrets/**'), intent);
      // What 11notes let through and Sockguard refuses to start with is withheld.
      assert.ok(rules.includes(`deny ${methods} /containers/**/logs`));
    });
  }

  it('keeping exfiltration keeps logs and the single-image export, not what 11notes blocked', () => {
    const t = check(settingsOf({}, '2.1.4'), { keepExfiltration: true, answers: {} });
    assert.equal(t.policy.insecure_allow_read_exfiltration, true);
    assert.deepEqual(listRules(t), [...INTENT_DENIES, 'allow GET,HEAD /**', 'deny * /**']);
  });

  it('v1.x: SOCKET_PROXY is the socket path, APP_ROOT resolved', () => {
    assert.deepEqual(translate({}, '1.0.4').policy.listen, { socket: '/socket-proxy/run/docker.sock' });
    assert.deepEqual(translate({ SOCKET_PROXY: '/run/p/docker.sock' }, '1.0.4').policy.listen, {
      socket: '/run/p/docker.sock',
    });
  });
});

describe('11notes environment → listeners and upstream (peers.md §4.2, §4.3)', () => {
  it('SOCKET_PROXY_VOLUME, _DOCKER_SOCKET, _UID and _GID', () => {
    const t = translate(
      {
        SOCKET_PROXY_VOLUME: '/run/sp/',
        SOCKET_PROXY_DOCKER_SOCKET: '/var/run/docker.sock',
        SOCKET_PROXY_UID: '0',
        SOCKET_PROXY_GID: '996',
      },
      '2.1.4',
    );
    assert.deepEqual(t.policy.listen, { socket: '/run/sp/docker.sock', socket_uid: 0, socket_gid: 996 });
    assert.deepEqual(t.policy.upstream, { socket: '/var/run/docker.sock' });
    assert.equal(warningOf(t, 'migrate/elevennotes/socket-owner')?.origin, 'env:SOCKET_PROXY_UID');
  });

  it('a UID that is not an integer is an error (the proxy exits) and sets no owner', () => {
    const t = translate({ SOCKET_PROXY_UID: 'app' }, '2.1.4');
    assert.deepEqual(
      listWarnings(t).find(([c]) => c === 'migrate/elevennotes/uid-gid-not-integer'),
      ['migrate/elevennotes/uid-gid-not-integer', 'env:SOCKET_PROXY_UID'],
    );
    assert.equal(t.policy.listen?.socket_uid, undefined);
    assert.equal(t.policy.listen?.socket_gid, 1000);
  });

  it('SOCKET_PROXY_HTTP_LISTEN_IP off loopback (≥ v2.1.5) keeps a TCP listener next to the socket', () => {
    const t = check(settingsOf({ SOCKET_PROXY_HTTP_LISTEN_IP: '0.0.0.0' }, '2.1.6'));
    assert.equal(t.policy.listen, undefined);
    assert.deepEqual(
      t.policy.listeners?.map((l) => [l.name, l.socket ?? l.address]),
      [
        ['socket', '/run/proxy/docker.sock'],
        ['tcp', '0.0.0.0:2375'],
      ],
    );
    assert.equal(warningOf(t, 'migrate/plaintext-tcp-listener')?.origin, 'env:SOCKET_PROXY_HTTP_LISTEN_IP');
    assert.match(warningOf(t, 'migrate/elevennotes/tcp-listener-exposed')?.message ?? '', /keeps the TCP listener/);
  });

  const dropped: [string, Record<string, string>, string][] = [
    ['loopback on v2.1.6', { SOCKET_PROXY_HTTP_LISTEN_IP: '127.0.0.1' }, '2.1.6'],
    ['not read by v2.1.4', { SOCKET_PROXY_HTTP_LISTEN_IP: '0.0.0.0' }, '2.1.4'],
  ];
  for (const [name, environment, tag] of dropped) {
    it(`SOCKET_PROXY_HTTP_LISTEN_IP ${name}: the unix socket only`, () => {
      const t = translate(environment, tag);
      assert.equal(t.policy.listeners, undefined);
      assert.equal(t.policy.listen?.socket, '/run/proxy/docker.sock');
      assert.match(warningOf(t, 'migrate/elevennotes/tcp-listener-exposed')?.message ?? '', /unix socket only/);
    });
  }

  it('DEBUG was never read: a warning, and log.level stays default', () => {
    const t = translate({ DEBUG: 'true' }, '2.1.4');
    const warning = t.warnings.find((w) => w.origin === 'env:DEBUG');
    assert.deepEqual([warning?.code, warning?.severity], ['migrate/unread-variable', 'warning']);
    assert.match(warning?.message ?? '', /log\.level: debug/);
    assert.equal(t.policy.log, undefined);
  });

  it('SOCKET_PROXY_KEEPALIVE and _TIMEOUT have no equivalent', () => {
    const t = translate({ SOCKET_PROXY_KEEPALIVE: '30s', SOCKET_PROXY_TIMEOUT: '5s' }, '2.1.4');
    assert.deepEqual(
      listWarnings(t).filter(([c]) => c === 'migrate/unmapped-variable'),
      [
        ['migrate/unmapped-variable', 'env:SOCKET_PROXY_KEEPALIVE'],
        ['migrate/unmapped-variable', 'env:SOCKET_PROXY_TIMEOUT'],
      ],
    );
  });
});

describe('11notes matching differences, explained (peers.md §4.1, §7)', () => {
  const v214 = translate({}, '2.1.4');
  const v216 = translate({}, '2.1.6');
  // [warning, translation, row, explained]
  const table: [string, Translation, DifferenceView, boolean][] = [
    [
      'migrate/elevennotes/escaped-url-bypass',
      v214,
      row('tightened', 'GET', '/containers/abc/attach%2Fws', '/containers/abc/attach/ws'),
      true,
    ],
    [
      'migrate/elevennotes/escaped-url-bypass',
      v214,
      row('tightened', 'GET', '/swarm/%75nlockkey', '/swarm/unlockkey'),
      true,
    ],
    [
      'migrate/elevennotes/escaped-url-bypass',
      v214,
      row('tightened', 'GET', '/containers/abc/logs', '/containers/abc/logs'),
      false,
    ],
    // A %-escape in the query does not make a path bypass.
    ['migrate/elevennotes/escaped-url-bypass', v214, row('tightened', 'GET', '/secrets?x=%41', '/secrets'), false],
    [
      'migrate/elevennotes/keyword-overblocking',
      v214,
      row('loosened', 'GET', '/containers/my-secrets-app/json', '/containers/my-secrets-app/json'),
      true,
    ],
    [
      'migrate/elevennotes/keyword-overblocking',
      v214,
      row('loosened', 'GET', '/containers/json?x=/configs', '/containers/json'),
      true,
    ],
    [
      'migrate/elevennotes/keyword-overblocking',
      v214,
      row('loosened', 'GET', '/containers/abc/exportfoo', '/containers/abc/exportfoo'),
      false,
    ],
    [
      'migrate/elevennotes/substring-match-quirk',
      v214,
      row('loosened', 'GET', '/containers/abc/exportfoo', '/containers/abc/exportfoo'),
      true,
    ],
    [
      'migrate/elevennotes/substring-match-quirk',
      v214,
      row('loosened', 'GET', '/info?x=/swarm/unlockkey', '/info'),
      true,
    ],
    [
      'migrate/elevennotes/substring-match-quirk',
      v214,
      row('loosened', 'GET', '/CONTAINERS/abc/EXPORT', '/CONTAINERS/abc/EXPORT'),
      true,
    ],
    // An endpoint the policy denies is never loosened; a target no pattern matches is no quirk.
    [
      'migrate/elevennotes/substring-match-quirk',
      v214,
      row('loosened', 'GET', '/containers/json', '/containers/json'),
      false,
    ],
    [
      'migrate/elevennotes/images-get-query-bypass',
      v216,
      row('tightened', 'GET', '/images/get?names=alpine', '/images/get'),
      true,
    ],
    ['migrate/elevennotes/images-get-query-bypass', v216, row('tightened', 'GET', '/images/get', '/images/get'), false],
  ];
  for (const [code, t, difference, explained] of table) {
    it(`${code}: ${difference.change} ${difference.target} → ${explained}`, () => {
      const explains = warningOf(t, code)?.explains;
      assert.ok(explains, code);
      assert.equal(explains(difference), explained);
    });
  }

  it('v2.1.4 has no anchored images pattern, so no query-bypass warning', () => {
    assert.equal(warningOf(v214, 'migrate/elevennotes/images-get-query-bypass'), undefined);
  });
});
