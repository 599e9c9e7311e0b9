/**
 * CetusGuard's rule variables (`ruleVars` in cetusguard/rule.go, v1.1.3; all 71 entries of peers.md
 * §5.5, in that order) and their expansion. CetusGuard replaces every `%NAME%` it knows, repeatedly,
 * until the pattern stops changing; an unknown `%NAME%` stays in the pattern as literal text and is
 * never reported. Names starting with `_` are private ("may change in any version").
 */

export const CETUSGUARD_VARIABLES: ReadonlyMap<string, string> = new Map([
  [
    'DOMAIN',
    String.raw`(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)`,
  ],
  ['IPV4', String.raw`(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3})`],
  ['IPV6', String.raw`(?:\[[a-fA-F0-9]{0,4}(?::[a-fA-F0-9]{0,4}){2,7}(?:%[a-zA-Z0-9_]+)?\])`],
  ['IP', String.raw`(?:%IPV4%|%IPV6%)`],
  ['DOMAIN_OR_IP', String.raw`(?:%DOMAIN%|%IP%)`],
  ['HOST', String.raw`(?:%DOMAIN_OR_IP%(?::[0-9]+)?)`],
  ['IMAGE_ID', String.raw`%_OBJECT_ID%`],
  ['IMAGE_COMPONENT', String.raw`(?:[a-zA-Z0-9]+(?:(?:\.|_{1,2}|-+)[a-zA-Z0-9]+)*)`],
  ['IMAGE_TAG', String.raw`(?:[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})`],
  ['IMAGE_DIGEST', String.raw`(?:[a-zA-Z][a-zA-Z0-9]*(?:[_.+-][a-zA-Z][a-zA-Z0-9]*)*:[a-fA-F0-9]{32,})`],
  ['IMAGE_NAME', String.raw`(?:(?:%HOST%/)?%IMAGE_COMPONENT%(?:/%IMAGE_COMPONENT%)*)`],
  ['IMAGE_REFERENCE', String.raw`(?:%IMAGE_NAME%(?::%IMAGE_TAG%)?(?:@%IMAGE_DIGEST%)?)`],
  ['IMAGE_ID_OR_REFERENCE', String.raw`(?:%IMAGE_ID%|%IMAGE_REFERENCE%)`],
  ['CONTAINER_ID', String.raw`%_OBJECT_ID%`],
  ['CONTAINER_NAME', String.raw`%_OBJECT_NAME%`],
  ['CONTAINER_ID_OR_NAME', String.raw`(?:%CONTAINER_ID%|%CONTAINER_NAME%)`],
  ['VOLUME_ID', String.raw`%_OBJECT_ID%`],
  ['VOLUME_NAME', String.raw`%_OBJECT_NAME%`],
  ['VOLUME_ID_OR_NAME', String.raw`(?:%VOLUME_ID%|%VOLUME_NAME%)`],
  ['NETWORK_ID', String.raw`%_OBJECT_ID%`],
  ['NETWORK_NAME', String.raw`(?:[^/]+)`],
  ['NETWORK_ID_OR_NAME', String.raw`(?:%NETWORK_ID%|%NETWORK_NAME%)`],
  ['PLUGIN_ID', String.raw`%_OBJECT_ID%`],
  ['PLUGIN_NAME', String.raw`%IMAGE_NAME%`],
  ['PLUGIN_ID_OR_NAME', String.raw`(?:%PLUGIN_ID%|%PLUGIN_NAME%)`],
  ['API_PREFIX', String.raw`%_API_VERSION%?`],
  ['API_PREFIX_AUTH', String.raw`%API_PREFIX%/auth`],
  ['API_PREFIX_BUILD', String.raw`%API_PREFIX%/build`],
  ['API_PREFIX_COMMIT', String.raw`%API_PREFIX%/commit`],
  ['API_PREFIX_CONFIGS', String.raw`%API_PREFIX%/configs`],
  ['API_PREFIX_CONTAINERS', String.raw`%API_PREFIX%/containers`],
  ['API_PREFIX_DEBUG', String.raw`%API_PREFIX%/debug`],
  ['API_PREFIX_DISTRIBUTION', String.raw`%API_PREFIX%/distribution`],
  ['API_PREFIX_EVENTS', String.raw`%API_PREFIX%/events`],
  ['API_PREFIX_EXEC', String.raw`%API_PREFIX%/exec`],
  ['API_PREFIX_GRPC', String.raw`%API_PREFIX%/grpc`],
  ['API_PREFIX_IMAGES', String.raw`%API_PREFIX%/images`],
  ['API_PREFIX_INFO', String.raw`%API_PREFIX%/info`],
  ['API_PREFIX_NETWORKS', String.raw`%API_PREFIX%/networks`],
  ['API_PREFIX_NODES', String.raw`%API_PREFIX%/nodes`],
  ['API_PREFIX_PING', String.raw`%API_PREFIX%/_ping`],
  ['API_PREFIX_PLUGINS', String.raw`%API_PREFIX%/plugins`],
  ['API_PREFIX_SECRETS', String.raw`%API_PREFIX%/secrets`],
  ['API_PREFIX_SERVICES', String.raw`%API_PREFIX%/services`],
  ['API_PREFIX_SESSION', String.raw`%API_PREFIX%/session`],
  ['API_PREFIX_SWARM', String.raw`%API_PREFIX%/swarm`],
  ['API_PREFIX_SYSTEM', String.raw`%API_PREFIX%/system`],
  ['API_PREFIX_TASKS', String.raw`%API_PREFIX%/tasks`],
  ['API_PREFIX_VERSION', String.raw`%API_PREFIX%/version`],
  ['API_PREFIX_VOLUMES', String.raw`%API_PREFIX%/volumes`],
  ['API_PREFIX_LIBPOD', String.raw`%_API_VERSION%/libpod`],
  ['API_PREFIX_LIBPOD_BUILD', String.raw`%API_PREFIX_LIBPOD%/build`],
  ['API_PREFIX_LIBPOD_COMMIT', String.raw`%API_PREFIX_LIBPOD%/commit`],
  ['API_PREFIX_LIBPOD_CONTAINERS', String.raw`%API_PREFIX_LIBPOD%/containers`],
  ['API_PREFIX_LIBPOD_EVENTS', String.raw`%API_PREFIX_LIBPOD%/events`],
  ['API_PREFIX_LIBPOD_EXEC', String.raw`%API_PREFIX_LIBPOD%/exec`],
  ['API_PREFIX_LIBPOD_GENERATE', String.raw`%API_PREFIX_LIBPOD%/generate`],
  ['API_PREFIX_LIBPOD_IMAGES', String.raw`%API_PREFIX_LIBPOD%/images`],
  ['API_PREFIX_LIBPOD_INFO', String.raw`%API_PREFIX_LIBPOD%/info`],
  ['API_PREFIX_LIBPOD_MANIFESTS', String.raw`%API_PREFIX_LIBPOD%/manifests`],
  ['API_PREFIX_LIBPOD_NETWORKS', String.raw`%API_PREFIX_LIBPOD%/networks`],
  ['API_PREFIX_LIBPOD_PING', String.raw`%API_PREFIX_LIBPOD%/_ping`],
  ['API_PREFIX_LIBPOD_PLAY', String.raw`%API_PREFIX_LIBPOD%/play`],
  ['API_PREFIX_LIBPOD_PODS', String.raw`%API_PREFIX_LIBPOD%/pods`],
  ['API_PREFIX_LIBPOD_SECRETS', String.raw`%API_PREFIX_LIBPOD%/secrets`],
  ['API_PREFIX_LIBPOD_SYSTEM', String.raw`%API_PREFIX_LIBPOD%/system`],
  ['API_PREFIX_LIBPOD_VERSION', String.raw`%API_PREFIX_LIBPOD%/version`],
  ['API_PREFIX_LIBPOD_VOLUMES', String.raw`%API_PREFIX_LIBPOD%/volumes`],
  ['_API_VERSION', String.raw`(?:/v[0-9]+(?:\.[0-9]+)*)`],
  ['_OBJECT_ID', String.raw`(?:[a-fA-F0-9]+)`],
  ['_OBJECT_NAME', String.raw`(?:[a-zA-Z0-9][a-zA-Z0-9_.-]+)`],
]);

/**
 * The fixpoint substitution of rule.go: each round replaces every known `%NAME%` (strings.ReplaceAll
 * per name) until a round changes nothing. Go walks its map in random order; the table order used
 * here gives the same result for every pattern whose variables do not overlap textually.
 */
export function expandCetusGuardVariables(pattern: string): string {
  let current = pattern;
  for (;;) {
    let next = current;
    for (const [name, value] of CETUSGUARD_VARIABLES) {
      const token = `%${name}%`;
      if (next.includes(token)) next = next.split(token).join(value);
    }
    if (next === current) return current;
    current = next;
  }
}

/** `%NAME%` tokens of a pattern that CetusGuard does not know (they stay literal). */
export function findUnknownCetusGuardVariables(pattern: string): string[] {
  const unknown = new Set<string>();
  for (const m of pattern.matchAll(/%([A-Za-z0-9_]+)%/g)) {
    if (!CETUSGUARD_VARIABLES.has(m[1]!)) unknown.add(m[1]!);
  }
  return [...unknown];
}
