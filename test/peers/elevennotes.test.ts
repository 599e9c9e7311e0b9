import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  listElevenNotesVariables,
  parseElevenNotesSettings,
  resolveElevenNotesImage,
  type ElevenNotesSettings,
} from '../../src/peers/elevennotes.js';

function parse(environment: Record<string, string>, imageTag?: string): ElevenNotesSettings {
  return parseElevenNotesSettings({ environment, imageTag });
}

function codes(settings: ElevenNotesSettings): string[] {
  return settings.findings.map((finding) => `${finding.code}@${finding.origin}`);
}

const SEVEN = [
  String.raw`(?i)containers/\S+/attach/ws.*`,
  String.raw`(?i)containers/\S+/export.*`,
  String.raw`(?i)containers/\S+/archive.*`,
  String.raw`(?i)secrets.*`,
  String.raw`(?i)configs.*`,
  String.raw`(?i)swarm/unlockkey.*`,
  String.raw`(?i)images/get.*`,
];

describe('11notes tags (§4.1, §4.4)', () => {
  const table = [
    { tag: '2.1.4', era: '2.1.2', version: '2.1.4', assumed: false, cite: '§4.4 v2.1.4' },
    { tag: '2.1.2', era: '2.1.2', version: '2.1.2', assumed: false, cite: '§4.4 v2.1.2 HEAD allowed' },
    { tag: '2.1.1', era: '2.0.0', version: '2.1.1', assumed: false, cite: '§4.4 before HEAD' },
    { tag: '2.0.0', era: '2.0.0', version: '2.0.0', assumed: false, cite: '§4.4 v2.0.0' },
    { tag: '1.0.4', era: '1.0.4', version: '1.0.4', assumed: false, cite: '§4.4 v1.0.4 patterns' },
    { tag: '1.0.3', era: '1.0.0', version: '1.0.3', assumed: false, cite: '§4.4 v1.0.0 GET only' },
    { tag: '2.1.5', era: '2.1.5', version: '2.1.5', assumed: false, cite: '§4.4 ≥ 2.1.5' },
    { tag: '2.1.6', era: '2.1.5', version: '2.1.6', assumed: false, cite: '§4.1 seen: 2.1.6' },
    { tag: '2.1.9', era: '2.1.5', version: '2.1.9', assumed: true, cite: '§4.4 newer than known' },
    { tag: '2', era: '2.1.5', version: undefined, assumed: true, cite: '§4.1 seen: 2 (floating)' },
    { tag: '2.1', era: '2.1.5', version: undefined, assumed: true, cite: '§4.1 floating 2.1' },
    { tag: 'rolling', era: '2.1.5', version: undefined, assumed: true, cite: '§4.1 rolling' },
    { tag: undefined, era: '2.1.5', version: undefined, assumed: true, cite: '§4.1 untagged' },
    { tag: '0.9.0', era: '2.1.5', version: undefined, assumed: true, cite: '§4.4 no such release' },
  ] as const;
  for (const row of table) {
    it(`${row.cite}: ${row.tag ?? '(untagged)'} → era ${row.era}${row.assumed ? ', assumed newest' : ''}`, () => {
      const image = resolveElevenNotesImage(row.tag);
      assert.equal(image.era, row.era);
      assert.equal(image.version, row.version);
      assert.equal(image.assumedNewest, row.assumed);
    });
  }

  it('§4.1 there is no latest tag: tag-not-published plus assumed-newest', () => {
    assert.deepEqual(codes(parse({}, 'latest')), [
      'assumed-newest@image',
      'tag-not-published@image',
      'tcp-listener-exposed@image',
    ]);
  });
});

describe('11notes fixed policy per release (§4.1, §4.4)', () => {
  const table = [
    { tag: '1.0.3', methods: ['GET'], patterns: [], cite: '§4.4 v1.0.0: GET only, no patterns' },
    { tag: '1.0.4', methods: ['GET'], patterns: SEVEN, cite: '§4.4 v1.0.4: the 7 blocked patterns' },
    { tag: '2.1.1', methods: ['GET'], patterns: SEVEN, cite: '§4.4 GET only before v2.1.2' },
    { tag: '2.1.4', methods: ['GET', 'HEAD'], patterns: SEVEN, cite: '§4.1 GET and HEAD since 2.1.2' },
    {
      tag: '2.1.5',
      methods: ['GET', 'HEAD'],
      patterns: [...SEVEN.slice(0, 6), String.raw`(?i)images/get(/|)$`],
      cite: '§4.4 ≥ 2.1.5: images/get(/|)$',
    },
  ];
  for (const row of table) {
    it(`${row.cite}`, () => {
      const settings = parse({}, row.tag);
      assert.deepEqual(settings.methods, row.methods);
      assert.deepEqual(settings.blockedPatterns, row.patterns);
    });
  }
});

describe('11notes environment and listeners (§4.2, §4.3)', () => {
  it('§4.2 v2.1.4 defaults: volume /run/proxy, docker socket /run/docker.sock, UID/GID 1000, keepalive 10s, timeout 30s', () => {
    const { variables } = parse({}, '2.1.4');
    assert.equal(variables['SOCKET_PROXY_VOLUME']?.effective, '/run/proxy');
    assert.equal(variables['SOCKET_PROXY_DOCKER_SOCKET']?.effective, '/run/docker.sock');
    assert.equal(variables['SOCKET_PROXY_UID']?.effective, '1000');
    assert.equal(variables['SOCKET_PROXY_GID']?.effective, '1000');
    assert.equal(variables['SOCKET_PROXY_KEEPALIVE']?.effective, '10s');
    assert.equal(variables['SOCKET_PROXY_TIMEOUT']?.effective, '30s');
    assert.equal(variables['SOCKET_PROXY_HTTP_LISTEN_IP']?.read, false);
  });

  it('§4.4 KEEPALIVE/TIMEOUT from v2.1.4, HTTP_LISTEN_IP from 2.1.5, SOCKET_PROXY only in v1', () => {
    assert.deepEqual(listElevenNotesVariables([2, 1, 3]), [
      'SOCKET_PROXY_VOLUME',
      'SOCKET_PROXY_DOCKER_SOCKET',
      'SOCKET_PROXY_UID',
      'SOCKET_PROXY_GID',
    ]);
    assert.ok(listElevenNotesVariables([2, 1, 4]).includes('SOCKET_PROXY_KEEPALIVE'));
    assert.ok(listElevenNotesVariables([2, 1, 5]).includes('SOCKET_PROXY_HTTP_LISTEN_IP'));
    assert.deepEqual(listElevenNotesVariables([1, 0, 4]), ['SOCKET_PROXY']);
  });

  it('§4.3 socket in ${SOCKET_PROXY_VOLUME}/docker.sock (trailing / stripped), TCP 0.0.0.0:2375 in v2.0–2.1.4', () => {
    const settings = parse({ SOCKET_PROXY_VOLUME: '/run/sp//' }, '2.1.4');
    assert.deepEqual(settings.listeners, { unixSocket: '/run/sp/docker.sock', tcp: '0.0.0.0:2375' });
    assert.ok(codes(settings).includes('tcp-listener-exposed@image'));
  });

  it('§4.4 v1.x listens on TCP 0.0.0.0:8080 and its socket is SOCKET_PROXY', () => {
    const settings = parse({ SOCKET_PROXY: '/socket-proxy/run/docker.sock' }, '1.0.4');
    assert.deepEqual(settings.listeners, { unixSocket: '/socket-proxy/run/docker.sock', tcp: '0.0.0.0:8080' });
  });

  it('§4.4 ≥ 2.1.5 listens on SOCKET_PROXY_HTTP_LISTEN_IP (default 127.0.0.1), still warned as version-dependent', () => {
    assert.equal(parse({}, '2.1.6').listeners.tcp, '127.0.0.1:2375');
    assert.equal(parse({ SOCKET_PROXY_HTTP_LISTEN_IP: '0.0.0.0' }, '2.1.6').listeners.tcp, '0.0.0.0:2375');
    assert.deepEqual(codes(parse({}, '2.1.6')), ['tcp-listener-exposed@image']);
  });

  const uids = [
    ['1000', true],
    ['0', true],
    ['+5', true],
    ['-1', true],
    ['abc', false],
    ['', false],
    [' 1000', false],
    ['1000:1000', false],
    ['9223372036854775808', false],
  ] as const;
  for (const [raw, ok] of uids) {
    it(`§4.2 SOCKET_PROXY_UID=${JSON.stringify(raw)} ${ok ? 'is an integer' : 'is fatal (must be an integer)'}`, () => {
      const found = codes(parse({ SOCKET_PROXY_UID: raw }, '2.1.4')).includes(
        'uid-gid-not-integer@env:SOCKET_PROXY_UID',
      );
      assert.equal(found, !ok);
    });
  }

  it('§4.2 SOCKET_PROXY_GID is checked the same way; UID/GID are not read in v1', () => {
    assert.ok(
      codes(parse({ SOCKET_PROXY_GID: 'docker' }, '2.1.4')).includes('uid-gid-not-integer@env:SOCKET_PROXY_GID'),
    );
    assert.deepEqual(
      codes(parse({ SOCKET_PROXY_UID: 'x' }, '1.0.4')).filter((code) => code.startsWith('uid')),
      [],
    );
  });

  it('§4.2 DEBUG is not read by v2.1.4 (info)', () => {
    const settings = parse({ DEBUG: 'true' }, '2.1.4');
    assert.ok(codes(settings).includes('never-read@env:DEBUG'));
  });

  it('§4.1 Tecnativa-style knobs (CONTAINERS, POST, ALLOW_START) are never read: no policy knobs (issue #9)', () => {
    const found = codes(parse({ CONTAINERS: '1', POST: '1', ALLOW_START: '1' }, '2.1.4'));
    for (const name of ['CONTAINERS', 'POST', 'ALLOW_START']) assert.ok(found.includes(`never-read@env:${name}`), name);
  });

  it('§7 SOCKET_PROXY_VOLUMES (typo) is a near-miss of SOCKET_PROXY_VOLUME', () => {
    assert.ok(
      codes(parse({ SOCKET_PROXY_VOLUMES: '/x' }, '2.1.4')).includes('near-miss-name@env:SOCKET_PROXY_VOLUMES'),
    );
  });

  it('§4.2 SOCKET_PROXY_HTTP_LISTEN_IP on v2.1.4 is not read', () => {
    assert.ok(
      codes(parse({ SOCKET_PROXY_HTTP_LISTEN_IP: '127.0.0.1' }, '2.1.4')).includes(
        'not-read-by-version@env:SOCKET_PROXY_HTTP_LISTEN_IP',
      ),
    );
  });
});
