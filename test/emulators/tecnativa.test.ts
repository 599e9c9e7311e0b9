import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileTecnativa, emulateTecnativa } from '../../src/emulators/tecnativa.js';
import { parseTecnativaSettings } from '../../src/peers/tecnativa.js';

interface Row {
  method: string;
  target: string;
  allow: boolean;
  cite: string;
  /** Defaults to 403 for denials and 0 for allows. */
  status?: number;
  reason?: RegExp;
}

interface Scenario {
  name: string;
  environment: Record<string, string>;
  tag?: string;
  rows: readonly Row[];
}

const allow = (method: string, target: string, cite: string, reason?: RegExp): Row => ({
  method,
  target,
  allow: true,
  cite,
  ...(reason ? { reason } : {}),
});
const deny = (method: string, target: string, cite: string, reason?: RegExp, status = 403): Row => ({
  method,
  target,
  allow: false,
  cite,
  status,
  ...(reason ? { reason } : {}),
});

const GATE = /POST .* is off: http-request deny unless METH_GET/;
const CATCH_ALL = /^http-request deny \(catch-all\)/;

const scenarios: readonly Scenario[] = [
  {
    name: 'defaults (EVENTS, PING, VERSION on)',
    environment: {},
    tag: '0.4.1',
    rows: [
      allow('GET', '/_ping', '§1.2 PING=1 by default', /^PING unset \(image default 1\): http-request allow/),
      allow('HEAD', '/_ping', '§1.3 METH_GET includes HEAD'),
      allow('GET', '/v1.45/_ping', '§1.4 version prefix'),
      allow('GET', '/version', '§1.2 VERSION=1 by default'),
      allow('GET', '/v1.45/version', '§1.4 version prefix'),
      allow('GET', '/events?since=1', '§1.2 EVENTS=1 by default; §1.4 query ignored'),
      allow('GET', '/versionfoo', '§1.4 prefix match: /versionfoo'),
      allow('GET', '/_PING', '§1.4 case-insensitive'),
      allow('GET', '/%5Fping', '§1.4 percent-decoded before matching'),
      allow('GET', '/v1../_ping', '§1.4 /v1.. is a version prefix'),
      allow('GET', '/v99.99.99/_ping', '§1.4 /v99.99.99 is a version prefix'),
      deny('GET', '/info', '§1.2 INFO=0 by default', /INFO unset \(image default 0\) → off/),
      deny('GET', '/INFO', '§1.4 /INFO is INFO, still off'),
      deny('GET', '/containers/json', '§1.2 CONTAINERS=0 by default', /CONTAINERS unset \(image default 0\) → off/),
      deny('POST', '/_ping', '§1.5 POST=0: every method but GET/HEAD is 403', GATE),
      deny('OPTIONS', '/_ping', '§1.5 OPTIONS is not GET/HEAD', GATE),
      deny('PATCH', '/version', '§1.5 PATCH is not GET/HEAD', GATE),
      deny('get', '/_ping', '§1.3 METH_GET compares case-sensitively', GATE),
      deny('head', '/_ping', '§1.3 METH_GET compares case-sensitively', GATE),
      deny('GET', '/', '§1.4 / matched by nothing', /no allow rule's regex matches "\/"/),
      deny('GET', '/api/v1.41/version', '§1.4 /api/... denied'),
      deny('GET', '/v/version', '§1.4 /v/... is not a version prefix'),
      deny('GET', '//version', '§0 // is not cleaned'),
      deny('GET', '/./version', '§0 dot segments are not cleaned'),
      deny('GET', '/version%zz', '§1.4 url_dec fails on an invalid escape', /url_dec failed/),
      deny('GET', '/_ping#x', 'HAProxy ≥ 2.8.2 refuses # in the request-target', /#/, 400),
      deny('GET', '/_pingé', "HAProxy's parser refuses non-ASCII", /non-ASCII/, 400),
    ],
  },
  {
    name: 'CONTAINERS=1',
    environment: { CONTAINERS: '1' },
    tag: '0.4.1',
    rows: [
      allow(
        'GET',
        '/containers/json',
        '§1.3 CONTAINERS',
        /^CONTAINERS=1: http-request allow if \{ path,url_dec -m reg -i \^\(\/v\[\\d\\\.\]\+\)\?\/containers \}/,
      ),
      allow('GET', '/v1.45/containers/json?all=1', '§1.4 version prefix and query'),
      allow('GET', '/containersfoo', '§1.4 /containersfoo is a prefix match'),
      allow('GET', '/v1.41/CONTAINERS/json', '§1.4 case-insensitive'),
      allow('GET', '/v1.45/containers/x/archive', '§1.4 CONTAINERS covers archive (GET)'),
      allow('HEAD', '/v1.45/containers/x/archive', '§1.4 CONTAINERS covers archive (HEAD)'),
      allow('GET', '/containers/x/export', '§1.4 CONTAINERS covers export (issue #182)'),
      allow('GET', '/containers/x/logs?follow=1', '§1.4 CONTAINERS covers logs'),
      allow('GET', '/containers/x/attach/ws', '§1.4 CONTAINERS covers attach/ws'),
      allow('GET', '/v1.41/%63ontainers/json', '§1.4 /v1.41/%63ontainers/json counts as /containers/json'),
      allow('GET', '/containers%2Fjson', '§1.4 %2F decoded before matching'),
      allow('GET', '/containers/../secrets/x', '§0 dot segments not cleaned: still the /containers prefix'),
      deny('PUT', '/v1.45/containers/x/archive', '§1.5 PUT archive needs POST=1', GATE),
      deny('POST', '/containers/create', '§1.5 create needs POST=1', GATE),
      deny('DELETE', '/containers/x', '§1.5 DELETE needs POST=1', GATE),
      deny('GET', '/images/json', '§1.3 IMAGES off'),
      deny('GET', '/secrets', '§1.3 SECRETS off'),
      deny('GET', '/v1.45/containerz/json', '§1.3 not the containers prefix'),
    ],
  },
  {
    name: 'CONTAINERS=1 POST=1',
    environment: { CONTAINERS: '1', POST: '1' },
    tag: '0.4.1',
    rows: [
      allow('POST', '/containers/create', '§1.5 POST=1 CONTAINERS=1 permits create'),
      allow('DELETE', '/v1.45/containers/x', '§1.5 ... DELETE /containers/{id}'),
      allow('PUT', '/containers/x/archive', '§1.5 ... PUT archive'),
      allow('POST', '/containers/x/kill', '§1.5 ... kill (issue #114)'),
      allow('POST', '/containers/x/exec', '§1.4 exec create needs CONTAINERS+POST'),
      allow('PATCH', '/containers/x', '§1.5 the gate disappears: all methods'),
      allow('OPTIONS', '/containers/json', '§1.5 all methods'),
      allow('FOO', '/containers/json', '§1.5 even unknown methods'),
      allow('TRACE', '/containers/json', '§1.5 TRACE is just another method'),
      deny('CONNECT', '/containers/json', '§1.1 HAProxy 3.2.4 refuses CONNECT with a path', /CONNECT/, 400),
      allow('post', '/containers/create', '§1.5 with POST on, the method is not looked at'),
      deny('POST', '/exec/x/start', '§1.4 EXEC off', CATCH_ALL),
      deny('POST', '/images/create', '§1.3 IMAGES off', CATCH_ALL),
    ],
  },
  {
    name: 'POST=0 with all three ALLOW_* (issue #101)',
    environment: { ALLOW_START: '1', ALLOW_STOP: '1', ALLOW_RESTARTS: '1' },
    tag: '0.4.1',
    rows: [
      deny('POST', '/containers/x/start', '§1.5 the gate runs before ALLOW_* (issue #101)', GATE),
      deny('POST', '/containers/x/stop', '§1.5 the gate runs before ALLOW_*', GATE),
      deny('POST', '/containers/x/restart', '§1.5 the gate runs before ALLOW_*', GATE),
      allow('GET', '/containers/x/start', '§1.4 ALLOW_* rules are path-only', /^ALLOW_START=1/),
      allow('GET', '/containers/x/stop', '§1.3 first allow in haproxy.cfg order decides', /^ALLOW_RESTARTS=1/),
      deny('GET', '/containers/json', '§1.5 CONTAINERS=0'),
    ],
  },
  {
    name: 'POST=1 ALLOW_START=1',
    environment: { POST: '1', ALLOW_START: '1' },
    tag: '0.4.1',
    rows: [
      allow('POST', '/containers/x/start', '§1.5 additive grant with CONTAINERS=0'),
      allow('POST', '/v1.45/containers/my-app_1.2/start', '§1.3 id class [a-zA-Z0-9_.-]+'),
      allow('POST', '/CONTAINERS/X/START', '§1.4 case-insensitive'),
      allow('POST', '/containers/x/startfoo', '§1.4 /containers/x/startfoo is a prefix match'),
      allow('POST', '/containers/x/start/x', '§1.4 /containers/x/start/x is a prefix match'),
      allow('GET', '/containers/x/start', '§1.4 with POST=1, ALLOW_START also passes GET'),
      allow('DELETE', '/containers/x/start', '§1.4 ALLOW_* rules are path-only'),
      deny('POST', '/containers/a%2Fb/start', '§1.4 a%2Fb decodes to a/b, which the id class excludes'),
      deny('POST', '/containers/x/stop', '§1.5 stop denied', /ALLOW_STOP unset \(image default 0\) → off/),
      deny('POST', '/containers/x/kill', '§1.5 kill denied'),
      deny('POST', '/containers/x/pause', '§1.5 pause denied'),
      deny('POST', '/containers/x/unpause', '§1.5 unpause denied'),
      deny('GET', '/containers/json', '§1.5 GET /containers/json denied'),
      deny('POST', '/containers//start', '§1.3 the id needs at least one character'),
    ],
  },
  {
    name: 'POST=1 ALLOW_RESTARTS=1',
    environment: { POST: '1', ALLOW_RESTARTS: '1' },
    tag: '0.4.1',
    rows: [
      allow('POST', '/containers/x/stop', '§1.5 ALLOW_RESTARTS covers stop'),
      allow('POST', '/containers/x/restart', '§1.5 ALLOW_RESTARTS covers restart'),
      allow('POST', '/containers/x/kill', '§1.5 ALLOW_RESTARTS covers kill'),
      allow('POST', '/containers/x/restart?t=5', '§1.4 query ignored'),
      deny('POST', '/containers/x/start', '§1.5 ALLOW_RESTARTS does not cover start'),
    ],
  },
  {
    name: 'POST=1 ALLOW_STOP=1',
    environment: { POST: '1', ALLOW_STOP: '1' },
    tag: '0.4.1',
    rows: [
      allow('POST', '/containers/x/stop', '§1.5 ALLOW_STOP covers stop', /^ALLOW_STOP=1/),
      deny('POST', '/containers/x/restart', '§1.5 ALLOW_STOP only covers stop'),
      deny('POST', '/containers/x/kill', '§1.5 ALLOW_STOP only covers stop'),
    ],
  },
  {
    name: 'EXEC=1 POST=1',
    environment: { EXEC: '1', POST: '1' },
    tag: '0.4.1',
    rows: [
      allow('POST', '/exec/x/start', '§1.4 EXEC covers /exec/...'),
      allow('GET', '/v1.45/exec/x/json', '§1.4 EXEC covers /exec/{id}/json'),
      allow('POST', '/exec/x/resize', '§1.4 EXEC covers resize'),
      deny('POST', '/containers/x/exec', '§1.4 creating an exec needs CONTAINERS=1'),
    ],
  },
  {
    name: 'values: CONTAINERS=true, IMAGES=2, POST=yes',
    environment: { CONTAINERS: 'true', IMAGES: '2', POST: 'yes' },
    tag: '0.4.1',
    rows: [
      deny('GET', '/containers/json', '§1.6 true means OFF', /CONTAINERS=true → off/),
      allow('GET', '/images/json', '§1.6 2 is on'),
      deny('POST', '/images/create', '§1.6 POST=yes is off', /^POST=yes is off/),
    ],
  },
  {
    name: 'all sections on',
    environment: Object.fromEntries(
      'AUTH BUILD COMMIT CONFIGS CONTAINERS DISTRIBUTION EVENTS EXEC GRPC IMAGES INFO NETWORKS NODES PING PLUGINS SECRETS SERVICES SESSION SWARM SYSTEM TASKS VERSION VOLUMES'
        .split(' ')
        .map((name) => [name, '1']),
    ),
    tag: '0.4.1',
    rows: [
      allow('GET', '/auth', '§1.3 AUTH'),
      allow('GET', '/build/prune', '§1.3 BUILD'),
      allow('GET', '/commit', '§1.3 COMMIT'),
      allow('GET', '/configs', '§1.3 CONFIGS'),
      allow('GET', '/distribution/x/json', '§1.3 DISTRIBUTION'),
      allow('GET', '/grpc', '§1.3 GRPC'),
      allow('GET', '/info', '§1.3 INFO'),
      allow('GET', '/networks', '§1.3 NETWORKS'),
      allow('GET', '/nodes', '§1.3 NODES'),
      allow('GET', '/plugins', '§1.3 PLUGINS'),
      allow('GET', '/secrets/x', '§1.3 SECRETS'),
      allow('GET', '/services', '§1.3 SERVICES'),
      allow('GET', '/session', '§1.3 SESSION'),
      allow('GET', '/swarm/unlockkey', '§1.3 SWARM'),
      allow('GET', '/system/df', '§1.3 SYSTEM'),
      allow('GET', '/tasks', '§1.3 TASKS'),
      allow('GET', '/volumes', '§1.3 VOLUMES'),
      deny('GET', '/libpod/containers/json', '§2.4 Tecnativa has no /libpod allows'),
      deny('GET', '/pods/x/json', '§2.4 Tecnativa has no /pods allows'),
      deny('GET', '/v1.45/debug/pprof', '§1.3 no /debug section'),
      deny('POST', '/containers/create', '§1.5 still GET/HEAD only', GATE),
    ],
  },
  {
    name: 'v0.1.1: no GRPC, ALLOW_START, ALLOW_STOP rules; # kept in the path',
    environment: { POST: '1', ALLOW_START: '1', ALLOW_STOP: '1', ALLOW_RESTARTS: '1', GRPC: '1' },
    tag: '0.1.1',
    rows: [
      deny('POST', '/containers/x/start', '§1.8 ALLOW_START arrived in v0.1.2'),
      allow('POST', '/containers/x/stop', '§1.5 ALLOW_RESTARTS predates v0.1.0', /^ALLOW_RESTARTS=1/),
      deny('GET', '/grpc', '§1.8 GRPC arrived in v0.1.2'),
      allow('GET', '/_ping#x', 'v0.1.1 images predate HAProxy refusing #'),
    ],
  },
  {
    name: 'v0.1.2: GRPC=1',
    environment: { GRPC: '1' },
    tag: '0.1.2',
    rows: [allow('GET', '/grpc', '§1.8 GRPC from v0.1.2')],
  },
  {
    name: 'v0.3.0 (HAProxy 2.2): CONNECT is judged by the rules',
    environment: { POST: '1', CONTAINERS: '1' },
    tag: '0.3.0',
    rows: [
      allow('CONNECT', '/containers/json', '§1.1 v0.3.0 runs haproxy:2.2; CONNECT passes the POST=1 gate'),
      deny('GET', '/containers/json#x', 'the 2024 image refuses #', /#/, 400),
    ],
  },
  {
    name: 'v0.2.0 (HAProxy 3.0)',
    environment: { POST: '1', CONTAINERS: '1' },
    tag: '0.2.0',
    rows: [deny('CONNECT', '/containers/json', '§1.1 v0.2.0 runs haproxy:3.0', /CONNECT/, 400)],
  },
];

describe('Tecnativa emulator (peers.md §1)', () => {
  for (const scenario of scenarios) {
    describe(scenario.name, () => {
      const decide = compileTecnativa(
        parseTecnativaSettings({ environment: scenario.environment, imageTag: scenario.tag }),
      );
      for (const row of scenario.rows) {
        const expectedStatus = row.status ?? (row.allow ? 0 : 403);
        it(`${row.cite}: ${row.method} ${row.target} → ${row.allow ? 'allow' : expectedStatus}`, () => {
          const decision = decide({ method: row.method, target: row.target });
          assert.equal(decision.allow, row.allow, decision.reason);
          assert.equal(decision.status, expectedStatus, decision.reason);
          if (row.reason) assert.match(decision.reason, row.reason);
        });
      }
    });
  }

  it('emulateTecnativa is the one-off form of compileTecnativa', () => {
    const settings = parseTecnativaSettings({ environment: { INFO: '1' }, imageTag: '0.4.1' });
    assert.deepEqual(
      emulateTecnativa(settings, { method: 'GET', target: '/info' }),
      compileTecnativa(settings)({ method: 'GET', target: '/info' }),
    );
  });

  it('rejects a non-origin-form target as a caller bug', () => {
    const decide = compileTecnativa(parseTecnativaSettings({ environment: {}, imageTag: '0.4.1' }));
    assert.throws(() => decide({ method: 'GET', target: 'http://proxy/_ping' }), RangeError);
  });
});
