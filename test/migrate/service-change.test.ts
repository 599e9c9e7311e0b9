import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import {
  buildServiceChange,
  isSockguardVariable,
  listRemovedVariables,
  mountSourceOf,
  POLICY_MOUNT_TARGET,
  SOCKGUARD_IMAGE,
} from '../../src/migrate/service-change.js';

test('Sockguard reads its own variables, Docker client variables and TZ; nothing else survives', () => {
  const table: [string, boolean][] = [
    ['SOCKGUARD_LOG_LEVEL', true],
    ['SOCKGUARD_INSECURE_ALLOW_READ_EXFILTRATION', true],
    ['DOCKER_HOST', true],
    ['DOCKER_TLS_VERIFY', true],
    ['DOCKER_CERT_PATH', true],
    ['TZ', true],
    ['CONTAINERS', false],
    ['SOCKET_PATH', false],
    ['LOG_LEVEL', false],
    ['SP_ALLOW_GET', false],
    ['CETUSGUARD_RULES', false],
    ['sockguard_log_level', false],
  ];
  for (const [name, kept] of table) assert.equal(isSockguardVariable(name), kept, name);
});

test('removed variables: everything written under environment: (bare names too) but not env_file lines', () => {
  const { project } = parseComposeFiles(
    [
      {
        path: 'compose.yml',
        text: 'services:\n  p:\n    image: x\n    environment: [CONTAINERS=1, TZ=UTC, PASSED, SOCKGUARD_LOG_LEVEL=debug]\n    env_file: p.env\n',
      },
    ],
    { env: {}, readText: (path) => (path === 'p.env' ? 'POST=1\n' : undefined) },
  );
  assert.ok(project);
  assert.deepEqual([...listRemovedVariables(project.services[0]!)], ['CONTAINERS', 'PASSED']);
});

test('the policy mount source is relative to the project directory', () => {
  assert.equal(mountSourceOf('deploy', 'deploy/sockguard.yaml'), './sockguard.yaml');
  assert.equal(mountSourceOf('.', 'policies/proxy.yaml'), './policies/proxy.yaml');
  assert.equal(mountSourceOf('/srv/app', '/srv/policies/p.yaml'), '../policies/p.yaml');
});

test('flag-configured sources lose command and entrypoint; rules-file mounts go; the policy is mounted read-only', () => {
  const { project } = parseComposeFiles([{ path: 'c.yml', text: 'services:\n  p:\n    image: x\n' }], { env: {} });
  assert.ok(project);
  const service = project.services[0]!;
  const tecnativa = buildServiceChange('tecnativa', service, '.', 'sockguard.yaml', []);
  assert.deepEqual(tecnativa.removeKeys, []);
  assert.equal(tecnativa.image, SOCKGUARD_IMAGE);
  assert.deepEqual(tecnativa.addVolume, { source: './sockguard.yaml', target: POLICY_MOUNT_TARGET, readOnly: true });
  for (const source of ['wollomatic', 'cetusguard'] as const) {
    assert.deepEqual(buildServiceChange(source, service, '.', 'sockguard.yaml', []).removeKeys, [
      'command',
      'entrypoint',
    ]);
  }
  const cetus = buildServiceChange('cetusguard', service, '.', 'sockguard.yaml', ['/etc/cg/rules.list']);
  assert.deepEqual([...(cetus.removeVolumeTargets ?? [])], ['/etc/cg/rules.list']);
});
