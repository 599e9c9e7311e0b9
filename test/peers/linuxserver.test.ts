import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  listLinuxServerVariables,
  parseLinuxServerSettings,
  resolveLinuxServerImage,
  type LinuxServerSettings,
} from '../../src/peers/linuxserver.js';

function parse(environment: Record<string, string>, imageTag?: string): LinuxServerSettings {
  return parseLinuxServerSettings({ environment, imageTag });
}

function codes(settings: LinuxServerSettings): string[] {
  return settings.findings.map((finding) => `${finding.code}@${finding.origin}`);
}

describe('LinuxServer tags decide the engine era (§2.1, §2.6)', () => {
  const table = [
    { tag: '2.8.7-ls1', era: 'haproxy-2.8', build: 1, assumed: false },
    { tag: '2.8.7-ls3', era: 'haproxy-2.8', build: 3, assumed: false },
    { tag: '1.24.0-r15-ls4', era: 'nginx', build: 4, assumed: false },
    { tag: '1.26.2-r4-ls37', era: 'nginx', build: 37, assumed: false },
    { tag: '1.26.3-r0-ls46', era: 'nginx', build: 46, assumed: false },
    { tag: '3.0.9-r0-ls47', era: 'haproxy-actions-first', build: 47, assumed: false },
    { tag: '3.2.3-r0-ls54', era: 'haproxy-actions-first', build: 54, assumed: false },
    { tag: '3.2.14-r0-ls73', era: 'haproxy-pause', build: 73, assumed: false },
    { tag: '3.2.19-r0-ls84', era: 'haproxy-libpod', build: 84, assumed: false },
    { tag: '3.4.3-r0-ls92', era: 'haproxy-subpath-denies', build: 92, assumed: false },
    { tag: 'arm64v8-3.4.3-r0-ls92', era: 'haproxy-subpath-denies', build: 92, assumed: false },
    { tag: '3.4.9-r0-ls99', era: 'haproxy-subpath-denies', build: 99, assumed: true },
    { tag: undefined, era: 'haproxy-subpath-denies', build: 92, assumed: true },
    { tag: 'latest', era: 'haproxy-subpath-denies', build: 92, assumed: true },
    { tag: 'amd64-latest', era: 'haproxy-subpath-denies', build: 92, assumed: true },
  ] as const;
  for (const row of table) {
    it(`§2.1 ${row.tag ?? '(untagged)'} → ${row.era} (ls${row.build})${row.assumed ? ', assumed newest' : ''}`, () => {
      const image = resolveLinuxServerImage(row.tag);
      assert.equal(image.era, row.era);
      assert.equal(image.build, row.build);
      assert.equal(image.assumedNewest, row.assumed);
    });
  }

  it('§2.1 the release drops an architecture prefix', () => {
    assert.equal(resolveLinuxServerImage('arm64v8-3.4.3-r0-ls92').version, '3.4.3-r0-ls92');
    assert.equal(resolveLinuxServerImage('2.8.7-ls1').version, '2.8.7-ls1');
    assert.equal(resolveLinuxServerImage('latest').version, undefined);
  });

  it('§2.1 unknown tag: assume the newest semantics and warn', () => {
    const settings = parse({});
    assert.equal(settings.engine, 'haproxy');
    assert.deepEqual(codes(settings), ['assumed-newest@image']);
  });

  it('§2.1 nginx builds report engine nginx', () => {
    assert.equal(parse({}, '1.26.2-r0-ls23').engine, 'nginx');
  });
});

describe('LinuxServer variables per build (§2.2, §2.6)', () => {
  const table = [
    { name: 'ALLOW_PAUSE', from: 73, cite: '§2.6 3.2.14-r0-ls73' },
    { name: 'ALLOW_UNPAUSE', from: 73, cite: '§2.6 3.2.14-r0-ls73' },
    { name: 'LIBPOD_CONTAINERS', from: 84, cite: '§2.6 3.2.19-r0-ls84' },
    { name: 'LIBPOD_ALLOW_POD_START', from: 84, cite: '§2.6 3.2.19-r0-ls84' },
    { name: 'ALLOW_LOGS', from: 92, cite: '§2.6 3.4.3-r0-ls92' },
    { name: 'ALLOW_ARCHIVE', from: 92, cite: '§2.6 3.4.3-r0-ls92' },
    { name: 'TZ', from: 54, cite: '§2.6 3.2.3-r0-ls54 tzdata' },
  ];
  for (const row of table) {
    it(`${row.cite}: ${row.name} read from ls${row.from}`, () => {
      assert.ok(!listLinuxServerVariables(row.from - 1).includes(row.name));
      assert.ok(listLinuxServerVariables(row.from).includes(row.name));
      assert.ok(listLinuxServerVariables(92).includes(row.name));
    });
  }

  it('§2.2 PROXY_READ_TIMEOUT exists only in nginx builds ls37–ls46', () => {
    assert.ok(!listLinuxServerVariables(36).includes('PROXY_READ_TIMEOUT'));
    assert.ok(listLinuxServerVariables(37).includes('PROXY_READ_TIMEOUT'));
    assert.ok(listLinuxServerVariables(46).includes('PROXY_READ_TIMEOUT'));
    assert.ok(!listLinuxServerVariables(47).includes('PROXY_READ_TIMEOUT'));
  });

  it('§2.6 LOG_LEVEL is read by ls1–ls3 and from ls48 ("back"), not by nginx builds nor ls47', () => {
    assert.ok(listLinuxServerVariables(3).includes('LOG_LEVEL'));
    assert.ok(!listLinuxServerVariables(20).includes('LOG_LEVEL'));
    assert.ok(!listLinuxServerVariables(47).includes('LOG_LEVEL'));
    assert.ok(listLinuxServerVariables(48).includes('LOG_LEVEL'));
  });

  it('§2.6 DISABLE_IPV6 arrived in ls5 on nginx (ls1–ls3 had it too)', () => {
    assert.ok(listLinuxServerVariables(1).includes('DISABLE_IPV6'));
    assert.ok(!listLinuxServerVariables(4).includes('DISABLE_IPV6'));
    assert.ok(listLinuxServerVariables(5).includes('DISABLE_IPV6'));
  });

  it('§2.2 ALLOW_LOGS=1 on ls73 is not read and reported', () => {
    const settings = parse({ ALLOW_LOGS: '1' }, '3.2.14-r0-ls73');
    assert.equal(settings.toggles['ALLOW_LOGS']?.read, false);
    assert.deepEqual(codes(settings), ['not-read-by-version@env:ALLOW_LOGS']);
  });
});

describe('LinuxServer defaults and values, HAProxy builds (§2.2)', () => {
  const settings = parse({}, '3.4.3-r0-ls92');
  const defaults = [
    ['EVENTS', '1', true],
    ['PING', '1', true],
    ['VERSION', '1', true],
    ['LIBPOD_PING', '1', true],
    ['LIBPOD_VERSION', '1', true],
    ['POST', '0', false],
    ['CONTAINERS', '0', false],
    ['ALLOW_LOGS', '0', false],
    ['LIBPOD_CONTAINERS', '0', false],
    ['LIBPOD_ALLOW_START', '0', false],
    ['GRPC', undefined, false],
  ] as const;
  for (const [name, defaultRaw, on] of defaults) {
    it(`§2.2 ${name} default ${defaultRaw ?? 'not set'} → ${on ? 'on' : 'off'}`, () => {
      assert.equal(settings.toggles[name]?.defaultRaw, defaultRaw);
      assert.equal(settings.toggles[name]?.effective, on);
    });
  }

  it('§2.2 GRPC=1 works although the image does not set it', () => {
    assert.equal(parse({ GRPC: '1' }, '3.4.3-r0-ls92').toggles['GRPC']?.effective, true);
  });

  it('§2.2 same -m bool parsing as Tecnativa: CONTAINERS=true is off, POST=2 is on', () => {
    const parsed = parse({ CONTAINERS: 'true', POST: '2' }, '3.4.3-r0-ls92');
    assert.equal(parsed.toggles['CONTAINERS']?.effective, false);
    assert.equal(parsed.toggles['POST']?.effective, true);
    assert.deepEqual(codes(parsed), ['true-means-off@env:CONTAINERS', 'non-canonical-on@env:POST']);
  });

  const ipv6 = [
    ['1', true],
    ['true', false],
    ['yes', false],
    ['01', false],
  ] as const;
  for (const [raw, on] of ipv6) {
    it(`§2.2 DISABLE_IPV6=${raw} is ${on ? 'on' : 'off'}: only the exact string 1`, () => {
      assert.equal(parse({ DISABLE_IPV6: raw }, '3.4.3-r0-ls92').disableIpv6.effective, on);
    });
  }

  it('§2.2 LOG_LEVEL info, SOCKET_PATH /var/run/docker.sock, TZ not set', () => {
    assert.equal(settings.logLevel.effective, 'info');
    assert.equal(settings.socketPath.effective, '/var/run/docker.sock');
    assert.equal(settings.tz.effective, undefined);
    assert.equal(settings.proxyReadTimeout.read, false);
  });
});

describe('LinuxServer nginx builds (§2.5)', () => {
  const values = [
    ['1', true],
    ['true', true],
    ['yes', true],
    ['false', true],
    ['', true],
    ['0', false],
  ] as const;
  for (const [raw, on] of values) {
    it(`§2.5 CONTAINERS=${JSON.stringify(raw)} is ${on ? 'on' : 'off'}: only 0 is off`, () => {
      assert.equal(parse({ CONTAINERS: raw }, '1.26.2-r4-ls37').toggles['CONTAINERS']?.effective, on);
    });
  }

  it('§2.5 CONTAINERS=false is ON and says so (false-means-on)', () => {
    assert.deepEqual(codes(parse({ CONTAINERS: 'false' }, '1.26.2-r4-ls37')), ['false-means-on@env:CONTAINERS']);
  });

  const posts = [
    ['1', true],
    ['true', false],
    ['2', false],
    ['0', false],
  ] as const;
  for (const [raw, on] of posts) {
    it(`§2.5 POST=${raw} is ${on ? 'on' : 'off'}: only the literal 1`, () => {
      assert.equal(parse({ POST: raw }, '1.26.2-r4-ls37').toggles['POST']?.effective, on);
    });
  }

  it('§2.5 POST=true warns post-needs-literal-1', () => {
    assert.deepEqual(codes(parse({ POST: 'true' }, '1.26.2-r4-ls37')), ['post-needs-literal-1@env:POST']);
  });

  it('§2.5 PROXY_READ_TIMEOUT defaults to 240 from ls37', () => {
    assert.equal(parse({}, '1.26.2-r4-ls37').proxyReadTimeout.effective, '240');
  });

  it('§2.5 before ls23 the ALLOW_* locations sat behind the GET/HEAD limit: allow-needs-post', () => {
    assert.deepEqual(codes(parse({ ALLOW_RESTARTS: '1', ALLOW_STOP: '1' }, '1.26.1-r0-ls15')), [
      'allow-needs-post@env:ALLOW_RESTARTS',
    ]);
    assert.deepEqual(codes(parse({ ALLOW_RESTARTS: '1', ALLOW_STOP: '1' }, '1.26.2-r0-ls23')), []);
  });

  it('§2.5 before ls31 ALLOW_STOP without ALLOW_RESTARTS did not allow stop (issue #16)', () => {
    assert.deepEqual(codes(parse({ ALLOW_STOP: '1', POST: '1' }, '1.26.2-r0-ls23')), [
      'stop-needs-restarts@env:ALLOW_STOP',
    ]);
    assert.deepEqual(codes(parse({ ALLOW_STOP: '1' }, '1.26.2-r3-ls31')), []);
  });

  it('§2.5 from ls31 ALLOW_STOP alone governs stop: ALLOW_RESTARTS=1 does not cover it', () => {
    assert.deepEqual(codes(parse({ ALLOW_RESTARTS: '1' }, '1.26.2-r3-ls31')), [
      'stop-governed-by-allow-stop@env:ALLOW_RESTARTS',
    ]);
  });
});

describe('LinuxServer combinations and ignored names (§2.1, §2.3, §7)', () => {
  it('§2.3 ls92 CONTAINERS=1 with the default ALLOW_LOGS=0: sub-paths denied by default (breaking change)', () => {
    const settings = parse({ CONTAINERS: '1', ALLOW_LOGS: '1' }, '3.4.3-r0-ls92');
    assert.deepEqual(codes(settings), ['subpath-denied-by-default@env:CONTAINERS']);
    assert.match(settings.findings[0]?.message ?? '', /ALLOW_ARCHIVE, ALLOW_CHANGES, ALLOW_EXPORT, ALLOW_TOP/);
    assert.doesNotMatch(settings.findings[0]?.message ?? '', /ALLOW_LOGS,/);
  });

  it('§2.3 the sub-path finding does not exist before ls92', () => {
    assert.deepEqual(codes(parse({ CONTAINERS: '1' }, '3.2.19-r0-ls84')), []);
  });

  it('§2.1 ls1–ls3 run the gate first: ALLOW_START=1 without POST is allow-needs-post', () => {
    assert.deepEqual(codes(parse({ ALLOW_START: '1' }, '2.8.7-ls2')), ['allow-needs-post@env:ALLOW_START']);
  });

  it('§2.3 ls47+ run ALLOW_* before the gate: no allow-needs-post', () => {
    assert.deepEqual(codes(parse({ ALLOW_START: '1' }, '3.0.9-r0-ls47')), []);
  });

  it('§2.3 EXEC=1 POST=1 CONTAINERS=0 cannot create execs', () => {
    assert.deepEqual(codes(parse({ EXEC: '1', POST: '1' }, '3.4.3-r0-ls92')), [
      'exec-create-needs-containers@env:EXEC',
    ]);
  });

  it('§2.1 PUID/PGID/UMASK are noise (info)', () => {
    const settings = parse({ PUID: '1000', PGID: '1000', UMASK: '022' }, '3.4.3-r0-ls92');
    assert.deepEqual(codes(settings), ['never-read@env:PUID', 'never-read@env:PGID', 'never-read@env:UMASK']);
    assert.ok(settings.findings.every((finding) => finding.severity === 'info'));
  });

  it('§2.2 ALLOW_RESTART (singular) is silently ignored by LinuxServer too', () => {
    const settings = parse({ ALLOW_RESTART: '1' }, '3.4.3-r0-ls92');
    assert.deepEqual(codes(settings), ['never-read@env:ALLOW_RESTART']);
    assert.equal(settings.toggles['ALLOW_RESTARTS']?.effective, false);
  });

  it('§7 ALLOW_LOG (typo) is a near-miss of ALLOW_LOGS', () => {
    const settings = parse({ ALLOW_LOG: '1' }, '3.4.3-r0-ls92');
    assert.deepEqual(codes(settings), ['near-miss-name@env:ALLOW_LOG']);
    assert.equal(settings.findings[0]?.suggestion, 'ALLOW_LOGS');
  });
});
