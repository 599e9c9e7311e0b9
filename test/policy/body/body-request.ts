/** Builds requests and compiled policies for the request-body tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTarget } from '../../../src/policy/canonical-path.js';
import {
  compileBodyPolicy,
  type BodyPolicyOptions,
  type CompiledBodyPolicy,
} from '../../../src/policy/body/compile-body-policy.js';
import {
  inspectRequestBody,
  type BodyContext,
  type BodyRequest,
  type BodyVerdict,
} from '../../../src/policy/body/inspect-request-body.js';
import { resolvePolicy } from '../../../src/policy/load.js';
import type { PolicyDocument } from '../../../src/policy/schema.js';

export type RequestBodyDocument = NonNullable<PolicyDocument['request_body']>;

/** A root-level request_body block with the reference defaults applied, compiled. */
export function rootPolicy(requestBody: RequestBodyDocument = {}, options: BodyPolicyOptions = {}): CompiledBodyPolicy {
  return compileBodyPolicy(resolvePolicy({ request_body: requestBody }).request_body, options);
}

export const TYPICAL_CREATE = readFileSync(new URL('./fixtures/typical-create.json', import.meta.url), 'utf8');

export type Body = Uint8Array | string | object | undefined;

function bytesOf(body: Body): Uint8Array | undefined {
  if (body === undefined || body instanceof Uint8Array) return body;
  return new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
}

export function request(
  method: string,
  target: string,
  body?: Body,
  headers: BodyRequest['headers'] = {},
): BodyRequest {
  const parsed = parseTarget(target);
  const json = body !== undefined && !(body instanceof Uint8Array);
  return {
    method,
    normalizedPath: parsed.normalizedPath,
    ...(parsed.apiVersion !== undefined ? { apiVersion: parsed.apiVersion } : {}),
    ...(parsed.rawQuery !== undefined ? { query: parsed.rawQuery } : {}),
    headers: json ? { 'content-type': 'application/json', ...headers } : headers,
    ...(body !== undefined ? { body: bytesOf(body)! } : {}),
  };
}

export function judge(
  policy: CompiledBodyPolicy,
  method: string,
  target: string,
  body?: Body,
  headers: BodyRequest['headers'] = {},
  context: BodyContext = {},
): BodyVerdict {
  return inspectRequestBody(request(method, target, body, headers), policy, context);
}

export function assertAllowed(verdict: BodyVerdict, note = ''): void {
  assert.equal(
    verdict.ok,
    true,
    `expected allow ${note}, got ${verdict.ok ? '' : `${verdict.status} ${verdict.reason}`}`,
  );
}

/** Asserts a denial and that its reason mentions every fragment (field names, policy keys). */
export function assertDenied(verdict: BodyVerdict, status: 400 | 403 | 413, ...fragments: string[]): void {
  assert.equal(verdict.ok, false, `expected a ${status} denial mentioning ${fragments.join(', ')}`);
  if (verdict.ok) return;
  assert.equal(verdict.status, status, `status for: ${verdict.reason}`);
  const code =
    status === 413 ? 'request_body_too_large' : status === 400 ? 'request_body_inspection_failed' : undefined;
  if (code !== undefined) assert.equal(verdict.reasonCode, code);
  for (const fragment of fragments)
    assert.ok(verdict.reason.includes(fragment), `"${verdict.reason}" should mention "${fragment}"`);
}
