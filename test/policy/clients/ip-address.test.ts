import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatIpAddress,
  parseClientIp,
  parseIpAddress,
  parseIpPrefix,
  prefixContains,
  sameIpAddress,
} from '../../../src/policy/clients/ip-address.js';

const format = (text: string) => {
  const ip = parseIpAddress(text);
  return ip ? formatIpAddress(ip) : undefined;
};

test('parseIpAddress accepts every spelling of IPv4 and IPv6 and refuses the ambiguous ones', () => {
  const cases: [string, string | undefined][] = [
    ['10.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['256.0.0.1', undefined],
    // Leading zeros read as octal by inet_aton: never guess.
    ['010.0.0.1', undefined],
    ['10.0.0', undefined],
    ['10.0.0.1.2', undefined],
    ['10.0.0.-1', undefined],
    [' 10.0.0.1', undefined],
    ['', undefined],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['2001:DB8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['::ffff:10.0.0.1', '0:0:0:0:0:ffff:a00:1'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0:0:0:c000:201'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1%eth0'],
    ['fe80::1%', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1:2:3:4:5:6:7:8::', undefined],
    ['1:2:3:4:5:6:7', undefined],
    ['1::2::3', undefined],
    [':1::', undefined],
    ['1:::2', undefined],
    ['12345::', undefined],
    ['g::1', undefined],
    ['::10.0.0.1:1', undefined],
    ['10.0.0.1::', undefined],
    ['::ffff:010.0.0.1', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(format(text), expected, text);
});

test('parseClientIp unmaps IPv4-mapped IPv6 and leaves everything else as it is', () => {
  assert.equal(formatIpAddress(parseClientIp('::ffff:10.0.0.1')!), '10.0.0.1');
  assert.equal(formatIpAddress(parseClientIp('::FFFF:a00:1')!), '10.0.0.1');
  // IPv4-compatible (::a.b.c.d) and NAT64 addresses are IPv6 addresses, not IPv4 ones.
  assert.equal(parseClientIp('::10.0.0.1')!.family, 6);
  assert.equal(parseClientIp('64:ff9b::10.0.0.1')!.family, 6);
  assert.equal(parseClientIp(undefined), undefined);
  assert.equal(parseClientIp('not-an-ip'), undefined);
});

test('parseIpPrefix masks host bits and refuses zones, signs and padded or oversized lengths', () => {
  const cases: [string, string | undefined][] = [
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['10.0.0.1/32', '10.0.0.1/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.168.1.200/25', '192.168.1.128/25'],
    ['2001:db8::ff/120', '2001:db8:0:0:0:0:0:0/120'],
    ['::/0', '0:0:0:0:0:0:0:0/0'],
    ['10.0.0.0/33', undefined],
    ['::/129', undefined],
    ['10.0.0.0/08', undefined],
    ['10.0.0.0/+8', undefined],
    ['10.0.0.0/', undefined],
    ['10.0.0.0', undefined],
    ['fe80::/10%eth0', undefined],
    ['fe80::%eth0/10', undefined],
    ['010.0.0.0/8', undefined],
  ];
  for (const [text, expected] of cases) {
    const prefix = parseIpPrefix(text);
    assert.equal(prefix && `${formatIpAddress(prefix)}/${prefix.bits}`, expected, text);
  }
});

test('prefixContains compares families strictly and never matches a zoned address', () => {
  const contains = (cidr: string, ip: string) => prefixContains(parseIpPrefix(cidr)!, parseClientIp(ip)!);
  const cases: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '::ffff:10.0.0.1', true],
    ['192.168.1.128/25', '192.168.1.127', false],
    ['192.168.1.128/25', '192.168.1.128', true],
    ['192.168.1.0/31', '192.168.1.1', true],
    ['192.168.1.0/31', '192.168.1.2', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '::1', false],
    // As in Go's netip: an IPv6 prefix never contains an IPv4 client, mapped or not.
    ['::/0', '10.0.0.1', false],
    ['::/0', '::ffff:10.0.0.1', false],
    ['::ffff:0:0/96', '10.0.0.1', false],
    ['::/0', '2001:db8::1', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['fe80::/10', 'fe80::1', true],
    ['fe80::/10', 'fe80::1%eth0', false],
  ];
  for (const [cidr, ip, expected] of cases) assert.equal(contains(cidr, ip), expected, `${cidr} ∋ ${ip}`);
});

test('sameIpAddress compares family, bytes and zone', () => {
  const same = (a: string, b: string) => sameIpAddress(parseClientIp(a)!, parseClientIp(b)!);
  assert.equal(same('::1', '0:0:0:0:0:0:0:1'), true);
  assert.equal(same('10.0.0.1', '::ffff:10.0.0.1'), true);
  assert.equal(same('10.0.0.1', '10.0.0.2'), false);
  assert.equal(same('fe80::1', 'fe80::1%eth0'), false);
});
