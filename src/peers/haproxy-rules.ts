/**
 * The `http-request` allow/deny rules of the HAProxy-based images, as data: which variable governs
 * which path regex. Regex texts are copied verbatim from the images' haproxy.cfg (peers.md §1.3,
 * §2.3); every one is matched as `path,url_dec -m reg -i <REGEX>` (URL-decoded path, case-insensitive,
 * anchored only at the start). Translators read the prefixes from here; emulators compile them.
 */

export interface HaproxyPathRule {
  /** Environment variable read with `env(VAR) -m bool`. */
  variable: string;
  /** PCRE text exactly as in haproxy.cfg. */
  regex: string;
}

/** Shorthand for the section rules: `^(/v[\d\.]+)?/<path>`. */
function sectionRule(variable: string, path: string): HaproxyPathRule {
  return { variable, regex: String.raw`^(/v[\d\.]+)?/` + path };
}

/** Tecnativa (and LinuxServer before `3.4.3-r0-ls92`) container action allows, `/containers/<id>/<action>`. */
function containerActionRule(variable: string, action: string): HaproxyPathRule {
  return { variable, regex: String.raw`^(/v[\d\.]+)?/containers/[a-zA-Z0-9_.-]+/` + action };
}

/** LinuxServer `3.4.3-r0-ls92`+: the same actions also under `/libpod` and `/pods` (peers.md §2.3). */
function podmanActionRule(variable: string, action: string): HaproxyPathRule {
  return { variable, regex: String.raw`^(/v[\d\.]+)?(/libpod)?/(containers|pods)/[a-zA-Z0-9_.-]+/` + action };
}

function libpodRule(variable: string, path: string): HaproxyPathRule {
  return { variable, regex: String.raw`^(/v[\d\.]+)?/libpod/` + path };
}

const RESTARTS_ACTION = '((stop)|(restart)|(kill))';

/**
 * The 23 Docker API section allows, in haproxy.cfg order (peers.md §1.3 step 2 without the three
 * `ALLOW_*` lines; LinuxServer phase 4 uses the same regexes and order, §2.3).
 */
export const DOCKER_SECTION_RULES: readonly HaproxyPathRule[] = [
  sectionRule('AUTH', 'auth'),
  sectionRule('BUILD', 'build'),
  sectionRule('COMMIT', 'commit'),
  sectionRule('CONFIGS', 'configs'),
  sectionRule('CONTAINERS', 'containers'),
  sectionRule('DISTRIBUTION', 'distribution'),
  sectionRule('EVENTS', 'events'),
  sectionRule('EXEC', 'exec'),
  sectionRule('GRPC', 'grpc'),
  sectionRule('IMAGES', 'images'),
  sectionRule('INFO', 'info'),
  sectionRule('NETWORKS', 'networks'),
  sectionRule('NODES', 'nodes'),
  sectionRule('PING', '_ping'),
  sectionRule('PLUGINS', 'plugins'),
  sectionRule('SECRETS', 'secrets'),
  sectionRule('SERVICES', 'services'),
  sectionRule('SESSION', 'session'),
  sectionRule('SWARM', 'swarm'),
  sectionRule('SYSTEM', 'system'),
  sectionRule('TASKS', 'tasks'),
  sectionRule('VERSION', 'version'),
  sectionRule('VOLUMES', 'volumes'),
];

/** Tecnativa's three action allows, first in its haproxy.cfg (peers.md §1.3). */
export const CONTAINER_ACTION_RULES: readonly HaproxyPathRule[] = [
  containerActionRule('ALLOW_RESTARTS', RESTARTS_ACTION),
  containerActionRule('ALLOW_START', 'start'),
  containerActionRule('ALLOW_STOP', 'stop'),
];

/**
 * `ALLOW_PAUSE`/`ALLOW_UNPAUSE` as LinuxServer `3.2.14-r0-ls73` … `ls91` shipped them: the container-only
 * form of the other action allows (peers.md §2.1 says `ls92` extended every `ALLOW_*` to `/libpod` and `/pods`).
 */
export const CONTAINER_PAUSE_RULES: readonly HaproxyPathRule[] = [
  containerActionRule('ALLOW_PAUSE', 'pause'),
  containerActionRule('ALLOW_UNPAUSE', 'unpause'),
];

/** LinuxServer `3.4.3-r0-ls92`+ phase 1: deny when the path matches and the variable is off (peers.md §2.3). */
export const LINUXSERVER_SUBPATH_DENY_RULES: readonly HaproxyPathRule[] = [
  podmanActionRule('ALLOW_ARCHIVE', '(archive)'),
  podmanActionRule('ALLOW_CHANGES', '(change)'),
  podmanActionRule('ALLOW_EXPORT', '(export)'),
  podmanActionRule('ALLOW_LOGS', '(logs)'),
  podmanActionRule('ALLOW_TOP', '(top)'),
];

/** LinuxServer `3.4.3-r0-ls92`+ phase 2, the global action allows (peers.md §2.3). */
export const PODMAN_ACTION_RULES: readonly HaproxyPathRule[] = [
  podmanActionRule('ALLOW_RESTARTS', RESTARTS_ACTION),
  podmanActionRule('ALLOW_START', 'start'),
  podmanActionRule('ALLOW_STOP', 'stop'),
  podmanActionRule('ALLOW_PAUSE', 'pause'),
  podmanActionRule('ALLOW_UNPAUSE', 'unpause'),
];

/** LinuxServer "legacy libpod endpoints", phase 2 after the global action allows (peers.md §2.3). */
export const LIBPOD_ACTION_RULES: readonly HaproxyPathRule[] = [
  libpodRule('LIBPOD_ALLOW_RESTARTS', 'containers/[a-zA-Z0-9_.-]+/' + RESTARTS_ACTION),
  libpodRule('LIBPOD_ALLOW_START', 'containers/[a-zA-Z0-9_.-]+/start'),
  libpodRule('LIBPOD_ALLOW_STOP', 'containers/[a-zA-Z0-9_.-]+/stop'),
  libpodRule('LIBPOD_ALLOW_PAUSE', 'containers/[a-zA-Z0-9_.-]+/pause'),
  libpodRule('LIBPOD_ALLOW_UNPAUSE', 'containers/[a-zA-Z0-9_.-]+/unpause'),
  libpodRule('LIBPOD_ALLOW_POD_RESTARTS', 'pods/[a-zA-Z0-9_.-]+/' + RESTARTS_ACTION),
  libpodRule('LIBPOD_ALLOW_POD_START', 'pods/[a-zA-Z0-9_.-]+/start'),
  libpodRule('LIBPOD_ALLOW_POD_STOP', 'pods/[a-zA-Z0-9_.-]+/stop'),
  libpodRule('LIBPOD_ALLOW_POD_PAUSE', 'pods/[a-zA-Z0-9_.-]+/pause'),
  libpodRule('LIBPOD_ALLOW_POD_UNPAUSE', 'pods/[a-zA-Z0-9_.-]+/unpause'),
];

/** LinuxServer phase 4 after the Docker sections: `/libpod/<name>` allows, in haproxy.cfg order (peers.md §2.3). */
export const LIBPOD_SECTION_RULES: readonly HaproxyPathRule[] = [
  libpodRule('LIBPOD_CONTAINERS', 'containers'),
  libpodRule('LIBPOD_EVENTS', 'events'),
  libpodRule('LIBPOD_EXEC', 'exec'),
  libpodRule('LIBPOD_GENERATE', 'generate'),
  libpodRule('LIBPOD_IMAGES', 'images'),
  libpodRule('LIBPOD_INFO', 'info'),
  libpodRule('LIBPOD_MANIFESTS', 'manifests'),
  libpodRule('LIBPOD_NETWORKS', 'networks'),
  libpodRule('LIBPOD_PING', '_ping'),
  libpodRule('LIBPOD_PLAY', 'play'),
  libpodRule('LIBPOD_PODS', 'pods'),
  libpodRule('LIBPOD_SECRETS', 'secrets'),
  libpodRule('LIBPOD_SYSTEM', 'system'),
  libpodRule('LIBPOD_VERSION', 'version'),
  libpodRule('LIBPOD_VOLUMES', 'volumes'),
];
