/**
 * The startup probes (sockguard-config.md §8.3): fixed METHOD path requests evaluated against the
 * compiled rules of the root policy and of every profile. A probe that is allowed without the
 * matching acknowledgement makes the Go proxy refuse to start, so lint, test and serve check them.
 */
import type { CompiledRuleSet } from './evaluate.js';
import { evaluateRules } from './evaluate.js';
import type { RequestBodyPolicy } from './schema.js';

export interface Probe {
  method: string;
  path: string;
}

const id = 'sockguard-test';
const probe = (method: string, path: string): Probe => ({ method, path: path.replaceAll('{id}', id) });

export const READ_EXFILTRATION_PROBES: readonly Probe[] = [
  probe('GET', '/containers/{id}/archive'),
  probe('GET', '/containers/{id}/export'),
  probe('GET', '/containers/{id}/logs'),
  probe('GET', '/containers/{id}/attach/ws'),
  probe('GET', '/services/{id}/logs'),
  probe('GET', '/tasks/{id}/logs'),
  probe('POST', '/containers/{id}/attach'),
  probe('GET', '/images/get'),
  probe('GET', '/images/{id}/get'),
  probe('POST', '/images/{id}/push'),
  probe('POST', '/plugins/{id}/push'),
  probe('GET', '/libpod/containers/{id}/archive'),
  probe('GET', '/libpod/containers/{id}/export'),
  probe('GET', '/libpod/containers/{id}/logs'),
  probe('POST', '/libpod/containers/{id}/attach'),
  probe('GET', '/libpod/images/export'),
  probe('GET', '/libpod/images/{id}/get'),
  probe('GET', '/libpod/generate/kube'),
  probe('POST', '/libpod/images/{id}/push'),
  probe('POST', '/libpod/manifests/{id}/registry/{id}'),
  probe('POST', '/libpod/manifests/{id}/push'),
];

/** Body-sensitive writes that no built-in inspector covers unless the named setting is non-empty. */
export const BODY_BLIND_PROBES: readonly (Probe & { coveredBy?: (body: RequestBodyPolicy | undefined) => boolean })[] =
  [
    ...['/containers/{id}/exec', '/exec/{id}/start', '/libpod/containers/{id}/exec', '/libpod/exec/{id}/start'].map(
      (p) => ({
        ...probe('POST', p),
        coveredBy: (body: RequestBodyPolicy | undefined) => (body?.exec?.allowed_commands?.length ?? 0) > 0,
      }),
    ),
    { ...probe('POST', '/swarm/join'), coveredBy: (body) => (body?.swarm?.allowed_join_remote_addrs?.length ?? 0) > 0 },
    {
      ...probe('POST', '/plugins/{id}/set'),
      coveredBy: (body) => (body?.plugin?.allowed_set_env_prefixes?.length ?? 0) > 0,
    },
    probe('POST', '/libpod/play/kube'),
    probe('POST', '/libpod/kube/play'),
    probe('POST', '/libpod/kube/apply'),
    probe('POST', '/libpod/manifests/create'),
    probe('POST', '/libpod/manifests/{id}'),
    probe('PUT', '/libpod/manifests/{id}'),
  ];

export const BUILDKIT_TUNNEL_PROBES: readonly Probe[] = [
  probe('POST', '/session'),
  probe('POST', '/grpc'),
  probe('POST', '/moby.buildkit.v1.Control/Solve'),
];

export function allowedProbes(ruleSet: CompiledRuleSet, probes: readonly Probe[]): Probe[] {
  return probes.filter((p) => evaluateRules(ruleSet, p.method, p.path).decision === 'allow');
}

export function blindWriteProbes(ruleSet: CompiledRuleSet, body: RequestBodyPolicy | undefined): Probe[] {
  return BODY_BLIND_PROBES.filter((p) => !(p.coveredBy?.(body) ?? false)).filter(
    (p) => evaluateRules(ruleSet, p.method, p.path).decision === 'allow',
  );
}

export const formatProbes = (probes: readonly Probe[]): string => probes.map((p) => `${p.method} ${p.path}`).join(', ');
