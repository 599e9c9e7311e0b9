/**
 * The docker CLI still renders redacted responses: a fake daemon on a unix socket answers with the
 * captured fixtures passed through redactResponse (every setting on), and the real CLI (which decodes
 * into Go structs) must print them without a decode error and without the redacted values.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { redactResponse } from '../../../src/policy/response/redact-response.js';
import { ALL_REDACTIONS, readFixture } from './response-fixtures.js';

const run = promisify(execFile);

function findDockerCli(): string | undefined {
  const dirs = ['/usr/local/bin', ...(process.env['PATH'] ?? '').split(':'), '/usr/bin'];
  for (const dir of dirs) {
    try {
      accessSync(path.join(dir, 'docker'), constants.X_OK);
      return path.join(dir, 'docker');
    } catch {
      // keep looking
    }
  }
  return undefined;
}

const NODE_ID = 'rqe144n4p96bdwpsg8aiifz4m';
const SERVICE_ID = '7dx9aowpudb7npv2brcgmoucu';
/** The CLI re-encodes JSON with Go's HTML escaping. */
const REDACTED = String.raw`(?:<redacted>|\\u003credacted\\u003e)`;
const SECRETS = /hunter2|\/tmp\/sgd-|10\.231\.0\.\d|SWMTKN-|BEGIN CERTIFICATE/;

/** Unversioned request path -> fixture. */
const ROUTES: Record<string, string> = {
  '/containers/json': 'container-list.json',
  '/containers/sg-web/json': 'container-inspect.json',
  '/images/proxytest/busybox:latest/json': 'image-inspect.json',
  '/networks': 'network-list.json',
  '/networks/sg-net': 'network-inspect.json',
  '/volumes': 'volume-list.json',
  '/volumes/sg-data': 'volume-inspect.json',
  '/info': 'info-swarm.json',
  '/system/df': 'system-df.json',
  '/swarm': 'swarm-inspect.json',
  '/services': 'service-list.json',
  '/services/sg-svc': 'service-inspect.json',
  [`/services/${SERVICE_ID}`]: 'service-inspect.json',
  '/tasks': 'task-list.json',
  '/nodes': 'node-list.json',
  [`/nodes/${NODE_ID}`]: 'node-inspect.json',
  '/configs/sg-config': 'config-inspect.json',
  '/secrets/sg-secret': 'secret-inspect.json',
};

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://daemon');
  const route = url.pathname.replace(/^\/v[0-9.]+/, '');
  if (route === '/_ping') {
    res.writeHead(200, { 'Api-Version': '1.41', Ostype: 'linux', 'Content-Type': 'text/plain' });
    res.end(req.method === 'HEAD' ? undefined : 'OK');
    return;
  }
  const fixture = ROUTES[route];
  if (req.method !== 'GET' || fixture === undefined) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"message":"page not found"}\n');
    return;
  }
  const body = readFixture(fixture);
  const outcome = redactResponse({ method: 'GET', normalizedPath: route }, 200, 'application/json', body, {
    redaction: ALL_REDACTIONS,
  });
  assert.ok(outcome.kind === 'rewritten' || outcome.kind === 'unchanged', `${route}: ${outcome.kind}`);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(outcome.kind === 'rewritten' ? outcome.body : body);
}

const cli = findDockerCli();

describe('the docker CLI renders redacted responses', { skip: cli === undefined && 'no docker CLI' }, () => {
  let dir = '';
  let server: http.Server;

  before(async () => {
    dir = await mkdtemp('/tmp/sg-cli-');
    server = http.createServer(answer);
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'docker.sock'), resolve));
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  async function docker(...args: string[]): Promise<string> {
    const { stdout } = await run(cli!, args, {
      env: { PATH: process.env['PATH'] ?? '', DOCKER_HOST: `unix://${dir}/docker.sock`, DOCKER_CONFIG: dir },
      timeout: 20_000,
    });
    return stdout;
  }

  const commands: [string[], RegExp, RegExp][] = [
    [['container', 'inspect', 'sg-web'], /"Env": \[\]/, SECRETS],
    [['ps', '-a', '--no-trunc'], /sg-web/, SECRETS],
    [['image', 'inspect', 'proxytest/busybox:latest'], new RegExp(`"MergedDir": "${REDACTED}"`), SECRETS],
    [['network', 'ls'], /sg-net/, SECRETS],
    [['network', 'inspect', 'sg-net'], /"Config": \[\]/, SECRETS],
    [['volume', 'ls'], /sg-data/, SECRETS],
    [['volume', 'inspect', 'sg-data'], new RegExp(`"Mountpoint": "${REDACTED}"`), SECRETS],
    // /info keeps Docker Root Dir: the reference lists no redaction for it.
    [['info'], /Swarm: active/, /10\.231\.0\.\d|BEGIN CERTIFICATE/],
    [['system', 'df', '-v'], /sg-web/, SECRETS],
    [['swarm', 'join-token', '-q', 'worker'], new RegExp(`^${REDACTED}$`, 'm'), SECRETS],
    [['service', 'ls'], /sg-svc/, SECRETS],
    [['service', 'inspect', 'sg-svc'], new RegExp(`"SecretName": "${REDACTED}"`), SECRETS],
    [['service', 'inspect', '--pretty', 'sg-svc'], /sg-svc/, SECRETS],
    [['service', 'ps', 'sg-svc'], /sg-svc\.1/, SECRETS],
    [['node', 'ls'], /vm/, SECRETS],
    [['node', 'inspect', NODE_ID], new RegExp(`"TrustRoot": "${REDACTED}"`), SECRETS],
    [['config', 'inspect', 'sg-config'], /"Data": ""/, SECRETS],
    [['secret', 'inspect', 'sg-secret'], /sg-secret/, SECRETS],
  ];
  for (const [args, expected, hidden] of commands) {
    it(`docker ${args.join(' ')}`, async () => {
      const out = await docker(...args);
      assert.match(out, expected);
      assert.doesNotMatch(out, hidden);
    });
  }
});
