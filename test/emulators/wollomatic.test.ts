import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWollomaticSettings } from '../../src/peers/wollomatic.js';
import type { WollomaticInput } from '../../src/peers/wollomatic.js';
import { compileWollomatic } from '../../src/emulators/wollomatic.js';
import type { WollomaticEmulatorOptions } from '../../src/emulators/wollomatic.js';
import { decodeGoString, parseGoRequestPath } from '../../src/emulators/go-request-path.js';

function emulator(input: Partial<WollomaticInput>, options?: WollomaticEmulatorOptions) {
  const parsed = parseWollomaticSettings({ argv: [], env: [], imageTag: '1.13.1', ...input });
  assert.ok(parsed.starts, JSON.stringify(parsed.diagnostics));
  return compileWollomatic(parsed.settings, options);
}

type Row = [method: string, target: string, status: number, clientIp?: string];
function check(decide: ReturnType<typeof emulator>, rows: Row[]): void {
  for (const [method, target, status, clientIp] of rows) {
    const d = decide({ method, target, ...(clientIp !== undefined ? { clientIp } : {}) });
    assert.equal(d.status, status, `${method} ${target} ${clientIp ?? ''}: ${d.reason}`);
    assert.equal(d.allow, status === 0);
  }
}

describe('wollomatic decisions (peers.md §3.3, §3.4)', () => {
  it('§3.3 Dozzle example: top-level alternation is half-anchored', () => {
    check(emulator({ argv: ['-allowGET=/v1\\..{2}/(containers/.*|events)|/_ping'] }), [
      ['GET', '/v1.41/containers/json', 0],
      ['GET', '/v1.41/events', 0],
      ['GET', '/v1.41/eventsXYZ', 0],
      ['GET', '/v1.41/events/../secrets', 0],
      ['GET', '/anything/_ping', 0],
      ['GET', '/_ping', 0],
      ['GET', '/v1.41/_pingx', 403],
      ['GET', '/events', 403],
      ['HEAD', '/_ping', 405],
    ]);
  });
  it('§3.8 README Traefik example: no version prefix handling', () => {
    check(emulator({ argv: ['-allowGET=/v1\\..{1,2}/(version|containers/.*|events.*)'] }), [
      ['GET', '/v1.41/version', 0],
      ['GET', '/v1.9/containers/abc/json', 0],
      ['GET', '/v1.41/events?since=1', 0],
      ['GET', '/version', 403],
      ['GET', '/v1.123/version', 403],
      ['POST', '/v1.41/containers/abc/start', 405],
    ]);
  });
  it('subject is the decoded, uncleaned path; the query is ignored; methods are exact', () => {
    check(emulator({ argv: ['-allowGET=/containers/[^/]+/json', '-allowPOST=/containers/abc/start'] }), [
      ['GET', '/containers/abc%2Fjson', 0], // decoded to /containers/abc/json before matching
      ['GET', '/containers/a%2Fb/json', 403], // decoded to /containers/a/b/json: [^/]+ cannot span it
      ['GET', '/containers/a%62c/json', 0],
      ['GET', '/containers/abc/json?all=1', 0],
      ['GET', '/containers/abc/json/', 403],
      ['GET', '/containers/./json', 0],
      ['get', '/containers/abc/json', 405],
      ['POST', '/containers/abc/start', 0],
      ['GET', '/containers/abc%zz/json', 400],
      ['GET', '/containers/abc /json', 400],
    ]);
  });
  it('case-sensitive unless the regex says (?i)', () => {
    check(emulator({ argv: ['-allowGET=/containers/json', '-allowHEAD=(?i)/_PING'] }), [
      ['GET', '/CONTAINERS/json', 403],
      ['HEAD', '/_ping', 0],
    ]);
  });
  it('any regex of the method may match (1.12 repeats, env entries)', () => {
    check(
      emulator({
        env: [
          { name: 'SP_ALLOW_GET', value: '/version' },
          { name: 'SP_ALLOW_GET_2', value: '/_ping' },
        ],
      }),
      [
        ['GET', '/version', 0],
        ['GET', '/_ping', 0],
        ['GET', '/info', 403],
      ],
    );
  });
  it('-allowfrom: 403 forbidden IP before the method check; the first CIDR decides', () => {
    const decide = emulator(
      { argv: ['-allowfrom=traefik,10.0.0.0/8,dozzle', '-allowGET=.*'] },
      {
        resolveHost: (h) => ({ traefik: ['172.18.0.5'], dozzle: ['172.18.0.6'] })[h] ?? [],
      },
    );
    check(decide, [
      ['GET', '/version', 0, '172.18.0.5'],
      ['GET', '/version', 0, '10.1.2.3'],
      ['GET', '/version', 0, '::ffff:10.1.2.3'],
      ['GET', '/version', 403, '172.18.0.6'], // dozzle comes after the CIDR: never consulted
      ['POST', '/version', 403, '192.168.1.1'],
      ['GET', '/version', 403, 'not-an-ip'],
      ['GET', '/version', 0], // no client address: admission not emulated
    ]);
  });
  it('default -allowfrom is 127.0.0.1/32', () => {
    check(emulator({ argv: ['-allowGET=.*'] }), [
      ['GET', '/version', 0, '127.0.0.1'],
      ['GET', '/version', 403, '172.17.0.1'],
    ]);
  });
  it('unix-socket mode skips client admission', () => {
    check(emulator({ argv: ['-proxysocketendpoint=/tmp/f.sock', '-allowGET=.*'] }), [
      ['GET', '/version', 0, '172.17.0.9'],
    ]);
  });
  it('per-container label allowlists replace the default list for that container (§3.7)', () => {
    const decide = emulator(
      {
        argv: ['-proxycontainername=socket-proxy', '-allowGET=/version'],
        labeledServices: [{ service: 'dozzle', labels: [{ name: 'socket-proxy.allow.get', value: '/containers/.*' }] }],
      },
      { serviceIps: (s) => (s === 'dozzle' ? ['172.20.0.3'] : []) },
    );
    check(decide, [
      ['GET', '/containers/json', 0, '172.20.0.3'],
      ['GET', '/version', 403, '172.20.0.3'],
      ['HEAD', '/containers/json', 405, '172.20.0.3'],
      ['GET', '/version', 0, '127.0.0.1'],
      ['GET', '/version', 403, '172.20.0.4'],
    ]);
  });
  it('bind-mount restrictions are named but not emulated (no body)', () => {
    const d = emulator({ argv: ['-allowPOST=.*', '-allowbindmountfrom=/srv'] })({
      method: 'POST',
      target: '/v1.45/containers/create',
    });
    assert.equal(d.allow, true);
    assert.match(d.reason, /bind-mount restrictions \(\/srv\)/);
  });
  it('decides 50k requests well under a second', () => {
    const decide = emulator({
      argv: [
        '-allowGET=/v1\\..{1,2}/(version|containers/.*|events.*)',
        '-allowPOST=/v1\\..{2}/(containers/.*|images/.*)',
      ],
    });
    const targets = [
      '/v1.41/containers/abc/json',
      '/v1.41/images/x/json',
      '/version',
      '/v1.45/events?x=1',
      '/v1.41/containers/a%2Fb/start',
    ];
    const start = performance.now();
    for (let i = 0; i < 50_000; i++) decide({ method: i % 2 ? 'GET' : 'POST', target: targets[i % targets.length]! });
    assert.ok(performance.now() - start < 1000);
  });
});

describe('r.URL.Path as Go sees it', () => {
  it('decodes once, keeps +, maps invalid UTF-8 bytes to one U+FFFD each', () => {
    assert.deepEqual(parseGoRequestPath('/a%2Fb+c%252F'), { kind: 'parsed', path: '/a/b+c%2F' });
    assert.equal(decodeGoString(Uint8Array.from([0x2f, 0xe2, 0x82, 0x61])), '/\ufffd\ufffda');
    assert.equal(decodeGoString(Uint8Array.from([0xed, 0xa0, 0x80])), '\ufffd\ufffd\ufffd');
    assert.equal(decodeGoString(Uint8Array.from([0xc3, 0xa9])), 'é');
  });
});
