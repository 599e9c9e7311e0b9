/**
 * What the compose rewrite does to the proxy service: run Sockguard's image, keep only the
 * environment Sockguard itself reads (the old proxy's variables are now rules in the policy file),
 * drop the old binary's `command:`/`entrypoint:` (wollomatic and CetusGuard take their configuration
 * as flags) and the mounts of its rules files, and mount the policy read-only where Sockguard reads its configuration. Ports, networks,
 * `container_name`, `user` and the Docker socket mount stay, so consumers keep their endpoint.
 */
import { posix } from 'node:path';
import type { ComposeService } from '../compose/model.js';
import type { ServiceChange } from '../compose/rewrite-service.js';
import type { SourceKind } from '../translators/types.js';

/** The Sockguard image the rewrite pins: the release line whose policy format this tool writes (sockguard-config.md, v1.7). */
export const SOCKGUARD_IMAGE = 'codeswhat/sockguard:1.7';

/** Where Sockguard reads its configuration by default (sockguard-config.md §1). */
export const POLICY_MOUNT_TARGET = '/etc/sockguard/sockguard.yaml';

/** Sources configured by flags to their binary; Sockguard's image has its own entrypoint. */
const FLAG_CONFIGURED: ReadonlySet<SourceKind> = new Set(['wollomatic', 'cetusguard']);

/**
 * Variables Sockguard reads: its own `SOCKGUARD_*`, Docker's client variables (an upstream over
 * TCP, sockguard-config.md §5) and `TZ` (the Go runtime's time zone for log timestamps).
 */
export function isSockguardVariable(name: string): boolean {
  return (
    name.startsWith('SOCKGUARD_') ||
    name === 'TZ' ||
    name === 'DOCKER_HOST' ||
    name === 'DOCKER_TLS_VERIFY' ||
    name === 'DOCKER_CERT_PATH'
  );
}

/** The variables the rewrite removes: every entry written under `environment:` that Sockguard does not read. */
export function listRemovedVariables(service: ComposeService): Set<string> {
  return new Set(
    [...service.environment.values()]
      .filter((entry) => entry.from !== 'env_file' && !isSockguardVariable(entry.name))
      .map((entry) => entry.name),
  );
}

/** `./sockguard.yaml` for a policy beside the compose file: compose resolves bind sources against the project directory. */
export function mountSourceOf(projectDir: string, policyPath: string): string {
  const relative = posix.relative(projectDir, policyPath);
  return relative.startsWith('../') ? relative : `./${relative}`;
}

/**
 * The change for one proxy service; `configurationFiles` are files the old proxy read its rules
 * from (now in the policy): a mount of exactly such a file is dropped, a directory mount is kept.
 */
export function buildServiceChange(
  source: SourceKind,
  service: ComposeService,
  projectDir: string,
  policyPath: string,
  configurationFiles: readonly string[],
): ServiceChange {
  return {
    image: SOCKGUARD_IMAGE,
    removeEnvironment: listRemovedVariables(service),
    removeKeys: FLAG_CONFIGURED.has(source) ? ['command', 'entrypoint'] : [],
    removeVolumeTargets: new Set(configurationFiles),
    addVolume: { source: mountSourceOf(projectDir, policyPath), target: POLICY_MOUNT_TARGET, readOnly: true },
  };
}
