// Exactness of dropping a version prefix (sockguard-config.md §3.4: one /vN[.N[.N]] prefix stripped).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeVersionFragment } from '../../src/translators/version-fragment.js';
import { parsePathRegex } from '../../src/translators/regex-ir.js';
import type { RegexNode } from '../../src/translators/regex-ir.js';

/** The fragment as the IR sees it: the value parsed, anchors removed. */
function fragment(value: string): RegexNode {
  const parsed = parsePathRegex(value);
  assert.ok(parsed.ok, value);
  assert.equal(parsed.node.t, 'seq');
  const items = (parsed.node as Extract<RegexNode, { t: 'seq' }>).items.filter((n) => n.t !== 'start' && n.t !== 'end');
  return { t: 'seq', items };
}

describe('analyzeVersionFragment', () => {
  const cases: [string, boolean, boolean, string?][] = [
    ['/v[0-9.]+', true, true],
    ['/v[\\d\\.]+', true, true],
    ['/v[0-9]+(?:\\.[0-9]+)*', true, true], // CetusGuard %_API_VERSION%
    ['/v\\d+\\.\\d+', false, true, '/v0'],
    ['/v1\\.\\d+', false, true, '/v0'],
    ['/v1\\..{1,2}', false, true], // `.` can only stop inside a version-like segment or after a `/`
    ['/v[^/]*', true, false], // also stops after a bare /v or /vx: first segments that are not versions
    ['/v.+', true, false], // can swallow a following segment
  ];
  for (const [value, covers, confined, missed] of cases) {
    it(value, () => {
      const facts = analyzeVersionFragment(fragment(value));
      assert.ok(facts);
      assert.equal(facts.covers, covers, JSON.stringify(facts));
      assert.equal(facts.confined, confined, JSON.stringify(facts));
      if (missed) assert.equal(facts.missed, missed);
    });
  }
});
