import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePathAllowlist } from '../../../src/policy/body/host-path.js';

test('host-path allowlists clean both sides and match on path boundaries (§15.11)', () => {
  const list = compilePathAllowlist(['/srv/data/', '/var//lib/./app', 'relative', '']);
  assert.equal(list.allows('/srv/data'), true);
  assert.equal(list.allows('/srv/data/sub'), true);
  assert.equal(list.allows('/srv/data2'), false);
  assert.equal(list.allows('/var/lib/app/x'), true);
  assert.equal(list.allows('/srv'), false);
  assert.equal(list.allowsAll, false);
  assert.equal(compilePathAllowlist(['/']).allows('/etc'), true);
  assert.equal(compilePathAllowlist(['/x/..']).allowsAll, true, '/x/.. cleans to /');
  assert.equal(compilePathAllowlist(undefined).allows('/'), false);
});
