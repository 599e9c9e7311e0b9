import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../../src/proxy/exchange.js';
import { ThrottleAuditSampler } from '../../src/proxy/throttle-audit-sampler.js';

const finished = (sourceIp: string, reasonCode: string | undefined, wouldDeny = false) =>
  ({
    client: { sourceIp },
    result: wouldDeny ? { status: 200, bytes: 0 } : { status: 429, bytes: 0, reasonCode },
    wouldDeny: wouldDeny ? { mode: 'warn', status: 429, reasonCode, reason: '' } : undefined,
  }) as unknown as Exchange;

test('one audit event per client and throttle reason per second; everything else always', () => {
  let now = 5_000;
  const sampler = new ThrottleAuditSampler(() => now);
  const steps: [string, Exchange, boolean][] = [
    ['first rate-limit refusal', finished('10.0.0.1', 'rate_limit_exceeded'), true],
    ['same client and reason, same second', finished('10.0.0.1', 'rate_limit_exceeded'), false],
    ['same client, another reason', finished('10.0.0.1', 'concurrency_cap'), true],
    ['another client', finished('10.0.0.2', 'rate_limit_exceeded'), true],
    ['the same client under another spelling', finished('::ffff:10.0.0.1', 'rate_limit_exceeded'), false],
    ['a would-deny throttle of a warn profile', finished('10.0.0.3', 'priority_floor', true), true],
    ['again in the same second', finished('10.0.0.3', 'priority_floor', true), false],
    ['a rule denial is never sampled', finished('10.0.0.1', 'no_matching_allow_rule'), true],
    ['nor is it twice', finished('10.0.0.1', 'no_matching_allow_rule'), true],
    ['an allowed request', finished('10.0.0.1', undefined), true],
  ];
  for (const [name, exchange, expected] of steps) assert.equal(sampler.admits(exchange), expected, name);
  now = 6_000;
  assert.equal(sampler.admits(finished('10.0.0.1', 'rate_limit_exceeded')), true, 'the next second');
});
