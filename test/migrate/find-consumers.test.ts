import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import { findConsumers } from '../../src/migrate/find-consumers.js';

const { project } = parseComposeFiles(
  [
    {
      path: 'compose.yml',
      text: `services:
  socket-proxy:
    image: tecnativa/docker-socket-proxy
    container_name: dockerproxy
    networks:
      back:
        aliases: [docker]
    volumes:
      - proxy-run:/run/proxy
      - /var/run/docker.sock:/var/run/docker.sock:ro
  watchtower:
    image: containrrr/watchtower
    environment:
      DOCKER_HOST: tcp://socket-proxy:2375
  traefik:
    image: traefik
    command: ["--providers.docker.endpoint=tcp://dockerproxy:2375", "--entrypoints.web.address=:80"]
  portainer:
    image: portainer/portainer-ce
    entrypoint: ["/portainer", "-H", "tcp://docker:2376"]
  dozzle:
    image: amir20/dozzle
    environment:
      - DOZZLE_REMOTE_HOST=tcp://socket-proxy:2375|proxied,tcp://remote:2375|other
  unrelated:
    image: app
    environment:
      API: http://socket-proxyx:2375
      OTHER: tcp://web:2375
  loggifly:
    image: ghcr.io/clemcer/loggifly
    volumes:
      - proxy-run:/var/run
      - other:/data
volumes:
  proxy-run:
  other:
`,
    },
  ],
  { env: {} },
);

test('consumers by service name, container_name and network alias, over env, command and entrypoint, and by shared volume', () => {
  assert.ok(project);
  const proxy = project.services[0]!;
  const found = findConsumers(project, proxy).map((c) =>
    c.kind === 'tcp'
      ? [c.service, c.kind, c.endpoint, c.host, c.port, c.via, c.at.range.start.line]
      : [c.service, c.kind, c.volume, c.proxyTarget, c.consumerTarget, c.at.range.start.line],
  );
  assert.deepEqual(found, [
    ['watchtower', 'tcp', 'tcp://socket-proxy:2375', 'socket-proxy', 2375, 'DOCKER_HOST', 14],
    ['traefik', 'tcp', 'tcp://dockerproxy:2375', 'dockerproxy', 2375, 'command', 17],
    ['portainer', 'tcp', 'tcp://docker:2376', 'docker', 2376, 'entrypoint', 20],
    ['dozzle', 'tcp', 'tcp://socket-proxy:2375', 'socket-proxy', 2375, 'DOZZLE_REMOTE_HOST', 24],
    ['loggifly', 'socket-volume', 'proxy-run', '/run/proxy', '/var/run', 33],
  ]);
});
