import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRootUser } from '../../../src/policy/body/user-spec.js';

test('root user spellings (security-notes.md §9: strconv.Atoi and the image default)', () => {
  for (const user of [
    undefined,
    '',
    ' ',
    '0',
    '00',
    '+0',
    '-0',
    '0:0',
    '0:1000',
    'root',
    'root:x',
    'ROOT',
    ':1000',
    ' 0 ',
  ]) {
    assert.equal(isRootUser(user), true, JSON.stringify(user));
  }
  for (const user of ['1000', '1000:0', 'nobody', 'app:root', '01', 'rooty'])
    assert.equal(isRootUser(user), false, user);
});
