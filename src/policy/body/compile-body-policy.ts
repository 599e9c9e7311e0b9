/**
 * Compiles a `request_body` block once into the per-group inspectors (normalised allowlists,
 * precompiled argv globs), so judging a request allocates no regular expressions. Missing keys take
 * Go's zero value: the root policy arrives with sockguard-config.md's defaults already applied, while a
 * client profile's block gets none (§8.1: inside a profile allow_official and allow_aliases are false
 * unless written).
 */
import type { RequestBodyPolicy } from '../schema.js';
import { findBodyRoute } from './body-routes.js';
import { compileBuild, buildNeedsBody, type CompiledBuild } from './inspect-build.js';
import {
  archiveNeedsBody,
  compileContainerArchive,
  type CompiledContainerArchive,
} from './inspect-container-archive.js';
import { compileContainerCreate, type CompiledContainerCreate } from './inspect-container-create.js';
import { compileContainerUpdate, type CompiledContainerUpdate } from './inspect-container-update.js';
import { compileExec, type CompiledExec } from './inspect-exec.js';
import { compileImageLoad, type CompiledImageLoad } from './inspect-image-load.js';
import { compileImagePull, type CompiledImagePull } from './inspect-image-pull.js';
import { compileNetwork, type CompiledNetwork } from './inspect-network.js';
import { compileNode, type CompiledNode } from './inspect-node.js';
import { compilePlugin, type CompiledPlugin } from './inspect-plugin.js';
import { compileSecretConfig, type CompiledSecretConfig } from './inspect-secret-config.js';
import { compileService, type CompiledService } from './inspect-service.js';
import { compileSwarm, type CompiledSwarm } from './inspect-swarm.js';
import { compileVolume, type CompiledVolume } from './inspect-volume.js';

export interface BodyPolicyOptions {
  /** The policy's top-level insecure_allow_body_blind_writes (acknowledgements are global, §8.3). */
  insecureAllowBodyBlindWrites?: boolean;
  /** Dotted prefix of the block for denial messages, e.g. `clients.profiles[0].request_body`. */
  keyPrefix?: string;
}

export interface CompiledBodyPolicy {
  readonly containerCreate: CompiledContainerCreate;
  readonly containerUpdate: CompiledContainerUpdate;
  readonly exec: CompiledExec;
  readonly imagePull: CompiledImagePull;
  readonly build: CompiledBuild;
  readonly containerArchive: CompiledContainerArchive;
  readonly imageLoad: CompiledImageLoad;
  readonly volume: CompiledVolume;
  readonly network: CompiledNetwork;
  readonly secret: CompiledSecretConfig;
  readonly config: CompiledSecretConfig;
  readonly service: CompiledService;
  readonly swarm: CompiledSwarm;
  readonly node: CompiledNode;
  readonly plugin: CompiledPlugin;
  /** insecure_allow_body_blind_writes: writes no inspector can judge are let through. */
  readonly blindWritesAcknowledged: boolean;
  /** Whether this policy needs the body of this request buffered (narrower than the static requiresBody). */
  requiresBody(method: string, normalizedPath: string): boolean;
}

export function compileBodyPolicy(
  requestBody: RequestBodyPolicy | undefined,
  options: BodyPolicyOptions = {},
): CompiledBodyPolicy {
  const rb = requestBody ?? {};
  const prefix = options.keyPrefix ?? 'request_body';
  const blind = options.insecureAllowBodyBlindWrites ?? false;
  const network = compileNetwork(rb.network, prefix);
  const containerCreate = compileContainerCreate(rb.container_create, network, prefix);
  const build = compileBuild(rb.build, prefix);
  const containerArchive = compileContainerArchive(rb.container_archive, prefix);
  return {
    containerCreate,
    containerUpdate: compileContainerUpdate(rb.container_update, prefix),
    exec: compileExec(rb.exec, prefix, blind),
    imagePull: compileImagePull(rb.image_pull, prefix),
    build,
    containerArchive,
    imageLoad: compileImageLoad(rb.image_load, prefix),
    volume: compileVolume(rb.volume, containerCreate.bindMounts, containerCreate.key('allowed_bind_mounts'), prefix),
    network,
    secret: compileSecretConfig(rb.secret, 'secret', prefix),
    config: compileSecretConfig(rb.config, 'config', prefix),
    service: compileService(rb.service, prefix),
    swarm: compileSwarm(rb.swarm, prefix, blind),
    node: compileNode(rb.node, prefix),
    plugin: compilePlugin(rb.plugin, prefix, blind),
    blindWritesAcknowledged: blind,
    requiresBody(method, normalizedPath) {
      const route = findBodyRoute(method, normalizedPath);
      if (route === undefined || route.kind === 'none') return false;
      if (route.id === 'build') return buildNeedsBody(build);
      if (route.id === 'container-archive') return archiveNeedsBody(containerArchive);
      return true;
    },
  };
}
