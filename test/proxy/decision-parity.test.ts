/**
 * `sockguard serve` and `sockguard test` decide through the same code: for every request here the
 * proxy forwards exactly when `decide()` (the offline evaluator) allows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decide } from '../../src/policy/compile.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { compileYaml, request, startTestProxy, type TestProxy } from './fixture.js';

const POLICY = `
rules:
  - { match: { method: "GET,HEAD", path: /_ping }, action: allow }
  - { match: { method: GET, path: "/containers/*/json" }, action: allow }
  - { match: { method: "POST", path: "/containers/*/start" }, action: allow }
  - { match: { method: "*", path: "/images/**" }, action: deny, reason: images are off limits }
  - { match: { method: GET, path: "/images/json" }, action: allow }
  - { match: { method: "*", path: "/volumes/**" }, action: allow }
  - { match: { method: "*", path: "/**" }, action: deny, reason: no matching allow rule }
`;

const REQUESTS: [string, string][] = [
  ['GET', '/_ping'],
  ['HEAD', '/_ping'],
  ['POST', '/_ping'],
  ['GET', '/v1.41/containers/abc/json'],
  ['GET', '/v1.41/containers/abc/json/'],
  ['GET', '/containers/a%2Fb/json'],
  ['GET', '/%63ontainers/abc/json'],
  ['POST', '/v1.41/containers/abc/start'],
  ['POST', '/v1.41/containers/abc/stop'],
  ['GET', '/images/json'],
  ['GET', '/v1.45./containers/abc/json'],
  ['GET', '/V1.41/containers/abc/json'],
  ['DELETE', '/volumes'],
  ['DELETE', '/volumes/x'],
  ['GET', '/containers/json?x=/abc/json'],
];

describe('serve and decide() agree', () => {
  let daemon: FakeDaemon;
  let proxy: TestProxy;
  before(async () => {
    // An empty JSON answer: what reaches the client then depends only on the decision (the
    // response filter passes it on unchanged).
    daemon = await startFakeDaemon((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{}');
    });
    proxy = await startTestProxy(POLICY, daemon.socketPath);
  });
  after(async () => {
    await proxy.close();
    await daemon.close();
  });

  const compiled = compileYaml(POLICY);
  for (const [method, target] of REQUESTS) {
    it(`${method} ${target}`, async () => {
      const offline = decide(compiled, method, target);
      const before = daemon.requests.length;
      const response = await request(proxy.socketPath, method, target);
      const forwarded = daemon.requests.length > before;
      assert.equal(
        forwarded,
        offline.decision === 'allow',
        `offline: ${offline.decision}, proxy status ${response.status}`,
      );
      assert.equal(response.status, offline.decision === 'allow' ? 200 : 403);
    });
  }
});
