/**
 * A proxy under test: a policy (YAML) served on a private unix socket in front of a fake daemon,
 * plus clients that speak raw bytes (for smuggling and framing cases) or plain node:http.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { compilePolicy } from '../../src/policy/compile.js';
import { loadPolicy } from '../../src/policy/load.js';
import { startProxy, type ProxyOptions, type RunningProxy } from '../../src/proxy/serve.js';

export interface TestProxy {
  readonly proxy: RunningProxy;
  readonly socketPath: string;
  close(): Promise<void>;
}

export const ALLOW_ALL_GETS = `
rules:
  - match: { method: "GET,HEAD", path: "/_ping" }
    action: allow
  - match: { method: GET, path: "/containers/json" }
    action: allow
  - match: { method: GET, path: "/events" }
    action: allow
  - match: { method: GET, path: "/containers/*/logs" }
    action: allow
  - match: { method: POST, path: "/containers/*/start" }
    action: allow
  - match: { method: POST, path: "/containers/*/attach" }
    action: allow
  - match: { method: POST, path: "/exec/*/start" }
    action: allow
  - match: { method: POST, path: "/containers/create" }
    action: allow
  - match: { method: PUT, path: "/containers/*/archive" }
    action: allow
  - match: { method: "*", path: "/**" }
    action: deny
    reason: no matching allow rule
insecure_allow_read_exfiltration: true
insecure_allow_body_blind_writes: true
`;

/**
 * Appended to a policy whose tests relay the fake daemon's bytes untouched: with the default
 * redaction on, a list or inspect answer that is not the daemon's JSON is refused with 502
 * (pinned by response-filter.test.ts).
 */
export const NO_REDACTION = `
response:
  redact_container_env: false
  redact_mount_paths: false
  redact_network_topology: false
  redact_sensitive_data: false
`;

export function compileYaml(yaml: string) {
  const loaded = loadPolicy(yaml);
  if (!loaded.policy) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return compilePolicy(loaded.policy, { env: {} });
}

export async function startTestProxy(
  yaml: string,
  upstreamSocket: string,
  options: Partial<Omit<ProxyOptions, 'compiled' | 'upstream'>> = {},
): Promise<TestProxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sgproxy-'));
  const socketPath = path.join(dir, 'proxy.sock');
  const compiled = compileYaml(yaml);
  compiled.policy.listen.socket = socketPath;
  const proxy = await startProxy({ compiled, upstream: { kind: 'unix', socketPath: upstreamSocket }, ...options });
  return {
    proxy,
    socketPath,
    close: async () => {
      await proxy.shutdown(100);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawExchange {
  /** Everything the proxy sent back before closing (or before `waitMs` passed). */
  text: string;
  closed: boolean;
}

/** How many complete responses (headers plus Content-Length body) `text` holds. */
export function countCompleteResponses(text: string): number {
  let count = 0;
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return count;
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
    if (rest.length < end + 4 + length) return count;
    count += 1;
    rest = rest.slice(end + 4 + length);
  }
}

/**
 * Writes raw bytes to a unix socket and collects the answer until the proxy closes, `responses`
 * complete responses have arrived, or `waitMs` passed.
 */
export function sendRaw(
  socketPath: string,
  bytes: string | Buffer,
  waitMs = 500,
  responses = Infinity,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (countCompleteResponses(Buffer.concat(chunks).toString('latin1')) >= responses) finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
  });
}

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A unix socket path, or a TCP host and port. */
export type Endpoint = string | { host: string; port: number };

export function request(
  endpoint: Endpoint,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<SimpleResponse> {
  const where = typeof endpoint === 'string' ? { socketPath: endpoint } : endpoint;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { ...where, method, path: target, headers: options.headers ?? {}, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
