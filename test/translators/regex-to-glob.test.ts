// Regex → glob translation (brief; peers.md §3.3 half-anchored alternation, §3.8 examples, §5.5
// variables; seed migration guide wollomatic and CetusGuard tables; sockguard-config.md §3.4, §3.6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convertRegexToGlobs } from '../../src/translators/regex-to-glob.js';
import type { GlobFidelity } from '../../src/translators/regex-to-glob.js';
import { expandCetusGuardVariables } from '../../src/peers/cetusguard-variables.js';
import { compileGoRegex } from '../../src/peers/go-regex.js';
import { compileGlob } from '../../src/policy/glob.js';
import { normalizePath } from '../../src/policy/canonical-path.js';
import endpoints from '../../src/policy/docker-endpoints.json' with { type: 'json' };

const cg = expandCetusGuardVariables;

/** [source regex value (as the proxy receives it), globs, fidelity, a reason that must be given]. */
const TABLE: [string, string[], GlobFidelity, RegExp?][] = [
  // Seed migration guide, wollomatic table.
  ['^/(v[0-9.]+/)?containers/json$', ['/containers/json'], 'exact'],
  ['^/(v[0-9.]+/)?events$', ['/events'], 'exact'],
  ['^/(v[0-9.]+/)?containers/[a-z0-9]+/start$', ['/containers/*/start'], 'wider', /\[a-z0-9\]\+ becomes \*/],
  ['.*', ['/**'], 'exact'],
  // peers.md §3.8 README Traefik example: requires /v1.x, so unversioned and other versions widen.
  [
    '/v1\\..{1,2}/(version|containers/.*|events.*)',
    ['/version', '/containers/*/**', '/events**'],
    'wider',
    /requires a version prefix/,
  ],
  // peers.md §3.3 Dozzle example: half-anchored, /_ping matches at the end of any path.
  ['/v1\\..{2}/(containers/.*|events)|/_ping', ['/containers/*/**', '/events**', '/**/_ping'], 'wider'],
  // Watchtower and issue #125 examples (§3.8).
  ['/v1\\..{2}/(containers/.*|images/.*|networks/.*)', ['/containers/*/**', '/images/*/**', '/networks/*/**'], 'wider'],
  ['/v1\\..{1,2}/(containers/private-traefik/kill)', ['/containers/private-traefik/kill'], 'wider'],
  ['/version', ['/version'], 'wider', /no version prefix/],
  ['/_ping|/version', ['/_ping**', '/**/version'], 'wider'],
  ['(/v[0-9.]+)?/containers/[^/]+/json', ['/containers/*/json'], 'exact'],
  ['(/v[\\d.]+)?/(containers|images)/json', ['/containers/json', '/images/json'], 'exact'],
  ['(/v[0-9.]+)?/containers/.*', ['/containers/*/**'], 'exact'],
  ['(/v[0-9.]+)?/events.*', ['/events**'], 'exact'],
  ['(/v[0-9.]+)?/containers/json/?', ['/containers/json'], 'exact'],
  ['(/v1\\.\\d+)?/info', ['/info'], 'wider', /only some API versions/],
  ['(?i)(/v[0-9.]+)?/containers/json', ['/containers/json'], 'narrower', /case-insensitive/],
  ['(/v[0-9.]+)?/images/.+\\*', ['/images/*/***'], 'wider', /literal "\*"/],
  // Seed migration guide, CetusGuard table, and built-in rules (peers.md §5.3).
  [cg('%API_PREFIX_CONTAINERS%/json'), ['/containers/json'], 'exact'],
  [cg('%API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/json'), ['/containers/*/json'], 'wider'],
  [cg('%API_PREFIX_CONTAINERS%/%CONTAINER_ID_OR_NAME%/start'), ['/containers/*/start'], 'wider'],
  [cg('%API_PREFIX_PING%'), ['/_ping'], 'exact'],
  [cg('%API_PREFIX_VERSION%'), ['/version'], 'exact'],
  [cg('%API_PREFIX_INFO%'), ['/info'], 'exact'],
  [cg('%API_PREFIX_LIBPOD_PING%'), ['/libpod/_ping'], 'wider', /requires a version prefix/],
  [cg('%API_PREFIX_NETWORKS%/%NETWORK_ID_OR_NAME%'), ['/networks/*'], 'exact'],
  [
    cg('%API_PREFIX_IMAGES%/%IMAGE_ID_OR_REFERENCE%/json'),
    ['/images/*/json', '/images/*/**/json', '/images/*/*/**/json'],
    'wider',
  ],
  // Top-level alternation keeps the proxy's precedence.
  ['/containers/json|/images/json', ['/containers/json**', '/**/images/json'], 'wider'],
  ['(/v[0-9.]+)?/a|(/v[0-9.]+)?/b|/c', ['/a**', '/**/b**', '/**/c'], 'exact'],
];

describe('convertRegexToGlobs: table (brief, peers.md §3.8, seed migration guide)', () => {
  for (const [regex, globs, fidelity, reason] of TABLE) {
    it(regex.length > 90 ? regex.slice(0, 90) + '…' : regex, () => {
      const r = convertRegexToGlobs(regex);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(
        r.globs.map((g) => g.glob),
        globs,
      );
      assert.equal(r.fidelity, fidelity, r.reasons.join('\n'));
      if (reason)
        assert.ok(
          r.reasons.some((x) => reason.test(x)),
          r.reasons.join('\n'),
        );
      if (fidelity === 'exact') assert.deepEqual(r.reasons, []);
      for (const g of r.globs) {
        assert.ok(g.glob.startsWith('/') && !g.glob.includes('%') && !/^\/v[0-9]/.test(g.glob), g.glob);
      }
    });
  }
  it('drops alternatives no canonical path can match', () => {
    const r = convertRegexToGlobs('((/v[0-9.]+)?/a/|(/v[0-9.]+)?/b)');
    assert.ok(r.ok);
    assert.deepEqual(
      r.globs.map((g) => g.glob),
      ['/b'],
    );
    assert.equal(r.fidelity, 'exact');
  });
  it('refuses what globs cannot express', () => {
    for (const regex of ['(?m)^/a$', '/a\\b', '(', '/a(?i)b']) {
      const r = convertRegexToGlobs(regex);
      assert.ok(!r.ok, regex);
    }
  });
  it('notes the half-anchored alternation', () => {
    const r = convertRegexToGlobs('/a|/b');
    assert.ok(r.ok && r.notes.some((n) => /without a group/.test(n)));
  });
});

/** Concrete request paths from the Engine API catalog, bare and behind version prefixes. */
function catalogPaths(): string[] {
  const values: Record<string, string[]> = {
    id: ['abc123', 'f00dcafe', 'my-app', 'a'],
    name: ['abc123', 'nginx', 'library/nginx:latest', 'ghcr.io/org/app:1.2', 'sha256:' + 'a'.repeat(64)],
  };
  const paths = new Set<string>();
  for (const { path } of endpoints as { path: string }[]) {
    let variants = [path];
    for (const param of ['id', 'name']) {
      variants = variants.flatMap((v) =>
        v.includes(`{${param}}`) ? values[param]!.map((x) => v.replaceAll(`{${param}}`, x)) : [v],
      );
    }
    for (const v of variants)
      if (!v.includes('{')) for (const prefix of ['', '/v1.45', '/v1.24', '/v1', '/v2.0.1']) paths.add(prefix + v);
  }
  for (const extra of ['/', '/containers', '/containersfoo', '/eventsXYZ', '/anything/_ping', '/x/version'])
    paths.add(extra);
  return [...paths];
}

describe('convertRegexToGlobs: static judgement agrees with evaluation on catalog paths', () => {
  const paths = catalogPaths();
  it('has a few hundred paths', () => assert.ok(paths.length > 300));
  for (const [regex, , fidelity] of TABLE) {
    it(`${fidelity}: ${regex.length > 70 ? regex.slice(0, 70) + '…' : regex}`, () => {
      const compiled = compileGoRegex(`^${regex}$`);
      assert.ok(compiled.ok);
      const r = convertRegexToGlobs(regex);
      assert.ok(r.ok);
      const globs = r.globs.map((g) => compileGlob(g.glob));
      let agree = 0;
      for (const raw of paths) {
        const byRegex = compiled.regex.test(raw);
        const byGlob = globs.some((g) => g.test(normalizePath(raw).path));
        if (byRegex === byGlob) agree++;
        if (fidelity === 'exact' || fidelity === 'wider')
          assert.ok(!byRegex || byGlob, `${raw}: regex allows, globs ${r.globs.map((g) => g.glob)} do not`);
        if (fidelity === 'exact' || fidelity === 'narrower')
          assert.ok(!byGlob || byRegex, `${raw}: globs allow, regex does not`);
      }
      assert.ok(agree > 0);
    });
  }
});
