import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCetusGuardSettings } from '../../src/peers/cetusguard.js';
import type { CetusGuardInput } from '../../src/peers/cetusguard.js';
import { compileCetusGuard } from '../../src/emulators/cetusguard.js';
import { cleanServeMuxPath } from '../../src/emulators/go-request-path.js';
import { EmulationUnavailableError } from '../../src/emulators/types.js';

function emulator(input: Partial<CetusGuardInput>) {
  const parsed = parseCetusGuardSettings({ argv: [], env: [], ...input });
  assert.ok(parsed.starts, JSON.stringify(parsed.diagnostics));
  return compileCetusGuard(parsed.settings);
}

function check(decide: ReturnType<typeof emulator>, rows: [string, string, number][]): void {
  for (const [method, target, status] of rows) {
    const d = decide({ method, target });
    assert.equal(d.status, status, `${method} ${target}: ${d.reason}`);
    assert.equal(d.allow, status === 0);
  }
}

describe('CetusGuard decisions (peers.md §5.3, §5.4)', () => {
  it('built-in rules allow ping, version and info, with optional and libpod versions', () => {
    check(emulator({}), [
      ['GET', '/_ping', 0],
      ['HEAD', '/_ping', 0],
      ['GET', '/v1.41/_ping', 0],
      ['HEAD', '/v5.0.0/libpod/_ping', 0],
      ['GET', '/libpod/_ping', 403], // API_PREFIX_LIBPOD requires the version
      ['GET', '/v1.41/version', 0],
      ['HEAD', '/version', 403],
      ['GET', '/info', 0],
      ['GET', '/v4.0/libpod/info', 0],
      ['GET', '/containers/json', 403],
      ['get', '/_ping', 403],
    ]);
  });
  it('-no-builtin-rules denies them', () => check(emulator({ argv: ['-no-builtin-rules'] }), [['GET', '/_ping', 403]]));
  it('path is cleaned, trailing slash kept, query ignored', () => {
    const decide = emulator({
      argv: ['-no-builtin-rules', '-rules=GET %API_PREFIX_IMAGES%/json\nGET %API_PREFIX_VERSION%'],
    });
    check(decide, [
      ['GET', '/v1.41/containers/../images/json', 0],
      ['GET', '//v1.41/version', 0],
      ['GET', '/version/', 403],
      ['GET', '/v1.41/images/json?all=1', 0],
      ['GET', '/v1.41/images%2Fjson', 0], // %2F is decoded before matching (peers.md §5.4)
    ]);
  });
  it('README rules with placeholders (peers.md §5.5)', () => {
    const decide = emulator({
      argv: [
        '-no-builtin-rules',
        '-rules',
        'GET %API_PREFIX_CONTAINERS%/json\nGET,POST %API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/start\nDELETE %API_PREFIX_IMAGES%/%IMAGE_ID_OR_REFERENCE%(\\?.*)?',
      ],
    });
    check(decide, [
      ['GET', '/v1.41/containers/json', 0],
      ['POST', '/containers/my-app/start', 0],
      ['POST', '/containers/z/start', 403], // _OBJECT_NAME needs two characters and "z" is not hex
      ['POST', '/containers/a1/start', 0],
      ['DELETE', '/v1.41/images/library/nginx:1.25', 0],
      ['DELETE', '/v1.41/images/sha256:abc', 0], // reads as name "sha256" with tag "abc"
      ['DELETE', '/v1.41/images/-x', 403], // a name component starts with a letter or digit
      ['PUT', '/containers/json', 403],
    ]);
  });
  it('half-anchored alternation is reproduced', () => {
    check(emulator({ argv: ['-no-builtin-rules', '-rules=GET /containers/json|/_ping'] }), [
      ['GET', '/containers/jsonXYZ', 0],
      ['GET', '/anything/_ping', 0],
      ['GET', '/xcontainers/json', 403],
    ]);
  });
  it('an unavailable rules file cannot be emulated', () => {
    const parsed = parseCetusGuardSettings({ argv: ['-rules-file=/r.list'], env: [] });
    assert.throws(() => compileCetusGuard(parsed.settings), EmulationUnavailableError);
  });
  it('ServeMux cleanPath', () => {
    const cases: [string, string][] = [
      ['', '/'],
      ['a/b', '/a/b'],
      ['/a//b/', '/a/b/'],
      ['/a/../..', '/'],
      ['/', '/'],
      ['/./', '/'],
    ];
    for (const [input, want] of cases) assert.equal(cleanServeMuxPath(input), want, input);
  });
});
