import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  referencesInBody,
  referencesInBuildQuery,
  type OwnedReference,
} from '../../../src/policy/ownership/body-references.js';
import type { ReferenceBody } from '../../../src/policy/ownership/classify-owned-request.js';

const STRICT = { allowCrossOwnerNamespaceSharing: false };

function refs(kind: ReferenceBody, body: unknown, options = STRICT): string[] {
  const result = referencesInBody(kind, JSON.stringify(body), options);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.references.map(format);
}

const format = (r: OwnedReference) =>
  `${r.resource} ${r.reference} @${r.source}${r.ifMissing === 'refuse' ? '' : ` (${r.ifMissing})`}`;

describe('referencesInBody: container create', () => {
  const cases: [string, unknown, string[]][] = [
    [
      'namespace joins',
      {
        HostConfig: {
          NetworkMode: 'container:web',
          PidMode: 'container:1a2b',
          IpcMode: 'container:/db',
          UTSMode: 'container:u',
          UsernsMode: 'container:n',
          Cgroup: 'container:c',
        },
      },
      [
        'container web @HostConfig.NetworkMode',
        'container 1a2b @HostConfig.PidMode',
        'container /db @HostConfig.IpcMode',
        'container u @HostConfig.UTSMode',
        'container n @HostConfig.UsernsMode',
        'container c @HostConfig.Cgroup',
      ],
    ],
    [
      'modes that name nothing',
      { HostConfig: { NetworkMode: 'bridge', PidMode: 'host', IpcMode: 'shareable', UTSMode: 'host' } },
      [],
    ],
    [
      'a user-defined network as NetworkMode',
      { HostConfig: { NetworkMode: 'tenant-net' } },
      ['network tenant-net @HostConfig.NetworkMode'],
    ],
    [
      'VolumesFrom and Links',
      { HostConfig: { VolumesFrom: ['data:ro', 'cache'], Links: ['/db:database', 'redis'] } },
      [
        'container data @HostConfig.VolumesFrom[0]',
        'container cache @HostConfig.VolumesFrom[1]',
        'container /db @HostConfig.Links[0]',
        'container redis @HostConfig.Links[1]',
      ],
    ],
    [
      'named volumes in Binds, not host paths or anonymous volumes',
      { HostConfig: { Binds: ['/srv:/srv', 'data:/data:ro', '/anonymous', 'c:/x'] } },
      ['volume data @HostConfig.Binds[1] (create-volume)', 'volume c @HostConfig.Binds[3] (create-volume)'],
    ],
    [
      'volume mounts, not binds or tmpfs',
      {
        HostConfig: {
          Mounts: [
            { Type: 'volume', Source: 'cache', Target: '/c' },
            { Type: 'bind', Source: '/srv', Target: '/s' },
            { Type: 'volume', Target: '/anon' },
            { Type: 'tmpfs', Target: '/t' },
          ],
        },
      },
      ['volume cache @HostConfig.Mounts[0].Source (create-volume)'],
    ],
    [
      'endpoint networks and their links',
      { NetworkingConfig: { EndpointsConfig: { 'tenant-net': { Links: ['db:db'] }, bridge: {} } } },
      [
        'network tenant-net @NetworkingConfig.EndpointsConfig[tenant-net]',
        'container db @NetworkingConfig.EndpointsConfig[tenant-net].Links[0]',
      ],
    ],
    ['the image', { Image: 'ghcr.io/org/app:1' }, ['image ghcr.io/org/app:1 @Image']],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => assert.deepEqual(refs('container-create', body), expected));
  }

  it('reads keys the way dockerd does (case-insensitive struct fields)', () => {
    assert.deepEqual(refs('container-create', { hostconfig: { pidmode: 'container:web' }, IMAGE: 'x' }), [
      'container web @HostConfig.PidMode',
      'image x @Image',
    ]);
  });

  it('skips namespace joins when allow_cross_owner_namespace_sharing is set, nothing else', () => {
    assert.deepEqual(
      refs(
        'container-create',
        { HostConfig: { PidMode: 'container:web', NetworkMode: 'container:web', VolumesFrom: ['web'] } },
        { allowCrossOwnerNamespaceSharing: true },
      ),
      ['container web @HostConfig.VolumesFrom[0]'],
    );
  });

  const refused: [string, string][] = [
    ['two spellings of one field', '{"HostConfig":{"PidMode":"host","pidmode":"container:web"}}'],
    ['a field of the wrong type', '{"HostConfig":{"VolumesFrom":"web"}}'],
    ['invalid JSON', '{"HostConfig":'],
  ];
  for (const [name, body] of refused) {
    it(`refuses ${name} with 400`, () => {
      const result = referencesInBody('container-create', body, STRICT);
      assert.ok(!result.ok);
      assert.deepEqual([result.status, result.reasonCode], [400, 'owner_request_invalid']);
    });
  }
});

describe('referencesInBody: network connect and service specs', () => {
  it('network connect: the container and endpoint links', () => {
    assert.deepEqual(refs('network-connect', { Container: 'web', EndpointConfig: { Links: ['db:alias'] } }), [
      'container web @Container',
      'container db @EndpointConfig.Links[0]',
    ]);
  });

  it('service specs: secrets and configs by ID, networks, named volumes and the image', () => {
    assert.deepEqual(
      refs('service-spec', {
        TaskTemplate: {
          ContainerSpec: {
            Image: 'app:1',
            Secrets: [{ SecretID: 'sid', SecretName: 'decoy' }, { SecretName: 'byname' }],
            Configs: [{ ConfigID: 'cid', ConfigName: 'c' }],
            Mounts: [
              { Type: 'volume', Source: 'data' },
              { Type: 'bind', Source: '/srv' },
            ],
          },
          Networks: [{ Target: 'tenant-net' }],
        },
        Networks: [{ Target: 'legacy-net' }],
      }),
      [
        'secret sid @TaskTemplate.ContainerSpec.Secrets[0]',
        'secret byname @TaskTemplate.ContainerSpec.Secrets[1]',
        'config cid @TaskTemplate.ContainerSpec.Configs[0]',
        'network tenant-net @TaskTemplate.Networks[0]',
        'network legacy-net @Networks[0]',
        'volume data @TaskTemplate.ContainerSpec.Mounts[0].Source (allow)',
        'image app:1 @TaskTemplate.ContainerSpec.Image (allow)',
      ],
    );
  });
});

describe('referencesInBuildQuery', () => {
  it('a container network namespace join', () => {
    const result = referencesInBuildQuery('t=x&networkmode=container%3Aweb', STRICT);
    assert.ok(result.ok);
    assert.deepEqual(result.references.map(format), ['container web @networkmode']);
  });

  it('other modes and the sharing option name nothing', () => {
    for (const [query, options] of [
      ['networkmode=host', STRICT],
      ['networkmode=container%3Aweb', { allowCrossOwnerNamespaceSharing: true }],
      [undefined, STRICT],
    ] as const) {
      const result = referencesInBuildQuery(query, options);
      assert.ok(result.ok);
      assert.deepEqual(result.references, []);
    }
  });
});
