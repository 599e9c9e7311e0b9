/**
 * The proxy services of a compose project (peers.md §6: detection by image; `--service` picks one,
 * `--source` forces the translator) and, for each, the peer input its source reader takes: the
 * environment the container sees, the argv after the binary, the labels of the services sharing its
 * networks (wollomatic allowlists, §3.7) and the files it can open through its bind mounts
 * (CetusGuard rules files, §5.2), with every origin mapped back to the compose line.
 */
import { posix } from 'node:path';
import type { ComposeProject, ComposeService, Located, Origin } from '../compose/model.js';
import { environmentRecord } from '../compose/environment-record.js';
import { detectSource } from '../translators/detect-source.js';
import type { SourceKind } from '../translators/types.js';
import { MigrateError } from './migrate-error.js';
import {
  argumentIndexOf,
  locateRulesFileOrigin,
  variableOf,
  type MigrationSubject,
  type MountedFile,
  type SourceDetection,
} from './peer-input.js';

export interface ServiceSelection {
  /** `--service NAME`: migrate this service only. */
  service?: string;
  /** `--source`: with `--service`, the translator to use whatever the image; alone, only services of this source. */
  source?: SourceKind;
}

/** The services to migrate with how their source was decided, in file order. */
export function selectProxyServices(
  project: ComposeProject,
  selection: ServiceSelection,
): { service: ComposeService; detection: SourceDetection }[] {
  if (selection.service !== undefined) {
    const service = project.services.find((s) => s.name === selection.service);
    if (!service) {
      throw new MigrateError(
        'migrate/unknown-service',
        `--service ${selection.service}: no such service; services: ${listServices(project)}`,
      );
    }
    const detected = detectionOf(service);
    if (selection.source !== undefined) {
      return [{ service, detection: { ...detected, source: selection.source, forced: true } }];
    }
    if (!detected.repository) {
      throw new MigrateError(
        'migrate/not-a-proxy',
        `service ${service.name} runs ${describeImage(service)}, which is none of the proxies sockguard migrates (Tecnativa, LinuxServer, wollomatic, 11notes, CetusGuard); pass --source to name its source`,
      );
    }
    return [{ service, detection: detected }];
  }
  const found = project.services
    .map((service) => ({ service, detection: detectionOf(service) }))
    .filter(({ detection }) => detection.repository !== undefined)
    .filter(({ detection }) => selection.source === undefined || detection.source === selection.source);
  if (found.length === 0) {
    const which = selection.source === undefined ? 'no socket proxy service' : `no ${selection.source} service`;
    throw new MigrateError(
      'migrate/no-proxy',
      `${which} found in ${project.files.join(', ')}; services: ${listServices(project)}. Pass --service NAME --source SOURCE to migrate a service whose image is not recognised.`,
    );
  }
  return found;
}

function detectionOf(service: ComposeService): SourceDetection {
  const image = service.image?.value;
  const detected = image === undefined ? undefined : detectSource(image);
  return {
    // A placeholder source for undetected images; callers only use it with --source.
    source: detected?.source ?? 'tecnativa',
    ...(image !== undefined ? { image } : {}),
    ...(detected ? { repository: detected.repository } : {}),
    forced: false,
  };
}

function describeImage(service: ComposeService): string {
  return service.image ? service.image.value : 'no image (build:)';
}

function listServices(project: ComposeProject): string {
  if (project.services.length === 0) return '(none)';
  return project.services.map((s) => `${s.name} (${describeImage(s)})`).join(', ');
}

/** The image tag as detectSource reads it (undefined when untagged, a variable, or digest-only). */
function imageTagOf(image: string | undefined): string | undefined {
  return image === undefined ? undefined : detectSource(image)?.tag;
}

/** `entrypoint:` arguments after the binary, then `command:`: what the old binary receives. */
function argumentsOf(service: ComposeService): Located<string>[] {
  return [...(service.entrypoint?.args.slice(1) ?? []), ...(service.command?.args ?? [])];
}

function networksOf(service: ComposeService): string[] {
  return service.networks.size > 0 ? [...service.networks.keys()] : ['default'];
}

/** Services sharing at least one network with `proxy`, with their labels (peers.md §3.7). */
function labeledNeighbours(
  project: ComposeProject,
  proxy: ComposeService,
): MigrationSubject['input']['labeledServices'] {
  const networks = new Set(networksOf(proxy));
  return project.services
    .filter((s) => s !== proxy && s.labels.size > 0 && networksOf(s).some((n) => networks.has(n)))
    .map((s) => ({ service: s.name, labels: [...s.labels].map(([name, label]) => ({ name, value: label.value })) }));
}

/**
 * The host path behind a path inside the container, through the service's bind mounts (the
 * deepest mount wins); undefined when no bind mount covers it or its source is not a plain path.
 */
export function hostPathOf(project: ComposeProject, service: ComposeService, path: string): string | undefined {
  let best: { target: string; source: string } | undefined;
  for (const volume of service.volumes) {
    if (volume.type !== 'bind' || volume.source === undefined || volume.source.startsWith('~')) continue;
    const target = posix.normalize(volume.target).replace(/\/$/, '') || '/';
    const covers = path === target || path.startsWith(target === '/' ? '/' : `${target}/`);
    if (covers && (!best || target.length > best.target.length)) best = { target, source: volume.source };
  }
  if (!best) return undefined;
  const rest = path.slice(best.target.length).replace(/^\//, '');
  const source = posix.isAbsolute(best.source) ? best.source : posix.join(project.projectDir, best.source);
  return rest === '' ? posix.normalize(source) : posix.join(source, rest);
}

/** Maps an origin named by a reader or translator to where the compose files say it. */
export function locateServiceOrigin(
  project: ComposeProject,
  service: ComposeService,
  origin: string,
  hostPath: (path: string) => string | undefined,
): Origin | undefined {
  const variable = variableOf(origin);
  if (variable !== undefined) return service.environment.get(variable);
  const index = argumentIndexOf(origin);
  if (index !== undefined) return argumentsOf(service)[index];
  const label = /^label:([^:]+):(.+)$/.exec(origin);
  if (label) return project.services.find((s) => s.name === label[1])?.labels.get(label[2]!);
  const listed = /^(ports|volumes):(\d+)$/.exec(origin);
  if (listed) return (listed[1] === 'ports' ? service.ports : service.volumes)[Number(listed[2])];
  if (origin.startsWith('rules-file:')) return locateRulesFileOrigin(origin, hostPath);
  if (origin === 'image') return service.image;
  if (origin === 'user') return service.user;
  if (origin === 'service') return service;
  return undefined;
}

/** The subject for one compose service; `readText` reads host files (rules files behind bind mounts). */
export function buildComposeSubject(
  project: ComposeProject,
  service: ComposeService,
  detection: SourceDetection,
  readText: (path: string) => string | undefined,
): MigrationSubject {
  const hostPath = (path: string): string | undefined => hostPathOf(project, service, path);
  return {
    name: service.name,
    detection,
    input: {
      environment: environmentRecord(service),
      env: [...service.environment.values()].map((entry) => ({ name: entry.name, value: entry.value ?? null })),
      argv: argumentsOf(service).map((arg) => arg.value),
      imageTag: imageTagOf(service.image?.value),
      labeledServices: labeledNeighbours(project, service),
      readMounted: (path): MountedFile | undefined => {
        const file = hostPath(path);
        const text = file === undefined ? undefined : readText(file);
        return file === undefined || text === undefined ? undefined : { hostPath: file, text };
      },
      locate: (origin) => locateServiceOrigin(project, service, origin, hostPath),
    },
  };
}
