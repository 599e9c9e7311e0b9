/**
 * Owner isolation end to end over a fake daemon, one test per bypass class of security-notes.md §11:
 * same object under many spellings, exec IDs, namespace joins and other embedded references, lists,
 * prunes and events without a filter, unresolvable references, and lookups that fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalRequest } from '../../../src/policy/canonical-path.js';
import {
  authorizeOwnedRequest,
  type OwnershipDecision,
  type OwnershipSettings,
} from '../../../src/policy/ownership/authorize-owned-request.js';
import { fakeDaemon, OWNER_KEY, type FakeObjects } from './fake-daemon-objects.js';

const id = (prefix: string) => prefix + '0'.repeat(64 - prefix.length);
const WEB = id('a1'); // alice
const DB = id('b2'); // bob
const CACHE = id('a1f'); // bob, shares the prefix a1 with WEB
const ALICE_NET = id('c3');
const BOB_NET = id('d4');

const WORLD: FakeObjects = {
  containers: [
    { id: WEB, name: 'web', owner: 'alice' },
    { id: DB, name: 'db', owner: 'bob' },
    { id: CACHE, name: 'cache', owner: 'bob' },
  ],
  execs: [
    { id: id('e1'), containerId: WEB },
    { id: id('e2'), containerId: DB },
    { id: id('e3'), containerId: id('99') },
  ],
  volumes: [
    { name: 'alice-data', owner: 'alice' },
    { name: 'bob-data', owner: 'bob' },
  ],
  networks: [
    { id: ALICE_NET, name: 'alice-net', owner: 'alice' },
    { id: BOB_NET, name: 'bob-net', owner: 'bob' },
  ],
  images: [
    { id: 'sha256:' + id('f5'), name: 'busybox:latest' },
    { id: 'sha256:' + id('f6'), name: 'alice-app:1', owner: 'alice' },
    { id: 'sha256:' + id('f7'), name: 'bob-app:1', owner: 'bob' },
  ],
  secrets: [
    { id: 'aliceSecretId0000000000000', name: 'alice-secret', owner: 'alice' },
    { id: 'bobSecretId00000000000000', name: 'bob-secret', owner: 'bob' },
  ],
  failing: { '/containers/flaky/json': 500 },
};

const ALICE: OwnershipSettings = {
  owner: 'alice',
  labelKey: OWNER_KEY,
  allowUnownedImages: true,
  allowCrossOwnerNamespaceSharing: false,
};

async function authorize(
  method: string,
  target: string,
  body?: unknown,
  settings: OwnershipSettings = ALICE,
): Promise<OwnershipDecision & { seen: string[] }> {
  const request = canonicalRequest(target);
  const daemon = fakeDaemon(WORLD);
  const decision = await authorizeOwnedRequest(
    {
      method,
      normalizedPath: request.normalizedPath,
      decodedPath: request.decodedPath,
      rawQuery: request.rawQuery,
      body:
        body === undefined
          ? undefined
          : new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)),
    },
    settings,
    daemon.lookup,
  );
  return { ...decision, seen: daemon.seen };
}

function forwarded(decision: OwnershipDecision): string {
  assert.ok(decision.ok, decision.ok ? '' : `${decision.status} ${decision.message}`);
  return decision.forwardTarget;
}

function denied(decision: OwnershipDecision, status: number): string {
  assert.equal(decision.ok, false, 'expected a denial');
  assert.ok(!decision.ok);
  assert.equal(decision.status, status, decision.message);
  return decision.message;
}

const sentFilters = (target: string) =>
  JSON.parse(new URLSearchParams(target.slice(target.indexOf('?') + 1)).get('filters')!) as Record<string, unknown>;

describe('one object, many spellings (D21): the daemon resolves, the full ID is forwarded', () => {
  it('the owner by name, by unique prefix and by full ID; always forwarded with the full ID', async () => {
    for (const reference of ['web', 'a10', WEB]) {
      assert.equal(
        forwarded(await authorize('POST', `/v1.41/containers/${reference}/stop?t=1`)),
        `/v1.41/containers/${WEB}/stop?t=1`,
      );
    }
  });

  it("another owner's container by name, unique prefix and full ID: 403", async () => {
    for (const reference of ['db', 'b2', DB, 'a1f', 'cache']) {
      denied(await authorize('POST', `/containers/${reference}/start`), 403);
    }
  });

  it('the message names the reference as given, not the resolved ID', async () => {
    const message = denied(await authorize('GET', '/containers/b2/json'), 403);
    assert.match(message, /"b2"/);
    assert.ok(!message.includes(DB));
  });

  it('an ambiguous prefix or an unknown name is 404 and never forwarded', async () => {
    denied(await authorize('DELETE', '/containers/a1'), 404);
    denied(await authorize('DELETE', '/containers/ghost'), 404);
  });

  it('greedy names stay one reference (a/b is looked up, and not found, like dockerd)', async () => {
    const decision = await authorize('GET', '/containers/web/x/json');
    denied(decision, 404);
    assert.deepEqual(decision.seen, ['/containers/web/x/json']);
  });

  it('a trailing slash and the version prefix survive the rewrite', async () => {
    assert.equal(forwarded(await authorize('GET', '/v1.45/containers/web/json/')), `/v1.45/containers/${WEB}/json/`);
  });

  it('a failed lookup is 502, an unparseable one too', async () => {
    denied(await authorize('GET', '/containers/flaky/json'), 502);
  });
});

describe('exec instances belong to their container', () => {
  it('starting an exec in an own container is allowed (forwarded with the exec ID)', async () => {
    const decision = await authorize('POST', `/exec/${id('e1')}/start`, { Detach: false });
    assert.equal(forwarded(decision), `/exec/${id('e1')}/start`);
    assert.deepEqual(decision.seen, [`/exec/${id('e1')}/json`, `/containers/${WEB}/json`]);
  });

  it("another owner's exec: 403 for start, resize and inspect", async () => {
    denied(await authorize('POST', `/exec/${id('e2')}/start`, {}), 403);
    denied(await authorize('POST', `/exec/${id('e2')}/resize?h=1&w=1`), 403);
    denied(await authorize('GET', `/exec/${id('e2')}/json`), 403);
  });

  it('an exec whose container is gone, or an unknown exec: 404', async () => {
    denied(await authorize('GET', `/exec/${id('e3')}/json`), 404);
    denied(await authorize('GET', `/exec/${id('e9')}/json`), 404);
  });

  it("creating an exec in another owner's container: 403", async () => {
    denied(await authorize('POST', '/containers/db/exec', { Cmd: ['sh'] }), 403);
  });
});

describe('references inside bodies', () => {
  const cases: [string, object][] = [
    ['a PID namespace join by prefix', { Image: 'busybox:latest', HostConfig: { PidMode: 'container:b2' } }],
    ['a network namespace join by name', { Image: 'busybox:latest', HostConfig: { NetworkMode: 'container:db' } }],
    ['an IPC namespace join', { Image: 'busybox:latest', HostConfig: { IpcMode: 'container:cache' } }],
    ['VolumesFrom', { Image: 'busybox:latest', HostConfig: { VolumesFrom: ['db:ro'] } }],
    ['Links', { Image: 'busybox:latest', HostConfig: { Links: ['/db:database'] } }],
    ['a named volume bind', { Image: 'busybox:latest', HostConfig: { Binds: ['bob-data:/data'] } }],
    [
      'a volume mount',
      { Image: 'busybox:latest', HostConfig: { Mounts: [{ Type: 'volume', Source: 'bob-data', Target: '/d' }] } },
    ],
    ['a network as NetworkMode', { Image: 'busybox:latest', HostConfig: { NetworkMode: 'bob-net' } }],
    [
      'an endpoint network by ID prefix',
      { Image: 'busybox:latest', NetworkingConfig: { EndpointsConfig: { d4: {} } } },
    ],
    ['an image of another owner', { Image: 'bob-app:1' }],
    ['a join hidden in a case variant key', { Image: 'busybox:latest', hostconfig: { pidmode: 'container:db' } }],
  ];
  for (const [name, body] of cases) {
    it(`container create with ${name}: 403`, async () => {
      denied(await authorize('POST', '/containers/create?name=x', body), 403);
    });
  }

  it('a create with only own references is stamped and forwarded', async () => {
    const decision = await authorize('POST', '/v1.41/containers/create?name=x', {
      Image: 'alice-app:1',
      HostConfig: { PidMode: 'container:web', Binds: ['alice-data:/d', '/srv:/srv'], NetworkMode: 'alice-net' },
    });
    assert.equal(forwarded(decision), '/v1.41/containers/create?name=x');
    assert.ok(decision.ok && decision.body);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(decision.body)).Labels, { [OWNER_KEY]: 'alice' });
  });

  it('allow_cross_owner_namespace_sharing lets namespace joins through, and nothing else', async () => {
    const sharing = { ...ALICE, allowCrossOwnerNamespaceSharing: true };
    forwarded(
      await authorize(
        'POST',
        '/containers/create',
        { Image: 'busybox:latest', HostConfig: { PidMode: 'container:db' } },
        sharing,
      ),
    );
    denied(
      await authorize(
        'POST',
        '/containers/create',
        { Image: 'busybox:latest', HostConfig: { VolumesFrom: ['db'] } },
        sharing,
      ),
      403,
    );
  });

  it('a missing named volume is created with the owner label first (dockerd would create it unlabelled)', async () => {
    const decision = await authorize('POST', '/containers/create', {
      Image: 'busybox:latest',
      HostConfig: { Binds: ['fresh:/d'] },
    });
    assert.ok(decision.ok);
    assert.deepEqual(decision.createVolumes, ['fresh']);
  });

  it('images: unowned ones only with allow_unowned_images; a missing one is 404 so the CLI pulls', async () => {
    forwarded(await authorize('POST', '/containers/create', { Image: 'busybox:latest' }));
    denied(
      await authorize(
        'POST',
        '/containers/create',
        { Image: 'busybox:latest' },
        { ...ALICE, allowUnownedImages: false },
      ),
      403,
    );
    denied(await authorize('POST', '/containers/create', { Image: 'not-pulled:1' }), 404);
  });

  it('a client-chosen owner label is refused', async () => {
    denied(
      await authorize('POST', '/containers/create', { Image: 'busybox:latest', Labels: { [OWNER_KEY]: 'bob' } }),
      403,
    );
  });

  it("connecting another owner's container to an own network: 403; own container: allowed", async () => {
    denied(await authorize('POST', '/networks/alice-net/connect', { Container: 'db' }), 403);
    assert.equal(
      forwarded(await authorize('POST', '/networks/alice-net/connect', { Container: 'web' })),
      `/networks/${ALICE_NET}/connect`,
    );
    denied(await authorize('POST', '/networks/bob-net/connect', { Container: 'web' }), 403);
  });

  it("a service using another owner's secret: 403", async () => {
    const spec = (secret: string) => ({
      Name: 's',
      TaskTemplate: { ContainerSpec: { Image: 'remote/app:1', Secrets: [{ SecretID: secret, SecretName: 'x' }] } },
    });
    denied(await authorize('POST', '/services/create', spec('bobSecretId00000000000000')), 403);
    const ok = await authorize('POST', '/services/create', spec('aliceSecretId0000000000000'));
    assert.ok(ok.ok && ok.body);
    const stamped = JSON.parse(new TextDecoder().decode(ok.body));
    assert.deepEqual(
      [stamped.Labels, stamped.TaskTemplate.ContainerSpec.Labels],
      [{ [OWNER_KEY]: 'alice' }, { [OWNER_KEY]: 'alice' }],
    );
  });

  it('a build joining another owner container network: 403; the build is labelled', async () => {
    denied(await authorize('POST', '/build?networkmode=container%3Adb'), 403);
    const target = forwarded(await authorize('POST', '/build?t=app'));
    assert.deepEqual(JSON.parse(new URLSearchParams(target.split('?')[1]).get('labels')!), { [OWNER_KEY]: 'alice' });
  });
});

describe('lists, prunes and events always carry the owner filter', () => {
  const cases: [string, string, string][] = [
    ['GET', '/containers/json?all=1', 'label'],
    ['GET', '/networks', 'label'],
    ['GET', '/volumes', 'label'],
    ['GET', '/events', 'label'],
    ['GET', '/events?since=0&until=1', 'label'],
    ['POST', '/containers/prune', 'label'],
    ['POST', '/volumes/prune', 'label'],
    ['POST', '/networks/prune', 'label'],
    ['POST', '/images/prune', 'label'],
    ['GET', '/nodes', 'node.label'],
  ];
  for (const [method, target, key] of cases) {
    it(`${method} ${target}`, async () => {
      assert.deepEqual(sentFilters(forwarded(await authorize(method, target))), {
        [key]: { [`${OWNER_KEY}=alice`]: true },
      });
    });
  }

  it('a list target whose query looks like a path is still the list (classified on the decoded path)', async () => {
    const target = forwarded(await authorize('GET', '/containers/json?all=1&x=/json'));
    assert.ok(target.startsWith('/containers/json?all=1&x=/json&filters='));
  });

  it('a second, unfiltered filters parameter is refused', async () => {
    denied(
      await authorize('GET', `/events?filters=${encodeURIComponent('{}')}&filters=${encodeURIComponent('{}')}`),
      400,
    );
  });
});

describe('query-borne targets', () => {
  it("committing another owner's container: 403; an own one is committed by full ID", async () => {
    denied(await authorize('POST', '/commit?container=db&repo=x'), 403);
    assert.equal(forwarded(await authorize('POST', '/commit?container=web&repo=x')), `/commit?container=${WEB}&repo=x`);
    denied(await authorize('POST', '/commit?container=web&container=db'), 400);
  });

  it('saving images: every name is checked, names kept', async () => {
    denied(await authorize('GET', '/images/get?names=alice-app%3A1&names=bob-app%3A1'), 403);
    assert.equal(
      forwarded(await authorize('GET', '/images/get?names=alice-app%3A1')),
      '/images/get?names=alice-app%3A1',
    );
  });
});

describe('other endpoints', () => {
  it('global endpoints pass without lookups', async () => {
    const decision = await authorize('GET', '/v1.41/version');
    assert.equal(forwarded(decision), '/v1.41/version');
    assert.deepEqual(decision.seen, []);
  });

  it('an endpoint owner isolation cannot scope is denied', async () => {
    denied(await authorize('GET', '/libpod/containers/json'), 403);
    denied(await authorize('HEAD', '/containers/web/json'), 403);
  });

  it('secret updates are owner-checked and keep the owner label', async () => {
    denied(await authorize('POST', '/secrets/bob-secret/update?version=1', { Name: 'bob-secret' }), 403);
    const ok = await authorize('POST', '/secrets/alice-secret/update?version=1', { Name: 'alice-secret', Labels: {} });
    assert.equal(forwarded(ok), '/secrets/aliceSecretId0000000000000/update?version=1');
    assert.ok(ok.ok && ok.body);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(ok.body)).Labels, { [OWNER_KEY]: 'alice' });
  });

  it('images are acted on by the name the client gave', async () => {
    assert.equal(
      forwarded(await authorize('POST', '/images/alice-app:1/tag?repo=x')),
      '/images/alice-app:1/tag?repo=x',
    );
    denied(await authorize('DELETE', '/images/bob-app:1'), 403);
  });
});
