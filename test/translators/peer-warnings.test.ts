import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { PeerFinding, PeerFindingCode } from '../../src/peers/peer-settings.js';
import { convertFindings, type FindingSource } from '../../src/translators/peer-warnings.js';

const finding = (code: PeerFindingCode, message = 'Something.'): PeerFinding => ({
  code,
  severity: 'warning',
  origin: `env:${code.toUpperCase()}`,
  message,
});

describe('settings findings as migration warnings', () => {
  const table: [PeerFindingCode, FindingSource, string][] = [
    ['true-means-off', 'tecnativa', 'migrate/haproxy/true-means-off'],
    ['true-means-off', 'linuxserver', 'migrate/haproxy/true-means-off'],
    ['empty-means-off', 'tecnativa', 'migrate/haproxy/empty-means-off'],
    ['never-read', 'elevennotes', 'migrate/unread-variable'],
    ['near-miss-name', 'tecnativa', 'migrate/unread-variable'],
    ['not-read-by-version', 'linuxserver', 'migrate/unread-variable'],
    ['assumed-newest', 'linuxserver', 'migrate/assumed-newest-version'],
    ['allow-needs-post', 'tecnativa', 'migrate/tecnativa/allow-needs-post'],
    ['allow-needs-post', 'linuxserver', 'migrate/linuxserver/allow-needs-post'],
    ['false-means-on', 'linuxserver', 'migrate/linuxserver/false-means-on'],
    ['tcp-listener-exposed', 'elevennotes', 'migrate/elevennotes/tcp-listener-exposed'],
  ];
  for (const [code, source, expected] of table) {
    it(`${source} ${code} → ${expected}`, () => {
      const [warning] = convertFindings([finding(code)], source);
      assert.equal(warning?.code, expected);
      assert.equal(warning?.origin, `env:${code.toUpperCase()}`);
      assert.equal(warning?.severity, 'warning');
    });
  }

  it('says what the translation did, after a full stop', () => {
    const [off] = convertFindings([finding('true-means-off', 'CONTAINERS=true is OFF')], 'tecnativa');
    assert.equal(off?.message, 'CONTAINERS=true is OFF. The new policy keeps it off, as the image ran it.');
    const [unknown] = convertFindings([finding('uid-gid-not-integer', 'Bad.')], 'elevennotes');
    assert.equal(unknown?.message, 'Bad.');
  });

  it('applies a per-finding adjustment', () => {
    const explains = (): boolean => true;
    const [adjusted, untouched] = convertFindings(
      [finding('allow-needs-post'), finding('never-read')],
      'tecnativa',
      (f) => (f.code === 'allow-needs-post' ? { explains, severity: 'info', outcome: 'Kept.' } : undefined),
    );
    assert.deepEqual(
      [adjusted?.severity, adjusted?.message, adjusted?.explains],
      ['info', 'Something. Kept.', explains],
    );
    assert.equal(untouched?.explains, undefined);
  });
});
