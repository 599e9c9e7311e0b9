import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkClientInput } from '../../src/cases/check-client-input.js';
import type { ClientInput } from '../../src/policy/clients/judge-client.js';
import { resolvePolicy } from '../../src/policy/load.js';
import type { PolicyDocument } from '../../src/policy/schema.js';

const cert = { dnsNames: [], ipAddresses: [], uriSans: [], spkiSha256: '00' };
const peer = { uid: 1000, gid: 1000, pid: 0 };

const LISTENERS: PolicyDocument = {
  listeners: [
    { name: 'local', socket: '/run/sg.sock', allowed_profiles: ['*'] },
    { name: 'plain', address: '127.0.0.1:2375', allowed_profiles: ['*'] },
    {
      name: 'mtls',
      address: '0.0.0.0:2376',
      tls: { cert_file: '/c', key_file: '/k', client_ca_file: '/ca' },
      allowed_profiles: ['*'],
    },
  ],
};

/** [name, policy, client, expected "field: problem pattern" or undefined]. */
const CASES: [string, PolicyDocument, ClientInput, [string, RegExp] | undefined][] = [
  ['a unix peer alone', LISTENERS, { unixPeer: peer }, undefined],
  [
    'a unix peer with an address',
    LISTENERS,
    { unixPeer: peer, sourceIp: '10.0.0.1' },
    ['unix_peer', /a unix-socket client has no IP address or certificate; give unix_peer alone/],
  ],
  [
    'a unix peer with a certificate',
    LISTENERS,
    { unixPeer: peer, certificate: cert },
    ['unix_peer', /no IP address or certificate/],
  ],
  [
    'an unknown listener',
    LISTENERS,
    { listener: 'nope' },
    ['listener', /no listener named "nope" \(known: local, plain, mtls\)/],
  ],
  ['a unix peer on the unix listener', LISTENERS, { unixPeer: peer, listener: 'local' }, undefined],
  [
    'an address on the unix listener',
    LISTENERS,
    { sourceIp: '10.0.0.1', listener: 'local' },
    ['client_ip', /listener "local" is a unix socket \(\/run\/sg.sock\).*give unix_peer instead/],
  ],
  [
    'a certificate on the unix listener',
    LISTENERS,
    { certificate: cert, listener: 'local' },
    ['client_cert', /is a unix socket/],
  ],
  [
    'a unix peer on a TCP listener',
    LISTENERS,
    { unixPeer: peer, listener: 'plain' },
    ['unix_peer', /listener "plain" is a TCP listener.*give client_ip instead/],
  ],
  [
    'a certificate on a listener without tls',
    LISTENERS,
    { sourceIp: '10.0.0.1', certificate: cert, listener: 'plain' },
    ['client_cert', /listener "plain" has no tls block/],
  ],
  [
    'a certificate on the mTLS listener',
    LISTENERS,
    { sourceIp: '10.0.0.1', certificate: cert, listener: 'mtls' },
    undefined,
  ],
  [
    'a listen block is the listener "default"',
    { listen: { socket: '/run/sg.sock' } },
    { unixPeer: peer, listener: 'default' },
    undefined,
  ],
  ['... and only that name', {}, { listener: 'local' }, ['listener', /no listener named "local" \(known: default\)/]],
  ['the default listen block is TCP', {}, { unixPeer: peer, listener: 'default' }, ['unix_peer', /is a TCP listener/]],
  [
    'a certificate without the address the policy judges',
    { clients: { allowed_cidrs: ['10.0.0.0/8'] } },
    { certificate: cert },
    ['client_ip', /a TLS client also has a source address.*give client_ip with client_cert/],
  ],
  [
    '... or that source_ip_profiles judge',
    {
      clients: {
        source_ip_profiles: [{ profile: 'p', cidrs: ['10.0.0.0/8'] }],
        profiles: [{ name: 'p', rules: [{ match: { method: 'GET', path: '/' }, action: 'allow' }] }],
      },
    },
    { certificate: cert },
    ['client_ip', /source address/],
  ],
  ['a certificate alone when no address is judged', {}, { certificate: cert }, undefined],
];

for (const [name, document, client, expected] of CASES) {
  test(`checkClientInput: ${name}`, () => {
    const problem = checkClientInput(resolvePolicy(document), client, (field) => field);
    if (expected === undefined) assert.equal(problem, undefined);
    else {
      assert.equal(problem?.field, expected[0]);
      assert.match(problem?.problem ?? '', expected[1]);
    }
  });
}

test('the caller names the fields (the command names its flags)', () => {
  const problem = checkClientInput(
    resolvePolicy({}),
    { unixPeer: peer, sourceIp: '10.0.0.1' },
    (f) => `--${f.replace('_', '-')}`,
  );
  assert.match(problem?.problem ?? '', /give --unix-peer alone, or --client-ip\/--client-cert for a TCP client/);
});
