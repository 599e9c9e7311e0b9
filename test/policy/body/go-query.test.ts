import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGoTrue, parseGoQuery } from '../../../src/policy/body/go-query.js';

function query(raw: string) {
  const parsed = parseGoQuery(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem);
  return parsed.query;
}

test('the first of repeated parameters wins, as r.Form.Get returns it (D9)', () => {
  const q = query('fromImage=alpine&fromImage=evil.com/x');
  assert.equal(q.get('fromImage'), 'alpine');
});

test('values are unescaped once, + is a space, keys are case-sensitive', () => {
  const q = query('fromImage=docker.io%2Flibrary%2Falpine&tag=a+b&FromImage=x&flag&empty=&&x%20y=1');
  assert.equal(q.get('fromImage'), 'docker.io/library/alpine');
  assert.equal(q.get('tag'), 'a b');
  assert.equal(q.get('FromImage'), 'x');
  assert.equal(q.get('flag'), '');
  assert.equal(q.get('empty'), '');
  assert.equal(q.get('x y'), '1');
  assert.equal(q.get('missing'), undefined);
  assert.equal(query('a=%C3%A9').get('a'), '\u00e9');
});

test('what Go refuses is refused (dockerd answers 400)', () => {
  for (const raw of ['a=1;b=2', 'a=%zz', 'a=%4', '%=1', 'a=%ff']) {
    assert.equal(parseGoQuery(raw).ok, false, raw);
  }
  assert.equal(parseGoQuery(undefined).ok, true);
});

test('booleans are true unless "", 0, no, false or none (D10)', () => {
  for (const value of ['1', 'true', 'on', 'x', 'yes', ' TRUE ', '2']) assert.equal(isGoTrue(value), true, value);
  for (const value of [undefined, '', '0', 'no', 'false', 'FALSE', 'none', ' None '])
    assert.equal(isGoTrue(value), false, String(value));
});
