import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as HAPROXY_RULES from '../../src/peers/haproxy-rules.js';
import { expandHaproxyRegex, UnsupportedHaproxyRegexError } from '../../src/translators/haproxy-regex-paths.js';

describe('expanding the HAProxy images regexes (peers.md §1.3, §2.3)', () => {
  const table: [string, string[]][] = [
    [String.raw`^(/v[\d\.]+)?/containers`, ['/containers']],
    [String.raw`^(/v[\d\.]+)?/_ping`, ['/_ping']],
    [String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/start`, ['/containers/*/start']],
    [
      String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))`,
      ['/containers/*/stop', '/containers/*/restart', '/containers/*/kill'],
    ],
    [
      String.raw`^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(change)`,
      ['/containers/*/change', '/pods/*/change', '/libpod/containers/*/change', '/libpod/pods/*/change'],
    ],
    [String.raw`^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/unpause`, ['/libpod/pods/*/unpause']],
  ];
  for (const [regex, paths] of table) {
    it(regex, () => assert.deepEqual(expandHaproxyRegex(regex), paths));
  }

  it('expands every rule the images ship', () => {
    const lists = Object.values(HAPROXY_RULES).filter(Array.isArray);
    assert.ok(lists.length >= 7);
    for (const rule of lists.flat()) {
      const paths = expandHaproxyRegex(rule.regex);
      assert.ok(paths.length > 0 && paths.every((p) => p.startsWith('/')), rule.regex);
    }
  });

  const unsupported = [
    String.raw`/containers`, // no version group
    String.raw`^(/v[\d\.]+)?/containers.*`,
    String.raw`^(/v[\d\.]+)?/containers$`,
    String.raw`^(/v[\d\.]+)?/containers/[^/]+/start`,
    String.raw`^(/v[\d\.]+)?/(containers`,
    String.raw`^(/v[\d\.]+)?/containers)`,
  ];
  for (const regex of unsupported) {
    it(`refuses ${regex}`, () => assert.throws(() => expandHaproxyRegex(regex), UnsupportedHaproxyRegexError));
  }
});
