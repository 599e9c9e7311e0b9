/**
 * wollomatic/socket-proxy's own decision for one request (peers.md §3.4, cmd/socket-proxy/
 * handlehttprequest.go): pick the allowlist (per-container by client IP, else `-allowfrom`, else
 * 403 `forbidden IP`; no client check in unix-socket mode), then 405 when the method has no regex,
 * 403 when no regex of the method matches `r.URL.Path` (decoded, not cleaned), else forward.
 * Bind-mount restrictions look at the request body, which a request-line corpus does not carry:
 * such requests are reported as forwarded with the restriction named in the reason.
 */
import { containsGoIP, equalGoIP, parseGoCIDR, parseGoIP } from '../peers/go-net.js';
import type { GoIP } from '../peers/go-net.js';
import { compileGoRegex } from '../peers/go-regex.js';
import type { WollomaticAllowList, WollomaticSettings } from '../peers/wollomatic.js';
import { WOLLOMATIC_METHODS } from '../peers/wollomatic.js';
import { parseGoRequestPath } from './go-request-path.js';
import { assertOriginFormRequest } from './origin-form.js';
import { EmulationUnavailableError } from './types.js';
import type { EmulatedDecision, EmulatedRequest, Emulator } from './types.js';

/** http.StatusForbidden / StatusMethodNotAllowed / Go's 400 for an unparseable request. */
const FORBIDDEN = 403;
const METHOD_NOT_ALLOWED = 405;
const BAD_REQUEST = 400;

/** POST endpoints whose bodies wollomatic checks against bind-mount restrictions (§3.6). */
const BIND_MOUNT_ENDPOINT =
  /^(?:\/v[^/]*)?\/(?:containers\/create|containers\/[^/]+\/update|services\/create|services\/[^/]+\/update|volumes\/create)$/;

export interface WollomaticEmulatorOptions {
  /** net.LookupIP for `-allowfrom` hostnames (wollomatic resolves on every request); default: resolves nothing. */
  resolveHost?: (hostname: string) => readonly string[];
  /** Addresses of a labelled service's containers on the proxy's networks; default: none. */
  serviceIps?: (service: string) => readonly string[];
}

interface CompiledList {
  /** Who this list belongs to, for reasons: `default allowlist` or `labels of <service>`. */
  owner: string;
  methods: Map<string, { regex: RegExp; source: string; origin: string }[]>;
  bindMounts: readonly string[];
}

function compileList(list: WollomaticAllowList, owner: string, bindMounts: readonly string[]): CompiledList {
  const methods = new Map<string, { regex: RegExp; source: string; origin: string }[]>();
  for (const method of WOLLOMATIC_METHODS) {
    const regexes = list[method];
    if (!regexes) continue;
    methods.set(
      method,
      regexes.map(({ regex, origin }) => {
        const compiled = compileGoRegex(`^${regex}$`);
        if (!compiled.ok)
          throw new EmulationUnavailableError(`wollomatic regex "${regex}" (${origin}): ${compiled.message}`);
        return { regex: compiled.regex, source: regex, origin };
      }),
    );
  }
  return { owner, methods, bindMounts };
}

/** Binds the settings once (regexes compiled here) and returns the per-request decision function. */
export function compileWollomatic(settings: WollomaticSettings, options: WollomaticEmulatorOptions = {}): Emulator {
  const tcp = settings.proxySocketEndpoint.value === '';
  const defaultList = compileList(settings.allowList, 'default allowlist', settings.allowBindMountFrom.value);
  const byIp = new Map<string, CompiledList>();
  if (tcp && settings.proxyContainerName.value !== '') {
    for (const container of settings.containerAllowLists) {
      const list = compileList(
        container.requests,
        `labels of ${container.service}`,
        container.bindMountFrom?.value ?? [],
      );
      for (const ip of options.serviceIps?.(container.service) ?? []) byIp.set(ip, list);
    }
  }
  const allowFrom = settings.allowFrom.value.map((item) => ({ item, cidr: parseGoCIDR(item) }));

  /** isAllowedClient: the first parsable CIDR decides; hostnames are resolved and compared. */
  const admits = (client: GoIP): { ok: boolean; why: string } => {
    for (const { item, cidr } of allowFrom) {
      if (cidr) return { ok: containsGoIP(cidr, client), why: `-allowfrom CIDR ${item} decides` };
      const resolved = (options.resolveHost?.(item) ?? []).map(parseGoIP).filter((ip) => ip !== undefined);
      if (resolved.some((ip) => equalGoIP(ip, client)))
        return { ok: true, why: `-allowfrom host ${item} resolves to the client` };
    }
    return { ok: false, why: `no -allowfrom item (${settings.allowFrom.value.join(',')}) admits the client` };
  };

  return (request: EmulatedRequest): EmulatedDecision => {
    assertOriginFormRequest(request);
    const parsed = parseGoRequestPath(request.target);
    if (parsed.kind === 'bad-request') return { allow: false, status: BAD_REQUEST, reason: parsed.reason };
    let list = defaultList;
    if (tcp && request.clientIp !== undefined) {
      const labelled = byIp.get(request.clientIp);
      if (labelled) list = labelled;
      else {
        const client = parseGoIP(request.clientIp);
        if (!client)
          return {
            allow: false,
            status: FORBIDDEN,
            reason: `forbidden IP: "${request.clientIp}" is not an IP address`,
          };
        const admission = admits(client);
        if (!admission.ok)
          return { allow: false, status: FORBIDDEN, reason: `forbidden IP ${request.clientIp}: ${admission.why}` };
      }
    }
    const regexes = list.methods.get(request.method);
    if (!regexes) {
      return {
        allow: false,
        status: METHOD_NOT_ALLOWED,
        reason: `method not allowed: the ${list.owner} has no ${request.method} regex (-allow${request.method})`,
      };
    }
    const hit = regexes.find((r) => r.regex.test(parsed.path));
    if (!hit) {
      return {
        allow: false,
        status: FORBIDDEN,
        reason: `path not allowed: ${JSON.stringify(parsed.path)} matches no ${request.method} regex of the ${list.owner}`,
      };
    }
    const bindNote =
      request.method === 'POST' && list.bindMounts.length > 0 && BIND_MOUNT_ENDPOINT.test(parsed.path)
        ? `; the body is still checked against bind-mount restrictions (${list.bindMounts.join(',')}), not emulated here`
        : '';
    return {
      allow: true,
      status: 0,
      reason: `${request.method} regex "${hit.source}" (${hit.origin}) of the ${list.owner} matches ${JSON.stringify(parsed.path)}${bindNote}`,
    };
  };
}
