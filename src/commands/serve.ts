/**
 * `sockguard serve`: run a policy in front of the Docker Engine API. Refuses to start (exit 2, every
 * reason listed) on an invalid policy, on the Go proxy's startup-probe problems and on settings this
 * proxy cannot enforce; SIGTERM/SIGINT drain in-flight requests and exit 0.
 */
import { Flags } from '@oclif/core';
import { SockguardCommand } from '../cli/base-command.js';
import { CliError } from '../cli/errors.js';
import type { ServeFlags } from '../policy/env-overlay.js';
import { ConfigError, DEFAULT_CONFIG_PATH, preparePolicy, readConfigText } from '../proxy/config-source.js';
import { parseGoDuration } from '../proxy/duration.js';
import { ListenError } from '../proxy/listeners.js';
import { createLogger, LogOutputError } from '../proxy/logging.js';
import { Reloader } from '../proxy/reload.js';
import { startProxy } from '../proxy/serve.js';
import { describeUpstream, resolveUpstream, UpstreamConfigError } from '../proxy/upstream.js';

export default class Serve extends SockguardCommand {
  static override summary = 'Serve a policy as a filtering proxy in front of the Docker Engine API';
  static override description =
    'Settings come from flags, then SOCKGUARD_* environment variables, then the Tecnativa aliases SOCKET_PATH and LOG_LEVEL, then the policy file, then built-in defaults. A missing default policy file means the built-in defaults; a missing file given with --config is an error.';
  static override examples = [
    '<%= config.bin %> serve -c sockguard.yaml',
    '<%= config.bin %> serve -c sockguard.yaml --listen-socket /run/sockguard.sock --upstream-socket /var/run/docker.sock',
    'CONTAINERS=1 SOCKGUARD_INSECURE_ALLOW_READ_EXFILTRATION=true <%= config.bin %> serve --listen-address 127.0.0.1:2375',
  ];
  static override flags = {
    config: Flags.string({ char: 'c', description: `policy file (default ${DEFAULT_CONFIG_PATH})` }),
    'listen-socket': Flags.string({ description: 'listen on this unix socket (listen.socket)' }),
    'listen-address': Flags.string({ description: 'listen on this TCP host:port instead (listen.address)' }),
    'upstream-socket': Flags.string({ description: 'Docker daemon socket (upstream.socket)' }),
    'log-level': Flags.string({ description: 'log.level', options: ['debug', 'info', 'warn', 'error'] }),
    'log-format': Flags.string({ description: 'log.format', options: ['json', 'text'] }),
    'deny-verbosity': Flags.string({ description: 'response.deny_verbosity', options: ['minimal', 'verbose'] }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const location = { path: flags.config ?? DEFAULT_CONFIG_PATH, explicit: flags.config !== undefined };
    const overrides: ServeFlags = {
      ...(flags['listen-socket'] !== undefined ? { listenSocket: flags['listen-socket'] } : {}),
      ...(flags['listen-address'] !== undefined ? { listenAddress: flags['listen-address'] } : {}),
      ...(flags['upstream-socket'] !== undefined ? { upstreamSocket: flags['upstream-socket'] } : {}),
      ...(flags['log-level'] !== undefined ? { logLevel: flags['log-level'] } : {}),
      ...(flags['log-format'] !== undefined ? { logFormat: flags['log-format'] } : {}),
      ...(flags['deny-verbosity'] !== undefined ? { denyVerbosity: flags['deny-verbosity'] } : {}),
    };
    const env = process.env;
    let prepared;
    let upstream;
    try {
      const text = readConfigText(location);
      prepared = preparePolicy(text, { file: location.path, env, flags: overrides });
      upstream = resolveUpstream(prepared.compiled.policy.upstream.socket, env);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof UpstreamConfigError) {
        throw new CliError('policy/invalid', error.message);
      }
      throw error;
    }
    const { policy } = prepared.compiled;
    let logs;
    let audit;
    try {
      logs = createLogger(policy.log);
      audit = policy.log.audit.enabled
        ? createLogger({ level: 'info', format: 'json', output: policy.log.audit.output })
        : undefined;
    } catch (error) {
      if (error instanceof LogOutputError) throw new CliError('output/unwritable', error.message);
      throw error;
    }
    for (const warning of [...prepared.warnings, ...upstream.notes]) logs.logger.warn(warning);

    let proxy;
    try {
      proxy = await startProxy({
        compiled: prepared.compiled,
        upstream: upstream.target,
        env,
        version: this.config.version,
        logger: logs.logger,
        ...(audit ? { auditLogger: audit.logger } : {}),
      });
    } catch (error) {
      if (error instanceof ListenError) throw new CliError('serve/listen-failed', error.message);
      throw error;
    }
    logs.logger.info(
      {
        listeners: proxy.listeners.map((l) => ({
          name: l.info.name,
          network: l.info.network,
          address: l.info.address,
        })),
        upstream: describeUpstream(upstream.target),
        rules: prepared.compiled.root.rules.length,
        compat_active: prepared.compiled.compat.active,
      },
      'sockguard serving',
    );

    const reloader = policy.reload.enabled
      ? new Reloader({
          location,
          env,
          flags: overrides,
          store: proxy.store,
          metrics: proxy.metrics,
          logger: logs.logger,
          debounceMs: parseGoDuration(policy.reload.debounce),
          pollIntervalMs: policy.reload.poll_interval === '' ? 0 : parseGoDuration(policy.reload.poll_interval),
        })
      : undefined;
    reloader?.start();

    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGTERM', stop).off('SIGINT', stop).off('SIGHUP', onHangup);
        reloader?.stop();
        logs.logger.info({ signal, in_flight: proxy.inFlight.size }, 'shutting down');
        void proxy.shutdown().then(() => {
          logs.logger.info('stopped');
          logs.flush();
          audit?.flush();
          resolve();
        });
      };
      // With reload on, SIGHUP reloads; without it SIGHUP ends the process, as for the Go proxy.
      const onHangup = () => (reloader ? reloader.trigger('SIGHUP') : stop('SIGHUP'));
      process.on('SIGTERM', stop).on('SIGINT', stop).on('SIGHUP', onHangup);
    });
  }
}
