/**
 * wollomatic/socket-proxy settings (peers.md §3): `command:` flags parsed like Go's flag package,
 * `SP_*` environment variables (env only replaces a default; a flag always wins), per-method regex
 * allowlists from flags, env and container labels, and the facts that depend on the image version.
 * Every value carries its origin. Findings follow the proxy: what it refuses at startup is an
 * `error` (the proxy does not start), what it silently ignores is a `warning`.
 */
import { createPeerDiagnostic, indexEnvironment } from './origin.js';
import type { LocateOrigin, Origin, PeerDiagnostic, PeerEnvVar, Sourced } from './origin.js';
import { parseGoFlags } from './go-flag.js';
import type { GoFlagKind } from './go-flag.js';
import { parseGoBool, parseGoUint } from './go-strconv.js';
import { parseGoCIDR, parseGoIP } from './go-net.js';
import { translateGoRegex } from './go-regex.js';

/** The nine methods wollomatic knows, in its own order (`supportedHTTPMethods`). */
export const WOLLOMATIC_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'CONNECT',
  'TRACE',
  'OPTIONS',
] as const;
export type WollomaticMethod = (typeof WOLLOMATIC_METHODS)[number];

/** The newest release peers.md describes (§3.9); an unknown tag is taken to be this one. */
export const WOLLOMATIC_NEWEST: readonly [number, number] = [1, 13];

export type WollomaticDiagnosticCode =
  | 'wollomatic/flag-rejected'
  | 'wollomatic/arguments-ignored'
  | 'wollomatic/env-ignored'
  | 'wollomatic/env-unknown-value'
  | 'wollomatic/env-overridden'
  | 'wollomatic/invalid-setting'
  | 'wollomatic/invalid-regex'
  | 'wollomatic/regex-not-emulated'
  | 'wollomatic/label-rejected'
  | 'wollomatic/labels-inactive'
  | 'wollomatic/version-feature'
  | 'wollomatic/version-assumed'
  | 'wollomatic/allowfrom-first-cidr-decides';

export type WollomaticDiagnostic = PeerDiagnostic<WollomaticDiagnosticCode>;

export interface WollomaticRegex {
  /** The regex as written; wollomatic compiles `"^" + regex + "$"`. */
  regex: string;
  origin: Origin;
}

/** Methods present in the map are allowed for paths matching any of their regexes; others get 405. */
export type WollomaticAllowList = Partial<Record<WollomaticMethod, WollomaticRegex[]>>;

export interface WollomaticContainerAllowList {
  service: string;
  requests: WollomaticAllowList;
  /** `<prefix>.allow.bindmountfrom`, cleaned; absent = no bind-mount restriction for this container. */
  bindMountFrom?: Sourced<string[]>;
}

export interface WollomaticSettings {
  /** Image version the semantics were taken from: the tag when it names one, else the newest known. */
  version: { tag?: string; major: number; minor: number; assumed: boolean };
  /** Comma-split `-allowfrom` items (CIDRs or hostnames), exactly as wollomatic splits them. */
  allowFrom: Sourced<string[]>;
  allowHealthcheck: Sourced<boolean>;
  logJson: Sourced<boolean>;
  listenIp: Sourced<string>;
  /** Upper-cased level (DEBUG, INFO, WARN, ERROR). */
  logLevel: Sourced<string>;
  proxyPort: Sourced<number>;
  shutdownGraceTime: Sourced<number>;
  socketPath: Sourced<string>;
  stopOnWatchdog: Sourced<boolean>;
  watchdogInterval: Sourced<number>;
  /** Unix socket to listen on instead of TCP; empty = TCP. */
  proxySocketEndpoint: Sourced<string>;
  proxySocketEndpointFileMode: Sourced<number>;
  /** Cleaned absolute directories; empty = no bind-mount restriction. */
  allowBindMountFrom: Sourced<string[]>;
  proxyContainerName: Sourced<string>;
  dockerLabelPrefix: Sourced<string>;
  allowList: WollomaticAllowList;
  /** Per-container allowlists in force (label mode on, TCP mode, labels valid). */
  containerAllowLists: WollomaticContainerAllowList[];
}

export interface WollomaticInput {
  /** The `command:` argv handed to the binary (after compose's own splitting). */
  argv: readonly string[];
  env: readonly PeerEnvVar[];
  /** Labels of the other services on the proxy's networks (§3.7). */
  labeledServices?: readonly { service: string; labels: readonly { name: string; value: string }[] }[];
  /** Image tag (`1.13.1`, `1`, `latest`); decides which flags exist and how repeats behave. */
  imageTag?: string;
  locate?: LocateOrigin;
}

export interface WollomaticParse {
  settings: WollomaticSettings;
  /** False when wollomatic would refuse to start with this configuration. */
  starts: boolean;
  /** The process exit status when it does not start (2 = flag error, 1 = config error, 0 = -help). */
  exitCode?: number;
  diagnostics: WollomaticDiagnostic[];
}

interface FlagSpec {
  env?: string;
  kind: 'string' | 'bool' | 'uint' | 'regexes';
  /** First minor 1.x release that has the flag (peers.md §3.9); absent = present in every release. */
  since?: number;
  envSince?: number;
}

/** Flags from `internal/config/config.go`, peers.md §3.2. */
const FLAGS: Record<string, FlagSpec> = {
  allowfrom: { env: 'SP_ALLOWFROM', kind: 'string' },
  allowhealthcheck: { env: 'SP_ALLOWHEALTHCHECK', kind: 'bool' },
  logjson: { env: 'SP_LOGJSON', kind: 'bool' },
  listenip: { env: 'SP_LISTENIP', kind: 'string' },
  loglevel: { env: 'SP_LOGLEVEL', kind: 'string' },
  proxyport: { env: 'SP_PROXYPORT', kind: 'uint' },
  shutdowngracetime: { env: 'SP_SHUTDOWNGRACETIME', kind: 'uint' },
  socketpath: { env: 'SP_SOCKETPATH', kind: 'string' },
  stoponwatchdog: { env: 'SP_STOPONWATCHDOG', kind: 'bool' },
  watchdoginterval: { env: 'SP_WATCHDOGINTERVAL', kind: 'uint' },
  proxysocketendpoint: { env: 'SP_PROXYSOCKETENDPOINT', kind: 'string', since: 5 },
  proxysocketendpointfilemode: { env: 'SP_PROXYSOCKETENDPOINTFILEMODE', kind: 'uint' },
  allowbindmountfrom: { env: 'SP_ALLOWBINDMOUNTFROM', kind: 'string', since: 8 },
  proxycontainername: { env: 'SP_PROXYCONTAINERNAME', kind: 'string', since: 11 },
  dockerlabelprefix: { env: 'SP_DOCKERLABELPREFIX', kind: 'string', since: 13 },
  ...Object.fromEntries(WOLLOMATIC_METHODS.map((m) => [`allow${m}`, { kind: 'regexes' } satisfies FlagSpec])),
};

const DEFAULTS = {
  allowfrom: '127.0.0.1/32',
  allowhealthcheck: false,
  logjson: false,
  listenip: '127.0.0.1',
  loglevel: 'INFO',
  proxyport: 2375,
  shutdowngracetime: 10,
  socketpath: '/var/run/docker.sock',
  stoponwatchdog: false,
  watchdoginterval: 0,
  proxysocketendpoint: '',
  proxysocketendpointfilemode: 0o600,
  allowbindmountfrom: '',
  proxycontainername: '',
  dockerlabelprefix: 'socket-proxy',
} as const;

/** env support (1.4), repeated allow flags and `SP_ALLOW_<M>_<x>` (1.12), per peers.md §3.9. */
const ENV_SINCE = 4;
const REPEATED_ALLOW_SINCE = 12;
const LABEL_PREFIX_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const MAX_INT64 = (1n << 63n) - 1n;

/** Parses a wollomatic service's configuration surface. */
export function parseWollomaticSettings(input: WollomaticInput): WollomaticParse {
  return new WollomaticParser(input).run();
}

/** `1.13.1` → [1, 13]; `1`, `latest`, anything else → undefined (newest assumed). */
function parseVersionTag(tag: string | undefined): [number, number] | undefined {
  const m = tag === undefined ? null : /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(tag);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Go's filepath.Clean for an absolute Unix path. */
function cleanAbsolute(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

class WollomaticParser {
  private readonly diagnostics: WollomaticDiagnostic[] = [];
  private exitCode: number | undefined;
  private readonly minor: number;
  private readonly major: number;
  private readonly versionAssumed: boolean;

  constructor(private readonly input: WollomaticInput) {
    const parsed = parseVersionTag(input.imageTag);
    [this.major, this.minor] = parsed ?? WOLLOMATIC_NEWEST;
    this.versionAssumed = parsed === undefined;
  }

  private report(
    code: WollomaticDiagnosticCode,
    severity: 'error' | 'warning' | 'info',
    message: string,
    origin: Origin,
  ): void {
    this.diagnostics.push(createPeerDiagnostic(code, severity, message, origin, this.input.locate));
  }

  /** Records a startup failure; the first one in wollomatic's own order decides the exit status. */
  private fail(code: WollomaticDiagnosticCode, message: string, origin: Origin, exitCode: number): void {
    this.report(code, 'error', message, origin);
    this.exitCode ??= exitCode;
  }

  private has(since: number | undefined): boolean {
    return since === undefined || this.major > 1 || this.minor >= since;
  }

  run(): WollomaticParse {
    if (this.versionAssumed) {
      const tag = this.input.imageTag === undefined ? 'no tag' : `tag "${this.input.imageTag}"`;
      this.report(
        'wollomatic/version-assumed',
        'info',
        `${tag} does not name a 1.x.y release; assuming the newest known semantics (1.${WOLLOMATIC_NEWEST[1]}, peers.md §3.9)`,
        'image',
      );
    }
    const values = new Map<string, Sourced<string | boolean | number>>();
    const env = indexEnvironment(this.input.env);
    for (const { name, value } of this.input.env) {
      if (value === null && name.startsWith('SP_')) {
        this.report(
          'wollomatic/env-unknown-value',
          'warning',
          `${name} is passed through from the host; its value is unknown and treated as unset`,
          `env:${name}`,
        );
      }
    }
    this.readEnv(env, values);
    const envRegexes = this.readEnvRegexes(env);
    const flagRegexes = this.readFlags(values);
    const allowList = this.mergeRegexes(envRegexes, flagRegexes);
    const settings = this.validate(values, allowList);
    settings.containerAllowLists = this.readLabels(settings);
    return {
      settings,
      starts: this.exitCode === undefined,
      ...(this.exitCode !== undefined ? { exitCode: this.exitCode } : {}),
      diagnostics: this.diagnostics,
    };
  }

  /** Env replaces a default: strings when non-empty, bools/uints only when they parse (§3.2). */
  private readEnv(env: Map<string, string>, values: Map<string, Sourced<string | boolean | number>>): void {
    for (const [flag, spec] of Object.entries(FLAGS)) {
      if (!spec.env || !env.has(spec.env)) continue;
      const origin = `env:${spec.env}`;
      const raw = env.get(spec.env)!;
      if (!this.has(ENV_SINCE) || !this.has(spec.since)) {
        this.report(
          'wollomatic/version-feature',
          'warning',
          `${spec.env} is not read by wollomatic 1.${this.minor}`,
          origin,
        );
        continue;
      }
      if (spec.kind === 'string') {
        if (raw !== '') values.set(flag, { value: raw, origin });
        continue;
      }
      const parsed =
        spec.kind === 'bool' ? parseGoBool(raw) : parseGoUint(raw, flag === 'proxysocketendpointfilemode' ? 8 : 10, 32);
      if (parsed === undefined) {
        const expected = spec.kind === 'bool' ? 'a Go boolean (1, t, true, 0, f, false, ...)' : 'an unsigned number';
        this.report(
          'wollomatic/env-ignored',
          'warning',
          `${spec.env}="${raw}" is not ${expected}; wollomatic silently ignores it and keeps the default`,
          origin,
        );
        continue;
      }
      values.set(flag, { value: typeof parsed === 'bigint' ? Number(parsed) : parsed, origin });
    }
  }

  /** `SP_ALLOW_<METHOD>` and (1.12+) `SP_ALLOW_<METHOD>_<anything>`, in environment order. */
  private readEnvRegexes(env: Map<string, string>): Map<WollomaticMethod, WollomaticRegex[]> {
    const out = new Map<WollomaticMethod, WollomaticRegex[]>();
    if (!this.has(ENV_SINCE)) return out;
    for (const [name, value] of env) {
      if (!name.startsWith('SP_ALLOW_')) continue;
      const key = name.slice('SP_ALLOW_'.length);
      const method = key.split('_', 1)[0]!;
      const origin = `env:${name}`;
      if (!(WOLLOMATIC_METHODS as readonly string[]).includes(method)) {
        this.report(
          'wollomatic/env-ignored',
          'warning',
          `${name} names no method wollomatic knows (methods are upper-case: ${WOLLOMATIC_METHODS.join(', ')}); it is ignored`,
          origin,
        );
        continue;
      }
      if (key !== method && !this.has(REPEATED_ALLOW_SINCE)) {
        this.report(
          'wollomatic/version-feature',
          'warning',
          `${name}: numbered SP_ALLOW_* variables need wollomatic 1.12 or newer; 1.${this.minor} ignores it`,
          origin,
        );
        continue;
      }
      const list = out.get(method as WollomaticMethod) ?? [];
      list.push({ regex: value, origin });
      out.set(method as WollomaticMethod, list);
    }
    return out;
  }

  /** Applies the command line like flag.Parse; returns the allow<METHOD> occurrences. */
  private readFlags(values: Map<string, Sourced<string | boolean | number>>): Map<WollomaticMethod, WollomaticRegex[]> {
    const kinds = new Map<string, GoFlagKind>();
    for (const [flag, spec] of Object.entries(FLAGS)) {
      if (this.has(spec.since)) kinds.set(flag, spec.kind === 'bool' ? 'bool' : 'value');
    }
    const parsed = parseGoFlags(this.input.argv, kinds);
    const regexes = new Map<WollomaticMethod, WollomaticRegex[]>();
    for (const occurrence of parsed.flags) {
      const spec = FLAGS[occurrence.name]!;
      const origin = `arg:${occurrence.valueIndex}`;
      if (spec.kind === 'regexes') {
        const method = occurrence.name.slice('allow'.length) as WollomaticMethod;
        // Before 1.12 the allow flags were plain string flags: the last one wins.
        const list = this.has(REPEATED_ALLOW_SINCE) ? (regexes.get(method) ?? []) : [];
        list.push({ regex: occurrence.value, origin });
        regexes.set(method, list);
        continue;
      }
      if (spec.kind === 'string') {
        values.set(occurrence.name, { value: occurrence.value, origin });
        continue;
      }
      const value = spec.kind === 'bool' ? parseGoBool(occurrence.value) : parseGoUint(occurrence.value, 0, 64);
      if (value === undefined) {
        const message =
          spec.kind === 'bool'
            ? `invalid boolean value "${occurrence.value}" for -${occurrence.name}: parse error`
            : `invalid value "${occurrence.value}" for flag -${occurrence.name}: parse error`;
        this.fail('wollomatic/flag-rejected', `${message} (wollomatic exits with status 2)`, origin, 2);
        return regexes;
      }
      if (typeof value === 'bigint' && value > MAX_INT64) {
        values.set(occurrence.name, { value: Number.POSITIVE_INFINITY, origin });
      } else values.set(occurrence.name, { value: typeof value === 'bigint' ? Number(value) : value, origin });
    }
    if (parsed.failure) {
      const origin = `arg:${parsed.failure.index}`;
      const undefinedFeature = Object.entries(FLAGS).find(
        ([flag, spec]) => parsed.failure!.message.endsWith(`-${flag}`) && !this.has(spec.since),
      );
      const why = undefinedFeature ? ` (added in 1.${undefinedFeature[1].since}; the image is 1.${this.minor})` : '';
      this.fail(
        'wollomatic/flag-rejected',
        `${parsed.failure.message}${why}; wollomatic exits with status ${parsed.failure.exitCode}`,
        origin,
        parsed.failure.exitCode,
      );
    } else if (parsed.stoppedAt !== undefined) {
      this.report(
        'wollomatic/arguments-ignored',
        'warning',
        `Go's flag parsing stops at "${this.input.argv[parsed.stoppedAt]}" (not a flag); wollomatic ignores it and every argument after it: ${parsed.rest.join(' ')}`,
        `arg:${parsed.stoppedAt}`,
      );
    }
    return regexes;
  }

  /** A method's flags drop all of its env entries; other methods keep theirs (§3.3). */
  private mergeRegexes(
    fromEnv: Map<WollomaticMethod, WollomaticRegex[]>,
    fromFlags: Map<WollomaticMethod, WollomaticRegex[]>,
  ): WollomaticAllowList {
    const allowList: WollomaticAllowList = {};
    for (const method of WOLLOMATIC_METHODS) {
      // Before 1.12 an empty -allow<METHOD> counted as "not given" and left the env value in force.
      const given = fromFlags.get(method);
      const flags = !this.has(REPEATED_ALLOW_SINCE) && given?.every((r) => r.regex === '') ? undefined : given;
      const envs = fromEnv.get(method) ?? [];
      if (flags && envs.length > 0) {
        for (const e of envs) {
          this.report(
            'wollomatic/env-overridden',
            'info',
            `-allow${method} on the command line replaces every SP_ALLOW_${method}* variable, so ${e.origin.slice(4)} is not used`,
            e.origin,
          );
        }
      }
      const chosen = (flags ?? envs).filter((r) => r.regex !== '');
      const compiled: WollomaticRegex[] = [];
      for (const r of chosen) {
        const where = r.origin.startsWith('env:') ? 'env variable' : 'command line parameter';
        if (this.checkRegex(r, method, where)) compiled.push(r);
      }
      if (compiled.length > 0 || chosen.length > 0) allowList[method] = compiled;
    }
    return allowList;
  }

  /** wollomatic compiles `"^" + regex + "$"`; an invalid one is a startup error. */
  private checkRegex(r: WollomaticRegex, method: string, where: string): boolean {
    const t = translateGoRegex(`^${r.regex}$`);
    if (t.ok) return true;
    if (t.unsupported) {
      this.report(
        'wollomatic/regex-not-emulated',
        'warning',
        `regex "${r.regex}" for ${method} is valid Go but cannot be reproduced exactly in JavaScript: ${t.message}`,
        r.origin,
      );
      return true;
    }
    this.fail(
      'wollomatic/invalid-regex',
      `invalid regex "${r.regex}" for method ${method} in ${where}: ${t.message} (wollomatic exits with status 1)`,
      r.origin,
      1,
    );
    return false;
  }

  private value<T extends string | boolean | number>(
    values: Map<string, Sourced<string | boolean | number>>,
    flag: keyof typeof DEFAULTS,
  ): Sourced<T> {
    return (values.get(flag) as Sourced<T> | undefined) ?? { value: DEFAULTS[flag] as T, origin: 'default' };
  }

  /** InitConfig's checks after flag parsing, in its order. */
  private validate(
    values: Map<string, Sourced<string | boolean | number>>,
    allowList: WollomaticAllowList,
  ): WollomaticSettings {
    const allowFromRaw = this.value<string>(values, 'allowfrom');
    const bindRaw = this.value<string>(values, 'allowbindmountfrom');
    const bindDirs: string[] = [];
    if (bindRaw.value !== '') {
      for (const dir of bindRaw.value.split(',')) {
        if (!dir.startsWith('/')) {
          this.fail(
            'wollomatic/invalid-setting',
            `bind mount directory must start with /: "${dir}" (wollomatic exits with status 1)`,
            bindRaw.origin,
            1,
          );
          break;
        }
        bindDirs.push(cleanAbsolute(dir));
      }
    }
    const port = this.value<number>(values, 'proxyport');
    if (port.value < 1 || port.value > 65535) {
      this.fail(
        'wollomatic/invalid-setting',
        `port number has to be between 1 and 65535, got ${port.value}`,
        port.origin,
        1,
      );
    }
    for (const flag of ['shutdowngracetime', 'watchdoginterval'] as const) {
      const v = this.value<number>(values, flag);
      if (v.value === Number.POSITIVE_INFINITY)
        this.fail('wollomatic/invalid-setting', `${flag} has to be smaller than 9223372036854775807`, v.origin, 1);
    }
    const listenIp = this.value<string>(values, 'listenip');
    const ip = parseGoIP(listenIp.value);
    if (!ip)
      this.fail(
        'wollomatic/invalid-setting',
        `invalid IP "${listenIp.value}" for listenip (an IP address, not a hostname)`,
        listenIp.origin,
        1,
      );
    else if (listenIp.value.includes(':') && !this.has(9)) {
      this.report(
        'wollomatic/version-feature',
        'warning',
        `an IPv6 -listenip needs wollomatic 1.9 or newer; the image is 1.${this.minor}`,
        listenIp.origin,
      );
    }
    const logLevel = this.value<string>(values, 'loglevel');
    const level = logLevel.value.toUpperCase();
    if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level)) {
      this.fail(
        'wollomatic/invalid-setting',
        `invalid log level ${logLevel.value}: Supported levels are DEBUG, INFO, WARN, ERROR`,
        logLevel.origin,
        1,
      );
    }
    const fileMode = this.value<number>(values, 'proxysocketendpointfilemode');
    if (fileMode.value > 0o777) {
      const hint = fileMode.origin.startsWith('arg:')
        ? ` (the flag reads Go number syntax, so "${fileMode.value}" is decimal: write 0${fileMode.value} or 0o${fileMode.value})`
        : '';
      this.fail(
        'wollomatic/invalid-setting',
        `file mode has to be between 0 and 0o777, got 0o${fileMode.value.toString(8)}${hint}`,
        fileMode.origin,
        1,
      );
    }
    const prefix = this.value<string>(values, 'dockerlabelprefix');
    if (!LABEL_PREFIX_PATTERN.test(prefix.value)) {
      this.fail(
        'wollomatic/invalid-setting',
        `-dockerlabelprefix "${prefix.value}" must match ${LABEL_PREFIX_PATTERN.source}`,
        prefix.origin,
        1,
      );
    }
    const endpoint = this.value<string>(values, 'proxysocketendpoint');
    const allowFrom = allowFromRaw.value.split(',');
    if (endpoint.value === '') this.checkAllowFromOrder(allowFrom, allowFromRaw.origin);
    return {
      version: {
        ...(this.input.imageTag !== undefined ? { tag: this.input.imageTag } : {}),
        major: this.major,
        minor: this.minor,
        assumed: this.versionAssumed,
      },
      allowFrom: { value: allowFrom, origin: allowFromRaw.origin },
      allowHealthcheck: this.value(values, 'allowhealthcheck'),
      logJson: this.value(values, 'logjson'),
      listenIp,
      logLevel: { value: level, origin: logLevel.origin },
      proxyPort: port,
      shutdownGraceTime: this.value(values, 'shutdowngracetime'),
      socketPath: this.value(values, 'socketpath'),
      stopOnWatchdog: this.value(values, 'stoponwatchdog'),
      watchdogInterval: this.value(values, 'watchdoginterval'),
      proxySocketEndpoint: endpoint,
      proxySocketEndpointFileMode: fileMode,
      allowBindMountFrom: { value: bindDirs, origin: bindRaw.origin },
      proxyContainerName: this.value(values, 'proxycontainername'),
      dockerLabelPrefix: prefix,
      allowList,
      containerAllowLists: [],
    };
  }

  /**
   * isAllowedClient returns the verdict of the first item that parses as a CIDR without looking at
   * the items after it (cmd/socket-proxy/handlehttprequest.go); later items only count for clients
   * matched by a hostname listed before that CIDR.
   */
  private checkAllowFromOrder(items: readonly string[], origin: Origin): void {
    const firstCidr = items.findIndex((item) => parseGoCIDR(item) !== undefined);
    if (firstCidr >= 0 && firstCidr < items.length - 1) {
      this.report(
        'wollomatic/allowfrom-first-cidr-decides',
        'warning',
        `-allowfrom "${items.join(',')}": wollomatic stops at the first CIDR ("${items[firstCidr]}") and denies a client outside it, so ${items
          .slice(firstCidr + 1)
          .map((s) => `"${s}"`)
          .join(', ')} never admit anyone`,
        origin,
      );
    }
  }

  /** Label allowlists (§3.7): only with -proxycontainername, in TCP mode, on 1.11+. */
  private readLabels(settings: WollomaticSettings): WollomaticContainerAllowList[] {
    const services = this.input.labeledServices ?? [];
    const prefix = settings.dockerLabelPrefix.value + '.allow.';
    const relevant = services.filter((s) => s.labels.some((l) => l.name.startsWith(prefix)));
    if (relevant.length === 0) return [];
    const inactive = !this.has(11)
      ? `labels need wollomatic 1.11 or newer; the image is 1.${this.minor}`
      : settings.proxySocketEndpoint.value !== ''
        ? 'the proxy listens on a unix socket (-proxysocketendpoint), where per-container allowlists do not apply'
        : settings.proxyContainerName.value === ''
          ? '-proxycontainername is not set, so wollomatic does not read container labels'
          : undefined;
    if (inactive) {
      for (const s of relevant) {
        this.report(
          'wollomatic/labels-inactive',
          'warning',
          `${prefix}* labels on "${s.service}" have no effect: ${inactive}`,
          `label:${s.service}:${prefix}`,
        );
      }
      return [];
    }
    const out: WollomaticContainerAllowList[] = [];
    let broken = false;
    for (const { service, labels } of relevant) {
      const requests: WollomaticAllowList = {};
      let bindMountFrom: Sourced<string[]> | undefined;
      for (const { name, value } of labels) {
        if (!name.startsWith(prefix) || value === '') continue;
        const origin = `label:${service}:${name}`;
        const spec = name.slice(prefix.length).toUpperCase();
        const method = spec.split('.', 1)[0]!;
        if ((WOLLOMATIC_METHODS as readonly string[]).includes(method)) {
          const t = translateGoRegex(`^${value}$`);
          if (!t.ok && !t.unsupported) {
            broken = true;
            this.report(
              'wollomatic/label-rejected',
              'error',
              `invalid regex "${value}" for method ${method} in docker container label: ${t.message}; wollomatic then fails to build any per-container allowlist, so every labelled container falls back to -allowfrom`,
              origin,
            );
            continue;
          }
          if (!t.ok)
            this.report(
              'wollomatic/regex-not-emulated',
              'warning',
              `label regex "${value}" is valid Go but cannot be reproduced exactly in JavaScript: ${t.message}`,
              origin,
            );
          (requests[method as WollomaticMethod] ??= []).push({ regex: value, origin });
        } else if (spec === 'BINDMOUNTFROM') {
          const dirs = value.split(',');
          if (dirs.some((d) => !d.startsWith('/'))) {
            broken = true;
            this.report(
              'wollomatic/label-rejected',
              'error',
              `bind mount directory must start with /: "${value}"; wollomatic then fails to build any per-container allowlist`,
              origin,
            );
            continue;
          }
          bindMountFrom = { value: dirs.map(cleanAbsolute), origin };
        } else {
          this.report(
            'wollomatic/label-rejected',
            'warning',
            `label ${name} is neither ${prefix}<method>[.<n>] nor ${prefix}bindmountfrom; wollomatic ignores it`,
            origin,
          );
        }
      }
      if (Object.keys(requests).length > 0 || bindMountFrom) {
        out.push({ service, requests, ...(bindMountFrom ? { bindMountFrom } : {}) });
      }
    }
    return broken ? [] : out;
  }
}
