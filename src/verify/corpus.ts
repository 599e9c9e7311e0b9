/**
 * The request corpus `migrate --verify` judges with both the old proxy and the new policy, built
 * deterministically (same order, same strings, every run) from the Engine API catalog.
 *
 * - `catalog` family: every path template of src/policy/docker-endpoints.json × every standard
 *   method (not only the endpoint's own: a proxy must also deny combinations the daemon does not
 *   serve) × the version-prefix forms `none`, `/v1.41`, `/v1.45` × concrete ids and names.
 * - `quirk` family: requests where the old proxies disagree with each other or with dockerd
 *   (peers.md §0): prefix extensions, case variants, trailing slashes, paths inside the query,
 *   percent-encoded separators and letters, dot segments, odd version prefixes, libpod and BuildKit
 *   paths, daemon routes outside the spec, malformed targets and Sockguard's own startup probes.
 *   Each carries its `quirk` kind so that explanations and the parity table can name it.
 *
 * Targets are raw request-targets exactly as a client would put them on the wire (origin form,
 * percent-encoding untouched), so each side applies its own decoding.
 */
import endpoints from '../policy/docker-endpoints.json' with { type: 'json' };
import type { EmulatedRequest } from '../emulators/types.js';
import { STANDARD_METHODS } from '../policy/methods.js';
import { BODY_BLIND_PROBES, BUILDKIT_TUNNEL_PROBES, READ_EXFILTRATION_PROBES } from '../policy/probes.js';

export type CorpusFamily = 'catalog' | 'quirk';

export type QuirkKind =
  /** `/containersfoo`, `/containers/x/startfoo`, `/containers/x/start/x`: caught by prefix-anchored regexes. */
  | 'prefix-extension'
  /** `/CONTAINERS/JSON`, `/Containers/json`: caught by case-insensitive matching. */
  | 'case'
  /** `/containers/json/`: dockerd 404s, CetusGuard keeps the `/`, Sockguard's Clean drops it. */
  | 'trailing-slash'
  /** `?x=/secrets`: only 11notes matches the query. */
  | 'query-path'
  /** `%2F`, `%63ontainers`, `%252F`: decoded once by dockerd, not at all by 11notes. */
  | 'encoded'
  /** A container or image name that contains a word some proxy blocks anywhere in the URL. */
  | 'keyword-name'
  /** `..`, `.`, `//` segments, raw or encoded: only CetusGuard and Sockguard clean them. */
  | 'dot-segment'
  /** `/v1`, `/v1..`, `/V1.41`, `/v1.45/v1.44`, `/api/v1.41`: prefixes each side strips differently. */
  | 'version-prefix'
  /** Podman's `/libpod/...` and `/pods/...` paths. */
  | 'libpod'
  /** `/session`, `/grpc` and the BuildKit gRPC path: opaque tunnels. */
  | 'buildkit'
  /** Routes dockerd serves that the spec does not list (`/debug/pprof/`, `/build/cancel`, ...). */
  | 'daemon-route'
  /** Targets no client should send: bad escapes, fragments, backslashes, NUL. */
  | 'malformed'
  /** The fixed requests of Sockguard's startup probes (src/policy/probes.ts). */
  | 'sockguard-probe';

export interface CorpusRequest extends EmulatedRequest {
  family: CorpusFamily;
  /** operationId of the catalog endpoint with this method and `template`; absent for other methods. */
  endpoint?: string;
  /** The catalog path template the target was built from (without version prefix). */
  template?: string;
  /** Which old-proxy quirk the request probes (quirk family only). */
  quirk?: QuirkKind;
}

/** The version-prefix forms every path is sent with. */
export const VERSION_PREFIXES: readonly string[] = ['', '/v1.41', '/v1.45'];

const SHORT_HEX_ID = '4f66ad0b1c2d';
const FULL_HEX_ID = `${SHORT_HEX_ID}8e9fa0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5`;

/**
 * Values substituted for every path parameter: ids as dockerd prints them, a compose-style name and
 * a name using every character Tecnativa's id class `[a-zA-Z0-9_.-]` allows (upper case included).
 */
export const CORPUS_IDS: readonly string[] = [SHORT_HEX_ID, FULL_HEX_ID, 'web-1', 'My_App.2'];

/**
 * Extra values for parameters the daemon matches with `{x:.*}` (`pathParamsMayContainSlash`): an
 * image reference with registry, port, path and tag, and a digest id.
 */
export const CORPUS_SLASH_IDS: readonly string[] = ['registry:5000/org/app:1.0', `sha256:${FULL_HEX_ID}`];

/** Dot-segment probes from every section `S` towards sensitive endpoints, raw and encoded. */
const DOT_SEGMENT_FORMS: readonly ((section: string) => string)[] = [
  (s) => `/${s}/../secrets`,
  (s) => `/${s}/x/../../containers/${SHORT_HEX_ID}/archive`,
  (s) => `/${s}/%2e%2e/secrets`,
  (s) => `/${s}/%2E%2E%2Fswarm/unlockkey`,
  (s) => `//${s}`,
  (s) => `/./${s}`,
  (s) => `/${s}/./json`,
];

/** Paths whose version-prefix variants are probed, and the odd prefixes (peers.md §1.4, sockguard-config.md §3.4). */
const VERSION_PROBE_PATHS: readonly string[] = [
  '/_ping',
  '/containers/json',
  `/containers/${SHORT_HEX_ID}/archive`,
  '/secrets',
];
const ODD_VERSION_PREFIXES: readonly string[] = [
  '/v1',
  '/v1.23',
  '/v1.24',
  '/v99.99.99',
  '/v1..',
  '/v1.41.0.1',
  '/V1.41',
  '/v',
  '/api/v1.41',
  '/v1.45/v1.44',
  '/v1.45/',
];

const LIBPOD_PATHS: readonly string[] = [
  '/libpod/_ping',
  '/libpod/version',
  '/libpod/info',
  '/libpod/containers/json',
  `/libpod/containers/${SHORT_HEX_ID}/json`,
  `/libpod/containers/${SHORT_HEX_ID}/start`,
  `/libpod/containers/${SHORT_HEX_ID}/stop`,
  `/libpod/containers/${SHORT_HEX_ID}/pause`,
  '/libpod/images/json',
  '/libpod/pods/json',
  `/libpod/pods/${SHORT_HEX_ID}/start`,
  `/pods/${SHORT_HEX_ID}/start`,
  `/pods/${SHORT_HEX_ID}/archive`,
  '/libpod/events',
  '/libpod/system/df',
  '/v4.0.0/libpod/containers/json',
  '/v5.0.0/libpod/info',
];

const BUILDKIT_PATHS: readonly string[] = ['/session', '/grpc', '/grpc/x', '/moby.buildkit.v1.Control/Solve'];

/** catalog-meta.json `daemonRoutesNotInSpec` and the removed v1.24 plugin inspect. */
const DAEMON_ROUTE_PATHS: readonly string[] = [
  '/build/cancel',
  `/containers/${SHORT_HEX_ID}/checkpoints`,
  `/containers/${SHORT_HEX_ID}/checkpoints/cp1`,
  '/debug/vars',
  '/debug/pprof/',
  '/debug/pprof/profile',
  '/networks/',
  '/plugins/vieux/sshfs:latest',
  '/',
];

/** Targets with bytes or escapes a careful proxy refuses. */
const MALFORMED_TARGETS: readonly string[] = [
  '/containers/%zz/json',
  '/containers/json%',
  '/containers/json#x',
  `/containers/${SHORT_HEX_ID}%5C..%5C..%5Csecrets`,
  `/containers/${SHORT_HEX_ID}\\..\\..\\secrets`,
  '/containers/%00/json',
  '/containers/json%0A',
  '/containers/%C3%28/json',
];

/** Paths that smuggle a sensitive path or keyword into the query (11notes matches the query). */
const QUERY_SUFFIXES: readonly string[] = ['?x=/secrets'];
const EXTRA_QUERY_TARGETS: readonly string[] = [
  '/containers/json?filters=%7B%22name%22%3A%5B%22secrets%22%5D%7D',
  '/containers/json?all=1&x=/configs',
  '/info?x=/containers/x/archive',
  '/images/json?x=images/get',
  '/_ping?x=/swarm/unlockkey',
];

interface QuirkPath {
  path: string;
  quirk: QuirkKind;
  template?: string;
  /** False for paths whose version prefix is the point of the probe (sent exactly as written). */
  prefixed: boolean;
}

const instantiate = (template: string, id: string): string => template.replace(/\{[^}]+\}/g, id);

/** Replaces character `at` of `path` with its %XX escape (lower-case letter, upper-case hex). */
function encodeCharAt(path: string, at: number): string {
  const hex = path.charCodeAt(at).toString(16).toUpperCase().padStart(2, '0');
  return `${path.slice(0, at)}%${hex}${path.slice(at + 1)}`;
}

function capitaliseFirstSegment(path: string): string {
  return path.length > 1 ? `/${path.charAt(1).toUpperCase()}${path.slice(2)}` : path;
}

/** Variants of one concrete catalog path that probe matching quirks. */
function variantsOf(path: string): [QuirkKind, string][] {
  const lastSlash = path.lastIndexOf('/');
  const out: [QuirkKind, string][] = [
    ['prefix-extension', `${path}foo`],
    ['prefix-extension', `${path}/x`],
    ['case', path.toUpperCase()],
    ['case', capitaliseFirstSegment(path)],
    ['trailing-slash', `${path}/`],
    ...QUERY_SUFFIXES.map((q): [QuirkKind, string] => ['query-path', path + q]),
    ['encoded', encodeCharAt(path, 1)],
  ];
  if (lastSlash > 0) {
    out.push(
      ['encoded', `${path.slice(0, lastSlash)}%2F${path.slice(lastSlash + 1)}`],
      ['encoded', `${path.slice(0, lastSlash)}%252F${path.slice(lastSlash + 1)}`],
      ['encoded', encodeCharAt(path, lastSlash + 1)],
    );
  }
  return out;
}

interface Template {
  path: string;
  slashIds: boolean;
  /** operationId by method. */
  operations: Map<string, string>;
}

function collectTemplates(): Template[] {
  const byPath = new Map<string, Template>();
  for (const endpoint of endpoints) {
    let template = byPath.get(endpoint.path);
    if (!template) {
      template = { path: endpoint.path, slashIds: false, operations: new Map() };
      byPath.set(endpoint.path, template);
    }
    template.slashIds ||= endpoint.pathParamsMayContainSlash;
    template.operations.set(endpoint.method, endpoint.operationId);
  }
  return [...byPath.values()];
}

function idsFor(template: Template): readonly string[] {
  if (!template.path.includes('{')) return [''];
  return template.slashIds ? [...CORPUS_IDS, ...CORPUS_SLASH_IDS] : CORPUS_IDS;
}

function quirkPaths(templates: readonly Template[]): QuirkPath[] {
  const out: QuirkPath[] = [];
  const add = (quirk: QuirkKind, paths: readonly string[], prefixed = true, template?: string): void => {
    for (const path of paths) out.push({ path, quirk, prefixed, ...(template !== undefined ? { template } : {}) });
  };
  const sections = [...new Set(templates.map((t) => t.path.split('/')[1]!))];
  for (const section of sections) {
    add('prefix-extension', [`/${section}foo`]);
    add(
      'dot-segment',
      DOT_SEGMENT_FORMS.map((form) => form(section)),
    );
  }
  for (const template of templates) {
    const concrete = instantiate(template.path, SHORT_HEX_ID);
    for (const [quirk, path] of variantsOf(concrete)) add(quirk, [path], true, template.path);
    if (template.path.includes('{'))
      add('keyword-name', [instantiate(template.path, 'my-secrets-app')], true, template.path);
  }
  add('query-path', EXTRA_QUERY_TARGETS);
  add(
    'version-prefix',
    VERSION_PROBE_PATHS.flatMap((path) => ODD_VERSION_PREFIXES.map((prefix) => prefix + path)),
    false,
  );
  add('version-prefix', ['/v1.45', '/v1.45/'], false);
  add('libpod', LIBPOD_PATHS);
  add('buildkit', BUILDKIT_PATHS);
  add('daemon-route', DAEMON_ROUTE_PATHS);
  add('malformed', MALFORMED_TARGETS, false);
  add(
    'sockguard-probe',
    [...READ_EXFILTRATION_PROBES, ...BODY_BLIND_PROBES, ...BUILDKIT_TUNNEL_PROBES].map((p) => p.path),
  );
  return out;
}

/**
 * Builds the corpus: catalog requests first (catalog order, then id, prefix, method), then quirk
 * requests; a (method, target) pair appears once, under its first family.
 */
export function buildCorpus(): CorpusRequest[] {
  const templates = collectTemplates();
  const operationsByTemplate = new Map(templates.map((t) => [t.path, t.operations]));
  const corpus: CorpusRequest[] = [];
  const seen = new Set<string>();
  // Every target is sent with all methods at once, so a target seen before is complete.
  const push = (family: CorpusFamily, target: string, template?: string, quirk?: QuirkKind): void => {
    if (seen.has(target)) return;
    seen.add(target);
    const operations = template === undefined ? undefined : operationsByTemplate.get(template);
    for (const method of STANDARD_METHODS) {
      const request: CorpusRequest = { method, target, family };
      const endpoint = operations?.get(method);
      if (endpoint !== undefined) request.endpoint = endpoint;
      if (template !== undefined) request.template = template;
      if (quirk !== undefined) request.quirk = quirk;
      corpus.push(request);
    }
  };
  for (const template of templates) {
    for (const id of idsFor(template)) {
      const path = instantiate(template.path, id);
      for (const prefix of VERSION_PREFIXES) push('catalog', prefix + path, template.path);
    }
  }
  for (const quirk of quirkPaths(templates)) {
    const prefixes = quirk.prefixed ? VERSION_PREFIXES : [''];
    for (const prefix of prefixes) push('quirk', prefix + quirk.path, quirk.template, quirk.quirk);
  }
  return corpus;
}

let shared: readonly CorpusRequest[] | undefined;

/** The corpus built once per process and shared by every caller (translators, migrate, benchmarks). */
export function sharedCorpus(): readonly CorpusRequest[] {
  shared ??= Object.freeze(buildCorpus());
  return shared;
}
