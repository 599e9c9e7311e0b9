import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { renderPolicyJsonSchema, SCHEMA_FILE } from '../scripts/generate-schema.js';
import { policySchema } from '../src/policy/schema.js';

test('schema/sockguard.schema.json is generated from policySchema and up to date', () => {
  assert.ok(existsSync(SCHEMA_FILE), `${SCHEMA_FILE} is missing: run npm run schema`);
  assert.equal(
    readFileSync(SCHEMA_FILE, 'utf8'),
    renderPolicyJsonSchema(),
    'stale schema: run npm run schema and commit it',
  );
});

test('the schema carries $schema, $id and title and describes every top-level key', () => {
  const schema = JSON.parse(renderPolicyJsonSchema()) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(typeof schema.$id, 'string');
  assert.equal(typeof schema.title, 'string');
  assert.equal(schema.type, 'object');
  assert.deepEqual(Object.keys(schema.properties as object), Object.keys(policySchema.fields));
});
