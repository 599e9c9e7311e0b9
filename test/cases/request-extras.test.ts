import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addHeader,
  headerValue,
  parseHeaderLine,
  parseSourceIp,
  parseUnixPeer,
  type RequestHeaders,
} from '../../src/cases/request-extras.js';

const HEADERS: [string, string, string][] = [
  ['Content-Type: application/json', 'content-type', 'application/json'],
  ['X-Registry-Auth:e30=', 'x-registry-auth', 'e30='],
  ['content-type:   application/json; charset=utf-8  ', 'content-type', 'application/json; charset=utf-8'],
  ['X-Empty:', 'x-empty', ''],
  ['X-Colon: a:b:c', 'x-colon', 'a:b:c'],
];

for (const [text, name, value] of HEADERS) {
  test(`parseHeaderLine(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseHeaderLine(text), { ok: true, value: { name, value } });
  });
}

const BAD_HEADERS: [string, RegExp][] = [
  ['Content-Type application/json', /expected "Name: value"/],
  [': value', /expected "Name: value"/],
  ['Bad Name: x', /expected "Name: value"/],
  ['X-A: one\r\nX-B: two', /line break or NUL/],
  ['X-A: nul\0', /line break or NUL/],
  ['Content-Length: 5', /Content-Length describes framing/],
  ['transfer-encoding: chunked', /transfer-encoding describes framing/],
];

for (const [text, problem] of BAD_HEADERS) {
  test(`parseHeaderLine rejects ${JSON.stringify(text)}`, () => {
    const result = parseHeaderLine(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problem, problem);
  });
}

test('a repeated header keeps every value in order; headerValue reads the first, any case', () => {
  const headers: RequestHeaders = {};
  addHeader(headers, { name: 'x-a', value: '1' });
  addHeader(headers, { name: 'x-a', value: '2' });
  addHeader(headers, { name: 'x-a', value: '3' });
  addHeader(headers, { name: 'x-b', value: 'b' });
  assert.deepEqual(headers, { 'x-a': ['1', '2', '3'], 'x-b': 'b' });
  assert.equal(headerValue(headers, 'X-A'), '1');
  assert.equal(headerValue(headers, 'x-b'), 'b');
  assert.equal(headerValue(headers, 'x-c'), undefined);
});

const PEERS: [string, { uid: number; gid: number; pid: number }][] = [
  ['1000:1000', { uid: 1000, gid: 1000, pid: 0 }],
  ['0:0', { uid: 0, gid: 0, pid: 0 }],
  ['65534:65534:4242', { uid: 65534, gid: 65534, pid: 4242 }],
  ['4294967294:1:1', { uid: 4294967294, gid: 1, pid: 1 }],
];

for (const [text, peer] of PEERS) {
  test(`parseUnixPeer(${text})`, () => assert.deepEqual(parseUnixPeer(text), { ok: true, value: peer }));
}

const BAD_PEERS: [string, RegExp][] = [
  ['1000', /expected uid:gid or uid:gid:pid/],
  ['1:2:3:4', /expected uid:gid or uid:gid:pid/],
  ['-1:0', /uid must be a decimal number/],
  ['+1:0', /uid must be a decimal number/],
  ['01000:0', /uid must be a decimal number/],
  ['0x10:0', /uid must be a decimal number/],
  ['1e3:0', /uid must be a decimal number/],
  [' 1:0', /uid must be a decimal number/],
  ['4294967295:0', /uid must be a decimal number from 0 to 4294967294/],
  ['1000:', /gid must be a decimal number/],
  ['1000:abc', /gid must be a decimal number/],
  ['1000:1000:', /pid must be a decimal number/],
  ['1000:1000:1.5', /pid must be a decimal number/],
];

for (const [text, problem] of BAD_PEERS) {
  test(`parseUnixPeer rejects ${JSON.stringify(text)}`, () => {
    const result = parseUnixPeer(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problem, problem);
  });
}

test('parseSourceIp: addresses a socket reports, kept as given', () => {
  for (const ip of ['10.0.0.5', '::1', 'fd00::5', '::ffff:10.0.0.5', 'fe80::1%eth0', '2001:DB8::1']) {
    assert.deepEqual(parseSourceIp(ip), { ok: true, value: ip });
  }
});

test('parseSourceIp refuses what is not one address: octal-looking octets, prefixes, ports, names', () => {
  for (const text of ['010.0.0.5', '10.0.0.5/32', '10.0.0.5:2375', '[::1]', 'localhost', '10.0.0', '', '256.0.0.1']) {
    const result = parseSourceIp(text);
    assert.equal(result.ok, false, text);
    if (!result.ok) assert.match(result.problem, /expected an IP address/);
  }
});
