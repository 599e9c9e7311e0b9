/**
 * Request-body inspection figures (issue 5; aim: under 50 µs per typical container create):
 * 1. µs per request to decode and judge the typical `docker run` create body under a realistic
 *    container_create policy, against JSON.parse of the same bytes (the baseline: the least any
 *    JSON inspection costs), median and p99 over batches;
 * 2. allowed decisions per second with inspection off and on, through the code `sockguard test`
 *    runs (explainRequest vs explainFullRequest) and through the bare core serve is built on
 *    (decide vs decide + inspectRequestBody), measured side by side in this process.
 */
import { readFileSync } from 'node:fs';
import { explainFullRequest } from '../src/cases/explain-full-request.js';
import { explainRequest } from '../src/cases/explain-request.js';
import { preparePolicy } from '../src/cases/policy-under-test.js';
import { compileRequestPolicies } from '../src/policy/clients/request-policies.js';
import { inspectRequestBody, type BodyRequest } from '../src/policy/body/inspect-request-body.js';
import { decide } from '../src/policy/compile.js';
import { resolvePolicy } from '../src/policy/load.js';
import type { PolicyDocument } from '../src/policy/schema.js';
import { formatRate, median, opsPerSecond, percentile, printTable } from './stats.js';

const TYPICAL_CREATE = readFileSync(new URL('../test/policy/body/fixtures/typical-create.json', import.meta.url));
const TARGET = '/v1.45/containers/create';

/** What a careful operator writes for a service that may start its own containers. */
const POLICY: PolicyDocument = {
  request_body: {
    container_create: {
      allowed_bind_mounts: ['/srv/app/data'],
      allowed_capabilities: ['NET_BIND_SERVICE'],
      allowed_runtimes: ['runc'],
      deny_unconfined_seccomp: true,
      deny_unconfined_apparmor: true,
      deny_selinux_disable: true,
      deny_selinux_label_override: true,
      deny_unconfined_system_paths: true,
      restrict_namespace_sharing: true,
    },
  },
  rules: [
    { match: { method: 'GET,HEAD', path: '/_ping' }, action: 'allow' },
    { match: { method: 'GET', path: '/version' }, action: 'allow' },
    { match: { method: 'GET', path: '/containers/json' }, action: 'allow' },
    { match: { method: 'POST', path: '/containers/create' }, action: 'allow' },
    { match: { method: 'POST', path: '/containers/*/start' }, action: 'allow' },
    { match: { method: '*', path: '/**' }, action: 'deny', reason: 'no matching allow rule' },
  ],
};

const BATCHES = 200;
const PER_BATCH = 500;

/** µs per call of `fn`, one figure per batch (after a warm-up). */
function microsPerCall(fn: () => void): number[] {
  for (let i = 0; i < 20_000; i++) fn();
  const samples: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_BATCH; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / PER_BATCH);
  }
  return samples;
}

const us = (n: number): string => `${n.toFixed(2)} µs`;
/** The mean includes the batches a garbage collection landed in, which the median hides. */
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

export default async function run(): Promise<void> {
  const policy = resolvePolicy(POLICY);
  const put = preparePolicy(policy);
  const policies = compileRequestPolicies(policy);
  const bodyPolicy = policies.bodyPolicyOf(undefined);
  const request: BodyRequest = {
    method: 'POST',
    normalizedPath: '/containers/create',
    apiVersion: '1.45',
    headers: { 'content-type': 'application/json' },
    body: TYPICAL_CREATE,
  };
  const verdict = inspectRequestBody(request, bodyPolicy);
  if (!verdict.ok) throw new Error(`the typical create body must pass the bench policy: ${verdict.reason}`);

  const decoder = new TextDecoder();
  const inspect = microsPerCall(() => inspectRequestBody(request, bodyPolicy));
  const parse = microsPerCall(() => JSON.parse(decoder.decode(TYPICAL_CREATE)));
  const baseline = median(parse);
  printTable(
    [`typical create body (${TYPICAL_CREATE.length} bytes)`, 'median', 'mean', 'p99', 'vs JSON.parse (median)'],
    [
      [
        'decode + inspect (inspectRequestBody)',
        us(median(inspect)),
        us(mean(inspect)),
        us(percentile(inspect, 99)),
        `${(median(inspect) / baseline).toFixed(1)}x`,
      ],
      ['JSON.parse of the same bytes (baseline)', us(baseline), us(mean(parse)), us(percentile(parse, 99)), '1.0x'],
    ],
  );
  console.log('');

  const line = { method: 'POST', target: TARGET };
  const input = { body: TYPICAL_CREATE, headers: { 'content-type': 'application/json' } };
  const rows: string[][] = [];
  const compare = (path: string, off: () => void, on: () => void) => {
    const offRate = opsPerSecond(off);
    const onRate = opsPerSecond(on);
    rows.push([path, formatRate(offRate), formatRate(onRate), us(1e6 / onRate - 1e6 / offRate)]);
  };
  compare(
    'sockguard test (explainRequest / explainFullRequest)',
    () => explainRequest(put, line),
    () => explainFullRequest(put, policies, line, input),
  );
  compare(
    'core (decide / decide + inspectRequestBody)',
    () => decide(put.compiled, 'POST', TARGET),
    () => {
      if (decide(put.compiled, 'POST', TARGET).decision === 'allow') inspectRequestBody(request, bodyPolicy);
    },
  );
  printTable(['allowed POST /containers/create', 'inspection off', 'inspection on', 'added per request'], rows);
}
