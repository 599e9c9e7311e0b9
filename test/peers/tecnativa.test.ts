import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  listTecnativaVariables,
  parseTecnativaSettings,
  resolveTecnativaImage,
  type TecnativaSettings,
} from '../../src/peers/tecnativa.js';

function parse(environment: Record<string, string>, imageTag?: string): TecnativaSettings {
  return parseTecnativaSettings({ environment, imageTag });
}

function codes(settings: TecnativaSettings): string[] {
  return settings.findings.map((finding) => `${finding.code}@${finding.origin}`);
}

describe('Tecnativa image tags (§1.1, §1.8)', () => {
  const table = [
    { tag: undefined, era: '0.1.2', version: undefined, assumed: true, cite: '§1.1 untagged' },
    { tag: 'latest', era: '0.1.2', version: undefined, assumed: true, cite: '§1.1 latest' },
    { tag: 'edge', era: '0.1.2', version: undefined, assumed: true, cite: '§1.1 edge (master)' },
    { tag: 'nightly', era: '0.1.2', version: undefined, assumed: true, cite: '§1.1 nightly seen in the wild' },
    { tag: '0.4.1', era: '0.1.2', version: '0.4.1', assumed: false, cite: '§1.8 v0.4.1' },
    { tag: '0.4', era: '0.1.2', version: '0.4.1', assumed: true, cite: '§1.1 floating 0.4 at the head' },
    { tag: '0', era: '0.1.2', version: '0.4.1', assumed: true, cite: '§1.1 floating major' },
    { tag: '0.3', era: '0.1.2', version: '0.3.0', assumed: false, cite: '§1.1 0.3 seen in the wild, closed line' },
    { tag: '0.1', era: '0.1.2', version: '0.1.2', assumed: false, cite: '§1.8 0.1 line ends at v0.1.2' },
    { tag: '0.1.2', era: '0.1.2', version: '0.1.2', assumed: false, cite: '§1.8 v0.1.2' },
    { tag: '0.1.1', era: '0.1.0', version: '0.1.1', assumed: false, cite: '§1.8 v0.1.1' },
    { tag: '0.1.0', era: '0.1.0', version: '0.1.0', assumed: false, cite: '§1.8 v0.1.0' },
    { tag: '0.5.0', era: '0.1.2', version: undefined, assumed: true, cite: '§1.8 unknown release' },
    { tag: 'v0.4.1', era: '0.1.2', version: undefined, assumed: true, cite: '§1.1 tags have no v' },
  ] as const;
  for (const row of table) {
    it(`${row.cite}: ${row.tag ?? '(untagged)'} → era ${row.era}${row.assumed ? ', assumed newest' : ''}`, () => {
      const image = resolveTecnativaImage(row.tag);
      assert.equal(image.era, row.era);
      assert.equal(image.version, row.version);
      assert.equal(image.assumedNewest, row.assumed);
      assert.equal(image.origin, 'image');
    });
  }

  const bases = [
    ['0.1.1', '2.2'],
    ['0.1.2', '2.2'],
    ['0.2.0', '3.0'],
    ['0.3.0', '2.2'],
    ['0.4.0', '3.2.4'],
    ['0.4.1', '3.2.4'],
    [undefined, '3.2.4'],
  ] as const;
  for (const [tag, base] of bases) {
    it(`§1.1 ${tag ?? '(untagged)'} runs on haproxy:${base}`, () => {
      assert.equal(parse({}, tag).haproxyBase, base);
    });
  }

  it('§1.1 an assumed tag is reported as an assumed-newest warning', () => {
    assert.deepEqual(codes(parse({}, 'latest')), ['assumed-newest@image']);
    assert.deepEqual(codes(parse({}, '0.4.1')), []);
  });
});

describe('Tecnativa defaults (§1.2)', () => {
  const settings = parse({}, '0.4.1');
  const table = [
    ['EVENTS', true],
    ['PING', true],
    ['VERSION', true],
    ['POST', false],
    ['CONTAINERS', false],
    ['AUTH', false],
    ['SECRETS', false],
    ['GRPC', false],
    ['ALLOW_RESTARTS', false],
    ['ALLOW_START', false],
    ['ALLOW_STOP', false],
  ] as const;
  for (const [name, on] of table) {
    it(`§1.2 ${name} defaults to ${on ? 1 : 0} with origin image-default:${name}`, () => {
      const toggle = settings.toggles[name];
      assert.equal(toggle?.effective, on);
      assert.equal(toggle?.raw, undefined);
      assert.equal(toggle?.defaultRaw, on ? '1' : '0');
      assert.equal(toggle?.origin, `image-default:${name}`);
      assert.equal(toggle?.read, true);
    });
  }

  it('§1.2 every section variable, the three ALLOW_* and POST are toggles (27)', () => {
    assert.equal(Object.keys(settings.toggles).length, 27);
  });

  it('§1.2 LOG_LEVEL defaults to info, SOCKET_PATH to /var/run/docker.sock, DISABLE_IPV6 off', () => {
    assert.equal(settings.logLevel.effective, 'info');
    assert.equal(settings.socketPath.effective, '/var/run/docker.sock');
    assert.equal(settings.disableIpv6.effective, false);
  });
});

describe('Tecnativa values (§1.6)', () => {
  it('§1.6 CONTAINERS=true is off, records raw and origin env:CONTAINERS, and warns true-means-off', () => {
    const settings = parse({ CONTAINERS: 'true' }, '0.4.1');
    assert.deepEqual(settings.toggles['CONTAINERS'], {
      name: 'CONTAINERS',
      origin: 'env:CONTAINERS',
      raw: 'true',
      defaultRaw: '0',
      read: true,
      effective: false,
    });
    assert.deepEqual(codes(settings), ['true-means-off@env:CONTAINERS']);
  });

  it('§1.6 POST=yes is off (the gate stays)', () => {
    assert.equal(parse({ POST: 'yes' }).toggles['POST']?.effective, false);
  });

  it('§1.6 CONTAINERS=2 and IMAGES=1abc are on', () => {
    const settings = parse({ CONTAINERS: '2', IMAGES: '1abc' });
    assert.equal(settings.toggles['CONTAINERS']?.effective, true);
    assert.equal(settings.toggles['IMAGES']?.effective, true);
  });

  it('§1.6 an empty EVENTS turns the default-on section off and says so', () => {
    const settings = parse({ EVENTS: '' }, '0.4.1');
    assert.equal(settings.toggles['EVENTS']?.effective, false);
    assert.deepEqual(codes(settings), ['empty-means-off@env:EVENTS']);
  });

  it('§1.6 PING=0 turns a default-on section off silently', () => {
    const settings = parse({ PING: '0' }, '0.4.1');
    assert.equal(settings.toggles['PING']?.effective, false);
    assert.deepEqual(codes(settings), []);
  });

  const ipv6 = [
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['Yes', true],
    ['0', false],
    ['on', false],
    [' 1', false],
  ] as const;
  for (const [raw, on] of ipv6) {
    it(`§1.2/§1.6 DISABLE_IPV6=${JSON.stringify(raw)} is ${on ? 'on' : 'off'} (entrypoint case on lower-cased 1|true|yes)`, () => {
      assert.equal(parse({ DISABLE_IPV6: raw }, '0.4.1').disableIpv6.effective, on);
    });
  }

  it('§1.2 an empty SOCKET_PATH is an error: HAProxy refuses to start', () => {
    const settings = parse({ SOCKET_PATH: '' }, '0.4.1');
    assert.equal(settings.socketPath.effective, '');
    assert.deepEqual(codes(settings), ['empty-socket-path@env:SOCKET_PATH']);
    assert.equal(settings.findings[0]?.severity, 'error');
  });

  it('§1.2 LOG_LEVEL outside the README list is flagged; documented levels are not', () => {
    assert.deepEqual(codes(parse({ LOG_LEVEL: 'warn' }, '0.4.1')), ['undocumented-log-level@env:LOG_LEVEL']);
    assert.deepEqual(codes(parse({ LOG_LEVEL: 'notice' }, '0.4.1')), []);
  });
});

describe('Tecnativa eras (§1.5, §1.8)', () => {
  it('§1.8 v0.1.1 does not read GRPC, SOCKET_PATH, ALLOW_START, ALLOW_STOP, DISABLE_IPV6', () => {
    const names = listTecnativaVariables('0.1.0');
    for (const name of ['GRPC', 'SOCKET_PATH', 'ALLOW_START', 'ALLOW_STOP', 'DISABLE_IPV6']) {
      assert.ok(!names.includes(name), name);
      assert.ok(listTecnativaVariables('0.1.2').includes(name), name);
    }
    assert.ok(names.includes('ALLOW_RESTARTS'), '§1.5 ALLOW_RESTARTS predates the first tag');
    assert.ok(names.includes('LOG_LEVEL'), '§1.8 LOG_LEVEL 2019');
    assert.ok(names.includes('SESSION'), '§1.8 SESSION 2019');
  });

  it('§1.8 ALLOW_START=1 on v0.1.1 is unread, off, and reported not-read-by-version', () => {
    const settings = parse({ ALLOW_START: '1', POST: '1' }, '0.1.1');
    assert.equal(settings.toggles['ALLOW_START']?.read, false);
    assert.equal(settings.toggles['ALLOW_START']?.effective, false);
    assert.deepEqual(codes(settings), ['not-read-by-version@env:ALLOW_START']);
  });

  it('§1.8 GRPC=1 on v0.1.0 is off; on v0.1.2 it is on', () => {
    assert.equal(parse({ GRPC: '1' }, '0.1.0').toggles['GRPC']?.effective, false);
    assert.equal(parse({ GRPC: '1' }, '0.1.2').toggles['GRPC']?.effective, true);
  });

  it('§1.8 DISABLE_IPV6=1 on v0.1.1 has no effect', () => {
    const settings = parse({ DISABLE_IPV6: '1' }, '0.1.1');
    assert.equal(settings.disableIpv6.read, false);
    assert.equal(settings.disableIpv6.effective, false);
  });
});

describe('Tecnativa ignored names and combinations (§1.2, §1.4, §1.5, §7)', () => {
  it('§1.2/§7 ALLOW_RESTART (singular) is never read; the finding suggests ALLOW_RESTARTS', () => {
    const settings = parse({ ALLOW_RESTART: '1' }, '0.4.1');
    assert.deepEqual(codes(settings), ['never-read@env:ALLOW_RESTART']);
    assert.equal(settings.findings[0]?.suggestion, 'ALLOW_RESTARTS');
  });

  const neverRead = ['DELETE', 'PUT', 'ALLOW_PAUSE', 'ALLOW_LOGS', 'BIND_CONFIG', 'LIBPOD_CONTAINERS', 'ALLOW_CREATE'];
  for (const name of neverRead) {
    it(`§1.2 ${name} is never read by Tecnativa`, () => {
      assert.deepEqual(codes(parse({ [name]: '1' }, '0.4.1')), [`never-read@env:${name}`]);
    });
  }

  it('§7 IAMGES=1 and INF0=1 are near-misses of IMAGES and INFO', () => {
    const settings = parse({ IAMGES: '1', INF0: '1' }, '0.4.1');
    assert.deepEqual(codes(settings), ['near-miss-name@env:IAMGES', 'near-miss-name@env:INF0']);
    assert.deepEqual(
      settings.findings.map((finding) => finding.suggestion),
      ['IMAGES', 'INFO'],
    );
    assert.equal(settings.toggles['IMAGES']?.effective, false);
  });

  it('§7 unrelated variables (TZ, PUID) raise nothing', () => {
    assert.deepEqual(codes(parse({ TZ: 'Europe/Berlin', PUID: '1000' }, '0.4.1')), []);
  });

  it('§1.5 ALLOW_START=1 with POST=0: allow-needs-post (the gate runs first, issue #101)', () => {
    assert.deepEqual(codes(parse({ ALLOW_START: '1', ALLOW_RESTARTS: '1' }, '0.4.1')), [
      'allow-needs-post@env:ALLOW_RESTARTS',
    ]);
    assert.deepEqual(codes(parse({ ALLOW_START: '1', POST: '1' }, '0.4.1')), []);
  });

  it('§1.5 ALLOW_STOP=true is off, so it raises true-means-off but not allow-needs-post', () => {
    assert.deepEqual(codes(parse({ ALLOW_STOP: 'true' }, '0.4.1')), ['true-means-off@env:ALLOW_STOP']);
  });

  it('§1.4 EXEC=1 without CONTAINERS=1 and POST=1 cannot create execs', () => {
    assert.deepEqual(codes(parse({ EXEC: '1', POST: '1' }, '0.4.1')), ['exec-create-needs-containers@env:EXEC']);
    assert.deepEqual(codes(parse({ EXEC: '1', POST: '1', CONTAINERS: '1' }, '0.4.1')), []);
  });

  it('§7 only own properties of the environment count as set (an inherited CONTAINERS is unset)', () => {
    const inherited = Object.create({ CONTAINERS: '1' }) as Record<string, string>;
    const settings = parse(inherited, '0.4.1');
    assert.equal(settings.toggles['CONTAINERS']?.raw, undefined);
    assert.equal(settings.toggles['CONTAINERS']?.effective, false);
  });
});
