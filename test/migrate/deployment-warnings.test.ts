import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComposeService, Origin } from '../../src/compose/model.js';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import {
  checkConsumers,
  checkLeftoverEnvironment,
  checkPublishedPorts,
  checkSocketMount,
} from '../../src/migrate/deployment-warnings.js';
import type { ProxyConsumer } from '../../src/migrate/find-consumers.js';
import type { LocatedWarning } from '../../src/migrate/located-warning.js';
import type { PolicyDocument } from '../../src/policy/schema.js';

function service(body: string, files: Record<string, string> = {}): ComposeService {
  const { project, diagnostics } = parseComposeFiles([{ path: 'compose.yml', text: `services:\n  proxy:\n${body}` }], {
    env: {},
    readText: (path) => files[path],
  });
  assert.ok(project, JSON.stringify(diagnostics));
  return project.services[0]!;
}

const summary = (warnings: readonly LocatedWarning[]) =>
  warnings.map((w) => `${w.severity} ${w.code} ${w.origin ?? '-'} ${w.file}:${w.range?.start.line}`);

const TCP: PolicyDocument = {
  listen: { address: ':2375', insecure_allow_plain_tcp: true, insecure_allow_unauthenticated_clients: true },
};
const TLS: PolicyDocument = {
  listen: { address: '0.0.0.0:2375', tls: { cert_file: '/c', key_file: '/k', client_ca_file: '/ca' } },
};

test('TCP ports published on every interface warn, unless the listener has TLS; loopback and UDP do not', () => {
  const proxy = service(`    ports:
      - 2375:2375
      - 127.0.0.1:2376:2375
      - "[::]:2377:2375"
      - 0.0.0.0:2378:2375
      - 2379:2375/udp
      - 2375
`);
  assert.deepEqual(summary(checkPublishedPorts(proxy, TCP)), [
    'warning migrate/port-published-all-interfaces ports:0 compose.yml:4',
    'warning migrate/port-published-all-interfaces ports:2 compose.yml:6',
    'warning migrate/port-published-all-interfaces ports:3 compose.yml:7',
    'warning migrate/port-published-all-interfaces ports:5 compose.yml:9',
  ]);
  assert.match(checkPublishedPorts(proxy, TCP)[0]!.message, /Publish it on 127\.0\.0\.1 \(`127\.0\.0\.1:2375:2375`\)/);
  assert.match(checkPublishedPorts(proxy, TCP)[3]!.message, /as an ephemeral port/);
  assert.deepEqual(checkPublishedPorts(proxy, TLS), []);
});

test('the Docker socket mounted read-write warns; read-only gets the note that :ro filters nothing', () => {
  const rw = service('    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n      - ./data:/data\n');
  assert.deepEqual(summary(checkSocketMount(rw, {})), ['warning migrate/socket-mounted-rw volumes:0 compose.yml:4']);
  const ro = service('    volumes:\n      - ./data:/data\n      - /run/docker.sock:/run/docker.sock:ro\n');
  assert.deepEqual(summary(checkSocketMount(ro, {})), [
    'info migrate/socket-read-only-is-not-a-filter volumes:1 compose.yml:5',
  ]);
  // Found by the policy's upstream socket too, whatever the host path is called.
  const custom = service('    volumes:\n      - /srv/engine.sock:/engine.sock\n');
  assert.deepEqual(summary(checkSocketMount(custom, { upstream: { socket: '/engine.sock' } })), [
    'warning migrate/socket-mounted-rw volumes:0 compose.yml:4',
  ]);
  assert.deepEqual(checkSocketMount(custom, {}), []);
});

const AT: Origin = {
  file: 'compose.yml',
  pointer: '/services/app',
  range: { start: { line: 9, col: 7 }, end: { line: 9, col: 20 } },
};
const tcp = (port: number): ProxyConsumer => ({
  kind: 'tcp',
  service: 'app',
  endpoint: `tcp://proxy:${port}`,
  host: 'proxy',
  port,
  via: 'DOCKER_HOST',
  at: AT,
});
const volume: ProxyConsumer = {
  kind: 'socket-volume',
  service: 'app',
  volume: 'run',
  proxyTarget: '/run/proxy/',
  consumerTarget: '/var/run',
  at: AT,
};

test('consumers: kept when a non-loopback listener has their port or a socket in their volume', () => {
  assert.deepEqual(summary(checkConsumers([tcp(2375)], TCP)), ['info migrate/consumer-endpoint-kept - compose.yml:9']);
  assert.deepEqual(summary(checkConsumers([tcp(2376)], TCP)), [
    'warning migrate/consumer-endpoint-unreachable - compose.yml:9',
  ]);
  // No listen block: Sockguard's default is loopback, which other containers cannot reach.
  assert.deepEqual(summary(checkConsumers([tcp(2375)], {})), [
    'warning migrate/consumer-endpoint-unreachable - compose.yml:9',
  ]);
  assert.match(checkConsumers([tcp(2375)], {})[0]!.message, /listens on 127\.0\.0\.1:2375/);
  const socket: PolicyDocument = { listen: { socket: '/run/proxy/docker.sock' } };
  const kept = checkConsumers([volume], socket);
  assert.deepEqual(summary(kept), ['info migrate/consumer-socket-kept - compose.yml:9']);
  assert.match(kept[0]!.message, /it sees \/var\/run\/docker\.sock/);
  assert.deepEqual(summary(checkConsumers([volume], TCP)), ['warning migrate/consumer-socket-missing - compose.yml:9']);
  // Any of several listeners will do.
  const both: PolicyDocument = {
    listeners: [{ name: 'sock', socket: '/run/proxy/docker.sock', allowed_profiles: ['*'] }],
  };
  assert.deepEqual(summary(checkConsumers([volume, tcp(2375)], both)), [
    'info migrate/consumer-socket-kept - compose.yml:9',
    'warning migrate/consumer-endpoint-unreachable - compose.yml:9',
  ]);
});

test('environment: what the rewrite removes, and compatibility variables it cannot remove from env_file', () => {
  const proxy = service(
    '    environment:\n      - TZ=UTC\n      - CONTAINERS=1\n      - LOG_LEVEL=info\n    env_file: proxy.env\n',
    {
      'proxy.env': 'POST=1\nDEBUG=1\n',
    },
  );
  const warnings = checkLeftoverEnvironment(proxy, new Set(['CONTAINERS', 'LOG_LEVEL', 'POST']));
  assert.deepEqual(summary(warnings), [
    'info migrate/environment-removed env:CONTAINERS compose.yml:5',
    'warning migrate/compat-variable-in-env-file env:POST proxy.env:1',
  ]);
  assert.match(warnings[0]!.message, /removes CONTAINERS, LOG_LEVEL .*compatibility variables/);
  // Nothing Tecnativa-like removed: no word about compatibility.
  const sp = service('    environment:\n      - SP_LOGJSON=true\n');
  assert.doesNotMatch(checkLeftoverEnvironment(sp, new Set(['SP_LOGJSON']))[0]!.message, /compatibility/);
  assert.deepEqual(checkLeftoverEnvironment(sp, new Set()), []);
});
