import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectSource, type DetectedSource } from '../../src/translators/detect-source.js';

const DIGEST = 'sha256:' + 'a'.repeat(64);

// Image reference -> what detectSource reports.
const DETECTED: [string, DetectedSource][] = [
  // Tecnativa (peers.md §1.1, §6)
  [
    'tecnativa/docker-socket-proxy',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io' },
  ],
  [
    'tecnativa/docker-socket-proxy:0.4.1',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io', tag: '0.4.1' },
  ],
  [
    'docker.io/tecnativa/docker-socket-proxy:edge',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io', tag: 'edge' },
  ],
  [
    'index.docker.io/tecnativa/docker-socket-proxy:0',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io', tag: '0' },
  ],
  [
    'ghcr.io/tecnativa/docker-socket-proxy:latest',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'ghcr.io', tag: 'latest' },
  ],
  [
    'GHCR.IO/tecnativa/docker-socket-proxy:nightly',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'ghcr.io', tag: 'nightly' },
  ],
  [
    '${MY_CONTAINER_REPO}tecnativa/docker-socket-proxy:edge',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', tag: 'edge' },
  ],
  [
    '${REGISTRY:-ghcr.io}/tecnativa/docker-socket-proxy:0.3',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', tag: '0.3' },
  ],
  ['$REPO/tecnativa/docker-socket-proxy', { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy' }],
  [
    '${PREFIX}ghcr.io/tecnativa/docker-socket-proxy',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'ghcr.io' },
  ],
  [
    'tecnativa/docker-socket-proxy:${TAG:-edge}',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io' },
  ],
  [
    `tecnativa/docker-socket-proxy@${DIGEST}`,
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io', digest: DIGEST },
  ],
  [
    `tecnativa/docker-socket-proxy:0.4.1@${DIGEST}`,
    {
      source: 'tecnativa',
      repository: 'tecnativa/docker-socket-proxy',
      registry: 'docker.io',
      tag: '0.4.1',
      digest: DIGEST,
    },
  ],
  [
    'registry.local:5000/tecnativa/docker-socket-proxy:0.4',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'registry.local:5000', tag: '0.4' },
  ],
  [
    'localhost/tecnativa/docker-socket-proxy',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'localhost' },
  ],
  [
    'harbor.example.com/dockerhub/tecnativa/docker-socket-proxy:0.4.1',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'harbor.example.com', tag: '0.4.1' },
  ],
  [
    '  tecnativa/docker-socket-proxy  ',
    { source: 'tecnativa', repository: 'tecnativa/docker-socket-proxy', registry: 'docker.io' },
  ],
  // LinuxServer (§2.1): image name socket-proxy, four registries, often untagged
  [
    'lscr.io/linuxserver/socket-proxy',
    { source: 'linuxserver', repository: 'linuxserver/socket-proxy', registry: 'lscr.io' },
  ],
  [
    'lscr.io/linuxserver/socket-proxy:latest',
    { source: 'linuxserver', repository: 'linuxserver/socket-proxy', registry: 'lscr.io', tag: 'latest' },
  ],
  [
    'linuxserver/socket-proxy:3.4.3-r0-ls92',
    { source: 'linuxserver', repository: 'linuxserver/socket-proxy', registry: 'docker.io', tag: '3.4.3-r0-ls92' },
  ],
  [
    'ghcr.io/linuxserver/socket-proxy:1.26.3-r0-ls46',
    { source: 'linuxserver', repository: 'linuxserver/socket-proxy', registry: 'ghcr.io', tag: '1.26.3-r0-ls46' },
  ],
  [
    'quay.io/linuxserver.io/socket-proxy:2.8.7-ls1',
    { source: 'linuxserver', repository: 'linuxserver.io/socket-proxy', registry: 'quay.io', tag: '2.8.7-ls1' },
  ],
  [
    'LSCR.io/linuxserver/socket-proxy',
    { source: 'linuxserver', repository: 'linuxserver/socket-proxy', registry: 'lscr.io' },
  ],
  // wollomatic (§3)
  [
    'wollomatic/socket-proxy:1.13.1',
    { source: 'wollomatic', repository: 'wollomatic/socket-proxy', registry: 'docker.io', tag: '1.13.1' },
  ],
  [
    'ghcr.io/wollomatic/socket-proxy:1',
    { source: 'wollomatic', repository: 'wollomatic/socket-proxy', registry: 'ghcr.io', tag: '1' },
  ],
  // 11notes (§4)
  [
    '11notes/socket-proxy:2.1.4',
    { source: 'elevennotes', repository: '11notes/socket-proxy', registry: 'docker.io', tag: '2.1.4' },
  ],
  [
    'ghcr.io/11notes/socket-proxy:2',
    { source: 'elevennotes', repository: '11notes/socket-proxy', registry: 'ghcr.io', tag: '2' },
  ],
  ['quay.io/11notes/socket-proxy', { source: 'elevennotes', repository: '11notes/socket-proxy', registry: 'quay.io' }],
  // CetusGuard (§5)
  [
    'hectorm/cetusguard:v1.1.3',
    { source: 'cetusguard', repository: 'hectorm/cetusguard', registry: 'docker.io', tag: 'v1.1.3' },
  ],
  ['ghcr.io/hectorm/cetusguard', { source: 'cetusguard', repository: 'hectorm/cetusguard', registry: 'ghcr.io' }],
];

test('detectSource: every registry, name, tag and digest variant of the five sources', () => {
  for (const [image, expected] of DETECTED) assert.deepEqual(detectSource(image), expected, image);
});

test('detectSource: the three socket-proxy images with the same last segment never mix', () => {
  const sources = ['linuxserver/socket-proxy', '11notes/socket-proxy', 'wollomatic/socket-proxy'].map(
    (image) => detectSource(image)?.source,
  );
  assert.deepEqual(sources, ['linuxserver', 'elevennotes', 'wollomatic']);
});

test('detectSource: other images are not sources', () => {
  const others = [
    'buildkite/sockguard',
    'codeswhat/sockguard:latest',
    'ghcr.io/codeswhat/sockguard',
    'socket-proxy',
    'docker-socket-proxy',
    'library/socket-proxy',
    'someone/socket-proxy',
    'tecnativa/docker-socket-proxy-fork',
    'tecnativa/docker-socket-proxy2:1',
    'xtecnativa/docker-socket-proxy',
    'linuxserver.io/socket-proxy',
    'linuxserver/socket-proxy/extra',
    'TECNATIVA/docker-socket-proxy',
    'Tecnativa/docker-socket-proxy',
    'tecnativa/docker-socket-proxy:bad tag',
    'tecnativa/docker-socket-proxy@sha256:short',
    'traefik:v3.7',
    'containrrr/watchtower',
    '',
  ];
  for (const image of others) assert.equal(detectSource(image), undefined, image);
});
