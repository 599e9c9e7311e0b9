/**
 * A few daemon objects behind a DaemonLookup, resolved the way dockerd resolves references (D21):
 * exact full ID, then exact name, then a unique ID prefix (an ambiguous prefix is not found). Volumes
 * resolve by exact name only, exec instances by exact ID, as in dockerd.
 */
import type { DaemonLookup } from '../../../src/policy/ownership/authorize-owned-request.js';

export const OWNER_KEY = 'com.sockguard.owner';

interface Named {
  id: string;
  name: string;
  owner?: string;
}

export interface FakeObjects {
  containers?: Named[];
  execs?: { id: string; containerId: string }[];
  volumes?: { name: string; owner?: string }[];
  networks?: Named[];
  images?: Named[];
  secrets?: Named[];
  /** Paths answered with this status instead (a broken daemon). */
  failing?: Record<string, number>;
}

function resolve<T extends Named>(items: readonly T[], reference: string): T | undefined {
  const exact = items.find((i) => i.id === reference) ?? items.find((i) => i.name === reference);
  if (exact) return exact;
  const byPrefix = items.filter((i) => i.id.startsWith(reference));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

const labels = (owner?: string) => (owner === undefined ? {} : { [OWNER_KEY]: owner });

/** A lookup over the objects; `seen` records every path asked for. */
export function fakeDaemon(objects: FakeObjects): { lookup: DaemonLookup; seen: string[] } {
  const seen: string[] = [];
  const lookup: DaemonLookup = async (path) => {
    seen.push(path);
    const failing = objects.failing?.[path];
    if (failing !== undefined) return { status: failing, body: '{"message":"boom"}' };
    const match = /^\/(containers|exec|images|networks|volumes|secrets)\/(.+?)(\/json)?$/.exec(path);
    const kind = match?.[1];
    const reference = decodeURIComponent(match?.[2] ?? '');
    let document: unknown;
    if (kind === 'containers') {
      const c = resolve(objects.containers ?? [], reference.replace(/^\//, ''));
      document = c && { Id: c.id, Name: `/${c.name}`, Config: { Labels: labels(c.owner) } };
    } else if (kind === 'exec') {
      const e = objects.execs?.find((x) => x.id === reference);
      document = e && { ID: e.id, ContainerID: e.containerId, Running: false };
    } else if (kind === 'volumes') {
      const v = objects.volumes?.find((x) => x.name === reference);
      document = v && { Name: v.name, Labels: labels(v.owner) };
    } else if (kind === 'networks') {
      const n = resolve(objects.networks ?? [], reference);
      document = n && { Id: n.id, Name: n.name, Labels: labels(n.owner) };
    } else if (kind === 'images') {
      const i = resolve(objects.images ?? [], reference);
      document = i && { Id: i.id, RepoTags: [i.name], Config: { Labels: labels(i.owner) } };
    } else if (kind === 'secrets') {
      const s = resolve(objects.secrets ?? [], reference);
      document = s && { ID: s.id, Spec: { Name: s.name, Labels: labels(s.owner) } };
    }
    return document === undefined
      ? { status: 404, body: `{"message":"No such object: ${reference}"}` }
      : { status: 200, body: JSON.stringify(document) };
  };
  return { lookup, seen };
}
