import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileLinuxServer, emulateLinuxServer } from '../../src/emulators/linuxserver.js';
import { EmulationUnavailableError } from '../../src/emulators/types.js';
import { parseLinuxServerSettings } from '../../src/peers/linuxserver.js';

interface Row {
  method: string;
  target: string;
  allow: boolean;
  cite: string;
  status?: number;
  reason?: RegExp;
}

interface Scenario {
  name: string;
  environment: Record<string, string>;
  tag: string | undefined;
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

const GATE = /is off: http-request deny unless METH_GET/;
const PHASE_1 = (variable: string): RegExp =>
  new RegExp(`^${variable} unset \\(image default 0\\) is off: http-request deny if`);
const NEWEST = '3.4.3-r0-ls92';

const scenarios: readonly Scenario[] = [
  {
    name: 'ls92 defaults',
    environment: {},
    tag: NEWEST,
    rows: [
      allow('GET', '/_ping', '§2.2 PING=1'),
      allow('HEAD', '/v1.45/version', '§2.2 VERSION=1'),
      allow('GET', '/events', '§2.2 EVENTS=1'),
      allow('GET', '/libpod/_ping', '§2.2 LIBPOD_PING=1', /^LIBPOD_PING unset \(image default 1\)/),
      allow('GET', '/v1.41/libpod/version', '§2.2 LIBPOD_VERSION=1'),
      deny('GET', '/containers/json', '§2.2 CONTAINERS=0'),
      deny('GET', '/grpc', '§2.2 GRPC not set ⇒ off', /GRPC unset → off/),
      deny('POST', '/_ping', '§2.3 phase 3 gate', GATE),
      deny('GET', '/libpod/info', '§2.2 LIBPOD_INFO=0'),
      deny('GET', '/_ping#x', 'HAProxy refuses # in the request-target', /#/, 400),
      deny('GET', '/containers/jsoné', 'HAProxy refuses non-ASCII', /non-ASCII/, 400),
    ],
  },
  {
    name: 'ls92 POST=0 CONTAINERS=1 ALLOW_START=1 ALLOW_RESTARTS=1 (§2.3 worked example)',
    environment: { CONTAINERS: '1', ALLOW_START: '1', ALLOW_RESTARTS: '1' },
    tag: NEWEST,
    rows: [
      allow('POST', '/containers/x/start', '§2.3 start allowed before the gate', /^ALLOW_START=1/),
      allow('POST', '/containers/x/stop', '§2.3 stop via ALLOW_RESTARTS', /^ALLOW_RESTARTS=1/),
      allow('POST', '/containers/x/restart', '§2.3 restart via ALLOW_RESTARTS'),
      allow('POST', '/v1.45/containers/x/kill', '§2.3 kill via ALLOW_RESTARTS'),
      allow('GET', '/containers/x/start', '§2.3 even GET …/start reaches Docker'),
      allow('DELETE', '/containers/x/start', '§2.3 even DELETE …/start reaches Docker'),
      deny('POST', '/containers/x/pause', '§2.3 POST …/pause 403', GATE),
      deny('DELETE', '/containers/abc', '§2.3 DELETE /containers/abc 403', GATE),
      allow('GET', '/containers/x/json', '§2.3 GET /containers/{id}/json allowed', /^CONTAINERS=1/),
      deny('GET', '/containers/x/logs', '§2.3 logs 403 with default ALLOW_LOGS=0', PHASE_1('ALLOW_LOGS')),
      deny('GET', '/v1.45/containers/x/archive', '§2.3 archive 403 (GET)', PHASE_1('ALLOW_ARCHIVE')),
      deny('HEAD', '/containers/x/archive', '§2.3 archive 403 (HEAD)', PHASE_1('ALLOW_ARCHIVE')),
      deny('PUT', '/containers/x/archive', '§2.3 archive 403 (PUT), phase 1 before the gate', PHASE_1('ALLOW_ARCHIVE')),
      deny('GET', '/containers/x/export', '§2.3 export 403', PHASE_1('ALLOW_EXPORT')),
      deny('GET', '/containers/x/changes', '§2.3 changes 403 ((change) is a prefix)', PHASE_1('ALLOW_CHANGES')),
      deny('GET', '/containers/x/changefoo', '§2.3 (change) is a prefix', PHASE_1('ALLOW_CHANGES')),
      deny('GET', '/containers/x/top', '§2.3 top 403', PHASE_1('ALLOW_TOP')),
      deny('GET', '/CONTAINERS/X/LOGS', '§2.3 case-insensitive', PHASE_1('ALLOW_LOGS')),
      deny('GET', '/containers/x/%6Cogs', '§2.3 url-decoded before matching', PHASE_1('ALLOW_LOGS')),
      deny('GET', '/containers/x%2Flogs', '§2.3 %2F decoded: /containers/x/logs', PHASE_1('ALLOW_LOGS')),
      deny('GET', '/libpod/containers/x/logs', '§2.3 phase 1 covers /libpod', PHASE_1('ALLOW_LOGS')),
      deny('GET', '/pods/x/logs', '§2.3 phase 1 covers /pods', PHASE_1('ALLOW_LOGS')),
      allow('GET', '/containers/a%2Fb/logs', '§1.4 id class excludes /: a/b slips past phase 1, CONTAINERS allows'),
      allow('GET', '/containers//logs', '§2.3 an empty id does not match phase 1'),
      deny(
        'GET',
        '/containers/x/logs%zz',
        '§2.3 url_dec fails: neither the phase-1 deny nor any allow fires',
        /url_dec failed/,
      ),
      allow('POST', '/pods/x/start', '§2.3 /pods/{id}/start is covered by the global ALLOW_START'),
      allow('POST', '/libpod/containers/x/start', '§2.3 /libpod/containers/{id}/start is covered by ALLOW_START'),
      allow('POST', '/v1.41/libpod/pods/x/restart', '§2.3 ALLOW_RESTARTS covers /libpod/pods'),
      deny('GET', '/v1.41/libpod/containers/json', '§2.3 CONTAINERS does not cover /libpod/containers'),
      deny('POST', '/containers/x/exec', '§2.3 exec create needs POST', GATE),
      deny('CONNECT', '/containers/x/start', 'HAProxy 3.x refuses CONNECT with a path', /CONNECT/, 400),
      allow('TRACE', '/containers/x/start', '§2.3 any method on the action paths'),
    ],
  },
  {
    name: 'ls92 action allows are OR-ed',
    environment: { ALLOW_STOP: '0', ALLOW_RESTARTS: '1' },
    tag: NEWEST,
    rows: [allow('POST', '/containers/x/stop', '§2.3 ALLOW_STOP=0 with ALLOW_RESTARTS=1 still allows stop')],
  },
  {
    name: 'ls92 EXEC=1 POST=1 CONTAINERS=0',
    environment: { EXEC: '1', POST: '1' },
    tag: NEWEST,
    rows: [
      deny('POST', '/containers/x/exec', '§2.3 README claim is wrong: exec create 403'),
      allow('POST', '/exec/x/start', '§2.3 /exec/{id}/start allowed'),
    ],
  },
  {
    name: 'ls92 sub-path allows do not grant by themselves',
    environment: { ALLOW_LOGS: '1', ALLOW_ARCHIVE: '1' },
    tag: NEWEST,
    rows: [
      deny('GET', '/containers/x/logs', '§2.3 phase 1 only denies; CONTAINERS=0 still denies', /CONTAINERS unset/),
      deny('GET', '/containers/x/archive', '§2.3 phase 1 only denies'),
    ],
  },
  {
    name: 'ls92 CONTAINERS=1 ALLOW_LOGS=1',
    environment: { CONTAINERS: '1', ALLOW_LOGS: '1' },
    tag: NEWEST,
    rows: [
      allow('GET', '/containers/x/logs?follow=1', '§2.3 logs readable again', /^CONTAINERS=1/),
      deny('GET', '/containers/x/top', '§2.3 top still denied', PHASE_1('ALLOW_TOP')),
    ],
  },
  {
    name: 'ls92 libpod toggles',
    environment: { LIBPOD_CONTAINERS: '1', LIBPOD_ALLOW_START: '1', LIBPOD_ALLOW_POD_START: '1' },
    tag: NEWEST,
    rows: [
      allow('GET', '/v1.41/libpod/containers/json', '§2.3 LIBPOD_CONTAINERS'),
      allow('GET', '/libpod/containers/json', '§2.3 version prefix optional'),
      deny('GET', '/containers/json', '§2.3 LIBPOD_CONTAINERS does not cover /containers'),
      allow('POST', '/libpod/containers/x/start', '§2.3 LIBPOD_ALLOW_START, before the gate'),
      allow('POST', '/libpod/pods/x/start', '§2.3 LIBPOD_ALLOW_POD_START'),
      deny('POST', '/libpod/pods/x/stop', '§2.3 LIBPOD_ALLOW_POD_STOP off', GATE),
      deny('GET', '/libpod/containers/x/logs', '§2.3 phase 1 still denies libpod logs', PHASE_1('ALLOW_LOGS')),
    ],
  },
  {
    name: 'ls92 pause',
    environment: { ALLOW_PAUSE: '1' },
    tag: NEWEST,
    rows: [
      allow('POST', '/containers/x/pause', '§2.3 ALLOW_PAUSE'),
      allow('POST', '/pods/x/pause', '§2.3 ALLOW_PAUSE covers /pods'),
      deny('POST', '/containers/x/unpause', '§2.3 /unpause is not /pause', GATE),
    ],
  },
  {
    name: 'ls47: actions before the gate, container-only, no sub-path denies',
    environment: { CONTAINERS: '1', ALLOW_START: '1', ALLOW_PAUSE: '1', LIBPOD_CONTAINERS: '1' },
    tag: '3.0.9-r0-ls47',
    rows: [
      allow('POST', '/containers/x/start', '§2.1 ALLOW_START before the gate'),
      deny('POST', '/libpod/containers/x/start', '§2.1 ls92 extended ALLOW_* to /libpod', GATE),
      deny('POST', '/pods/x/start', '§2.1 ls92 extended ALLOW_* to /pods', GATE),
      deny('POST', '/containers/x/pause', '§2.6 ALLOW_PAUSE arrived in ls73', GATE),
      allow('GET', '/containers/x/logs', '§2.6 sub-path denies arrived in ls92'),
      deny('GET', '/libpod/containers/json', '§2.6 LIBPOD_* arrived in ls84'),
    ],
  },
  {
    name: 'ls73: + ALLOW_PAUSE',
    environment: { ALLOW_PAUSE: '1', ALLOW_UNPAUSE: '1' },
    tag: '3.2.14-r0-ls73',
    rows: [
      allow('POST', '/containers/x/pause', '§2.6 ALLOW_PAUSE'),
      allow('POST', '/containers/x/unpause', '§2.6 ALLOW_UNPAUSE'),
      deny('POST', '/pods/x/pause', '§2.1 /pods only from ls92', GATE),
    ],
  },
  {
    name: 'ls84: + LIBPOD_*',
    environment: { LIBPOD_CONTAINERS: '1', LIBPOD_ALLOW_START: '1', ALLOW_STOP: '1' },
    tag: '3.2.19-r0-ls84',
    rows: [
      allow('GET', '/libpod/containers/json', '§2.6 LIBPOD_CONTAINERS'),
      allow('POST', '/libpod/containers/x/start', '§2.6 LIBPOD_ALLOW_START'),
      deny('POST', '/libpod/containers/x/stop', '§2.1 global ALLOW_STOP is container-only before ls92', GATE),
      allow('POST', '/containers/x/stop', '§2.1 global ALLOW_STOP'),
    ],
  },
  {
    name: 'ls2 (HAProxy 2.8): Tecnativa copy, gate first',
    environment: { ALLOW_START: '1', CONTAINERS: '1' },
    tag: '2.8.7-ls2',
    rows: [
      deny('POST', '/containers/x/start', '§2.1 gate first: ALLOW_START needs POST', GATE),
      allow('GET', '/containers/x/start', '§2.1 ALLOW_START is path-only'),
      allow('GET', '/containers/x/logs', '§2.1 no sub-path denies'),
      deny('CONNECT', '/containers/x/start', '§2.1 gate first; HAProxy 2.8 judges CONNECT by the rules', GATE),
    ],
  },
];

describe('LinuxServer emulator (peers.md §2)', () => {
  for (const scenario of scenarios) {
    describe(scenario.name, () => {
      const decide = compileLinuxServer(
        parseLinuxServerSettings({ environment: scenario.environment, imageTag: scenario.tag }),
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

  it('§2.1/§2.5 nginx builds cannot be emulated exactly: EmulationUnavailableError', () => {
    for (const tag of ['1.24.0-r15-ls4', '1.26.2-r4-ls37', '1.26.3-r0-ls46']) {
      const settings = parseLinuxServerSettings({ environment: { CONTAINERS: '1' }, imageTag: tag });
      assert.throws(() => compileLinuxServer(settings), EmulationUnavailableError);
    }
  });

  it('§2.1 untagged images are emulated with the newest semantics', () => {
    const settings = parseLinuxServerSettings({ environment: { CONTAINERS: '1' }, imageTag: undefined });
    assert.equal(emulateLinuxServer(settings, { method: 'GET', target: '/containers/x/logs' }).allow, false);
  });
});
