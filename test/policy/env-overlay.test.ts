import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyOverlay,
  environmentOverlay,
  flagOverlay,
  loadServePolicy,
  mapCompatLogLevel,
} from '../../src/policy/env-overlay.js';

const YAML = `
upstream:
  socket: /yaml/docker.sock
log:
  level: warn
listen:
  socket: /yaml/proxy.sock
`;

describe('loadServePolicy precedence: flags > SOCKGUARD_* > aliases > YAML > defaults', () => {
  const cases: {
    name: string;
    env: Record<string, string>;
    flags?: Record<string, string>;
    socket: string;
    level: string;
  }[] = [
    { name: 'YAML over defaults', env: {}, socket: '/yaml/docker.sock', level: 'warn' },
    {
      name: 'alias over YAML',
      env: { SOCKET_PATH: ' /alias.sock ', LOG_LEVEL: 'notice' },
      socket: '/alias.sock',
      level: 'info',
    },
    {
      name: 'SOCKGUARD_* over alias',
      env: {
        SOCKET_PATH: '/alias.sock',
        SOCKGUARD_UPSTREAM_SOCKET: '/env.sock',
        LOG_LEVEL: 'crit',
        SOCKGUARD_LOG_LEVEL: 'debug',
      },
      socket: '/env.sock',
      level: 'debug',
    },
    {
      name: 'flags over everything',
      env: { SOCKGUARD_UPSTREAM_SOCKET: '/env.sock', SOCKGUARD_LOG_LEVEL: 'debug' },
      flags: { upstreamSocket: '/flag.sock', logLevel: 'error' },
      socket: '/flag.sock',
      level: 'error',
    },
    {
      name: 'an empty SOCKGUARD_ value counts as unset',
      env: { SOCKGUARD_UPSTREAM_SOCKET: '' },
      socket: '/yaml/docker.sock',
      level: 'warn',
    },
    { name: 'a blank SOCKET_PATH is ignored', env: { SOCKET_PATH: '   ' }, socket: '/yaml/docker.sock', level: 'warn' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = loadServePolicy(YAML, { env: c.env, flags: c.flags ?? {} });
      assert.deepEqual(
        result.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      assert.equal(result.policy!.upstream.socket, c.socket);
      assert.equal(result.policy!.log.level, c.level);
    });
  }

  it('uses built-in defaults plus the environment when there is no file', () => {
    const result = loadServePolicy(undefined, { env: { SOCKGUARD_METRICS_ENABLED: 'true' } });
    assert.equal(result.policy!.metrics.enabled, true);
    assert.equal(result.policy!.upstream.socket, '/var/run/docker.sock');
    assert.equal(result.policy!.rules?.length, 5);
  });

  it('validates across fields after merging (a YAML problem fixed by the environment is no problem)', () => {
    const yaml = 'listen:\n  address: 0.0.0.0:2375\n';
    assert.ok(loadServePolicy(yaml, { env: {} }).diagnostics.some((d) => d.code === 'config/plaintext-tcp'));
    const fixed = loadServePolicy(yaml, { env: {}, flags: { listenSocket: '/run/sg.sock' } });
    assert.deepEqual(
      fixed.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(fixed.policy!.listen.socket, '/run/sg.sock');
  });

  it('names the variable in errors', () => {
    const result = loadServePolicy(undefined, {
      env: { SOCKGUARD_METRICS_ENABLED: 'on', SOCKGUARD_LOG_LEVEL: 'loud', SOCKGUARD_ADMIN_MAX_REQUEST_BYTES: 'big' },
    });
    const messages = result.diagnostics.map((d) => d.message);
    assert.ok(
      messages.some((m) => m.startsWith('SOCKGUARD_METRICS_ENABLED: metrics.enabled must be true or false')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('SOCKGUARD_LOG_LEVEL: log.level must be')),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        m.startsWith('SOCKGUARD_ADMIN_MAX_REQUEST_BYTES: admin.max_request_bytes must be an integer'),
      ),
    );
    assert.equal(result.policy, undefined);
  });

  it('--listen-address switches the main listener from the YAML socket to TCP', () => {
    const result = loadServePolicy(YAML, { env: {}, flags: { listenAddress: '127.0.0.1:2399' } });
    assert.equal(result.policy!.listen.socket, undefined);
    assert.equal(result.policy!.listen.address, '127.0.0.1:2399');
  });

  it('reports YAML errors with their position', () => {
    const result = loadServePolicy('log:\n  level: loud\n', { env: {}, file: 'p.yaml' });
    const error = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(error.file, 'p.yaml');
    assert.equal(error.range?.start.line, 2);
  });
});

describe('environmentOverlay', () => {
  it('decodes booleans, integers and comma lists like Viper', () => {
    const { entries, diagnostics } = environmentOverlay({
      SOCKGUARD_INSECURE_ALLOW_READ_EXFILTRATION: 'T',
      SOCKGUARD_ADMIN_MAX_REQUEST_BYTES: '1024',
      SOCKGUARD_CLIENTS_ALLOWED_CIDRS: '10.0.0.0/8,192.168.0.0/16',
      SOCKGUARD_REQUEST_BODY_CONTAINER_CREATE_ALLOWED_BIND_MOUNTS: '/srv',
    });
    assert.deepEqual(diagnostics, []);
    const byKey = Object.fromEntries(entries.map((e) => [e.tokens.join('.'), e.value]));
    assert.deepEqual(byKey, {
      insecure_allow_read_exfiltration: true,
      'admin.max_request_bytes': 1024,
      'clients.allowed_cidrs': ['10.0.0.0/8', '192.168.0.0/16'],
      'request_body.container_create.allowed_bind_mounts': ['/srv'],
    });
  });

  it('does not offer list-of-object, nested-list or excluded settings', () => {
    const settable = (name: string) =>
      environmentOverlay({ [name]: 'x' }).entries.length > 0 ||
      environmentOverlay({ [name]: 'x' }).diagnostics.length > 0;
    for (const name of [
      'SOCKGUARD_RULES',
      'SOCKGUARD_LISTENERS',
      'SOCKGUARD_CLIENTS_PROFILES',
      'SOCKGUARD_CLIENTS_GLOBAL_CONCURRENCY_MAX_INFLIGHT',
      'SOCKGUARD_REQUEST_BODY_EXEC_ALLOWED_COMMANDS',
      'SOCKGUARD_MUTATIONS_RULES',
    ]) {
      assert.equal(settable(name), false, name);
    }
    for (const name of [
      'SOCKGUARD_LISTEN_SOCKET',
      'SOCKGUARD_UPSTREAM_REQUEST_TIMEOUT',
      'SOCKGUARD_LOG_AUDIT_ENABLED',
    ]) {
      assert.equal(settable(name), true, name);
    }
  });

  it('maps syslog-style LOG_LEVEL names', () => {
    const table: [string, string][] = [
      ['debug', 'debug'],
      ['INFO', 'info'],
      ['notice', 'info'],
      ['warning', 'warn'],
      ['err', 'error'],
      ['crit', 'error'],
      ['alert', 'error'],
      ['emerg', 'error'],
      ['Trace', 'trace'],
    ];
    for (const [input, expected] of table) assert.equal(mapCompatLogLevel(input), expected, input);
  });
});

describe('flagOverlay and applyOverlay', () => {
  it('writes flags over a copy of the document', () => {
    const document = { log: { level: 'info' as const } };
    const out = applyOverlay(document, flagOverlay({ logLevel: 'debug', denyVerbosity: 'verbose' }));
    assert.equal(out.log?.level, 'debug');
    assert.equal(out.response?.deny_verbosity, 'verbose');
    assert.equal(document.log.level, 'info');
  });
});
