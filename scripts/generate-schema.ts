/**
 * Writes schema/sockguard.schema.json, the JSON Schema (draft-07) editors use for completion and
 * hover on policy files, generated from `policySchema` (the single source of truth). Run it with
 * `npm run schema` after changing src/policy/schema.ts; test/schema-fresh.test.ts fails while the
 * committed file is stale.
 *
 * Editors with yaml-language-server (VS Code's YAML extension, Neovim, ...) pick it up from a
 * modeline at the top of a policy, with a path relative to that file:
 *   # yaml-language-server: $schema=../schema/sockguard.schema.json
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toJsonSchema } from '../src/policy/schema-dsl.js';
import { policySchema } from '../src/policy/schema.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/sockguard.schema.json', import.meta.url));

/** The schema file's exact text. */
export function renderPolicyJsonSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'urn:sockguard:schema:policy:v1.7',
    title: 'Sockguard policy',
    description:
      'A Sockguard Docker socket proxy policy (the CodesWhat/sockguard v1.7 configuration format). Generated from src/policy/schema.ts by npm run schema; do not edit.',
    ...toJsonSchema(policySchema),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
  writeFileSync(SCHEMA_FILE, renderPolicyJsonSchema());
  console.log(`wrote ${SCHEMA_FILE}`);
}
