/**
 * The request-body decision, shared by `serve` and `sockguard test --body` so both answer the same by
 * construction. It runs for requests a rule already allowed and can only turn allow into deny
 * (sockguard-config.md §8.1). Besides routing to the group inspectors it applies the rules that do
 * not depend on a policy (security-notes.md §4, §8, §9):
 * - API versions below 1.24 are refused (old daemons apply a HostConfig sent to start);
 * - form-encoded (and multipart) POST/PUT/PATCH bodies are refused on every route, because dockerd
 *   lets their values override the query string the policy judged (D9);
 * - on inspected routes: any Content-Encoding is refused (dockerd never decompresses), a non-empty
 *   JSON body must be `application/json` (case and parameters ignored, as mime.ParseMediaType does),
 *   the query must parse the way Go parses it, and the body must fit its limit (413);
 * - a start request may carry only an empty body or `{}`.
 * Framing (chunked bodies, Content-Length mismatches, Expect) is the proxy's job before this runs.
 */
import { compareApiVersions, MIN_API_VERSION } from '../canonical-path.js';
import {
  containerCreateShape,
  containerUpdateShape,
  execCreateShape,
  execInspectShape,
  execStartShape,
  networkConnectShape,
  networkCreateShape,
  networkDisconnectShape,
  nodeUpdateShape,
  pluginPrivilegesShape,
  pluginSetShape,
  secretCreateShape,
  serviceSpecShape,
  swarmInitShape,
  swarmJoinShape,
  swarmSpecShape,
  volumeCreateShape,
} from './body-shapes.js';
import { findBodyRoute, type BodyRoute } from './body-routes.js';
import type { CompiledBodyPolicy } from './compile-body-policy.js';
import { decodeAgainst, decodeDockerJson, formatJsonError } from './decode-docker-json.js';
import { parseGoQuery, type GoQuery } from './go-query.js';
import { inspectBuild } from './inspect-build.js';
import { inspectContainerArchive } from './inspect-container-archive.js';
import { inspectContainerCreate } from './inspect-container-create.js';
import { inspectContainerUpdate } from './inspect-container-update.js';
import { execProcessFromCreate, execProcessFromInspect, inspectExecProcess, type ExecProcess } from './inspect-exec.js';
import { inspectImageLoad } from './inspect-image-load.js';
import { inspectImagePull } from './inspect-image-pull.js';
import { inspectNetworkConnect, inspectNetworkCreate, inspectNetworkDisconnect } from './inspect-network.js';
import { inspectNodeUpdate } from './inspect-node.js';
import { inspectPluginCreate, inspectPluginPrivileges, inspectPluginSet } from './inspect-plugin.js';
import { inspectSecretConfigCreate } from './inspect-secret-config.js';
import { inspectService } from './inspect-service.js';
import { inspectSwarmInit, inspectSwarmJoin, inspectSwarmUnlock, inspectSwarmUpdate } from './inspect-swarm.js';
import { inspectVolumeCreate } from './inspect-volume.js';
import type { Decoded, Shape } from './json-shape.js';
import { ALLOW, denied, malformed, tooLarge, uninspectable, type BodyVerdict } from './verdict.js';

export type { BodyVerdict } from './verdict.js';
export type { ExecProcess } from './inspect-exec.js';

export interface BodyRequest {
  /** As received; methods are case-sensitive (security-notes.md D4). */
  method: string;
  /** Cleaned, version-stripped path (canonical-path.ts). */
  normalizedPath: string;
  apiVersion?: string;
  /** Raw query string without `?`. */
  query?: string;
  /** Header names in any case (Node lower-cases them). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The complete body, or undefined when it was not buffered (see requiresBody). */
  body?: Uint8Array;
}

export interface BodyContext {
  /**
   * For POST /exec/{id}/start: the exec instance as the daemon reports it (GET /exec/{id}/json,
   * see parseExecInspection). Required whenever exec commands are restricted.
   */
  execInspection?: ExecProcess;
}

const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type Header = { ok: true; value: string | undefined } | { ok: false };

/** The header's only value; several different values are ambiguous (Go would read the first). */
function singleHeader(headers: BodyRequest['headers'], name: string): Header {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    values.push(...(typeof value === 'string' ? [value] : value));
  }
  const distinct = new Set(values);
  if (distinct.size > 1) return { ok: false };
  return { ok: true, value: values[0] };
}

/** The lower-cased media type of a Content-Type value (mime.ParseMediaType ignores case and parameters). */
function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function decodeJsonBody(
  body: Uint8Array | undefined,
  contentType: string | undefined,
  shape: Shape,
  empty: unknown,
): { ok: true; value: unknown } | { ok: false; verdict: BodyVerdict } {
  if (body === undefined) {
    return { ok: false, verdict: uninspectable('the request body was not read, so it cannot be inspected') };
  }
  if (body.length === 0) return { ok: true, value: empty };
  if (contentType === undefined || mediaType(contentType) !== 'application/json') {
    return {
      ok: false,
      verdict: malformed(`a JSON body needs Content-Type application/json, got ${JSON.stringify(contentType ?? '')}`),
    };
  }
  const decoded = decodeAgainst(body, shape);
  if (!decoded.ok) {
    return {
      ok: false,
      verdict: malformed(`the request body is not valid JSON for dockerd: ${formatJsonError(decoded.error)}`),
    };
  }
  return { ok: true, value: decoded.value };
}

/** Decodes the daemon's GET /exec/{id}/json answer for the start re-check. */
export function parseExecInspection(body: Uint8Array | string): ExecProcess | undefined {
  const decoded = decodeDockerJson(body, execInspectShape);
  return decoded.ok ? execProcessFromInspect(decoded.value) : undefined;
}

function inspectStartBody(body: Uint8Array | undefined): BodyVerdict {
  if (body === undefined || body.length === 0) return ALLOW;
  const decoded = decodeDockerJson(body, { kind: 'any' });
  const empty =
    decoded.ok &&
    decoded.value !== null &&
    typeof decoded.value === 'object' &&
    !Array.isArray(decoded.value) &&
    Object.keys(decoded.value).length === 0;
  return empty
    ? ALLOW
    : denied(
        'a start request may carry no body other than {}; old daemons apply a HostConfig sent here (always denied)',
      );
}

function inspectExecStart(policy: CompiledBodyPolicy, context: BodyContext): BodyVerdict {
  const exec = policy.exec;
  if (!exec.denyAll && exec.templates === undefined) return ALLOW; // acknowledged as blind; create was judged
  if (exec.denyAll) return inspectExecProcess({ argv: [], privileged: false, user: '' }, exec, 'exec start');
  if (context.execInspection === undefined) {
    return uninspectable("exec start is re-checked against the daemon's exec inspect, which was not supplied");
  }
  return inspectExecProcess(context.execInspection, exec, 'exec start');
}

function dispatch(
  route: BodyRoute,
  request: BodyRequest,
  query: GoQuery,
  contentType: string | undefined,
  registryAuth: string | undefined,
  policy: CompiledBodyPolicy,
  context: BodyContext,
): BodyVerdict {
  const body = request.body;
  /** An empty body decodes like `{}` (or `[]` for list bodies): every field absent. */
  const json = <S extends Shape>(shape: S, judge: (value: Decoded<S>) => BodyVerdict): BodyVerdict => {
    const decoded = decodeJsonBody(
      body,
      contentType,
      shape,
      shape.kind === 'list' ? [] : shape.kind === 'any' ? null : {},
    );
    return decoded.ok ? judge(decoded.value as Decoded<S>) : decoded.verdict;
  };
  switch (route.id) {
    case 'container-create':
      return json(containerCreateShape, (v) => inspectContainerCreate(v, policy.containerCreate));
    case 'container-update':
      return json(containerUpdateShape, (v) => inspectContainerUpdate(v, policy.containerUpdate));
    case 'container-start':
      return inspectStartBody(body);
    case 'exec-create':
      return json(execCreateShape, (v) => inspectExecProcess(execProcessFromCreate(v), policy.exec, 'exec create'));
    case 'exec-start': {
      if (body !== undefined && body.length > 0) {
        const start = decodeJsonBody(body, contentType, execStartShape, {});
        if (!start.ok) return start.verdict;
      }
      return inspectExecStart(policy, context);
    }
    case 'image-pull':
      return inspectImagePull(query, registryAuth, policy.imagePull);
    case 'build':
      return inspectBuild(query, body, policy.build);
    case 'container-archive':
      return inspectContainerArchive(query, body, policy.containerArchive);
    case 'image-load':
      return inspectImageLoad(body, policy.imageLoad);
    case 'volume-create':
      return json(volumeCreateShape, (v) => inspectVolumeCreate(v, policy.volume));
    case 'network-create':
      return json(networkCreateShape, (v) => inspectNetworkCreate(v, policy.network));
    case 'network-connect':
      return json(networkConnectShape, (v) => inspectNetworkConnect(v, policy.network));
    case 'network-disconnect':
      return json(networkDisconnectShape, (v) => inspectNetworkDisconnect(v, policy.network));
    case 'service-write':
      return json(serviceSpecShape, (v) => inspectService(v, policy.service));
    case 'secret-create':
      return json(secretCreateShape, (v) => inspectSecretConfigCreate(v, policy.secret));
    case 'config-create':
      return json(secretCreateShape, (v) => inspectSecretConfigCreate(v, policy.config));
    case 'plugin-privileges':
      return json(pluginPrivilegesShape, (v) => inspectPluginPrivileges(v, query, registryAuth, policy.plugin));
    case 'plugin-set':
      return json(pluginSetShape, (v) => inspectPluginSet(v, policy.plugin));
    case 'plugin-create':
      return inspectPluginCreate(body, policy.plugin);
    case 'swarm-init':
      return json(swarmInitShape, (v) => inspectSwarmInit(v, policy.swarm));
    case 'swarm-join':
      return json(swarmJoinShape, (v) => inspectSwarmJoin(v, policy.swarm));
    case 'swarm-update':
      return json(swarmSpecShape, (v) => inspectSwarmUpdate(v, query, policy.swarm));
    case 'swarm-unlock':
      return json({ kind: 'any' }, () => inspectSwarmUnlock(policy.swarm));
    case 'node-update':
      return json(nodeUpdateShape, (v) => inspectNodeUpdate(v, policy.node));
    case 'libpod-write':
      return policy.blindWritesAcknowledged
        ? ALLOW
        : uninspectable(
            `${request.method} ${request.normalizedPath} is a libpod write this proxy does not inspect; acknowledge it with insecure_allow_body_blind_writes`,
          );
  }
}

export function inspectRequestBody(
  request: BodyRequest,
  policy: CompiledBodyPolicy,
  context: BodyContext = {},
): BodyVerdict {
  if (request.apiVersion !== undefined && compareApiVersions(request.apiVersion, MIN_API_VERSION) < 0) {
    return malformed(
      `API version ${request.apiVersion} is below ${MIN_API_VERSION}; old versions let a start request carry host configuration`,
    );
  }
  const contentType = singleHeader(request.headers, 'content-type');
  if (!contentType.ok) return malformed('the request has conflicting Content-Type headers');
  if (BODY_METHODS.has(request.method) && contentType.value !== undefined) {
    const media = mediaType(contentType.value);
    if (FORM_MEDIA_TYPES.has(media)) {
      return malformed(
        `a ${media} body is refused: dockerd lets form values override the query string that was judged`,
      );
    }
  }
  const route = findBodyRoute(request.method, request.normalizedPath);
  if (route === undefined) return ALLOW;
  const encoding = singleHeader(request.headers, 'content-encoding');
  if (!encoding.ok || (encoding.value ?? '').trim() !== '') {
    return malformed(
      'a Content-Encoding is refused: dockerd does not decode request bodies, so the body cannot be judged',
    );
  }
  const parsedQuery = parseGoQuery(request.query);
  if (!parsedQuery.ok) return malformed(parsedQuery.problem);
  if (request.body !== undefined && request.body.length > route.maxBytes && route.kind !== 'none') {
    return tooLarge(`the request body is larger than the ${route.maxBytes}-byte inspection limit`);
  }
  const registryAuth = singleHeader(request.headers, 'x-registry-auth');
  if (!registryAuth.ok) return malformed('the request has conflicting X-Registry-Auth headers');
  return dispatch(route, request, parsedQuery.query, contentType.value, registryAuth.value, policy, context);
}
