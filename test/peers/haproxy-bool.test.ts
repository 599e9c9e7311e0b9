import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { readHaproxyBool, readHaproxyToggle, type HaproxyBoolQuirk } from '../../src/peers/haproxy-bool.js';

describe('readHaproxyBool (env(VAR) -m bool)', () => {
  const table: readonly { raw: string; on: boolean; quirk: HaproxyBoolQuirk; cite: string }[] = [
    // peers.md §1.6 table, "on" row
    { raw: '1', on: true, quirk: 'canonical', cite: '§1.6' },
    { raw: '2', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    { raw: '01', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    { raw: '-1', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    { raw: '+1', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    { raw: '1.0', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    { raw: '1 ', on: true, quirk: 'non-canonical-on', cite: '§1.6 trailing space' },
    { raw: '1abc', on: true, quirk: 'non-canonical-on', cite: '§1.6' },
    // peers.md §1.6 table, "off" row
    { raw: '0', on: false, quirk: 'canonical', cite: '§1.6' },
    { raw: 'true', on: false, quirk: 'word-means-off', cite: '§1.6 true means OFF' },
    { raw: 'TRUE', on: false, quirk: 'word-means-off', cite: '§1.6' },
    { raw: 'True', on: false, quirk: 'word-means-off', cite: '§1.6 compose YAML boolean' },
    { raw: 'yes', on: false, quirk: 'word-means-off', cite: '§1.6' },
    { raw: 'on', on: false, quirk: 'word-means-off', cite: '§1.6' },
    { raw: 'false', on: false, quirk: 'word-off', cite: '§1.6' },
    { raw: 'FALSE', on: false, quirk: 'word-off', cite: '§1.6' },
    { raw: '0x1', on: false, quirk: 'non-canonical-off', cite: '§1.6 0x1 reads as 0' },
    { raw: ' 1', on: false, quirk: 'leading-space-means-off', cite: '§1.6 leading space' },
    { raw: '', on: false, quirk: 'empty-means-off', cite: '§1.6 empty' },
    // same integer-cast rule, values the table implies
    { raw: '00', on: false, quirk: 'non-canonical-off', cite: '§1.6 leading integer 0' },
    { raw: '-0', on: false, quirk: 'non-canonical-off', cite: '§1.6 leading integer 0' },
    { raw: '0abc', on: false, quirk: 'non-canonical-off', cite: '§1.6 leading integer 0' },
    { raw: '10', on: true, quirk: 'non-canonical-on', cite: '§1.6 non-zero integer' },
    {
      raw: '99999999999999999999999',
      on: true,
      quirk: 'non-canonical-on',
      cite: '§1.6 overflow saturates, still non-zero',
    },
    { raw: '+', on: false, quirk: 'not-a-number-means-off', cite: '§1.6 sign without digits' },
    { raw: 'enabled', on: false, quirk: 'not-a-number-means-off', cite: '§1.6 no leading integer' },
    { raw: '\t1', on: false, quirk: 'leading-space-means-off', cite: '§1.6 leading blank' },
  ];
  for (const row of table) {
    it(`${row.cite}: ${JSON.stringify(row.raw)} is ${row.on ? 'on' : 'off'} (${row.quirk})`, () => {
      assert.deepEqual(readHaproxyBool(row.raw), { on: row.on, quirk: row.quirk });
    });
  }
});

describe('readHaproxyToggle findings', () => {
  it('§1.6 CONTAINERS=true is off with a true-means-off warning suggesting 1', () => {
    const reading = readHaproxyToggle('CONTAINERS', 'true', '0');
    assert.equal(reading.on, false);
    assert.equal(reading.finding?.code, 'true-means-off');
    assert.equal(reading.finding?.severity, 'warning');
    assert.equal(reading.finding?.suggestion, 'CONTAINERS=1');
  });

  it('§1.6 " 1" (leading space) is off with a leading-space-means-off warning', () => {
    const reading = readHaproxyToggle('POST', ' 1', '0');
    assert.equal(reading.on, false);
    assert.equal(reading.finding?.code, 'leading-space-means-off');
    assert.equal(reading.finding?.suggestion, 'POST=1');
  });

  it('§1.6 an empty value on a default-on variable (EVENTS) is off with an empty-means-off warning', () => {
    const reading = readHaproxyToggle('EVENTS', '', '1');
    assert.equal(reading.on, false);
    assert.equal(reading.finding?.code, 'empty-means-off');
  });

  it('§1.6 an empty value on a default-off variable says nothing (same as the default)', () => {
    assert.deepEqual(readHaproxyToggle('CONTAINERS', '', '0'), { on: false });
  });

  it('§1.6 `2` is on, with an info that other readers (Sockguard compat, §12.2) disagree', () => {
    const reading = readHaproxyToggle('CONTAINERS', '2', '0');
    assert.equal(reading.on, true);
    assert.equal(reading.finding?.code, 'non-canonical-on');
    assert.equal(reading.finding?.severity, 'info');
  });

  it('§1.6 `enabled` is off with a not-a-number-means-off warning', () => {
    const reading = readHaproxyToggle('IMAGES', 'enabled', '0');
    assert.equal(reading.on, false);
    assert.equal(reading.finding?.code, 'not-a-number-means-off');
  });

  it('§1.6 canonical values and `false` say nothing', () => {
    for (const raw of ['0', '1', 'false', 'no', 'off'])
      assert.equal(readHaproxyToggle('X', raw, '0').finding, undefined);
  });
});
