import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { findNearMissName, measureNameDistance } from '../../src/peers/near-miss-names.js';

const RECOGNISED = ['IMAGES', 'INFO', 'CONTAINERS', 'POST', 'ALLOW_RESTARTS', 'ALLOW_START', 'ALLOW_STOP', 'NETWORKS'];

describe('near-miss variable names (§7 misspelled variables are silently ignored)', () => {
  const table: readonly { name: string; meant: string | undefined; why: string }[] = [
    { name: 'IAMGES', meant: 'IMAGES', why: '§7 IAMGES (adjacent swap)' },
    { name: 'INF0', meant: 'INFO', why: '§7 INF0 (zero for O)' },
    { name: 'ALLOW_RESTART', meant: 'ALLOW_RESTARTS', why: '§7 singular ALLOW_RESTART' },
    { name: 'containers', meant: 'CONTAINERS', why: '§7 names are case-sensitive' },
    { name: ' POST', meant: 'POST', why: '§7 stray blank around the name' },
    { name: 'CONTAINER', meant: 'CONTAINERS', why: '§7 missing letter' },
    { name: 'NETWROKS', meant: 'NETWORKS', why: '§7 swap in a long name' },
    { name: 'CONTAINERS', meant: undefined, why: 'recognised names are not near misses' },
    { name: 'TZ', meant: undefined, why: 'short names are never guessed at' },
    { name: 'PUID', meant: undefined, why: 'unrelated names stay silent' },
    { name: 'SOMETHING_ELSE', meant: undefined, why: 'unrelated names stay silent' },
  ];
  for (const row of table) {
    it(`${row.why}: ${JSON.stringify(row.name)} → ${row.meant ?? 'nothing'}`, () => {
      assert.equal(findNearMissName(row.name, RECOGNISED), row.meant);
    });
  }

  it('measures optimal-string-alignment distance (swap counts 1)', () => {
    assert.equal(measureNameDistance('IAMGES', 'IMAGES'), 1);
    assert.equal(measureNameDistance('', 'ABC'), 3);
    assert.equal(measureNameDistance('KITTEN', 'SITTING'), 3);
  });
});
