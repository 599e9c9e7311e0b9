import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkOwnership,
  buildLookupPath,
  readOwnedResource,
  type OwnerLookup,
} from '../../../src/policy/ownership/check-ownership.js';
import type { ResourceKind } from '../../../src/policy/ownership/classify-owned-request.js';
import { readFixture } from '../response/response-fixtures.js';

const SCOPE = { labelKey: 'com.sockguard.owner', owner: 'alice', allowUnownedImages: false };

describe('buildLookupPath', () => {
  const cases: [ResourceKind, string, string][] = [
    ['container', 'sg-web', '/containers/sg-web/json'],
    ['container', '/sg-web', '/containers/sg-web/json'],
    ['container', '1948', '/containers/1948/json'],
    ['exec', '46a1', '/exec/46a1/json'],
    ['image', 'ghcr.io/org/app:1', '/images/ghcr.io/org/app:1/json'],
    ['image', 'app@sha256:abc', '/images/app@sha256:abc/json'],
    ['image', 'a b#c?d%', '/images/a%20b%23c%3Fd%25/json'],
    ['network', 'sg-net', '/networks/sg-net'],
    ['volume', 'sg-data', '/volumes/sg-data'],
    ['service', 'sg-svc', '/services/sg-svc'],
    ['task', 'padh3g', '/tasks/padh3g'],
    ['secret', 'sg-secret', '/secrets/sg-secret'],
    ['config', 'sg-config', '/configs/sg-config'],
    ['node', 'self', '/nodes/self'],
  ];
  for (const [kind, reference, path] of cases) {
    it(`${kind} ${reference}`, () => assert.deepEqual(buildLookupPath(kind, reference), { ok: true, path }));
  }

  const refused: [ResourceKind, string][] = [
    ['container', ''],
    ['container', '/'],
    ['image', '../../containers/x'],
    ['image', 'a/./b'],
    ['image', 'a//b'],
    ['volume', 'x/'],
    ['network', 'a\nb'],
    ['container', 'a\u0000'],
    ['service', 'a/update'],
    ['secret', 's/x'],
  ];
  for (const [kind, reference] of refused) {
    it(`refuses ${kind} ${JSON.stringify(reference)} with 400`, () => {
      const result = buildLookupPath(kind, reference);
      assert.ok(!result.ok);
      assert.deepEqual([result.status, result.reasonCode], [400, 'owner_request_invalid']);
    });
  }
});

describe('readOwnedResource on real inspect responses', () => {
  const task = JSON.stringify((JSON.parse(readFixture('task-list.json').toString()) as unknown[])[0]);
  const cases: [ResourceKind, string | Buffer, string, Record<string, string>][] = [
    [
      'container',
      readFixture('container-inspect.json'),
      '194867435c639f90f6c648c1fd9ead248f7fd09f366475c85d725954086d80f5',
      { app: 'web', 'com.sockguard.owner': 'alice' },
    ],
    [
      'image',
      readFixture('image-inspect.json'),
      'sha256:83132257e226b5a834b2a3e875aa27a14ab21f7856b2a47d2a37bc56a7b8b3fa',
      {},
    ],
    [
      'network',
      readFixture('network-inspect.json'),
      'f87bac985b9f244ecfcac811b70a5c1512d6232c1a41dad1dcaf964c97d79a03',
      { 'com.sockguard.owner': 'alice' },
    ],
    ['volume', readFixture('volume-inspect.json'), 'sg-data', { 'com.sockguard.owner': 'alice' }],
    ['service', readFixture('service-inspect.json'), '7dx9aowpudb7npv2brcgmoucu', { 'com.sockguard.owner': 'alice' }],
    ['task', task, 'padh3g0xodcp3nna8wre7yu88', { 'com.sockguard.owner': 'alice' }],
    ['secret', readFixture('secret-inspect.json'), 'in7llnmg49inhdxjkamgmu92j', { 'com.sockguard.owner': 'alice' }],
    ['config', readFixture('config-inspect.json'), 'm5tzy6vrw2rhc74fujsbxrehr', { 'com.sockguard.owner': 'alice' }],
    ['node', readFixture('node-inspect.json'), 'rqe144n4p96bdwpsg8aiifz4m', {}],
  ];
  for (const [kind, body, id, labels] of cases) {
    it(kind, () => {
      const lookup = readOwnedResource(kind, 200, body);
      assert.ok(lookup.status === 'found');
      assert.equal(lookup.resource.id, id);
      assert.deepEqual(Object.fromEntries(lookup.resource.labels), labels);
    });
  }

  it('an exec instance yields its container', () => {
    const lookup = readOwnedResource('exec', 200, readFixture('exec-inspect.json'));
    assert.ok(lookup.status === 'found');
    assert.equal(lookup.resource.containerId, '194867435c639f90f6c648c1fd9ead248f7fd09f366475c85d725954086d80f5');
  });

  const failures: [string, ResourceKind, number, string, OwnerLookup['status']][] = [
    ['404 is missing', 'container', 404, '{"message":"No such container: x"}', 'missing'],
    ['500 is a failure', 'container', 500, '{"message":"boom"}', 'failed'],
    ['a redirect is a failure', 'container', 301, '', 'failed'],
    ['an unparseable body', 'container', 200, '{"Id":', 'failed'],
    ['no ID', 'container', 200, '{"Config":{"Labels":{}}}', 'failed'],
    ['labels of the wrong type', 'container', 200, '{"Id":"x","Config":{"Labels":["a"]}}', 'failed'],
    ['an exec without its container', 'exec', 200, '{"ID":"e"}', 'failed'],
    ['a list instead of an object', 'volume', 200, '[]', 'failed'],
  ];
  for (const [name, kind, status, body, expected] of failures) {
    it(name, () => assert.equal(readOwnedResource(kind, status, body).status, expected));
  }
});

const found = (labels: Record<string, string>): OwnerLookup => ({
  status: 'found',
  resource: { id: 'f'.repeat(64), labels: new Map(Object.entries(labels)) },
});

describe('checkOwnership', () => {
  it('allows the owner', () => {
    assert.deepEqual(
      checkOwnership({ resource: 'container', reference: 'web' }, found({ 'com.sockguard.owner': 'alice' }), SCOPE),
      { ok: true },
    );
  });

  it('denies another owner and an unowned object with 403, naming the reference as given (never the full ID)', () => {
    for (const labels of [{ 'com.sockguard.owner': 'bob' }, {}, { 'COM.SOCKGUARD.OWNER': 'alice' }]) {
      const verdict = checkOwnership({ resource: 'container', reference: '1a2' }, found(labels), SCOPE);
      assert.ok(!verdict.ok);
      assert.deepEqual([verdict.status, verdict.reasonCode], [403, 'owner_policy_denied_access']);
      assert.match(verdict.message, /container "1a2"/);
      assert.doesNotMatch(verdict.message, /ffff/);
    }
  });

  it('images: unowned ones pass only with allow_unowned_images; another owner never', () => {
    const image = { resource: 'image' as const, reference: 'app' };
    assert.equal(checkOwnership(image, found({}), SCOPE).ok, false);
    assert.equal(checkOwnership(image, found({}), { ...SCOPE, allowUnownedImages: true }).ok, true);
    assert.equal(
      checkOwnership(image, found({ 'com.sockguard.owner': 'bob' }), { ...SCOPE, allowUnownedImages: true }).ok,
      false,
    );
    assert.equal(
      checkOwnership({ resource: 'volume', reference: 'v' }, found({}), { ...SCOPE, allowUnownedImages: true }).ok,
      false,
    );
  });

  it('answers 404 for an unknown reference instead of forwarding it', () => {
    const verdict = checkOwnership({ resource: 'container', reference: 'ghost' }, { status: 'missing' }, SCOPE);
    assert.deepEqual(verdict, {
      ok: false,
      status: 404,
      reasonCode: 'owner_policy_denied_access',
      message: 'No such container: ghost',
    });
  });

  it('follows ifMissing for embedded references', () => {
    assert.deepEqual(
      checkOwnership({ resource: 'image', reference: 'app', ifMissing: 'allow' }, { status: 'missing' }, SCOPE),
      { ok: true },
    );
    assert.deepEqual(
      checkOwnership(
        { resource: 'volume', reference: 'data', ifMissing: 'create-volume' },
        { status: 'missing' },
        SCOPE,
      ),
      { ok: true, createVolume: true },
    );
  });

  it('a failed lookup is 502 owner policy lookup failed', () => {
    assert.deepEqual(checkOwnership({ resource: 'network', reference: 'n' }, { status: 'failed' }, SCOPE), {
      ok: false,
      status: 502,
      reasonCode: 'owner_policy_lookup_failed',
      message: 'owner policy lookup failed',
    });
  });

  it('judges an exec instance by its container: its own lookup carries no labels and is denied', () => {
    const exec = { resource: 'exec' as const, reference: 'e1' };
    const own = readOwnedResource('exec', 200, readFixture('exec-inspect.json'));
    assert.equal(checkOwnership(exec, own, SCOPE).ok, false);
    const container = readOwnedResource('container', 200, readFixture('container-inspect.json'));
    assert.deepEqual(checkOwnership(exec, container, SCOPE), { ok: true });
    const verdict = checkOwnership(exec, container, { ...SCOPE, owner: 'bob' });
    assert.ok(!verdict.ok);
    assert.match(verdict.message, /exec "e1"/);
  });
});
