// Go runtime behaviour the Go-based source proxies inherit (peers.md §3.2 "plain Go flag parsing",
// §3.5 net.ParseCIDR/LookupIP, §5.2 "unparseable int/bool env values are silently ignored").
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoAtoi, parseGoBool, parseGoInt, parseGoUint } from '../../src/peers/go-strconv.js';
import { parseGoFlags } from '../../src/peers/go-flag.js';
import type { GoFlagKind } from '../../src/peers/go-flag.js';
import { containsGoIP, parseGoCIDR, parseGoIP } from '../../src/peers/go-net.js';

describe('strconv (peers.md §3.2, §5.2)', () => {
  it('ParseBool accepts exactly Go spellings', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(t), true, t);
    for (const t of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(t), false, t);
    for (const t of ['yes', 'on', 'tRUE', '', ' 1', '2']) assert.equal(parseGoBool(t), undefined, t);
  });
  const uintCases: [string, number, number, bigint | undefined][] = [
    ['2375', 10, 32, 2375n],
    ['abc', 10, 32, undefined],
    ['', 10, 32, undefined],
    ['-1', 10, 32, undefined],
    ['4294967296', 10, 32, undefined],
    ['0600', 8, 32, 0o600n],
    ['0o600', 8, 32, undefined],
    ['0600', 0, 64, 0o600n],
    ['600', 0, 64, 600n],
    ['0x1f', 0, 64, 31n],
    ['0b101', 0, 64, 5n],
    ['1_000', 0, 64, 1000n],
    ['1_000', 10, 64, undefined],
    ['_1', 0, 64, undefined],
    ['0', 0, 64, 0n],
    ['0x', 0, 64, undefined],
    ['18446744073709551615', 0, 64, 18446744073709551615n],
  ];
  for (const [text, base, bits, want] of uintCases) {
    it(`ParseUint(${JSON.stringify(text)}, ${base}, ${bits}) = ${want}`, () =>
      assert.equal(parseGoUint(text, base, bits), want));
  }
  it('ParseInt and Atoi take a sign', () => {
    assert.equal(parseGoInt('-0x10', 0, 64), -16n);
    assert.equal(parseGoAtoi('+7'), 7n);
    assert.equal(parseGoAtoi('7.0'), undefined);
    assert.equal(parseGoInt('9223372036854775808', 10, 64), undefined);
  });
});

describe('flag.Parse (peers.md §3.2)', () => {
  const kinds = new Map<string, GoFlagKind>([
    ['allowGET', 'value'],
    ['stoponwatchdog', 'bool'],
    ['loglevel', 'value'],
  ]);
  it('accepts -f=v, --f=v and -f v', () => {
    const r = parseGoFlags(['-allowGET=/a', '--allowGET=/b', '-allowGET', '/c'], kinds);
    assert.deepEqual(
      r.flags.map((f) => [f.value, f.index, f.valueIndex]),
      [
        ['/a', 0, 0],
        ['/b', 1, 1],
        ['/c', 2, 3],
      ],
    );
  });
  it('a bool flag never consumes the next argument, so "false" stops parsing', () => {
    const r = parseGoFlags(['-stoponwatchdog', 'false', '-loglevel=debug'], kinds);
    assert.deepEqual(
      r.flags.map((f) => [f.name, f.value]),
      [['stoponwatchdog', 'true']],
    );
    assert.equal(r.stoppedAt, 1);
    assert.deepEqual(r.rest, ['false', '-loglevel=debug']);
  });
  it('a value flag takes the next argument even when it looks like a flag', () => {
    const r = parseGoFlags(['-allowGET', '-stoponwatchdog'], kinds);
    assert.deepEqual(
      r.flags.map((f) => [f.name, f.value]),
      [['allowGET', '-stoponwatchdog']],
    );
  });
  it('"--" ends the flags', () => {
    const r = parseGoFlags(['--', '-loglevel=debug'], kinds);
    assert.deepEqual(r.flags, []);
    assert.deepEqual(r.rest, ['-loglevel=debug']);
  });
  const failures: [string[], string, number][] = [
    [['-allowget=/a'], 'flag provided but not defined: -allowget', 2],
    [['-loglevel'], 'flag needs an argument: -loglevel', 2],
    [['---x'], 'bad flag syntax: ---x', 2],
    [['-=x'], 'bad flag syntax: -=x', 2],
    [['-help'], '-help: usage printed', 0],
  ];
  for (const [argv, message, exitCode] of failures) {
    it(`${argv.join(' ')} fails with exit ${exitCode}`, () => {
      const r = parseGoFlags(argv, kinds);
      assert.equal(r.failure?.message, message);
      assert.equal(r.failure?.exitCode, exitCode);
    });
  }
  it('-stoponwatchdog=false is a value for a bool flag', () => {
    assert.deepEqual(parseGoFlags(['-stoponwatchdog=false'], kinds).flags[0]?.value, 'false');
  });
});

describe('net (peers.md §3.2 listenip, §3.5 allowfrom)', () => {
  it('ParseIP accepts IPv4 and IPv6, rejects hostnames, leading zeros and zones', () => {
    for (const ok of [
      '127.0.0.1',
      '0.0.0.0',
      '::',
      '::1',
      'fe80::1',
      '2001:db8::8a2e:370:7334',
      '::ffff:10.0.0.1',
      '1:2:3:4:5:6:7:8',
    ]) {
      assert.ok(parseGoIP(ok), ok);
    }
    for (const bad of ['traefik', '1.2.3.04', '256.1.1.1', '1.2.3', 'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', ':::', '']) {
      assert.equal(parseGoIP(bad), undefined, bad);
    }
  });
  it('CIDR containment compares IPv4 and IPv4-mapped addresses alike', () => {
    const net = parseGoCIDR('172.18.0.0/16')!;
    assert.ok(containsGoIP(net, parseGoIP('172.18.3.4')!));
    assert.ok(containsGoIP(net, parseGoIP('::ffff:172.18.3.4')!));
    assert.ok(!containsGoIP(net, parseGoIP('172.19.0.1')!));
    assert.ok(!containsGoIP(parseGoCIDR('::/0')!, parseGoIP('10.0.0.1')!));
    assert.ok(containsGoIP(parseGoCIDR('fd00::/8')!, parseGoIP('fd12::1')!));
  });
  it('ParseCIDR rejects what Go rejects', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', 'traefik/8', '10.0.0.0/x', '::/129'])
      assert.equal(parseGoCIDR(bad), undefined, bad);
  });
});
