import { test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentRecord } from '../../src/compose/environment-record.js';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';

test('environmentRecord: what the container gets, unset entries left out', () => {
  const text = 'services:\n  p:\n    environment:\n      POST: 1\n      EMPTY: ""\n      INHERITED:\n';
  const service = parseComposeFiles([{ path: 'c.yml', text }], { env: {} }).project?.services[0];
  assert.ok(service);
  assert.deepEqual(environmentRecord(service), { POST: '1', EMPTY: '' });
});

test('environmentRecord: names that are Object.prototype members stay plain variables', () => {
  const text = 'services:\n  p:\n    environment:\n      - __proto__=x\n      - constructor=y\n';
  const service = parseComposeFiles([{ path: 'c.yml', text }]).project?.services[0];
  assert.ok(service);
  const record = environmentRecord(service);
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepEqual(Object.entries(record), [
    ['__proto__', 'x'],
    ['constructor', 'y'],
  ]);
});
