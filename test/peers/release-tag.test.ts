import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { compareVersions, parseReleaseTag, resolveReleaseTag } from '../../src/peers/release-tag.js';

const KNOWN = [
  [0, 1, 0],
  [0, 1, 1],
  [0, 1, 2],
  [0, 2, 0],
  [0, 4, 0],
  [0, 4, 1],
];

describe('release tags (§1.1 release tags without `v`, major and major.minor floating)', () => {
  const table = [
    { tag: '0.4.1', parts: [0, 4, 1], floating: false },
    { tag: '0.4', parts: [0, 4], floating: true },
    { tag: '2', parts: [2], floating: true },
    { tag: '10.20.30', parts: [10, 20, 30], floating: false },
  ];
  for (const row of table) {
    it(`§1.1 parses ${row.tag}`, () =>
      assert.deepEqual(parseReleaseTag(row.tag), { parts: row.parts, floating: row.floating }));
  }
  for (const tag of ['v0.4.1', 'latest', '0.4.1-rc1', '0.4.1.2', '00.4', '', '1.']) {
    it(`§1.1 ${JSON.stringify(tag)} is not a release tag`, () => assert.equal(parseReleaseTag(tag), undefined));
  }

  it('§1.1 a floating tag resolves to the newest known release of its line', () => {
    assert.deepEqual(resolveReleaseTag({ parts: [0, 1], floating: true }, KNOWN), [0, 1, 2]);
    assert.deepEqual(resolveReleaseTag({ parts: [0], floating: true }, KNOWN), [0, 4, 1]);
  });

  it('§1.1 an exact tag resolves to itself only when it is a known release', () => {
    assert.deepEqual(resolveReleaseTag({ parts: [0, 2, 0], floating: false }, KNOWN), [0, 2, 0]);
    assert.equal(resolveReleaseTag({ parts: [0, 3, 0], floating: false }, KNOWN), undefined);
  });

  it('compares versions part by part, missing parts as 0', () => {
    assert.ok(compareVersions([0, 10, 0], [0, 9, 9]) > 0);
    assert.equal(compareVersions([2, 1], [2, 1, 0]), 0);
    assert.ok(compareVersions([2, 1, 4], [2, 1, 5]) < 0);
  });
});
