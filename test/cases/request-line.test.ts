import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestLine } from '../../src/cases/request-line.js';

const VALID: [string, string, string][] = [
  ['GET /_ping', 'GET', '/_ping'],
  ['get /_ping', 'GET', '/_ping'],
  ['  HEAD   /v1.45/_ping  ', 'HEAD', '/v1.45/_ping'],
  ['GET\t/containers/json?all=1', 'GET', '/containers/json?all=1'],
  ['POST /containers/a%2Fb/start', 'POST', '/containers/a%2Fb/start'],
  ['DELETE /containers/../images/x', 'DELETE', '/containers/../images/x'],
  ['PROPFIND /x', 'PROPFIND', '/x'],
];

const INVALID: [string, RegExp][] = [
  ['', /expected "METHOD PATH"/],
  ['GET', /expected "METHOD PATH"/],
  ['/containers/json', /expected "METHOD PATH"/],
  ['GET /a b', /expected "METHOD PATH"/],
  ['GET containers/json', /must start with "\/"/],
  ['GE(T /x', /"GE\(T" is not an HTTP method/],
  ['GET /a%zz', /invalid percent-escape "%zz"/],
  ['GET /a%ff', /not UTF-8/],
];

for (const [text, method, target] of VALID) {
  test(`parseRequestLine(${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseRequestLine(text), { ok: true, request: { method, target } });
  });
}

for (const [text, problem] of INVALID) {
  test(`parseRequestLine rejects ${JSON.stringify(text)}`, () => {
    const result = parseRequestLine(text);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problem, problem);
  });
}
