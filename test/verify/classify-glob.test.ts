import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePathOnce } from '../../src/policy/canonical-path.js';
import { classifyGlob, type ClassificationScope, type GlobClassification } from '../../src/verify/classify-glob.js';
import { buildCorpus } from '../../src/verify/corpus.js';

const corpus = buildCorpus();

/** The subject of the Go proxies (wollomatic, CetusGuard without cleaning): the once-decoded path, no query. */
const onDecodedPath =
  (regex: RegExp) =>
  (target: string): boolean =>
    regex.test(decodePathOnce(target.split('?')[0]!));

const CASES: [string, RegExp, string | string[], ClassificationScope, GlobClassification][] = [
  // `*` also admits upper case, `-`, `_`, `.` and the versioned forms the regex does not allow.
  ['id class narrower than *', /^\/containers\/[a-z0-9]+\/start$/, '/containers/*/start', 'catalog', 'wider'],
  // The regex handles the version prefix the way dockerd does: exact over the catalog.
  ['optional version group', /^\/(v[0-9.]+\/)?containers\/json$/, '/containers/json', 'catalog', 'exact'],
  // ... but not over the quirks: `/containers/json/` (glob only), `/v1.41.0.1/containers/json` (regex only).
  [
    'optional version group, quirks included',
    /^\/(v[0-9.]+\/)?containers\/json$/,
    '/containers/json',
    'all',
    'different',
  ],
  // No prefix group: the old proxy denied the versioned paths clients send; the glob admits them.
  ['no version group', /^\/containers\/json$/, '/containers/json', 'catalog', 'wider'],
  ['required version', /^\/v1\.41\/containers\/json$/, '/containers/json', 'catalog', 'wider'],
  ['Tecnativa CONTAINERS', /^(\/v[\d.]+)?\/containers/i, '/containers/**', 'catalog', 'exact'],
  ['Tecnativa CONTAINERS, quirks included', /^(\/v[\d.]+)?\/containers/i, '/containers/**', 'all', 'narrower'],
  ['.* spans segments', /^(\/v[\d.]+)?\/containers\/.*$/, '/containers/*/json', 'catalog', 'narrower'],
  [
    'each side admits requests the other does not',
    /^(\/v[\d.]+)?\/containers\/[a-z0-9]+\/(json|top)$/,
    '/containers/*/json',
    'catalog',
    'different',
  ],
  ['alternation as several rules', /^(\/v[\d.]+)?\/(info|version)$/, ['/info', '/version'], 'catalog', 'exact'],
  ['alternation missing a branch', /^(\/v[\d.]+)?\/(info|version)$/, ['/info'], 'catalog', 'narrower'],
];

for (const [name, regex, globs, scope, expected] of CASES) {
  test(`classifyGlob: ${name} (${regex.source} vs ${String(globs)}, ${scope}) = ${expected}`, () => {
    const result = classifyGlob(corpus, onDecodedPath(regex), globs, { scope });
    assert.equal(result.classification, expected, JSON.stringify(result.examples));
    assert.equal(result.counts.onlyGlob > 0, result.examples.onlyGlob.length > 0);
    assert.equal(result.counts.onlyRegex > 0, result.examples.onlyRegex.length > 0);
    assert.ok(result.counts.both > 0, 'the pair should agree somewhere');
  });
}

test('examples name the requests each side admits alone', () => {
  const wider = classifyGlob(corpus, onDecodedPath(/^\/containers\/[a-z0-9]+\/start$/), '/containers/*/start', {
    maxExamples: 1000,
  });
  for (const target of [
    '/containers/web-1/start',
    '/containers/My_App.2/start',
    '/v1.41/containers/4f66ad0b1c2d/start',
    '/v1.45/containers/web-1/start',
  ]) {
    assert.ok(wider.examples.onlyGlob.includes(target), target);
  }
  assert.deepEqual(wider.examples.onlyRegex, []);

  const quirks = classifyGlob(corpus, onDecodedPath(/^(\/v[\d.]+)?\/containers/i), '/containers/**', {
    scope: 'all',
    maxExamples: 100_000,
  });
  for (const target of ['/containersfoo', '/CONTAINERS/JSON', '/v1../containers/json']) {
    assert.ok(quirks.examples.onlyRegex.includes(target), target);
  }
});

test('examples are capped and counted in full', () => {
  const result = classifyGlob(corpus, () => false, '/**', { maxExamples: 2 });
  assert.equal(result.examples.onlyGlob.length, 2);
  assert.equal(result.counts.onlyGlob, result.compared);
});

test('targets serve rejects are not compared; the catalog scope compares each catalog target once', () => {
  const all = classifyGlob(corpus, () => true, '/**', { scope: 'all' });
  assert.equal(all.classification, 'exact');
  const seen: string[] = [];
  classifyGlob(corpus, (t) => (seen.push(t), true), '/**', { scope: 'all' });
  assert.ok(!seen.includes('/containers/../secrets'));
  assert.ok(!seen.includes('/containers/%zz/json'));
  assert.equal(new Set(seen).size, seen.length);

  const catalogTargets = new Set(corpus.filter((r) => r.family === 'catalog').map((r) => r.target));
  assert.equal(classifyGlob(corpus, () => true, '/**').compared, catalogTargets.size);
});
