import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWollomaticSettings } from '../../src/peers/wollomatic.js';
import type { WollomaticInput } from '../../src/peers/wollomatic.js';

const env = (pairs: Record<string, string | null>) => Object.entries(pairs).map(([name, value]) => ({ name, value }));
const parse = (input: Partial<WollomaticInput>) =>
  parseWollomaticSettings({ argv: [], env: [], imageTag: '1.13.1', ...input });
const codes = (r: ReturnType<typeof parse>) => r.diagnostics.map((d) => d.code);

describe('wollomatic flags and env (peers.md §3.2)', () => {
  it('§3.8 README Traefik example', () => {
    const r = parse({
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
    assert.equal(r.starts, true);
    const s = r.settings;
    assert.deepEqual(s.logLevel, { value: 'INFO', origin: 'arg:0' });
    assert.deepEqual(s.listenIp, { value: '0.0.0.0', origin: 'arg:1' });
    assert.deepEqual(s.allowFrom, { value: ['traefik'], origin: 'arg:2' });
    assert.deepEqual(s.allowList, {
      GET: [{ regex: '/v1\\..{1,2}/(version|containers/.*|events.*)', origin: 'arg:3' }],
    });
    assert.deepEqual(s.allowBindMountFrom.value, ['/var/log']);
    assert.deepEqual(s.watchdogInterval, { value: 3600, origin: 'arg:5' });
    assert.deepEqual(s.stopOnWatchdog, { value: true, origin: 'arg:6' });
    assert.deepEqual(s.shutdownGraceTime, { value: 5, origin: 'arg:7' });
    assert.deepEqual(s.proxyPort, { value: 2375, origin: 'default' });
  });
  it('defaults (§3.2 table)', () => {
    const s = parse({}).settings;
    assert.deepEqual(s.allowFrom.value, ['127.0.0.1/32']);
    assert.equal(s.listenIp.value, '127.0.0.1');
    assert.equal(s.socketPath.value, '/var/run/docker.sock');
    assert.equal(s.proxySocketEndpointFileMode.value, 0o600);
    assert.equal(s.dockerLabelPrefix.value, 'socket-proxy');
    assert.deepEqual(s.allowList, {});
  });
  it('two-argument and double-dash forms', () => {
    const r = parse({ argv: ['--allowGET', '/a', '-allowHEAD', '/_ping'] });
    assert.deepEqual(r.settings.allowList, {
      GET: [{ regex: '/a', origin: 'arg:1' }],
      HEAD: [{ regex: '/_ping', origin: 'arg:3' }],
    });
  });
  it('env replaces only the default; a flag wins (§3.2)', () => {
    const r = parse({
      argv: ['-proxyport=2376'],
      env: env({ SP_PROXYPORT: '9999', SP_LISTENIP: '0.0.0.0', SP_LOGJSON: 'true' }),
    });
    assert.deepEqual(r.settings.proxyPort, { value: 2376, origin: 'arg:0' });
    assert.deepEqual(r.settings.listenIp, { value: '0.0.0.0', origin: 'env:SP_LISTENIP' });
    assert.deepEqual(r.settings.logJson, { value: true, origin: 'env:SP_LOGJSON' });
  });
  it('unparseable bool/uint env and empty strings are silently ignored (§3.2)', () => {
    const r = parse({ env: env({ SP_LOGJSON: 'yes', SP_PROXYPORT: 'abc', SP_SOCKETPATH: '' }) });
    assert.equal(r.starts, true);
    assert.deepEqual(r.settings.logJson, { value: false, origin: 'default' });
    assert.deepEqual(r.settings.proxyPort, { value: 2375, origin: 'default' });
    assert.equal(r.settings.socketPath.origin, 'default');
    assert.deepEqual(codes(r), ['wollomatic/env-ignored', 'wollomatic/env-ignored']);
  });
  it('file mode: env is octal, the flag reads Go number syntax', () => {
    assert.equal(
      parse({ env: env({ SP_PROXYSOCKETENDPOINTFILEMODE: '0660' }) }).settings.proxySocketEndpointFileMode.value,
      0o660,
    );
    assert.equal(
      parse({ argv: ['-proxysocketendpointfilemode=0660'] }).settings.proxySocketEndpointFileMode.value,
      0o660,
    );
    const decimal = parse({ argv: ['-proxysocketendpointfilemode=660'] });
    assert.equal(decimal.starts, false);
    assert.match(decimal.diagnostics[0]!.message, /"660" is decimal/);
  });
  it('startup errors: unknown flag (exit 2), bad bool value (exit 2), bad log level, port, listen IP (exit 1)', () => {
    const cases: [string[], number, RegExp][] = [
      [['-allowget=/x'], 2, /flag provided but not defined: -allowget/],
      [['-stoponwatchdog=yes'], 2, /invalid boolean value "yes" for -stoponwatchdog/],
      [['-loglevel=verbose'], 1, /invalid log level verbose/],
      [['-proxyport=0'], 1, /between 1 and 65535/],
      [['-listenip=localhost'], 1, /invalid IP "localhost"/],
      [['-allowbindmountfrom=var/log'], 1, /must start with \//],
      [['-dockerlabelprefix=Traefik'], 1, /dockerlabelprefix/],
      [
        ['-allowGET=/containers/(json'],
        1,
        /invalid regex "\/containers\/\(json" for method GET in command line parameter/,
      ],
    ];
    for (const [argv, exit, message] of cases) {
      const r = parse({ argv });
      assert.equal(r.starts, false, argv.join(' '));
      assert.equal(r.exitCode, exit, argv.join(' '));
      assert.match(r.diagnostics.find((d) => d.severity === 'error')!.message, message);
    }
  });
  it('a bare "false" after a bool flag stops parsing; the rest is ignored', () => {
    const r = parse({ argv: ['-stoponwatchdog', 'false', '-allowGET=.*'] });
    assert.deepEqual(r.settings.allowList, {});
    assert.equal(r.settings.stopOnWatchdog.value, true);
    assert.deepEqual(codes(r), ['wollomatic/arguments-ignored']);
    assert.equal(r.diagnostics[0]!.origin, 'arg:1');
  });
});

describe('wollomatic allowlists (peers.md §3.3)', () => {
  it('SP_ALLOW_GET plus SP_ALLOW_GET_<anything>; lower-case method ignored', () => {
    const r = parse({
      env: env({
        SP_ALLOW_GET: '/version',
        SP_ALLOW_GET_2: '/_ping',
        SP_ALLOW_get: '/x',
        SP_ALLOW_HEAD_ping: '/_ping',
      }),
    });
    assert.deepEqual(r.settings.allowList, {
      GET: [
        { regex: '/version', origin: 'env:SP_ALLOW_GET' },
        { regex: '/_ping', origin: 'env:SP_ALLOW_GET_2' },
      ],
      HEAD: [{ regex: '/_ping', origin: 'env:SP_ALLOW_HEAD_ping' }],
    });
    assert.ok(r.diagnostics.some((d) => d.origin === 'env:SP_ALLOW_get' && d.code === 'wollomatic/env-ignored'));
  });
  it('a flag for a method drops all env entries for that method only', () => {
    const r = parse({ argv: ['-allowGET=/c'], env: env({ SP_ALLOW_GET: '/a', SP_ALLOW_HEAD: '/h' }) });
    assert.deepEqual(r.settings.allowList, {
      GET: [{ regex: '/c', origin: 'arg:0' }],
      HEAD: [{ regex: '/h', origin: 'env:SP_ALLOW_HEAD' }],
    });
    assert.ok(codes(r).includes('wollomatic/env-overridden'));
  });
  it('repeated flags accumulate (1.12+) and replace each other before 1.12', () => {
    const argv = ['-allowGET=/a', '-allowGET=/b'];
    assert.deepEqual(
      parse({ argv }).settings.allowList.GET?.map((r) => r.regex),
      ['/a', '/b'],
    );
    assert.deepEqual(
      parse({ argv, imageTag: '1.11.0' }).settings.allowList.GET?.map((r) => r.regex),
      ['/b'],
    );
  });
  it('empty values are skipped; an empty flag still hides env (1.12+)', () => {
    const r = parse({ argv: ['-allowGET='], env: env({ SP_ALLOW_GET: '/a' }) });
    assert.deepEqual(r.settings.allowList, {});
  });
  it('§3.8: -allowGET=.* … -allowOPTIONS=.* (API discovery mode)', () => {
    const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'TRACE', 'OPTIONS'];
    const r = parse({ argv: [...methods.map((m) => `-allow${m}=.*`), '-loglevel=debug'] });
    assert.deepEqual(Object.keys(r.settings.allowList), methods);
    assert.equal(r.settings.logLevel.value, 'DEBUG');
  });
  it('§3.8 Watchtower example', () => {
    const r = parse({
      argv: [
        '-allowPOST=/v1\\..{2}/(containers/.*|images/.*|networks/.*)',
        '-allowDELETE=/v1\\..{2}/(containers/.*|images/.*)',
      ],
    });
    assert.equal(r.starts, true);
    assert.deepEqual(Object.keys(r.settings.allowList), ['POST', 'DELETE']);
  });
  it('the first CIDR in -allowfrom decides alone (cmd/socket-proxy/handlehttprequest.go isAllowedClient)', () => {
    const r = parse({ argv: ['-allowfrom=10.0.0.0/8,traefik'] });
    assert.deepEqual(r.settings.allowFrom.value, ['10.0.0.0/8', 'traefik']);
    assert.deepEqual(codes(r), ['wollomatic/allowfrom-first-cidr-decides']);
    assert.deepEqual(codes(parse({ argv: ['-allowfrom=traefik,10.0.0.0/8'] })), []);
  });
});

describe('wollomatic labels and versions (peers.md §3.7, §3.9)', () => {
  const labeledServices = [
    {
      service: 'traefik',
      labels: [
        { name: 'socket-proxy.allow.get', value: '.*' },
        { name: 'socket-proxy.allow.HEAD.1', value: '/exec' },
        { name: 'socket-proxy.allow.bindmountfrom', value: '/srv/data/,/var/log' },
        { name: 'traefik.enable', value: 'true' },
      ],
    },
  ];
  it('labels are per-container allowlists when -proxycontainername is set', () => {
    const r = parse({ argv: ['-proxycontainername=socket-proxy'], labeledServices });
    assert.deepEqual(r.settings.containerAllowLists, [
      {
        service: 'traefik',
        requests: {
          GET: [{ regex: '.*', origin: 'label:traefik:socket-proxy.allow.get' }],
          HEAD: [{ regex: '/exec', origin: 'label:traefik:socket-proxy.allow.HEAD.1' }],
        },
        bindMountFrom: { value: ['/srv/data', '/var/log'], origin: 'label:traefik:socket-proxy.allow.bindmountfrom' },
      },
    ]);
  });
  it('labels do nothing without -proxycontainername or in unix-socket mode', () => {
    assert.deepEqual(parse({ labeledServices }).settings.containerAllowLists, []);
    const unix = parse({ argv: ['-proxycontainername=p', '-proxysocketendpoint=/tmp/f.sock'], labeledServices });
    assert.deepEqual(unix.settings.containerAllowLists, []);
    assert.ok(codes(unix).includes('wollomatic/labels-inactive'));
  });
  it('-dockerlabelprefix changes the label prefix (1.13)', () => {
    const r = parse({
      argv: ['-proxycontainername=p', '-dockerlabelprefix=traefik-socket-proxy'],
      labeledServices: [{ service: 't', labels: [{ name: 'traefik-socket-proxy.allow.get', value: '/version' }] }],
    });
    assert.equal(r.settings.containerAllowLists[0]?.requests.GET?.[0]?.regex, '/version');
  });
  it('an invalid label regex disables every label allowlist', () => {
    const r = parse({
      argv: ['-proxycontainername=p'],
      labeledServices: [
        ...labeledServices,
        { service: 'bad', labels: [{ name: 'socket-proxy.allow.get', value: '(' }] },
      ],
    });
    assert.deepEqual(r.settings.containerAllowLists, []);
    assert.equal(r.starts, true);
    assert.ok(codes(r).includes('wollomatic/label-rejected'));
  });
  it('flags newer than the image are undefined flags (exit 2)', () => {
    const r = parse({ argv: ['-dockerlabelprefix=x'], imageTag: '1.12.0' });
    assert.equal(r.exitCode, 2);
    assert.match(r.diagnostics[0]!.message, /added in 1\.13/);
    assert.equal(parse({ argv: ['-allowbindmountfrom=/x'], imageTag: '1.7.0' }).exitCode, 2);
  });
  it('an unknown tag assumes the newest semantics', () => {
    const r = parseWollomaticSettings({ argv: [], env: [], imageTag: 'latest' });
    assert.deepEqual([r.settings.version.minor, r.settings.version.assumed], [13, true]);
    assert.deepEqual(codes(r), ['wollomatic/version-assumed']);
  });
  it('locate maps origins to positions', () => {
    const r = parse({ argv: ['-nope'], locate: (origin) => ({ pointer: `/services/p/command/${origin.slice(4)}` }) });
    assert.equal(r.diagnostics[0]!.pointer, '/services/p/command/0');
  });
});
