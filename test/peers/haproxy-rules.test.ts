import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CONTAINER_ACTION_RULES,
  CONTAINER_PAUSE_RULES,
  DOCKER_SECTION_RULES,
  LIBPOD_ACTION_RULES,
  LIBPOD_SECTION_RULES,
  LINUXSERVER_SUBPATH_DENY_RULES,
  PODMAN_ACTION_RULES,
  type HaproxyPathRule,
} from '../../src/peers/haproxy-rules.js';

/** Parses a `VAR  REGEX` block as peers.md prints it. */
function parseBlock(block: string): HaproxyPathRule[] {
  return block
    .trim()
    .split('\n')
    .map((line) => {
      const [variable, regex] = line.trim().split(/\s+/);
      return { variable: variable as string, regex: regex as string };
    });
}

// peers.md §1.3, the 26 allows in haproxy.cfg order, copied verbatim.
const TECNATIVA_ALLOWS = String.raw`
ALLOW_RESTARTS  ^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))
ALLOW_START     ^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/start
ALLOW_STOP      ^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/stop
AUTH            ^(/v[\d\.]+)?/auth
BUILD           ^(/v[\d\.]+)?/build
COMMIT          ^(/v[\d\.]+)?/commit
CONFIGS         ^(/v[\d\.]+)?/configs
CONTAINERS      ^(/v[\d\.]+)?/containers
DISTRIBUTION    ^(/v[\d\.]+)?/distribution
EVENTS          ^(/v[\d\.]+)?/events
EXEC            ^(/v[\d\.]+)?/exec
GRPC            ^(/v[\d\.]+)?/grpc
IMAGES          ^(/v[\d\.]+)?/images
INFO            ^(/v[\d\.]+)?/info
NETWORKS        ^(/v[\d\.]+)?/networks
NODES           ^(/v[\d\.]+)?/nodes
PING            ^(/v[\d\.]+)?/_ping
PLUGINS         ^(/v[\d\.]+)?/plugins
SECRETS         ^(/v[\d\.]+)?/secrets
SERVICES        ^(/v[\d\.]+)?/services
SESSION         ^(/v[\d\.]+)?/session
SWARM           ^(/v[\d\.]+)?/swarm
SYSTEM          ^(/v[\d\.]+)?/system
TASKS           ^(/v[\d\.]+)?/tasks
VERSION         ^(/v[\d\.]+)?/version
VOLUMES         ^(/v[\d\.]+)?/volumes
`;

// peers.md §2.3 phases 1 and 2, copied verbatim.
const LINUXSERVER_PHASE_1 = String.raw`
ALLOW_ARCHIVE  ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(archive)
ALLOW_CHANGES  ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(change)
ALLOW_EXPORT   ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(export)
ALLOW_LOGS     ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(logs)
ALLOW_TOP      ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/(top)
`;
const LINUXSERVER_PHASE_2 = String.raw`
ALLOW_RESTARTS ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))
ALLOW_START    ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/start
ALLOW_STOP     ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/stop
ALLOW_PAUSE    ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/pause
ALLOW_UNPAUSE  ^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/unpause
LIBPOD_ALLOW_RESTARTS      ^(/v[\d\.]+)?/libpod/containers/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))
LIBPOD_ALLOW_START         ^(/v[\d\.]+)?/libpod/containers/[a-zA-Z0-9_.-]+/start
LIBPOD_ALLOW_STOP          ^(/v[\d\.]+)?/libpod/containers/[a-zA-Z0-9_.-]+/stop
LIBPOD_ALLOW_PAUSE         ^(/v[\d\.]+)?/libpod/containers/[a-zA-Z0-9_.-]+/pause
LIBPOD_ALLOW_UNPAUSE       ^(/v[\d\.]+)?/libpod/containers/[a-zA-Z0-9_.-]+/unpause
LIBPOD_ALLOW_POD_RESTARTS  ^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/((stop)|(restart)|(kill))
LIBPOD_ALLOW_POD_START     ^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/start
LIBPOD_ALLOW_POD_STOP      ^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/stop
LIBPOD_ALLOW_POD_PAUSE     ^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/pause
LIBPOD_ALLOW_POD_UNPAUSE   ^(/v[\d\.]+)?/libpod/pods/[a-zA-Z0-9_.-]+/unpause
`;

describe('HAProxy rule texts', () => {
  it('§1.3 Tecnativa allows: the three ALLOW_* lines then the 23 sections, texts and order verbatim', () => {
    assert.deepEqual([...CONTAINER_ACTION_RULES, ...DOCKER_SECTION_RULES], parseBlock(TECNATIVA_ALLOWS));
  });

  it('§2.3 LinuxServer phase 1 (deny unless set), texts and order verbatim', () => {
    assert.deepEqual(LINUXSERVER_SUBPATH_DENY_RULES, parseBlock(LINUXSERVER_PHASE_1));
  });

  it('§2.3 LinuxServer phase 2 (action allows, then legacy libpod allows), texts and order verbatim', () => {
    assert.deepEqual([...PODMAN_ACTION_RULES, ...LIBPOD_ACTION_RULES], parseBlock(LINUXSERVER_PHASE_2));
  });

  it('§2.3 LinuxServer phase 4 uses the same 23 section regexes in Tecnativa order (AUTH … VOLUMES incl. GRPC)', () => {
    assert.equal(DOCKER_SECTION_RULES.length, 23);
    assert.deepEqual(DOCKER_SECTION_RULES, parseBlock(TECNATIVA_ALLOWS).slice(3));
  });

  it('§2.3 LIBPOD_<NAME> allows are ^(/v[\\d\\.]+)?/libpod/<name> in the documented order', () => {
    const names =
      'containers events exec generate images info manifests networks _ping play pods secrets system version volumes';
    assert.deepEqual(
      LIBPOD_SECTION_RULES.map((rule) => rule.regex),
      names.split(' ').map((name) => String.raw`^(/v[\d\.]+)?/libpod/` + name),
    );
    assert.equal(LIBPOD_SECTION_RULES[8]?.variable, 'LIBPOD_PING');
    assert.ok(
      LIBPOD_SECTION_RULES.every(
        (rule, i) => i === 8 || rule.variable === `LIBPOD_${names.split(' ')[i]?.toUpperCase()}`,
      ),
    );
  });

  it('§2.1 pre-ls92 ALLOW_PAUSE/ALLOW_UNPAUSE are the container-only form of the other action allows', () => {
    assert.deepEqual(CONTAINER_PAUSE_RULES, [
      { variable: 'ALLOW_PAUSE', regex: String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/pause` },
      { variable: 'ALLOW_UNPAUSE', regex: String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/unpause` },
    ]);
  });
});
