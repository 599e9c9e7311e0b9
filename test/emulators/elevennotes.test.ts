import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compileElevenNotes, emulateElevenNotes } from '../../src/emulators/elevennotes.js';
import { parseElevenNotesSettings } from '../../src/peers/elevennotes.js';

interface Row {
  method: string;
  target: string;
  allow: boolean;
  cite: string;
  status?: number;
  reason?: RegExp;
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

const METHOD = /is not GET or HEAD \(httpProxy method check/;
const pattern = (text: string): RegExp =>
  new RegExp(`^blocked: ${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is found`);

const scenarios: readonly { tag: string; rows: readonly Row[] }[] = [
  {
    tag: '2.1.4',
    rows: [
      allow('GET', '/containers/json', '§4.1 everything else readable passes', /^GET or HEAD, and no blocked pattern/),
      allow('HEAD', '/v1.45/containers/json', '§4.1 HEAD since 2.1.2'),
      allow('GET', '/containers/x/logs?follow=1', '§4.1 logs pass'),
      allow('GET', '/exec/x/json', '§4.1 /exec/{id}/json passes'),
      allow('GET', '/info', '§4.1 /info passes'),
      allow('GET', '/swarm', '§4.1 GET /swarm (join tokens) is not blocked'),
      deny('POST', '/containers/json', '§4.1 only GET and HEAD', METHOD),
      deny('PUT', '/containers/x/archive', '§4.1 only GET and HEAD', METHOD),
      deny('OPTIONS', '/_ping', '§4.1 only GET and HEAD', METHOD),
      deny('get', '/containers/json', '§4.1 exact, case-sensitive method strings', METHOD),
      deny('head', '/containers/json', '§4.1 exact, case-sensitive method strings', METHOD),
      // the seven patterns (§4.1 list)
      deny(
        'GET',
        '/containers/x/attach/ws?stdin=1',
        '§4.1 pattern 1 websocket attach',
        pattern(String.raw`(?i)containers/\S+/attach/ws.*`),
      ),
      deny(
        'GET',
        '/v1.45/containers/x/export',
        '§4.1 pattern 2 container export',
        pattern(String.raw`(?i)containers/\S+/export.*`),
      ),
      deny(
        'GET',
        '/containers/x/archive?path=/etc',
        '§4.1 pattern 3 container archive',
        pattern(String.raw`(?i)containers/\S+/archive.*`),
      ),
      deny('HEAD', '/containers/x/archive?path=/', '§4.1 HEAD is checked against the patterns too'),
      deny('GET', '/secrets', '§4.1 pattern 4 secrets', pattern('(?i)secrets.*')),
      deny('GET', '/v1.45/secrets/abc', '§4.1 pattern 4 secrets'),
      deny('GET', '/configs', '§4.1 pattern 5 configs', pattern('(?i)configs.*')),
      deny('GET', '/swarm/unlockkey', '§4.1 pattern 6 swarm unlock key', pattern('(?i)swarm/unlockkey.*')),
      deny('GET', '/images/get?names=alpine', '§4.1 pattern 7 multi-image export', pattern('(?i)images/get.*')),
      // consequences (§4.1)
      allow('GET', '/images/alpine/get', '§4.1 /images/{name}/get is NOT blocked (needs the literal images/get)'),
      deny('GET', '/IMAGES/GET', '§4.1 case-insensitive'),
      deny('GET', '/Secrets', '§4.1 case-insensitive'),
      deny('GET', '/containers/my-secrets-app/json', '§4.1 any URL containing secrets, even a container name'),
      deny(
        'GET',
        '/containers/json?filters=%7B%22name%22%3A%5B%22secrets%22%5D%7D',
        '§4.1 an encoded filters query counts',
      ),
      deny('GET', '/containers/json?filters={"label":["configs"]}', '§4.1 the raw query is part of r.URL.String()'),
      deny('GET', '/containers/a/b/c/export', '§4.1 \\S+ spans slashes'),
      deny('GET', '/containers/x/export/../json', '§0 not cleaned: the pattern is searched anywhere'),
      allow('GET', '/containers//export', '§4.1 \\S+ needs a character between the two slashes'),
      // escaped-URL weakness (§4.1)
      allow('GET', '/containers/x/attach%2Fws', '§4.1 attach%2Fws is not blocked (client escaping kept)'),
      allow('GET', '/swarm/%75nlockkey', '§4.1 /swarm/%75nlockkey is not blocked'),
      allow('GET', '/images%2Fget?names=x', '§4.1 /images%2Fget is not blocked'),
      allow('GET', '/containers/x/%65xport', '§4.1 an escaped letter hides export'),
      allow('GET', '/%73ecrets', '§4.1 an escaped letter hides secrets'),
      allow('GET', '/containers/x/arch%69ve', '§4.1 an escaped letter hides archive'),
      deny(
        'GET',
        '/swarm/%75nlockkey{',
        'Go re-escapes the whole path when a byte needs escaping, revealing unlockkey',
      ),
      // RE2 semantics of the patterns over what r.URL.String() can contain (raw query bytes included)
      deny('GET', '/x?\u017Fecrets', '§4.1 (?i) folds Unicode like RE2: ſ matches s in the raw query'),
      deny('GET', '/x?swarm/unloc\u212Akey', '§4.1 (?i) folds Unicode like RE2: the Kelvin sign matches k'),
      allow('GET', '/swarm/unloc\u212Akey', '§4.1 in the path a non-ASCII letter is escaped (%E2%84%AA) first'),
      deny('GET', '/x?containers/a\u00a0b/attach/ws', '§4.1 RE2 \\S is not Unicode-aware: U+00A0 counts as non-space'),
      deny('GET', '/containers/json%zz', 'Go url.ParseRequestURI refuses an invalid escape', /invalid URL escape/, 400),
      deny('GET', '/containers/json\u0000', 'Go refuses control characters', /control/, 400),
    ],
  },
  {
    tag: '2.1.1',
    rows: [
      allow('GET', '/containers/json', '§4.4 GET'),
      deny('HEAD', '/containers/json', '§4.4 HEAD only from 2.1.2', /is not GET \(httpProxy/),
      deny('GET', '/secrets', '§4.4 patterns since 1.0.4'),
    ],
  },
  {
    tag: '1.0.3',
    rows: [
      allow('GET', '/secrets', '§4.4 v1.0.0–1.0.3 block nothing'),
      allow('GET', '/containers/x/export', '§4.4 v1.0.0–1.0.3 block nothing'),
      deny('HEAD', '/info', '§4.4 GET only'),
    ],
  },
  {
    tag: '2.1.6',
    rows: [
      allow('GET', '/images/get?names=x', '§4.4 ≥ 2.1.5: /images/get?names=x passes'),
      deny('GET', '/images/get', '§4.4 ≥ 2.1.5: ends in images/get', pattern('(?i)images/get(/|)$')),
      deny('GET', '/v1.45/images/get/', '§4.4 ≥ 2.1.5: ends in images/get/'),
      allow('GET', '/images/get?', '§4.4 a lone ? stays in r.URL.String(), so the URL no longer ends in images/get'),
      allow('GET', '/images/get/x', '§4.4 ≥ 2.1.5 only matches at the end'),
      deny('GET', '/secrets', '§4.4 the other six patterns are unchanged'),
      allow('HEAD', '/info', '§4.4 HEAD'),
    ],
  },
];

describe('11notes emulator (peers.md §4)', () => {
  for (const scenario of scenarios) {
    describe(`v${scenario.tag}`, () => {
      const decide = compileElevenNotes(parseElevenNotesSettings({ environment: {}, imageTag: scenario.tag }));
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

  it('§4.1 environment does not change the policy (no knobs)', () => {
    const settings = parseElevenNotesSettings({ environment: { POST: '1', SECRETS: '1' }, imageTag: '2.1.4' });
    assert.equal(emulateElevenNotes(settings, { method: 'POST', target: '/containers/create' }).allow, false);
    assert.equal(emulateElevenNotes(settings, { method: 'GET', target: '/secrets' }).allow, false);
  });
});
