import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decodeHaproxyUrl,
  extractHaproxyPath,
  findHaproxyParseError,
  isMethGet,
} from '../../src/emulators/haproxy-request.js';

describe('HAProxy url_dec (§1.4 percent-decoded before matching)', () => {
  const table: readonly { path: string; decoded: string | undefined; cite: string }[] = [
    { path: '/v1.41/%63ontainers/json', decoded: '/v1.41/containers/json', cite: '§1.4 %63 is c' },
    { path: '/containers/a%2Fb/start', decoded: '/containers/a/b/start', cite: '§1.4 %2F becomes /' },
    { path: '/containers/a%2fb', decoded: '/containers/a/b', cite: 'lower-case hex' },
    { path: '/a+b', decoded: '/a+b', cite: '§1.4 + in a path stays +' },
    { path: '/a%2Bb', decoded: '/a+b', cite: '%2B is +' },
    { path: '/a%00b', decoded: '/a\u0000b', cite: '%00 decodes to a NUL byte' },
    { path: '/a%C3%A9', decoded: '/a\u00c3\u00a9', cite: 'bytes stay bytes (one code unit each)' },
    { path: '/a%252F', decoded: '/a%2F', cite: 'decoded once only' },
    { path: '/a%zz', decoded: undefined, cite: 'invalid escape: url_dec fails' },
    { path: '/a%2', decoded: undefined, cite: 'truncated escape: url_dec fails' },
    { path: '/a%', decoded: undefined, cite: 'lone %: url_dec fails' },
    { path: '/plain', decoded: '/plain', cite: 'no escapes' },
  ];
  for (const row of table) {
    it(`${row.cite}: ${row.path} → ${row.decoded === undefined ? 'failure' : JSON.stringify(row.decoded)}`, () => {
      assert.equal(decodeHaproxyUrl(row.path), row.decoded);
    });
  }
});

describe('HAProxy request parsing (§1.3 path,url_dec; query ignored)', () => {
  const options = { rejectsHashInTarget: true, rejectsConnectWithPath: true };

  it('§1.4 the path fetch stops at the first ?: the query string is not matched', () => {
    assert.equal(extractHaproxyPath('/containers/json?all=1&x=%zz'), '/containers/json');
    assert.equal(extractHaproxyPath('/containers/json'), '/containers/json');
    assert.equal(extractHaproxyPath('/a?b?c'), '/a');
  });

  it('§1.4 an encoded ? (%3F) stays in the path and decodes to ?', () => {
    assert.equal(decodeHaproxyUrl(extractHaproxyPath('/info%3Fx')), '/info?x');
  });

  const rejected = [
    ['/containers/json#x', /`#`/],
    ['/containers/é', /non-ASCII character "é"/],
    ['/a b', /control character or space U\+0020/],
    ['/a\tb', /U\+0009/],
    ['/a\u007f', /U\+007f/],
  ] as const;
  for (const [target, reason] of rejected) {
    it(`HAProxy's HTTP/1 parser answers 400 for ${JSON.stringify(target)}`, () => {
      assert.match(findHaproxyParseError({ method: 'GET', target }, options) ?? '', reason);
    });
  }

  it('images built before the 2023 fix keep `#` in the path', () => {
    assert.equal(
      findHaproxyParseError(
        { method: 'GET', target: '/info#x' },
        { rejectsHashInTarget: false, rejectsConnectWithPath: false },
      ),
      undefined,
    );
    assert.equal(extractHaproxyPath('/info#x'), '/info#x');
  });

  it('HAProxy 3.x refuses CONNECT with an origin-form target; `connect` is just another method', () => {
    assert.match(findHaproxyParseError({ method: 'CONNECT', target: '/containers/json' }, options) ?? '', /CONNECT/);
    assert.equal(findHaproxyParseError({ method: 'connect', target: '/containers/json' }, options), undefined);
    const old = { rejectsHashInTarget: true, rejectsConnectWithPath: false };
    assert.equal(findHaproxyParseError({ method: 'CONNECT', target: '/containers/json' }, old), undefined);
  });

  it('printable ASCII that RFC 3986 disallows ({, |, ^, ") is accepted', () => {
    assert.equal(findHaproxyParseError({ method: 'GET', target: '/a{|}^"' }, options), undefined);
  });

  it('only origin-form targets and token methods are emulated (caller bug otherwise)', () => {
    assert.throws(() => findHaproxyParseError({ method: 'GET', target: 'http://x/info' }, options), RangeError);
    assert.throws(() => findHaproxyParseError({ method: 'GET', target: '*' }, options), RangeError);
    assert.throws(() => findHaproxyParseError({ method: 'G T', target: '/info' }, options), RangeError);
  });
});

describe('METH_GET (§1.3 predefined ACL for GET and HEAD)', () => {
  const table = [
    ['GET', true],
    ['HEAD', true],
    ['get', false],
    ['head', false],
    ['POST', false],
    ['OPTIONS', false],
    ['PATCH', false],
  ] as const;
  for (const [method, get] of table) {
    it(`§1.3 ${method} ${get ? 'is' : 'is not'} METH_GET (case-sensitive)`, () => assert.equal(isMethGet(method), get));
  }
});
