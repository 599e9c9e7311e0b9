import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseGoRequestUrl } from '../../src/emulators/go-request-url.js';

describe('Go r.URL.String() for an origin-form request (§4.1 escaped path + query)', () => {
  const table: readonly { target: string; url: string; cite: string }[] = [
    { target: '/v1.45/containers/json', url: '/v1.45/containers/json', cite: '§4.1 plain path' },
    { target: '/containers/json?all=1', url: '/containers/json?all=1', cite: '§4.1 query included' },
    { target: '/containers/x/attach%2Fws', url: '/containers/x/attach%2Fws', cite: '§4.1 client escaping kept' },
    { target: '/swarm/%75nlockkey', url: '/swarm/%75nlockkey', cite: '§4.1 %75 kept as sent' },
    { target: '/images%2Fget', url: '/images%2Fget', cite: '§4.1 %2F kept as sent' },
    { target: '/a%2f', url: '/a%2f', cite: 'lower-case escape kept' },
    { target: '/a/../b/./c//d', url: '/a/../b/./c//d', cite: '§0 dot segments and // not cleaned' },
    { target: "/a!$&'()*+,;=:@[]", url: "/a!$&'()*+,;=:@[]", cite: 'Go validEncodedPath keeps sub-delims, : @ [ ]' },
    { target: '/a{b', url: '/a%7Bb', cite: 'a byte Go must escape makes it re-escape the whole path' },
    { target: '/swarm/%75nlockkey{', url: '/swarm/unlockkey%7B', cite: 're-escaping decodes the client escapes' },
    { target: '/é', url: '/%C3%A9', cite: 'non-ASCII path bytes are escaped (upper-case hex)' },
    { target: '/a#b', url: '/a%23b', cite: '# is part of the path on a request and gets escaped' },
    { target: '/x?ſecrets', url: '/x?ſecrets', cite: 'the raw query is kept as sent' },
    { target: '/x?a=%zz', url: '/x?a=%zz', cite: 'the query is not validated' },
    { target: '/x?', url: '/x?', cite: 'ForceQuery: a lone trailing ? is kept' },
    { target: '/x??', url: '/x??', cite: 'two ? make the query "?"' },
    { target: '/x?a?b', url: '/x?a?b', cite: 'the query starts at the first ?' },
    { target: '/a%3Fb', url: '/a%3Fb', cite: 'an escaped ? stays in the path' },
  ];
  for (const row of table) {
    it(`${row.cite}: ${row.target} → ${row.url}`, () => {
      const parsed = parseGoRequestUrl(row.target);
      assert.equal(parsed.kind === 'parsed' && parsed.urlString, row.url);
    });
  }

  const bad = [
    ['/a%zz', 'invalid URL escape'],
    ['/a%2', 'invalid URL escape'],
    ['/a%', 'invalid URL escape'],
    ['/a b', 'space or control'],
    ['/a\u0000', 'space or control'],
    ['/x?a\nb', 'space or control'],
    ['/a\u007f', 'space or control'],
  ] as const;
  for (const [target, reason] of bad) {
    it(`Go net/http answers 400 for ${JSON.stringify(target)} (${reason})`, () => {
      const parsed = parseGoRequestUrl(target);
      assert.equal(parsed.kind, 'bad-request');
      assert.match(parsed.kind === 'bad-request' ? parsed.reason : '', new RegExp(reason));
    });
  }

  it('exposes the escaped path, raw query and ForceQuery separately', () => {
    assert.deepEqual(parseGoRequestUrl('/a%2Fb?x=1'), {
      kind: 'parsed',
      escapedPath: '/a%2Fb',
      rawQuery: 'x=1',
      forceQuery: false,
      urlString: '/a%2Fb?x=1',
    });
  });
});

describe('parseGoRequestUrl input contract', () => {
  it('refuses a non-origin-form target (caller bug)', () => {
    assert.throws(() => parseGoRequestUrl('http://x/info'), RangeError);
    assert.throws(() => parseGoRequestUrl('*'), RangeError);
  });
});
