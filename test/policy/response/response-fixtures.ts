/** Reading the response fixtures (see fixtures/README.md) and the redaction settings the tests use. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RedactionSettings } from '../../../src/policy/response/redact-response.js';
import type { RedactionFlag } from '../../../src/policy/response/redaction-rules.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function readFixture(name: string): Buffer {
  return readFileSync(path.join(DIR, name));
}

export const FLAGS: readonly RedactionFlag[] = [
  'redact_container_env',
  'redact_mount_paths',
  'redact_network_topology',
  'redact_sensitive_data',
  'redact_host_topology',
];

export function redactionWith(...on: RedactionFlag[]): RedactionSettings {
  return Object.fromEntries(FLAGS.map((f) => [f, on.includes(f)])) as Record<RedactionFlag, boolean>;
}

export const ALL_REDACTIONS = redactionWith(...FLAGS);
export const NO_REDACTIONS = redactionWith();
