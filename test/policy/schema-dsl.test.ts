import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance } from '../../src/policy/schema-dsl.js';

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
