import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startProxy, type RunningProxy } from '../../src/proxy/serve.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';
import { ALLOW_ALL_GETS, compileYaml, sendRaw, startTestProxy } from './fixture.js';

function sendTcp(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(raw));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
    setTimeout(() => socket.destroy(), 3_000);
  });
}

describe('browser-origin requests on a TCP listener', () => {
  let daemon: FakeDaemon;
  let proxy: RunningProxy;
  let port: number;
  before(async () => {
    daemon = await startFakeDaemon();
    proxy = await startProxy({
      compiled: compileYaml(ALLOW_ALL_GETS + 'listen:\n  address: 127.0.0.1:0\n'),
      upstream: { kind: 'unix', socketPath: daemon.socketPath },
    });
    port = Number(proxy.listeners[0]!.info.address.split(':').at(-1));
  });
  after(async () => {
    await proxy.shutdown(100);
    await daemon.close();
  });

  const cases: { name: string; headers: string; status: number }[] = [
    { name: 'a docker client (Host 127.0.0.1)', headers: 'Host: 127.0.0.1:2375\r\n', status: 200 },
    { name: 'a docker client (Host localhost)', headers: 'Host: localhost:2375\r\n', status: 200 },
    { name: 'a docker client (Host [::1])', headers: 'Host: [::1]:2375\r\n', status: 200 },
    { name: 'a page sending Origin', headers: 'Host: 127.0.0.1:2375\r\nOrigin: https://evil.example\r\n', status: 403 },
    { name: 'a DNS-rebound Host', headers: 'Host: rebind.evil.example:2375\r\n', status: 403 },
  ];
  for (const c of cases) {
    it(`${c.status === 200 ? 'serves' : 'refuses'} ${c.name}`, async () => {
      const text = await sendTcp(port, `GET /_ping HTTP/1.1\r\n${c.headers}Connection: close\r\n\r\n`);
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${c.status} `));
    });
  }

  it('does not check unix sockets (out of a browser’s reach)', async () => {
    const unix = await startTestProxy(ALLOW_ALL_GETS, daemon.socketPath);
    try {
      const { text } = await sendRaw(
        unix.socketPath,
        'GET /_ping HTTP/1.1\r\nHost: anything\r\nOrigin: x\r\n\r\n',
        200,
      );
      assert.match(text, /^HTTP\/1\.1 200 /);
    } finally {
      await unix.close();
    }
  });
});
