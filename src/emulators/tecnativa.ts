/**
 * Tecnativa/docker-socket-proxy's own decision for one request (peers.md §1.3–§1.7): the GET/HEAD
 * gate first (`deny unless METH_GET || POST`), then the first enabled allow whose regex matches the
 * URL-decoded path (case-insensitive, anchored only at the start), else the catch-all 403.
 */

import { CONTAINER_ACTION_RULES, DOCKER_SECTION_RULES } from '../peers/haproxy-rules.js';
import type { TecnativaSettings } from '../peers/tecnativa.js';
import { compileHaproxyPipeline } from './haproxy-pipeline.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

/** Binds the settings once (regexes compiled here) and returns the per-request decision function. */
export function compileTecnativa(settings: TecnativaSettings): Emulator {
  return compileHaproxyPipeline(
    {
      denyUnlessSet: [],
      allowBeforeGate: [],
      // haproxy.cfg order: the ALLOW_* lines, then the sections (peers.md §1.3). A release has no rule
      // for a variable it does not read (GRPC, ALLOW_START, ALLOW_STOP before v0.1.2).
      allowAfterGate: [...CONTAINER_ACTION_RULES, ...DOCKER_SECTION_RULES].filter(
        (rule) => settings.toggles[rule.variable]?.read === true,
      ),
      parser: {
        // v0.1.0/v0.1.1 images (2021) predate HAProxy's 2023 refusal of `#` in the request-target.
        rejectsHashInTarget: settings.image.era !== '0.1.0',
        rejectsConnectWithPath: settings.haproxyBase !== '2.2',
      },
    },
    settings.toggles,
  );
}

/** One-off decision; compile once with compileTecnativa when deciding many requests. */
export function emulateTecnativa(settings: TecnativaSettings, request: EmulatedRequest): EmulatedDecision {
  return compileTecnativa(settings)(request);
}
