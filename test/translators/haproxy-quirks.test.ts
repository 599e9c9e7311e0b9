import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createHaproxyQuirkWarnings, type SourcePath } from '../../src/translators/haproxy-quirks.js';
import type { DifferenceView } from '../../src/translators/types.js';

const SOURCES: SourcePath[] = [
  { action: 'allow', regex: String.raw`^(/v[\d\.]+)?/containers`, globs: ['/containers/**'], methods: ['GET', 'HEAD'] },
  {
    action: 'allow',
    regex: String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/start`,
    globs: ['/containers/*/start'],
  },
  {
    action: 'deny',
    regex: String.raw`^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(logs)`,
    globs: ['/containers/*/logs'],
  },
];

const EMITTED = new Set(['/containers/**', '/containers/*/start', '/containers/*/logs']);
const warnings = createHaproxyQuirkWarnings(SOURCES, 'Test image', EMITTED);
const explainer = (code: string) => {
  const explains = warnings.find((w) => w.code === code)?.explains;
  assert.ok(explains, code);
  return explains;
};

function row(change: DifferenceView['change'], method: string, path: string | undefined): DifferenceView {
  return {
    method,
    target: path ?? '/x/../y',
    change,
    request: { family: 'quirk' },
    new: path === undefined ? { rejected: 'dot-segment' } : { normalizedPath: path },
  };
}

describe('HAProxy matching quirks (peers.md §1.4)', () => {
  it('makes the three warnings, all pointing at the image', () => {
    assert.deepEqual(
      warnings.map((w) => [w.code, w.origin]),
      [
        ['migrate/prefix-match-quirk', 'image'],
        ['migrate/case-insensitive-quirk', 'image'],
        ['migrate/haproxy/id-class-widened', 'image'],
      ],
    );
  });

  // [change, method, normalized path, prefix, case, id class]
  const table: [DifferenceView['change'], string, string | undefined, boolean, boolean, boolean][] = [
    ['tightened', 'GET', '/containersfoo', true, false, false],
    // POST reached …/startfoo through the action's prefix match only; GET also through the section.
    ['tightened', 'POST', '/containers/abc/startfoo', true, false, false],
    ['tightened', 'GET', '/containers/abc/startfoo', false, false, false],
    ['tightened', 'GET', '/v1../containers/json', true, false, false],
    ['tightened', 'GET', '/CONTAINERS/json', false, true, false],
    ['tightened', 'HEAD', '/V1.41/containers/json', false, true, false],
    // The section let GET and HEAD through only: a write was refused by the gate, not matched.
    ['tightened', 'DELETE', '/containersfoo', false, false, false],
    // A path a glob matches exactly is not a path quirk (withheld, narrowed methods ...).
    ['tightened', 'GET', '/containers/abc/logs', false, false, false],
    ['tightened', 'GET', '/containers/json', false, false, false],
    // Past a sub-path deny, prefix and case variants are passed on.
    ['loosened', 'GET', '/containers/abc/logsfoo', true, false, false],
    ['loosened', 'GET', '/containers/abc/LOGS', false, true, false],
    ['loosened', 'GET', '/containers/abc/json', false, false, false],
    // The id class: a * segment takes ids the regex did not.
    ['loosened', 'POST', '/containers/sha256:abc/start', false, false, true],
    ['loosened', 'POST', '/containers/abc/start', false, false, false],
    ['tightened', 'GET', '/containers/a:b/logs', false, false, true],
    // Targets serve rejects are explained elsewhere.
    ['tightened', 'GET', undefined, false, false, false],
  ];
  for (const [change, method, path, prefix, caseQuirk, idClass] of table) {
    it(`${change} ${method} ${path ?? '(rejected)'}`, () => {
      const r = row(change, method, path);
      assert.equal(explainer('migrate/prefix-match-quirk')(r), prefix, 'prefix');
      assert.equal(explainer('migrate/case-insensitive-quirk')(r), caseQuirk, 'case');
      assert.equal(explainer('migrate/haproxy/id-class-widened')(r), idClass, 'id class');
    });
  }

  it('makes no id-class warning unless a rule with an id segment was emitted, and nothing without rules', () => {
    const codes = ['migrate/prefix-match-quirk', 'migrate/case-insensitive-quirk'];
    assert.deepEqual(
      createHaproxyQuirkWarnings([SOURCES[0]!], 'x', EMITTED).map((w) => w.code),
      codes,
    );
    assert.deepEqual(
      createHaproxyQuirkWarnings(SOURCES, 'x', new Set(['/containers/**'])).map((w) => w.code),
      codes,
    );
    assert.deepEqual(createHaproxyQuirkWarnings([], 'x', EMITTED), []);
  });
});
