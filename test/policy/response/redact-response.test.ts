import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  HIDDEN_MESSAGE,
  isRedactableRoute,
  redactResponse,
  REJECTED_MESSAGE,
  TOO_LARGE_MESSAGE,
  type ResponseOutcome,
  type ResponsePolicy,
} from '../../../src/policy/response/redact-response.js';
import {
  isJsonObject,
  markChanged,
  parseJsonTree,
  stringifyJsonTree,
  type JsonNode,
} from '../../../src/policy/response/json-tree.js';
import { REDACTION_RULES, type RedactionFlag } from '../../../src/policy/response/redaction-rules.js';
import { findResponseRoute } from '../../../src/policy/response/response-routes.js';
import { applyEdit } from '../../../src/policy/response/tree-edits.js';
import { MAX_FILTERED_RESPONSE_BYTES } from '../../../src/policy/response/response-routes.js';
import { compileVisibility, type CompiledVisibility } from '../../../src/policy/response/visibility.js';
import { ALL_REDACTIONS, FLAGS, NO_REDACTIONS, readFixture, redactionWith } from './response-fixtures.js';

const decoder = new TextDecoder();

function get(normalizedPath: string) {
  return { method: 'GET', normalizedPath };
}

function run(path: string, body: Uint8Array | string, policy: ResponsePolicy, status = 200, type = 'application/json') {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return redactResponse(get(path), status, type, bytes, policy);
}

function bodyOf(outcome: ResponseOutcome): string {
  assert.equal(outcome.kind, 'rewritten', JSON.stringify(outcome));
  return outcome.kind === 'rewritten' ? decoder.decode(outcome.body) : '';
}

/** Leaves (and emptied containers) whose value differs, as `path=json`, in document order. */
function changes(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const container = (v: unknown) => v !== null && typeof v === 'object';
  if (!container(after) || Object.keys(after as object).length === 0 || !container(before)) {
    return [`${path}=${JSON.stringify(after)}`];
  }
  return Object.entries(after as Record<string, unknown>).flatMap(([key, value]) =>
    changes(
      (before as Record<string, unknown>)[key],
      value,
      Array.isArray(after) ? `${path}[${key}]` : path ? `${path}.${key}` : key,
    ),
  );
}

function redactedChanges(fixture: string, path: string, flag: RedactionFlag): string[] {
  const body = readFixture(fixture);
  const outcome = run(path, body, { redaction: redactionWith(flag) });
  if (outcome.kind === 'unchanged') return [];
  return changes(JSON.parse(body.toString()), JSON.parse(bodyOf(outcome)));
}

const R = '"<redacted>"';
const NET = 'NetworkSettings.Networks.sg-net';
const ENDPOINT = (p: string) => [
  `${p}.NetworkID=""`,
  `${p}.EndpointID=""`,
  `${p}.Gateway=""`,
  `${p}.IPAddress=""`,
  `${p}.IPPrefixLen=0`,
  `${p}.MacAddress=""`,
];
const TLS = (p: string) => [`${p}.TrustRoot=${R}`, `${p}.CertIssuerSubject=""`, `${p}.CertIssuerPublicKey=""`];
const SPEC = (p: string) => ({
  env: [`${p}.Env=[]`],
  mounts: [`${p}.Mounts[0].Source=${R}`],
  refs: [
    `${p}.Secrets[0].SecretID=${R}`,
    `${p}.Secrets[0].SecretName=${R}`,
    `${p}.Configs[0].ConfigID=${R}`,
    `${p}.Configs[0].ConfigName=${R}`,
  ],
});

/** fixture, route, and for each flag exactly the fields it changes (everything else stays byte-equal). */
const EXPECTED: [string, string, Partial<Record<RedactionFlag, string[]>>][] = [
  [
    'container-inspect.json',
    '/containers/sg-web/json',
    {
      redact_container_env: ['Config.Env=[]'],
      redact_mount_paths: [
        `ResolvConfPath=${R}`,
        `HostnamePath=${R}`,
        `HostsPath=${R}`,
        `LogPath=${R}`,
        `HostConfig.Binds[0]="<redacted>:/host:ro"`,
        `HostConfig.Devices[0].PathOnHost=${R}`,
        `GraphDriver.Data.LowerDir=${R}`,
        `GraphDriver.Data.MergedDir=${R}`,
        `GraphDriver.Data.UpperDir=${R}`,
        `GraphDriver.Data.WorkDir=${R}`,
        `Mounts[0].Source=${R}`,
        `Mounts[1].Source=${R}`,
      ],
      redact_network_topology: ['NetworkSettings.SandboxID=""', 'NetworkSettings.SandboxKey=""', ...ENDPOINT(NET)],
    },
  ],
  [
    'container-list.json',
    '/containers/json',
    {
      redact_mount_paths: [`[0].Mounts[0].Source=${R}`, `[0].Mounts[1].Source=${R}`],
      redact_network_topology: ENDPOINT(`[0].${NET}`),
    },
  ],
  [
    'image-inspect.json',
    '/images/proxytest/busybox:latest/json',
    {
      redact_mount_paths: [
        `GraphDriver.Data.MergedDir=${R}`,
        `GraphDriver.Data.UpperDir=${R}`,
        `GraphDriver.Data.WorkDir=${R}`,
      ],
    },
  ],
  ['volume-inspect.json', '/volumes/sg-data', { redact_mount_paths: [`Mountpoint=${R}`] }],
  ['volume-list.json', '/volumes', { redact_mount_paths: [`Volumes[0].Mountpoint=${R}`] }],
  ['network-inspect.json', '/networks/sg-net', { redact_network_topology: ['IPAM.Config=[]', 'Containers={}'] }],
  [
    'network-inspect-api-1.56.json',
    '/networks/sg-net',
    {
      redact_network_topology: ['IPAM.Config=[]', 'Containers={}', 'Status.IPAM.Subnets={}', 'Peers=[]', 'Services={}'],
    },
  ],
  ['network-list.json', '/networks', { redact_network_topology: ['[2].IPAM.Config=[]'] }],
  ['info.json', '/info', {}],
  [
    'info-swarm.json',
    '/info',
    {
      redact_network_topology: ['Swarm.NodeAddr=""', 'Swarm.RemoteManagers=[]', 'Swarm.Cluster.DefaultAddrPool=[]'],
      redact_sensitive_data: TLS('Swarm.Cluster.TLSInfo'),
    },
  ],
  [
    'info-api-1.56.json',
    '/info',
    {
      redact_host_topology: ['FirewallBackend=null', 'DiscoveredDevices=[]', 'NRI=null', 'Containerd=null'],
    },
  ],
  [
    'system-df.json',
    '/system/df',
    {
      redact_mount_paths: [
        `Containers[0].Mounts[0].Source=${R}`,
        `Containers[0].Mounts[1].Source=${R}`,
        `Volumes[0].Mountpoint=${R}`,
      ],
      redact_network_topology: ENDPOINT(`Containers[0].${NET}`),
    },
  ],
  [
    'system-df-api-1.56.json',
    '/system/df',
    {
      redact_mount_paths: [
        `ContainerUsage.Items[0].Mounts[0].Source=${R}`,
        `ContainerUsage.Items[0].Mounts[1].Source=${R}`,
        `VolumeUsage.Items[0].Mountpoint=${R}`,
      ],
      redact_network_topology: ENDPOINT(`ContainerUsage.Items[0].${NET}`),
    },
  ],
  [
    'swarm-inspect.json',
    '/swarm',
    {
      redact_network_topology: ['DefaultAddrPool=[]'],
      redact_sensitive_data: [...TLS('TLSInfo'), `JoinTokens.Worker=${R}`, `JoinTokens.Manager=${R}`],
    },
  ],
  ['swarm-unlockkey.json', '/swarm/unlockkey', {}],
  [
    'node-inspect.json',
    '/nodes/rqe144n4p96bdwpsg8aiifz4m',
    {
      redact_network_topology: ['Status.Addr=""', 'ManagerStatus.Addr=""'],
      redact_sensitive_data: TLS('Description.TLSInfo'),
    },
  ],
  [
    'node-list.json',
    '/nodes',
    {
      redact_network_topology: ['[0].Status.Addr=""', '[0].ManagerStatus.Addr=""'],
      redact_sensitive_data: TLS('[0].Description.TLSInfo'),
    },
  ],
  ['config-inspect.json', '/configs/sg-config', { redact_sensitive_data: ['Spec.Data=""'] }],
  ['config-list.json', '/configs', { redact_sensitive_data: ['[0].Spec.Data=""'] }],
  ['secret-inspect.json', '/secrets/sg-secret', {}],
  [
    'service-inspect.json',
    '/services/sg-svc',
    {
      redact_container_env: SPEC('Spec.TaskTemplate.ContainerSpec').env,
      redact_mount_paths: SPEC('Spec.TaskTemplate.ContainerSpec').mounts,
      redact_sensitive_data: SPEC('Spec.TaskTemplate.ContainerSpec').refs,
    },
  ],
  [
    'service-list.json',
    '/services',
    {
      redact_container_env: SPEC('[0].Spec.TaskTemplate.ContainerSpec').env,
      redact_mount_paths: SPEC('[0].Spec.TaskTemplate.ContainerSpec').mounts,
      redact_sensitive_data: SPEC('[0].Spec.TaskTemplate.ContainerSpec').refs,
    },
  ],
  [
    'task-list.json',
    '/tasks',
    {
      redact_container_env: SPEC('[0].Spec.ContainerSpec').env,
      redact_mount_paths: SPEC('[0].Spec.ContainerSpec').mounts,
      redact_sensitive_data: SPEC('[0].Spec.ContainerSpec').refs,
    },
  ],
  [
    'plugin-list-swagger.json',
    '/plugins',
    {
      redact_container_env: ['[0].Settings.Env=[]', '[0].Config.Env=[]'],
      redact_mount_paths: [
        `[0].Settings.Mounts[0].Source=${R}`,
        `[0].Settings.Devices[0].Path=${R}`,
        `[0].Config.Linux.Devices[0].Path=${R}`,
        `[0].Config.PropagatedMount=${R}`,
        `[0].Config.Mounts[0].Source=${R}`,
      ],
    },
  ],
];

describe('redactResponse: each setting changes exactly its fields, per real response shape', () => {
  for (const [fixture, path, byFlag] of EXPECTED) {
    for (const flag of FLAGS) {
      it(`${fixture} ${flag}`, () => assert.deepEqual(redactedChanges(fixture, path, flag), byFlag[flag] ?? []));
    }
  }
});

/**
 * Same keys at every struct level and the same JSON type at every leaf, apart from pointers nulled
 * and maps (not structs) emptied on purpose.
 */
function assertSameShape(before: unknown, after: unknown, path: string, exempt: ReadonlySet<string>): void {
  if (exempt.has(path) && (after === null || JSON.stringify(after) === '{}')) return;
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  assert.equal(kind(after), kind(before), `type of ${path}`);
  if (kind(before) === 'object') {
    assert.deepEqual(Object.keys(after as object), Object.keys(before as object), `keys of ${path}`);
    for (const [key, value] of Object.entries(before as Record<string, unknown>)) {
      assertSameShape(value, (after as Record<string, unknown>)[key], path ? `${path}.${key}` : key, exempt);
    }
  } else if (kind(before) === 'array' && (after as unknown[]).length > 0) {
    (before as unknown[]).forEach((v, i) => assertSameShape(v, (after as unknown[])[i], `${path}[${i}]`, exempt));
  }
}

describe('redactResponse keeps every field and its JSON type (Go clients still decode the result)', () => {
  const exempt = new Set(['Containerd', 'FirewallBackend', 'NRI', 'Containers', 'Services', 'Status.IPAM.Subnets']);
  for (const [fixture, path] of EXPECTED) {
    it(fixture, () => {
      const body = readFixture(fixture);
      const outcome = run(path, body, { redaction: ALL_REDACTIONS });
      if (outcome.kind === 'unchanged') return;
      const after = JSON.parse(bodyOf(outcome)) as unknown;
      assertSameShape(JSON.parse(body.toString()), after, '', exempt);
    });
  }
});

function markAll(node: JsonNode): void {
  if (Array.isArray(node)) node.forEach(markAll);
  else if (isJsonObject(node)) [...node.values()].forEach(markAll);
  else return;
  markChanged(node);
}

describe('copying untouched parts from the source never brings back a redacted value', () => {
  for (const [fixture, path] of EXPECTED) {
    it(fixture, () => {
      const body = readFixture(fixture);
      const outcome = run(path, body, { redaction: ALL_REDACTIONS });
      const parsed = parseJsonTree(body);
      assert.ok(parsed.ok);
      markAll(parsed.value);
      for (const rule of REDACTION_RULES[findResponseRoute('GET', path)!.shape]) applyEdit(parsed.value, rule);
      const rebuilt = JSON.parse(stringifyJsonTree(parsed.value)) as unknown;
      assert.deepEqual(
        outcome.kind === 'unchanged' ? JSON.parse(body.toString()) : JSON.parse(bodyOf(outcome)),
        rebuilt,
      );
    });
  }
});

describe('redactResponse: fields the captured responses leave empty', () => {
  const cases: [string, string, RedactionFlag, string, string[]][] = [
    [
      'bind and volume mount specs in HostConfig.Mounts',
      '/containers/x/json',
      'redact_mount_paths',
      '{"HostConfig":{"Mounts":[{"Type":"bind","Source":"/srv/app","Target":"/a"},{"Type":"volume","Source":"data","Target":"/b"}],"ContainerIDFile":"/run/app.cid"}}',
      [`HostConfig.Mounts[0].Source=${R}`, `HostConfig.ContainerIDFile=${R}`],
    ],
    [
      'API 1.41 container-level addresses',
      '/containers/x/json',
      'redact_network_topology',
      '{"Config":{"MacAddress":"02:42:ac:11:00:02"},"NetworkSettings":{"Bridge":"docker0","EndpointID":"e","Gateway":"172.17.0.1","IPAddress":"172.17.0.2","IPPrefixLen":16,"IPv6Gateway":"fe80::1","GlobalIPv6Address":"2001:db8::2","GlobalIPv6PrefixLen":64,"LinkLocalIPv6Address":"fe80::2","LinkLocalIPv6PrefixLen":64,"MacAddress":"02:42:ac:11:00:02","SecondaryIPAddresses":[{"Addr":"172.17.0.9","PrefixLen":16}],"SecondaryIPv6Addresses":null,"Networks":{"bridge":{"IPAMConfig":{"IPv4Address":"172.17.0.2"},"IPv6Gateway":"fe80::1","GlobalIPv6Address":"2001:db8::2","GlobalIPv6PrefixLen":64,"Aliases":["web"]}}}}',
      [
        'Config.MacAddress=""',
        'NetworkSettings.Bridge=""',
        'NetworkSettings.EndpointID=""',
        'NetworkSettings.Gateway=""',
        'NetworkSettings.IPAddress=""',
        'NetworkSettings.IPPrefixLen=0',
        'NetworkSettings.IPv6Gateway=""',
        'NetworkSettings.GlobalIPv6Address=""',
        'NetworkSettings.GlobalIPv6PrefixLen=0',
        'NetworkSettings.LinkLocalIPv6Address=""',
        'NetworkSettings.LinkLocalIPv6PrefixLen=0',
        'NetworkSettings.MacAddress=""',
        'NetworkSettings.SecondaryIPAddresses=[]',
        'NetworkSettings.Networks.bridge.IPAMConfig=null',
        'NetworkSettings.Networks.bridge.IPv6Gateway=""',
        'NetworkSettings.Networks.bridge.GlobalIPv6Address=""',
        'NetworkSettings.Networks.bridge.GlobalIPv6PrefixLen=0',
      ],
    ],
    [
      'a local volume bound to a host directory',
      '/volumes/v',
      'redact_mount_paths',
      '{"Name":"v","Mountpoint":"/var/lib/docker/volumes/v/_data","Options":{"type":"none","o":"bind","device":"/srv/v"}}',
      [`Mountpoint=${R}`, `Options.device=${R}`],
    ],
    [
      'secret data (base64 bytes: blanked, not marked)',
      '/secrets/s',
      'redact_sensitive_data',
      '{"ID":"s","Spec":{"Name":"s","Data":"czNjcmV0"}}',
      ['Spec.Data=""'],
    ],
    [
      'service virtual IPs and the previous spec',
      '/services/s',
      'redact_network_topology',
      '{"Endpoint":{"VirtualIPs":[{"NetworkID":"n1","Addr":"10.0.0.5/24"}]}}',
      ['Endpoint.VirtualIPs[0].NetworkID=""', 'Endpoint.VirtualIPs[0].Addr=""'],
    ],
    [
      'the env of a service previous spec',
      '/services/s',
      'redact_container_env',
      '{"Spec":{"TaskTemplate":{"ContainerSpec":{"Env":["A=1"]}}},"PreviousSpec":{"TaskTemplate":{"ContainerSpec":{"Env":["OLD_TOKEN=x"]}}}}',
      ['Spec.TaskTemplate.ContainerSpec.Env=[]', 'PreviousSpec.TaskTemplate.ContainerSpec.Env=[]'],
    ],
    [
      'task network attachments',
      '/tasks/t',
      'redact_network_topology',
      '{"NetworksAttachments":[{"Network":{"ID":"n","IPAMOptions":{"Configs":[{"Subnet":"10.0.0.0/24"}]}},"Addresses":["10.0.0.7/24"]}]}',
      ['NetworksAttachments[0].Network.IPAMOptions.Configs=[]', 'NetworksAttachments[0].Addresses=[]'],
    ],
    [
      'swarm CA material',
      '/swarm',
      'redact_sensitive_data',
      '{"Spec":{"CAConfig":{"SigningCACert":"-----BEGIN CERTIFICATE-----","SigningCAKey":"-----BEGIN KEY-----","ExternalCAs":[{"URL":"https://ca"}]}}}',
      [`Spec.CAConfig.SigningCACert=${R}`, `Spec.CAConfig.SigningCAKey=${R}`, 'Spec.CAConfig.ExternalCAs=[]'],
    ],
    ['the unlock key', '/swarm/unlockkey', 'redact_sensitive_data', '{"UnlockKey":"SWMKEY-1-abc"}', [`UnlockKey=${R}`]],
  ];
  for (const [name, path, flag, body, expected] of cases) {
    it(name, () => {
      const outcome = run(path, body, { redaction: redactionWith(flag) });
      assert.deepEqual(changes(JSON.parse(body), JSON.parse(bodyOf(outcome))), expected);
    });
  }
});

describe('redactResponse passes through what it must not touch', () => {
  const inspect = readFixture('container-inspect.json');
  const cases: [string, () => ResponseOutcome][] = [
    [
      'an error status',
      () => run('/containers/x/json', '{"message":"No such container: x"}', { redaction: ALL_REDACTIONS }, 404),
    ],
    ['a 204', () => run('/containers/x/json', '', { redaction: ALL_REDACTIONS }, 204)],
    ['an empty 200 body', () => run('/containers/x/json', '', { redaction: ALL_REDACTIONS })],
    ['a route without a known shape', () => run('/containers/x/top', inspect, { redaction: ALL_REDACTIONS })],
    [
      'a stream route',
      () => run('/containers/x/logs', 'SECRET_TOKEN=hunter2', { redaction: ALL_REDACTIONS }, 200, 'text/plain'),
    ],
    [
      'HEAD (no body route)',
      () =>
        redactResponse({ method: 'HEAD', normalizedPath: '/containers/x/json' }, 200, 'application/json', inspect, {
          redaction: ALL_REDACTIONS,
        }),
    ],
    [
      'everything switched off, without parsing',
      () => run('/containers/x/json', 'not json', { redaction: NO_REDACTIONS }),
    ],
    [
      'a setting the shape has no field for, without parsing',
      () => run('/volumes/v', 'not json', { redaction: redactionWith('redact_container_env') }),
    ],
    [
      'a document with nothing to redact',
      () => run('/volumes/v', '{"Name":"v","Mountpoint":""}', { redaction: ALL_REDACTIONS }),
    ],
  ];
  for (const [name, outcome] of cases) {
    it(name, () => assert.deepEqual(outcome(), { kind: 'unchanged' }));
  }
});

describe('redactResponse fails closed (502) on protected responses it cannot read', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['invalid JSON', '/containers/x/json', '{"Config":{"Env":["A=1"]', 'application/json'],
    ['trailing data', '/containers/x/json', '{"Config":{}} {"Config":{}}', 'application/json'],
    ['a duplicate key', '/containers/x/json', '{"Config":{"Env":[]},"Config":{"Env":["A=1"]}}', 'application/json'],
    ['Env that is not an array', '/containers/x/json', '{"Config":{"Env":"A=1"}}', 'application/json'],
    ['Mounts that is not an array', '/containers/x/json', '{"Mounts":{"Source":"/x"}}', 'application/json'],
    ['a list that is an object', '/containers/json', '{"Mounts":[]}', 'application/json'],
    ['an inspect that is a list', '/containers/x/json', '[]', 'application/json'],
    ['a non-JSON content type', '/containers/x/json', '{"Config":{"Env":["A=1"]}}', 'text/plain'],
    ['a non-JSON body without content type', '/containers/x/json', 'SECRET=1', undefined],
  ];
  for (const [name, path, body, type] of cases) {
    it(name, () => {
      const outcome = redactResponse(get(path), 200, type, new TextEncoder().encode(body), {
        redaction: ALL_REDACTIONS,
      });
      assert.equal(outcome.kind, 'reject');
      assert.ok(outcome.kind === 'reject');
      assert.equal(outcome.status, 502);
      assert.equal(outcome.message, REJECTED_MESSAGE);
      assert.equal(outcome.reasonCode, 'upstream_response_rejected_by_policy');
    });
  }

  it('a response over the buffering limit', () => {
    const body = new Uint8Array(MAX_FILTERED_RESPONSE_BYTES + 1).fill(0x20);
    const outcome = run('/containers/json', body, { redaction: ALL_REDACTIONS });
    assert.ok(outcome.kind === 'reject');
    assert.deepEqual(
      [outcome.status, outcome.message, outcome.reasonCode],
      [502, TOO_LARGE_MESSAGE, 'visibility_response_too_large'],
    );
  });

  it('accepts JSON media types with parameters and any case', () => {
    const body = '{"Config":{"Env":["A=1"]}}';
    assert.equal(
      run('/containers/x/json', body, { redaction: ALL_REDACTIONS }, 200, 'Application/JSON; charset=utf-8').kind,
      'rewritten',
    );
  });
});

describe('redactResponse keeps big numbers exact', () => {
  it('sizes beyond 2^53 in /system/df and container inspect survive redaction byte for byte', () => {
    const df = readFixture('system-df.json')
      .toString()
      .replace('"LayersSize":1984172', '"LayersSize":18446744073709551615')
      .replace('"SizeRootFs":1984172', '"SizeRootFs":9007199254740993');
    const out = bodyOf(run('/system/df', df, { redaction: ALL_REDACTIONS }));
    assert.match(out, /"LayersSize":18446744073709551615,/);
    assert.match(out, /"SizeRootFs":9007199254740993,/);
    const inspect = readFixture('container-inspect.json').toString().replace('"ShmSize":67108864', '"ShmSize":1.5e300');
    assert.match(bodyOf(run('/containers/x/json', inspect, { redaction: ALL_REDACTIONS })), /"ShmSize":1\.5e300,/);
  });

  it('rewritten bodies are compact JSON ending in a newline, like dockerd', () => {
    const out = bodyOf(run('/volumes/sg-data', readFixture('volume-inspect.json'), { redaction: ALL_REDACTIONS }));
    assert.ok(out.endsWith('}\n') && !out.slice(0, -1).includes('\n'));
  });
});

function visibility(
  settings: Parameters<typeof compileVisibility>[0],
  owner?: Parameters<typeof compileVisibility>[1],
): CompiledVisibility {
  const compiled = compileVisibility(settings, owner);
  assert.ok(compiled.ok);
  return compiled.visibility;
}

describe('redactResponse applies visibility in the same pass', () => {
  const alice = { labelKey: 'com.sockguard.owner', owner: 'alice', allowUnownedImages: true };
  const bob = { ...alice, owner: 'bob' };

  it('hides an inspected resource of another owner with 404 resource not found', () => {
    const outcome = run('/containers/sg-web/json', readFixture('container-inspect.json'), {
      redaction: NO_REDACTIONS,
      visibility: visibility({}, bob),
    });
    assert.deepEqual(outcome, {
      kind: 'hidden',
      status: 404,
      message: HIDDEN_MESSAGE,
      reasonCode: 'visibility_policy_hid_resource',
    });
  });

  it('passes the owner its own resource unchanged when nothing is redacted', () => {
    const outcome = run('/containers/sg-web/json', readFixture('container-inspect.json'), {
      redaction: NO_REDACTIONS,
      visibility: visibility({}, alice),
    });
    assert.deepEqual(outcome, { kind: 'unchanged' });
  });

  it('filters list items and redacts the rest', () => {
    const outcome = run('/volumes', readFixture('volume-list.json'), {
      redaction: ALL_REDACTIONS,
      visibility: visibility({}, bob),
    });
    assert.deepEqual(JSON.parse(bodyOf(outcome)), { Volumes: [], Warnings: null });
    const own = run('/volumes', readFixture('volume-list.json'), {
      redaction: ALL_REDACTIONS,
      visibility: visibility({}, alice),
    });
    assert.equal(
      (JSON.parse(bodyOf(own)) as { Volumes: { Mountpoint: string }[] }).Volumes[0]!.Mountpoint,
      '<redacted>',
    );
  });

  it('filters the resources of /system/df', () => {
    const outcome = run('/system/df', readFixture('system-df.json'), {
      redaction: NO_REDACTIONS,
      visibility: visibility({}, bob),
    });
    const df = JSON.parse(bodyOf(outcome)) as Record<string, unknown[]>;
    // The image carries no owner label: allowed as unowned; the container and volume are alice's.
    assert.deepEqual([df['Images']!.length, df['Containers']!.length, df['Volumes']!.length], [1, 0, 0]);
  });

  it('does not filter routes without resources (plugins, info)', () => {
    const v = visibility({ visible_resource_labels: ['team=a'] });
    assert.deepEqual(
      run('/plugins', readFixture('plugin-list-swagger.json'), { redaction: NO_REDACTIONS, visibility: v }),
      { kind: 'unchanged' },
    );
    assert.deepEqual(run('/info', readFixture('info.json'), { redaction: NO_REDACTIONS, visibility: v }), {
      kind: 'unchanged',
    });
  });
});

describe('isRedactableRoute', () => {
  const cases: [string, string, boolean][] = [
    ['GET', '/containers/json', true],
    ['GET', '/containers/abc/json', true],
    ['GET', '/containers/a/b/json', true],
    ['GET', '/images/ghcr.io/org/app:1/json', true],
    ['GET', '/networks/n', true],
    ['GET', '/volumes', true],
    ['GET', '/services/s', true],
    ['GET', '/tasks', true],
    ['GET', '/secrets/s', true],
    ['GET', '/configs', true],
    ['GET', '/plugins/p/json', true],
    ['GET', '/nodes/n', true],
    ['GET', '/swarm', true],
    ['GET', '/swarm/unlockkey', true],
    ['GET', '/info', true],
    ['GET', '/system/df', true],
    ['HEAD', '/containers/abc/json', false],
    ['GET', '/containers/abc/logs', false],
    ['GET', '/containers/abc/attach/ws', false],
    ['GET', '/containers/abc/export', false],
    ['GET', '/containers/abc/stats', false],
    ['GET', '/events', false],
    ['GET', '/images/x/get', false],
    ['GET', '/services/s/logs', false],
    ['GET', '/version', false],
    ['POST', '/containers/create', false],
  ];
  for (const [method, path, expected] of cases) {
    it(`${method} ${path}: ${expected}`, () => assert.equal(isRedactableRoute(method, path), expected));
  }

  it('with a policy, only routes it would change', () => {
    const envOnly = { redaction: redactionWith('redact_container_env') };
    assert.equal(isRedactableRoute('GET', '/containers/x/json', envOnly), true);
    assert.equal(isRedactableRoute('GET', '/volumes/v', envOnly), false);
    assert.equal(isRedactableRoute('GET', '/volumes/v', { redaction: NO_REDACTIONS }), false);
    const owner = visibility({}, { labelKey: 'o', owner: 'a', allowUnownedImages: false });
    assert.equal(isRedactableRoute('GET', '/volumes/v', { redaction: NO_REDACTIONS, visibility: owner }), true);
    assert.equal(isRedactableRoute('GET', '/info', { redaction: NO_REDACTIONS, visibility: owner }), false);
  });
});
