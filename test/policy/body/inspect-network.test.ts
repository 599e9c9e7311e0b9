import { test } from 'node:test';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.network.${field}`;
const post = (policy: RequestBodyDocument, path: string, body: object) => judge(rootPolicy(policy), 'POST', path, body);
const net = (network: NonNullable<RequestBodyDocument['network']>): RequestBodyDocument => ({ network });

/** What the docker CLI sends for `docker network create net1` and `docker network connect --alias web net1 web`. */
const CLI_CREATE = {
  Driver: 'bridge',
  Scope: '',
  IPAM: { Driver: 'default', Options: {}, Config: [] },
  Internal: false,
  Attachable: false,
  Ingress: false,
  ConfigOnly: false,
  ConfigFrom: null,
  Options: {},
  Labels: {},
  Name: 'net1',
};
const CLI_CONNECT = {
  Container: 'web',
  EndpointConfig: {
    IPAMConfig: {},
    Links: null,
    Aliases: ['web'],
    MacAddress: '',
    DriverOpts: {},
    GwPriority: 0,
    NetworkID: '',
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  },
};

test('what the docker CLI sends passes the default policy', () => {
  assertAllowed(post({}, '/networks/create', CLI_CREATE));
  assertAllowed(post({}, '/networks/net1/connect', CLI_CONNECT));
  assertAllowed(post({}, '/networks/net1/disconnect', { Container: 'web', Force: false }));
});

const CREATE: [string, object, string, NonNullable<RequestBodyDocument['network']>][] = [
  ['plugin driver', { Driver: 'weave' }, 'allow_custom_drivers', { allow_custom_drivers: true }],
  ['swarm scope', { Scope: 'Swarm' }, 'allow_swarm_scope', { allow_swarm_scope: true }],
  ['ingress', { Ingress: true }, 'allow_ingress', { allow_ingress: true }],
  ['attachable', { Attachable: true }, 'allow_attachable', { allow_attachable: true }],
  ['config only', { ConfigOnly: true }, 'allow_config_only', { allow_config_only: true }],
  ['config from', { ConfigFrom: { Network: 'x' } }, 'allow_config_from', { allow_config_from: true }],
  [
    'custom IPAM driver',
    { IPAM: { Driver: 'infoblox' } },
    'allow_custom_ipam_drivers',
    { allow_custom_ipam_drivers: true },
  ],
  [
    'custom IPAM config',
    { IPAM: { Config: [{ Subnet: '10.9.0.0/16' }] } },
    'allow_custom_ipam_config',
    { allow_custom_ipam_config: true },
  ],
  ['IPAM options', { IPAM: { Options: { a: 'b' } } }, 'allow_ipam_options', { allow_ipam_options: true }],
  [
    'macvlan parent interface',
    { Driver: 'macvlan', Options: { parent: 'eth0' } },
    'allow_driver_options',
    { allow_driver_options: true },
  ],
  ['IPv4 disabled', { EnableIPv4: false }, 'allow_disable_ipv4', { allow_disable_ipv4: true }],
];
for (const [name, body, flag, admitting] of CREATE) {
  test(`network create: ${name}`, () => {
    assertDenied(post({}, '/networks/create', body), 403, key(flag));
    assertAllowed(post(net(admitting), '/networks/create', body));
  });
}

const ENDPOINT: [string, object, string][] = [
  ['static IPv4', { IPAMConfig: { IPv4Address: '10.0.0.5' } }, 'endpoint_config.allow_static_addressing'],
  ['static IPv6', { IPAMConfig: { IPv6Address: 'fd00::5' } }, 'endpoint_config.allow_static_addressing'],
  ['legacy IPAddress', { IPAddress: '10.0.0.5' }, 'endpoint_config.allow_static_addressing'],
  ['legacy IPPrefixLen', { IPPrefixLen: 24 }, 'endpoint_config.allow_static_addressing'],
  ['link-local IPs', { IPAMConfig: { LinkLocalIPs: ['169.254.0.5'] } }, 'endpoint_config.allow_link_local_ips'],
  ['MAC address', { MacAddress: '02:42:ac:11:00:02' }, 'endpoint_config.allow_mac_pinning'],
  ['gateway priority', { GwPriority: 10 }, 'endpoint_config.allow_gw_priority'],
];
for (const [name, endpoint, flag] of ENDPOINT) {
  test(`network connect: ${name}`, () => {
    const body = { Container: 'web', EndpointConfig: endpoint };
    assertDenied(
      post({}, '/networks/n/connect', body),
      403,
      'EndpointConfig.',
      key(flag),
      key('allow_endpoint_config'),
    );
    const granular = flag.replace('endpoint_config.', '');
    assertAllowed(post(net({ endpoint_config: { [granular]: true } }), '/networks/n/connect', body));
    assertAllowed(post(net({ allow_endpoint_config: true }), '/networks/n/connect', body));
  });
}

test('Links and DriverOpts (per-interface sysctls) have no granular gate', () => {
  const everyGranular = net({
    endpoint_config: {
      allow_static_addressing: true,
      allow_link_local_ips: true,
      allow_mac_pinning: true,
      allow_gw_priority: true,
    },
  });
  for (const endpoint of [
    { Links: ['db:db'] },
    { DriverOpts: { 'com.docker.network.endpoint.sysctls': 'net.ipv4.conf.IFNAME.forwarding=1' } },
  ]) {
    assertDenied(
      post(everyGranular, '/networks/n/connect', { EndpointConfig: endpoint }),
      403,
      key('allow_endpoint_config'),
    );
    assertAllowed(post(net({ allow_endpoint_config: true }), '/networks/n/connect', { EndpointConfig: endpoint }));
  }
});

test('aliases are allowed by default at the root and can be denied', () => {
  assertAllowed(post({}, '/networks/n/connect', { EndpointConfig: { Aliases: ['web'] } }));
  assertDenied(
    post(net({ endpoint_config: { allow_aliases: false } }), '/networks/n/connect', {
      EndpointConfig: { Aliases: ['web'] },
    }),
    403,
    key('endpoint_config.allow_aliases'),
  );
});

test('forced disconnects need allow_disconnect_force', () => {
  assertDenied(
    post({}, '/networks/n/disconnect', { Container: 'c', Force: true }),
    403,
    'Force is true',
    key('allow_disconnect_force'),
  );
  assertAllowed(post(net({ allow_disconnect_force: true }), '/networks/n/disconnect', { Container: 'c', Force: true }));
});

test('case-folded endpoint keys are judged', () => {
  assertDenied(
    judge(rootPolicy(), 'POST', '/networks/n/connect', '{"endpointconfig":{"ipamconfig":{"ipv4address":"10.0.0.5"}}}'),
    403,
    'IPAMConfig.IPv4Address',
  );
});
