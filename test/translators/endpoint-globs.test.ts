import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { findEndpointGlobs } from '../../src/translators/endpoint-globs.js';

describe('globs for an old path prefix, from the Engine API catalog', () => {
  const table: [prefix: string, globs: string[] | undefined, writes?: string[]][] = [
    // A section with deeper endpoints: one trailing-deep glob, and the writes dockerd serves there.
    ['/containers', ['/containers/**'], ['POST', 'PUT', 'DELETE']],
    ['/images', ['/images/**'], ['POST', 'DELETE']],
    ['/system', ['/system/**'], []],
    // A section that is a single endpoint stays exact.
    ['/_ping', ['/_ping'], []],
    ['/info', ['/info'], []],
    ['/auth', ['/auth'], ['POST']],
    ['/session', ['/session'], ['POST']],
    // dockerd's undocumented BuildKit route.
    ['/grpc', ['/grpc'], ['POST']],
    // Action prefixes name one endpoint.
    ['/containers/*/start', ['/containers/*/start'], ['POST']],
    // LinuxServer's `(change)` is a prefix of the real endpoint.
    ['/containers/*/change', ['/containers/*/changes'], []],
    // Podman mirrors Docker paths under /libpod.
    ['/libpod/containers', ['/libpod/containers/**'], ['POST', 'PUT', 'DELETE']],
    ['/libpod/_ping', ['/libpod/_ping'], []],
    ['/libpod/containers/*/stop', ['/libpod/containers/*/stop'], ['POST']],
    // Podman-only roots are kept as written.
    ['/libpod/pods', ['/libpod/pods/**'], ['POST', 'PUT', 'DELETE']],
    ['/libpod/pods/*/start', ['/libpod/pods/*/start'], ['POST', 'PUT', 'DELETE']],
    // No daemon serves these.
    ['/pods/*/start', undefined],
    ['/nothing', undefined],
  ];
  for (const [prefix, globs, writes] of table) {
    it(`${prefix} → ${globs?.join(' ') ?? '(none)'}`, () => {
      const found = findEndpointGlobs(prefix);
      assert.deepEqual(found?.globs, globs);
      if (writes) assert.deepEqual(found?.writeMethods, writes);
    });
  }
});
