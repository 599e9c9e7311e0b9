/** Hop-by-hop headers, trace context, Go durations, text log lines, verbose-deny redaction. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalRequest } from '../../src/policy/canonical-path.js';
import { parseGoDuration, parseRequestTimeout } from '../../src/proxy/duration.js';
import { removeHeaders, stripHopByHop } from '../../src/proxy/hop-by-hop.js';
import { createLogger, formatTextLine, LogOutputError } from '../../src/proxy/logging.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactDeniedPath } from '../../src/proxy/stages/rules.js';
import { formatTraceparent, parseTraceparent } from '../../src/proxy/trace-context.js';

describe('stripHopByHop', () => {
  it('drops hop-by-hop headers, those named in Connection, Proxy-* and the extra names; keeps the rest as sent', () => {
    const raw = [
      'Host',
      'docker',
      'Connection',
      'keep-alive, X-Hop',
      'X-Hop',
      '1',
      'Keep-Alive',
      't=5',
      'TE',
      'trailers',
      'Transfer-Encoding',
      'chunked',
      'Upgrade',
      'tcp',
      'Proxy-Foo',
      'x',
      'HTTP2-Settings',
      'y',
      'X-Dup',
      'a',
      'X-Dup',
      'b',
      'Expect',
      '100-continue',
    ];
    assert.deepEqual(stripHopByHop(raw, new Set(['expect'])), ['Host', 'docker', 'X-Dup', 'a', 'X-Dup', 'b']);
    assert.deepEqual(removeHeaders(['A', '1', 'x-request-id', '2'], new Set(['x-request-id'])), ['A', '1']);
  });
});

describe('traceparent', () => {
  it('keeps the trace id and sampled flag, makes a new span', () => {
    const trace = parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')!;
    assert.equal(trace.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(trace.parentId, 'b7ad6b7169203331');
    assert.equal(trace.sampled, true);
    assert.match(formatTraceparent(trace), /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  });
  for (const bad of [
    undefined,
    'garbage',
    '00-00000000000000000000000000000000-b7ad6b7169203331-01',
    '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
    'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    '00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01',
  ]) {
    it(`ignores ${String(bad)}`, () => assert.equal(parseTraceparent(bad), undefined));
  }
});

describe('Go durations', () => {
  const table: [string, number][] = [
    ['60s', 60_000],
    ['250ms', 250],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['0', 0],
  ];
  for (const [text, ms] of table) it(text, () => assert.equal(parseGoDuration(text), ms));
  it('request_timeout "off" and "" disable the timeout', () => {
    assert.equal(parseRequestTimeout('off'), undefined);
    assert.equal(parseRequestTimeout(''), undefined);
    assert.equal(parseRequestTimeout('2s'), 2000);
    assert.throws(() => parseGoDuration('OFF'));
  });
});

describe('text log lines', () => {
  it('escapes CR/LF so an untrusted path cannot forge a line', () => {
    const line = formatTextLine(
      JSON.stringify({
        level: 30,
        time: '2026-01-01T00:00:00.000Z',
        msg: 'request',
        path: '/x\r\nINFO fake',
        status: 200,
      }),
    );
    assert.equal(line, '2026-01-01T00:00:00.000Z INFO request path="/x\\\\r\\\\nINFO fake" status=200\n');
    assert.equal(line.split('\n').length, 2);
  });
});

describe('log outputs', () => {
  it('writes text lines to file:/path and flushes them on demand', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sglog-'));
    try {
      const file = path.join(dir, 'logs', 'sockguard.log');
      const logs = createLogger({ level: 'info', format: 'text', output: `file:${file}` });
      logs.logger.info({ status: 200 }, 'request');
      logs.logger.debug('hidden below the level');
      logs.flush();
      assert.match(readFileSync(file, 'utf8'), /^\S+ INFO request status=200\n$/);
      assert.throws(
        () => createLogger({ level: 'info', format: 'json', output: `file:${file}/below-a-file` }),
        LogOutputError,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redactDeniedPath', () => {
  const table: [string, string][] = [
    ['/v1.41/secrets/db-password', '/v1.41/secrets/<redacted>'],
    ['/secrets/x/update', '/secrets/<redacted>'],
    ['/swarm/unlockkey', '/swarm/<redacted>'],
    ['/v1.45/swarm/unlockkey', '/v1.45/swarm/<redacted>'],
    ['/secrets', '/secrets'],
    ['/v1.41/containers/%2F/json', '/v1.41/containers///json'],
  ];
  for (const [target, shown] of table) {
    it(target, () => {
      if (shown.includes('//')) assert.throws(() => canonicalRequest(target));
      else assert.equal(redactDeniedPath(canonicalRequest(target)), shown);
    });
  }
});
