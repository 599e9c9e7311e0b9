/**
 * Owner isolation against a real dockerd: two owners act through authorizeOwnedRequest (with the
 * daemon's own inspects as the lookup) and the forwarded requests go to the daemon. It pins the
 * daemon behaviour the core relies on: that the re-encoded filters scope lists, prunes and events
 * (both filter encodings, ANDed with the client's), that stamped bodies carry the label, that name,
 * full ID and unique prefix resolve to the same object, and that the rewritten path acts on it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { canonicalRequest } from '../../../src/policy/canonical-path.js';
import {
  authorizeOwnedRequest,
  type DaemonLookup,
  type OwnershipDecision,
  type OwnershipSettings,
} from '../../../src/policy/ownership/authorize-owned-request.js';
import { dockerAvailable, startDockerDaemon, TEST_IMAGE, type DockerDaemon } from '../../helpers/docker-daemon.js';

const availability = dockerAvailable();
const skip = availability.ok ? false : `no real dockerd: ${availability.reason}`;

const KEY = 'com.sockguard.owner';
const settings = (owner: string): OwnershipSettings => ({
  owner,
  labelKey: KEY,
  allowUnownedImages: true,
  allowCrossOwnerNamespaceSharing: false,
});

describe('owner isolation against a real dockerd', { skip }, () => {
  let daemon: DockerDaemon;
  let lookup: DaemonLookup;
  const ids: Record<string, string> = {};

  before(async () => {
    daemon = await startDockerDaemon();
    lookup = async (path) => {
      const response = await daemon.request('GET', `/v1.41${path}`);
      return { status: response.status, body: response.body };
    };
    for (const [owner, name] of [
      ['alice', 'alice-web'],
      ['bob', 'bob-web'],
    ] as const) {
      const created = await send(owner, 'POST', `/v1.41/containers/create?name=${name}`, {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '600'],
        StopTimeout: 1,
        HostConfig: { NetworkMode: 'none', Init: true },
      });
      assert.equal(created.status, 201, created.body);
      ids[name] = (JSON.parse(created.body) as { Id: string }).Id;
    }
  });

  after(async () => {
    await daemon?.stop();
  });

  async function authorize(owner: string, method: string, target: string, body?: unknown): Promise<OwnershipDecision> {
    const request = canonicalRequest(target);
    return authorizeOwnedRequest(
      {
        method,
        normalizedPath: request.normalizedPath,
        decodedPath: request.decodedPath,
        rawQuery: request.rawQuery,
        body: body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body)),
      },
      settings(owner),
      lookup,
    );
  }

  /** Authorizes, then forwards what the decision says; a denial comes back as its status. */
  async function send(owner: string, method: string, target: string, body?: unknown) {
    const decision = await authorize(owner, method, target, body);
    if (!decision.ok) return { status: decision.status, body: decision.message };
    for (const volume of decision.createVolumes) {
      await daemon.request('POST', '/v1.41/volumes/create', {
        body: JSON.stringify({ Name: volume, Labels: { [KEY]: owner } }),
        headers: { 'Content-Type': 'application/json' },
      });
    }
    const payload = decision.body ?? (body === undefined ? undefined : JSON.stringify(body));
    return daemon.request(method, decision.forwardTarget, {
      ...(payload !== undefined ? { body: Buffer.from(payload), headers: { 'Content-Type': 'application/json' } } : {}),
    });
  }

  const names = (body: string) => (JSON.parse(body) as { Names: string[] }[]).map((c) => c.Names[0]).sort();

  it('stamps the owner label on creates', async () => {
    const inspect = await daemon.request('GET', `/v1.41/containers/${ids['alice-web']}/json`);
    assert.equal(
      (JSON.parse(inspect.body) as { Config: { Labels: Record<string, string> } }).Config.Labels[KEY],
      'alice',
    );
  });

  it('lists only the owner containers, with either client filter encoding kept', async () => {
    assert.deepEqual(names((await send('alice', 'GET', '/v1.41/containers/json?all=1')).body), ['/alice-web']);
    assert.deepEqual(names((await send('bob', 'GET', '/v1.41/containers/json?all=1')).body), ['/bob-web']);
    for (const filters of ['{"name":["web"]}', '{"name":{"web":true}}']) {
      const list = await send('alice', 'GET', `/v1.41/containers/json?all=1&filters=${encodeURIComponent(filters)}`);
      assert.deepEqual(names(list.body), ['/alice-web']);
    }
    const narrowed = await send(
      'alice',
      'GET',
      `/v1.41/containers/json?all=1&filters=${encodeURIComponent('{"label":["com.sockguard.owner=bob"]}')}`,
    );
    assert.deepEqual(names(narrowed.body), []);
  });

  it('resolves name, full ID and unique prefix to the same object and acts on the full ID', async () => {
    const alice = ids['alice-web']!;
    for (const reference of ['alice-web', alice, alice.slice(0, 6)]) {
      const decision = await authorize('alice', 'GET', `/v1.41/containers/${reference}/json`);
      assert.ok(decision.ok);
      assert.equal(decision.forwardTarget, `/v1.41/containers/${alice}/json`);
    }
    const bob = ids['bob-web']!;
    for (const reference of ['bob-web', bob, bob.slice(0, 6)]) {
      assert.equal((await send('alice', 'POST', `/v1.41/containers/${reference}/start`)).status, 403);
      assert.equal((await send('alice', 'DELETE', `/v1.41/containers/${reference}?force=1`)).status, 403);
    }
    assert.equal((await send('alice', 'POST', '/v1.41/containers/alice-web/start')).status, 204);
  });

  it("denies exec into, and namespace joins of, the other owner's container", async () => {
    assert.equal((await send('bob', 'POST', '/v1.41/containers/bob-web/start')).status, 204);
    const exec = await send('bob', 'POST', '/v1.41/containers/bob-web/exec', { Cmd: ['true'] });
    assert.equal(exec.status, 201, exec.body);
    const execId = (JSON.parse(exec.body) as { Id: string }).Id;
    assert.equal((await send('alice', 'GET', `/v1.41/exec/${execId}/json`)).status, 403);
    assert.equal((await send('bob', 'GET', `/v1.41/exec/${execId}/json`)).status, 200);
    assert.equal((await send('alice', 'POST', '/v1.41/containers/alice-web/exec', { Cmd: ['true'] })).status, 201);
    for (const mode of ['PidMode', 'IpcMode', 'NetworkMode']) {
      const join = await send('alice', 'POST', '/v1.41/containers/create', {
        Image: TEST_IMAGE,
        HostConfig: { [mode]: `container:${ids['bob-web']!.slice(0, 8)}` },
      });
      assert.equal(join.status, 403, mode);
    }
    const volumesFrom = await send('alice', 'POST', '/v1.41/containers/create', {
      Image: TEST_IMAGE,
      HostConfig: { NetworkMode: 'none', VolumesFrom: ['bob-web'] },
    });
    assert.equal(volumesFrom.status, 403);
  });

  it('creates a missing named volume with the owner label before the container that binds it', async () => {
    const created = await send('alice', 'POST', '/v1.41/containers/create?name=alice-vol', {
      Image: TEST_IMAGE,
      HostConfig: { NetworkMode: 'none', Binds: ['alice-cache:/cache'] },
    });
    assert.equal(created.status, 201, created.body);
    const volume = JSON.parse((await daemon.request('GET', '/v1.41/volumes/alice-cache')).body) as {
      Labels: Record<string, string>;
    };
    assert.equal(volume.Labels[KEY], 'alice');
    const volumes = JSON.parse((await send('bob', 'GET', '/v1.41/volumes')).body) as { Volumes: { Name: string }[] };
    assert.deepEqual(
      volumes.Volumes.map((v) => v.Name),
      [],
    );
    assert.equal((await send('bob', 'DELETE', '/v1.41/volumes/alice-cache')).status, 403);
  });

  it('scopes events and prunes to the owner', async () => {
    const since = Math.floor(Date.now() / 1000) - 600;
    const until = Math.floor(Date.now() / 1000) + 1;
    const events = await send('alice', 'GET', `/v1.41/events?since=${since}&until=${until}`);
    const actors = events.body
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { Actor: { Attributes: Record<string, string> } }).Actor.Attributes[KEY]);
    assert.ok(actors.length > 0);
    assert.deepEqual([...new Set(actors)], ['alice']);

    for (const owner of ['alice', 'bob']) {
      const created = await send(owner, 'POST', `/v1.41/containers/create?name=${owner}-stopped`, {
        Image: TEST_IMAGE,
        HostConfig: { NetworkMode: 'none' },
      });
      assert.equal(created.status, 201, created.body);
    }
    const pruned = JSON.parse((await send('alice', 'POST', '/v1.41/containers/prune')).body) as {
      ContainersDeleted: string[] | null;
    };
    assert.ok((pruned.ContainersDeleted ?? []).length >= 1);
    assert.equal((await daemon.request('GET', '/v1.41/containers/bob-stopped/json')).status, 200);
    assert.equal((await daemon.request('GET', '/v1.41/containers/alice-stopped/json')).status, 404);
  });
});
