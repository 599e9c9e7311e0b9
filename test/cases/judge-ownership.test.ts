import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget } from '../../src/policy/canonical-path.js';
import { judgeOwnership } from '../../src/cases/judge-ownership.js';

const SETTINGS = {
  owner: 'team-a',
  labelKey: 'com.sockguard.owner',
  allowUnownedImages: true,
  allowCrossOwnerNamespaceSharing: false,
};
const encoder = new TextEncoder();
const judge = (method: string, target: string, body?: string, settings = SETTINGS) =>
  judgeOwnership(settings, method, parseTarget(target), body === undefined ? undefined : encoder.encode(body));

test('judgeOwnership: decisions that need no daemon', () => {
  const table: [string, string, string | undefined, 'allow' | 'deny', number | undefined, string][] = [
    ['GET', '/containers/x/checkpoints', undefined, 'deny', 403, 'unsupported endpoint'],
    ['GET', '/libpod/info', undefined, 'deny', 403, 'libpod'],
    ['GET', '/containers/json?filters=%7B', undefined, 'deny', 400, 'unreadable filters'],
    ['GET', '/containers/json?filters=%7B%7D&filters=%7B%7D', undefined, 'deny', 400, 'repeated filters'],
    ['POST', '/containers/create', '{"Labels":{"com.sockguard.owner":"team-b"}}', 'deny', 403, 'foreign owner label'],
    ['POST', '/containers/create', '{"Labels":{"com.sockguard.owner":"team-a"}}', 'allow', undefined, 'own label'],
    ['POST', '/containers/create', 'not json', 'deny', 400, 'unreadable body'],
    ['POST', '/containers/create', '{"HostConfig":{"VolumesFrom":[""]}}', 'deny', 400, 'empty reference'],
    ['POST', '/build?labels=%5B%5D', undefined, 'deny', 400, 'build labels not an object'],
    ['GET', '/services/a%2Fb', undefined, 'deny', 403, 'a decoded / leaves the one-segment route'],
    ['GET', '/images/get?names=', undefined, 'deny', 400, 'an empty query reference'],
    [
      'POST',
      '/networks/n/connect',
      '{"Container":"a\\u0000b"}',
      'deny',
      400,
      'a control character in a body reference',
    ],
    ['GET', '/commit?container=web', undefined, 'deny', 403, 'POST-only /commit read'],
    ['POST', '/commit?container=web', undefined, 'allow', undefined, 'commit names its container in the query'],
    ['GET', '/_ping', undefined, 'allow', undefined, 'global'],
  ];
  for (const [method, target, body, decision, status, name] of table) {
    const report = judge(method, target, body);
    assert.equal(report.decision, decision, name);
    assert.equal(report.denial?.status, status, name);
  }
});

test('judgeOwnership: lists, prunes and events forward the owner filter; builds the owner label', () => {
  const table: [string, string, string | undefined][] = [
    [
      'GET',
      '/v1.45/containers/json?all=1',
      '/v1.45/containers/json?all=1&filters=%7B%22label%22%3A%7B%22com.sockguard.owner%3Dteam-a%22%3Atrue%7D%7D',
    ],
    [
      'POST',
      '/volumes/prune',
      '/volumes/prune?filters=%7B%22label%22%3A%7B%22com.sockguard.owner%3Dteam-a%22%3Atrue%7D%7D',
    ],
    ['GET', '/nodes', '/nodes?filters=%7B%22node.label%22%3A%7B%22com.sockguard.owner%3Dteam-a%22%3Atrue%7D%7D'],
    ['GET', '/system/df', undefined],
    ['GET', '/images/json', undefined],
    ['POST', '/build?t=app', '/build?t=app&labels=%7B%22com.sockguard.owner%22%3A%22team-a%22%7D'],
  ];
  for (const [method, target, forward] of table) {
    assert.equal(judge(method, target).forwardTarget, forward, `${method} ${target}`);
  }
  const strict = { ...SETTINGS, allowUnownedImages: false };
  assert.match(judge('GET', '/images/json', undefined, strict).forwardTarget ?? '', /filters=/);
});

test('judgeOwnership: creates are stamped and their references listed in serve order', () => {
  const body = JSON.stringify({
    Image: 'nginx:1',
    HostConfig: { NetworkMode: 'container:db', Binds: ['data:/data', '/srv:/srv'] },
  });
  const report = judge('POST', '/containers/create', body);
  assert.deepEqual(report.stamped, ['Labels']);
  assert.deepEqual(JSON.parse(report.forwardBody!).Labels, { 'com.sockguard.owner': 'team-a' });
  assert.deepEqual(
    report.checks.map((c) => [c.resource, c.reference, c.source, c.ifMissing]),
    [
      ['container', 'db', 'HostConfig.NetworkMode', 'refuse'],
      ['volume', 'data', 'HostConfig.Binds[0]', 'create-volume'],
      ['image', 'nginx:1', 'Image', 'refuse'],
    ],
  );
  const sharing = judge('POST', '/containers/create', body, { ...SETTINGS, allowCrossOwnerNamespaceSharing: true });
  assert.deepEqual(
    sharing.checks.map((c) => c.reference),
    ['data', 'nginx:1'],
  );
  // Without --body serve stamps the empty body it received; no forwarded body is shown.
  const empty = judge('POST', '/networks/create');
  assert.deepEqual([empty.decision, empty.stamped, empty.forwardBody], ['allow', ['Labels'], undefined]);
  assert.deepEqual(judge('POST', '/services/create', '{}').stamped, ['Labels', 'TaskTemplate.ContainerSpec.Labels']);
});

test('judgeOwnership: per-resource requests list the target as a gap, never decide it', () => {
  const report = judge('POST', '/v1.45/containers/web/start');
  assert.equal(report.decision, 'allow');
  assert.equal(report.handling, 'per-resource');
  assert.deepEqual(report.checks, [{ resource: 'container', reference: 'web', source: 'path', ifMissing: 'refuse' }]);
  assert.ok(report.notes.some((n) => n.includes('offline there is no daemon')));
  assert.deepEqual(
    judge('GET', '/images/get?names=a&names=b').checks.map((c) => [c.reference, c.source]),
    [
      ['a', '?names='],
      ['b', '?names='],
    ],
  );
});
