import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy } from '../../src/policy/compile.js';
import { loadPolicy } from '../../src/policy/load.js';

const compile = (text: string) => compilePolicy(loadPolicy(text).policy!);
const kinds = (text: string) => compile(text).startupProblems.map((p) => p.kind);

const ALLOW_SESSION = 'rules:\n  - match: { method: POST, path: /session }\n    action: allow\n';

test('request_body.buildkit turns mediation on by its presence only: defaults do not create it', () => {
  assert.equal(loadPolicy(ALLOW_SESSION).policy!.request_body.buildkit, undefined);
  // Without the block an allowed /session is an opaque tunnel: the Go proxy refuses to start.
  assert.deepEqual(kinds(ALLOW_SESSION), ['buildkit-tunnels']);
  // Writing the block, even empty, is mediation (everything in it defaults to deny).
  assert.deepEqual(kinds(`${ALLOW_SESSION}request_body:\n  buildkit: {}\n`), []);
  assert.deepEqual(kinds(`${ALLOW_SESSION}insecure_accept_opaque_buildkit_tunnels: true\n`), []);
});
