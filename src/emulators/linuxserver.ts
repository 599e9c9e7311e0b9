/**
 * linuxserver/docker-socket-proxy's own decision for one request, for the HAProxy builds
 * (peers.md §2.1, §2.3). Each era's haproxy.cfg is a rule list in the shared five-phase order; the
 * nginx builds (ls4–ls46) are refused because their location blocks are not in the reference.
 */

import {
  CONTAINER_ACTION_RULES,
  CONTAINER_PAUSE_RULES,
  DOCKER_SECTION_RULES,
  LIBPOD_ACTION_RULES,
  LIBPOD_SECTION_RULES,
  LINUXSERVER_SUBPATH_DENY_RULES,
  PODMAN_ACTION_RULES,
} from '../peers/haproxy-rules.js';
import type { LinuxServerEra, LinuxServerSettings } from '../peers/linuxserver.js';
import { compileHaproxyPipeline, type HaproxyPipeline } from './haproxy-pipeline.js';
import { EmulationUnavailableError, type EmulatedDecision, type EmulatedRequest, type Emulator } from './types.js';

type HaproxyEra = Exclude<LinuxServerEra, 'nginx'>;

const HAPROXY_3_PARSER = { rejectsHashInTarget: true, rejectsConnectWithPath: true };

/**
 * The rule list of each HAProxy era. Every image is from 2024 or later, so HAProxy refuses `#` in the
 * request-target throughout; the HAProxy 3.x builds (ls47+) also refuse CONNECT with a path. The pre-ls92 `ALLOW_PAUSE`/`ALLOW_UNPAUSE` and `LIBPOD_ALLOW_*` lines
 * are the container-only forms the ls92 changelog says were extended (peers.md §2.1, §2.6).
 */
const PIPELINES: Readonly<Record<HaproxyEra, HaproxyPipeline>> = {
  // A copy of Tecnativa's rules: method gate first (peers.md §2.1).
  'haproxy-2.8': {
    denyUnlessSet: [],
    allowBeforeGate: [],
    allowAfterGate: [...CONTAINER_ACTION_RULES, ...DOCKER_SECTION_RULES],
    parser: { rejectsHashInTarget: true, rejectsConnectWithPath: false },
  },
  'haproxy-actions-first': {
    denyUnlessSet: [],
    allowBeforeGate: CONTAINER_ACTION_RULES,
    allowAfterGate: DOCKER_SECTION_RULES,
    parser: HAPROXY_3_PARSER,
  },
  'haproxy-pause': {
    denyUnlessSet: [],
    allowBeforeGate: [...CONTAINER_ACTION_RULES, ...CONTAINER_PAUSE_RULES],
    allowAfterGate: DOCKER_SECTION_RULES,
    parser: HAPROXY_3_PARSER,
  },
  'haproxy-libpod': {
    denyUnlessSet: [],
    allowBeforeGate: [...CONTAINER_ACTION_RULES, ...CONTAINER_PAUSE_RULES, ...LIBPOD_ACTION_RULES],
    allowAfterGate: [...DOCKER_SECTION_RULES, ...LIBPOD_SECTION_RULES],
    parser: HAPROXY_3_PARSER,
  },
  // peers.md §2.3, verbatim phase order.
  'haproxy-subpath-denies': {
    denyUnlessSet: LINUXSERVER_SUBPATH_DENY_RULES,
    allowBeforeGate: [...PODMAN_ACTION_RULES, ...LIBPOD_ACTION_RULES],
    allowAfterGate: [...DOCKER_SECTION_RULES, ...LIBPOD_SECTION_RULES],
    parser: HAPROXY_3_PARSER,
  },
};

/**
 * Binds the settings once and returns the per-request decision function.
 * @throws EmulationUnavailableError for nginx builds (ls4–ls46).
 */
export function compileLinuxServer(settings: LinuxServerSettings): Emulator {
  if (settings.image.era === 'nginx') {
    throw new EmulationUnavailableError(
      `LinuxServer build ls${settings.build} (${settings.image.tag ?? 'untagged'}) runs nginx; its location blocks are not in the reference, so its decisions cannot be emulated exactly.`,
    );
  }
  return compileHaproxyPipeline(PIPELINES[settings.image.era], settings.toggles);
}

/** One-off decision; compile once with compileLinuxServer when deciding many requests. */
export function emulateLinuxServer(settings: LinuxServerSettings, request: EmulatedRequest): EmulatedDecision {
  return compileLinuxServer(settings)(request);
}
