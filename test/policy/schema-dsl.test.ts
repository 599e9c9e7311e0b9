import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, isCidr } from '../../src/policy/schema-dsl.js';

test('editDistance: Levenshtein distance, capped at limit + 1 when a limit is given', () => {
  const cases: [a: string, b: string, distance: number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['GETT', 'GET', 1],
    ['HAED', 'HEAD', 2],
    ['kitten', 'sitting', 3],
    ['/containers/*/jsn', '/containers/*/json', 1],
    ['/foo/bar/baz/qux', '/containers/*/json', 15],
  ];
  for (const [a, b, distance] of cases) {
    assert.equal(editDistance(a, b), distance, `${a} ~ ${b}`);
    for (const limit of [0, 1, 2, 3, 20]) {
      assert.equal(editDistance(a, b, limit), Math.min(distance, limit + 1), `${a} ~ ${b} (limit ${limit})`);
    }
  }
});

test('isCidr: what Go netip.ParsePrefix accepts (prefix lengths without sign or leading zeros)', () => {
  const cases: [text: string, ok: boolean][] = [
    ['10.0.0.0/8', true],
    ['10.0.0.0/0', true],
    ['10.0.0.1/32', true],
    ['fd00::/8', true],
    ['::1/128', true],
    ['10.0.0.0/08', false],
    ['10.0.0.0/+8', false],
    ['10.0.0.0/33', false],
    ['::/129', false],
    ['10.0.0.0', false],
    ['010.0.0.0/8', false],
  ];
  for (const [text, ok] of cases) assert.equal(isCidr(text), ok, text);
});
