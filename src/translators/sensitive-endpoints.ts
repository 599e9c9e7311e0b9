/**
 * The endpoints a migration withholds by default because Sockguard refuses to start when its rules
 * allow them without an acknowledgement (sockguard-config.md §8.3): read exfiltration (archive,
 * export, logs, attach, image export, registry push), body-blind writes (exec and the other writes no
 * inspector covers) and opaque BuildKit tunnels. Each entry is a deny rule a translation can insert:
 * its glob covers the startup probe and every real request of that endpoint, including image and
 * plugin references that contain `/` (`/images/registry:5000/org/app/get`), which a glob shaped
 * like the probe (one `*` segment) would miss. Container names can hold `/` too: a legacy link
 * (`--link db:alias` on the default bridge) reserves the name `/<parent>/alias` for the linked
 * container (moby `registerLink`), and dockerd's greedy `{name:.*}` routes resolve it, so
 * `/containers/web/alias/export` exports `db`. Container denies therefore use `**` for the name.
 */

export type SensitiveGroup = 'read-exfiltration' | 'body-blind-exec' | 'body-blind-write' | 'buildkit-tunnel';

export interface SensitiveEndpoint {
  group: SensitiveGroup;
  /** Methods the deny rule covers when the translated rules allow them. */
  methods: readonly string[];
  /** Deny-rule glob. */
  path: string;
  /** The endpoint in Engine API notation, for messages. */
  display: string;
}

const READ = ['GET', 'HEAD'] as const;
const WRITE = ['POST'] as const;

const entry = (
  group: SensitiveGroup,
  methods: readonly string[],
  path: string,
  display: string,
): SensitiveEndpoint => ({
  group,
  methods,
  path,
  display,
});
const read = (path: string, display: string): SensitiveEndpoint => entry('read-exfiltration', READ, path, display);
const push = (path: string, display: string): SensitiveEndpoint => entry('read-exfiltration', WRITE, path, display);
const exec = (path: string, display: string): SensitiveEndpoint => entry('body-blind-exec', WRITE, path, display);
const blind = (path: string, display: string): SensitiveEndpoint => entry('body-blind-write', WRITE, path, display);
const tunnel = (path: string): SensitiveEndpoint => entry('buildkit-tunnel', WRITE, path, path);

/**
 * In startup-probe order (src/policy/probes.ts). HEAD is withheld with GET: `HEAD …/archive` stats
 * a path inside the container, and a HEAD on the other reads only ever precedes the GET.
 */
export const SENSITIVE_ENDPOINTS: readonly SensitiveEndpoint[] = [
  read('/containers/**/archive', '/containers/{id}/archive'),
  read('/containers/**/export', '/containers/{id}/export'),
  read('/containers/**/logs', '/containers/{id}/logs'),
  read('/containers/**/attach/ws', '/containers/{id}/attach/ws'),
  read('/services/*/logs', '/services/{id}/logs'),
  read('/tasks/*/logs', '/tasks/{id}/logs'),
  push('/containers/**/attach', '/containers/{id}/attach'),
  // `/**` also matches nothing, so this one rule covers `/images/get` (several images) too.
  read('/images/**/get', '/images/get, /images/{name}/get'),
  push('/images/**/push', '/images/{name}/push'),
  push('/plugins/**/push', '/plugins/{name}/push'),
  read('/libpod/containers/**/archive', '/libpod/containers/{id}/archive'),
  read('/libpod/containers/**/export', '/libpod/containers/{id}/export'),
  read('/libpod/containers/**/logs', '/libpod/containers/{id}/logs'),
  push('/libpod/containers/**/attach', '/libpod/containers/{id}/attach'),
  read('/libpod/images/export', '/libpod/images/export'),
  read('/libpod/images/**/get', '/libpod/images/{name}/get'),
  read('/libpod/generate/kube', '/libpod/generate/kube'),
  push('/libpod/images/**/push', '/libpod/images/{name}/push'),
  push('/libpod/manifests/**/registry/**', '/libpod/manifests/{name}/registry/{destination}'),
  push('/libpod/manifests/**/push', '/libpod/manifests/{name}/push'),
  exec('/containers/**/exec', '/containers/{id}/exec'),
  exec('/exec/*/start', '/exec/{id}/start'),
  exec('/libpod/containers/**/exec', '/libpod/containers/{id}/exec'),
  exec('/libpod/exec/*/start', '/libpod/exec/{id}/start'),
  blind('/swarm/join', '/swarm/join'),
  blind('/plugins/**/set', '/plugins/{name}/set'),
  blind('/libpod/play/kube', '/libpod/play/kube'),
  blind('/libpod/kube/play', '/libpod/kube/play'),
  blind('/libpod/kube/apply', '/libpod/kube/apply'),
  blind('/libpod/manifests/create', '/libpod/manifests/create'),
  entry('body-blind-write', ['POST', 'PUT'], '/libpod/manifests/*', '/libpod/manifests/{name}'),
  tunnel('/session'),
  tunnel('/grpc'),
  tunnel('/moby.buildkit.v1.Control/Solve'),
];

/** The id the startup probes use; samples use it too so that every probe is among the samples. */
const SAMPLE_ID = 'sockguard-test';

/**
 * Concrete paths a glob matches: `*` as one id segment, `/**` as nothing, one or two segments.
 * A rule list that allows none of them allows neither the probe nor a multi-segment reference.
 */
export function listSamplePaths(glob: string): string[] {
  let variants = [''];
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('/**', i)) {
      variants = variants.flatMap((v) => ['', `/${SAMPLE_ID}`, `/${SAMPLE_ID}/${SAMPLE_ID}`].map((s) => v + s));
      i += 2;
    } else {
      const char = glob[i] === '*' ? SAMPLE_ID : glob[i]!;
      variants = variants.map((v) => v + char);
    }
  }
  return variants;
}

/** True for a sample whose name spans two segments (a link alias, a registry path). */
export function hasSlashName(sample: string): boolean {
  return sample.includes(`${SAMPLE_ID}/${SAMPLE_ID}`);
}

/** The path a startup probe would use for a glob: one id segment per wildcard. */
export function toProbePath(glob: string): string {
  return glob.replaceAll('/**', `/${SAMPLE_ID}`).replaceAll('*', SAMPLE_ID);
}
