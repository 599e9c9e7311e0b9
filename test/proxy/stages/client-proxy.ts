/**
 * A proxy with a `clients` policy in front of a fake daemon, on a unix socket or on 127.0.0.1:<free
 * port>, recording every finished exchange and every access-log line, for the client-gate,
 * rate-limit and rollout-mode tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Exchange } from '../../../src/proxy/exchange.js';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../../src/proxy/serve.js';
import { startFakeDaemon, type FakeDaemon, type FakeHandler } from '../../helpers/fake-daemon.js';
import { compileYaml, request, sleep, type SimpleResponse } from '../fixture.js';

export type Endpoint = { socketPath: string } | { host: string; port: number };

export interface ClientProxy {
  readonly proxy: RunningProxy;
  readonly daemon: FakeDaemon;
  /** The first main listener. */
  readonly endpoint: Endpoint;
  readonly exchanges: Exchange[];
  readonly logs: Record<string, unknown>[];
  readonly audits: Record<string, unknown>[];
  /** The daemon requests other than the proxy's own container lookups. */
  forwarded(): string[];
  close(): Promise<void>;
}

function collector(into: Record<string, unknown>[]) {
  return pino(
    { base: null },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        into.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
}

/**
 * `listen` is 'unix' (a private socket) or 'tcp' (127.0.0.1, free port); a policy with its own
 * `listeners:` keeps them (use `{dir}` in socket paths for the private directory).
 */
export async function startClientProxy(
  yaml: string,
  options: { listen?: 'unix' | 'tcp'; handle?: FakeHandler } & Partial<
    Pick<ProxyOptions, 'peerCredentials' | 'now' | 'bodyLimits'>
  > = {},
): Promise<ClientProxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sgcl-'));
  const compiled = compileYaml(yaml.replaceAll('{dir}', dir));
  const daemon = await startFakeDaemon(options.handle);
  // The fake daemon answers plain text, which default redaction would refuse (502) on list routes.
  Object.assign(compiled.policy.response, {
    redact_container_env: false,
    redact_mount_paths: false,
    redact_network_topology: false,
    redact_sensitive_data: false,
  });
  if (compiled.policy.listeners === undefined) {
    if (options.listen === 'tcp') compiled.policy.listen.address = '127.0.0.1:0';
    else compiled.policy.listen.socket = path.join(dir, 'proxy.sock');
  }
  const exchanges: Exchange[] = [];
  const logs: Record<string, unknown>[] = [];
  const audits: Record<string, unknown>[] = [];
  const proxy = await startProxy({
    compiled,
    upstream: { kind: 'unix', socketPath: daemon.socketPath },
    logger: collector(logs),
    auditLogger: collector(audits),
    observer: { finished: (e) => exchanges.push(e), failed: () => undefined },
    ...(options.peerCredentials ? { peerCredentials: options.peerCredentials } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.bodyLimits ? { bodyLimits: options.bodyLimits } : {}),
  });
  const first = proxy.listeners[0]!.info;
  const endpoint: Endpoint =
    first.network === 'unix'
      ? { socketPath: first.address }
      : { host: '127.0.0.1', port: Number(first.address.split(':').at(-1)) };
  return {
    proxy,
    daemon,
    endpoint,
    exchanges,
    logs,
    audits,
    forwarded: () => daemon.requests.filter((r) => r.url !== '/containers/json').map((r) => `${r.method} ${r.url}`),
    close: async () => {
      await proxy.shutdown(100);
      await daemon.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One request over a fresh connection; `body` is sent as JSON. */
export function send(
  endpoint: Endpoint,
  method: string,
  target: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<SimpleResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return request('socketPath' in endpoint ? endpoint.socketPath : endpoint, method, target, {
    headers: { ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
    ...(payload !== undefined ? { body: payload } : {}),
  });
}

/** Waits until `count` exchanges have finished (logs and observers run on close). */
export async function waitForExchanges(proxy: ClientProxy, count: number): Promise<void> {
  for (let i = 0; i < 500 && proxy.exchanges.length < count; i++) await sleep(10);
}

export const PING_RULES = `
    rules:
      - match: { method: GET, path: /_ping }
        action: allow`;
