import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regexToGlobs } from '../../src/lint/regex-to-glob.js';

test('regexToGlobs: the glob(s) a regex-like path probably meant', () => {
  const cases: [regex: string, globs: string[] | undefined][] = [
    ['^/containers/json$', ['/containers/json']],
    ['^/containers/.*$', ['/containers/**']],
    ['^/containers(/.*)?$', ['/containers/**']],
    ['/containers/(/.*)?', ['/containers/**']],
    ['^/containers/[^/]+/json$', ['/containers/*/json']],
    ['/containers/\\w+/start', ['/containers/*/start']],
    ['/containers/\\S+/start', ['/containers/**/start']],
    ['/images/[a-f0-9]{64}/json', ['/images/*/json']],
    ['/images/[a-z/]+/json', ['/images/**/json']],
    ['/x/.+', ['/x/**']],
    ['/moby.buildkit.v1.Control/Solve', ['/moby.buildkit.v1.Control/Solve']],
    ['/(containers|images)/json', ['/containers/json', '/images/json']],
    ['/containers/(start|stop)?', ['/containers/start', '/containers/stop', '/containers']],
    ['/containers/(?:[^/]+/)*logs', ['/containers/**logs']],
    // Not expressible: unparseable, a literal `*`, back-references, lookarounds, too many alternatives.
    ['/containers/(json', undefined],
    ['/a\\*', undefined],
    ['/(a)\\1', undefined],
    ['/(?=a)a', undefined],
    ['^/(a|b|c)/(d|e|f)/(g|h)$', undefined],
    ['containers/.*', undefined],
  ];
  for (const [regex, globs] of cases) assert.deepEqual(regexToGlobs(regex), globs, regex);
});
