/** requestFromDaemon: a complete answer or a DaemonRequestError, never a partial one. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DaemonRequestError, requestFromDaemon } from '../../src/proxy/daemon-request.js';
import { Upstream } from '../../src/proxy/upstream.js';
import { startFakeDaemon, type FakeDaemon } from '../helpers/fake-daemon.js';

describe('requestFromDaemon', () => {
  let daemon: FakeDaemon;
  let upstream: Upstream;
  before(async () => {
    daemon = await startFakeDaemon((req, res) => {
      if (req.url === '/silent') return;
      if (req.url === '/big') {
        res.end('x'.repeat(2048));
        return;
      }
      if (req.url === '/drop') {
        res.socket?.destroy();
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ got: req.body.toString(), type: req.headers['content-type'] ?? null }));
    });
    upstream = new Upstream({ kind: 'unix', socketPath: daemon.socketPath });
  });
  after(async () => {
    upstream.close();
    await daemon.close();
  });
  const limits = { timeoutMs: 200, maxBytes: 1024 };

  it('returns the status and body, sending a JSON body with its length', async () => {
    const answer = await requestFromDaemon(
      upstream,
      { method: 'POST', path: '/volumes/create', body: Buffer.from('{"Name":"v"}') },
      limits,
    );
    assert.equal(answer.status, 201);
    assert.deepEqual(JSON.parse(answer.body.toString()), { got: '{"Name":"v"}', type: 'application/json' });
    assert.equal(daemon.requests.at(-1)!.headers['content-length'], '12');
  });

  it('returns a non-2xx answer as it is (the caller decides)', async () => {
    assert.equal((await requestFromDaemon(upstream, { method: 'GET', path: '/missing' }, limits)).status, 404);
  });

  const failures = [
    { path: '/silent', problem: /no answer within 200 ms/ },
    { path: '/big', problem: /too large/ },
    { path: '/drop', problem: /./ },
  ];
  for (const f of failures) {
    it(`rejects ${f.path} with DaemonRequestError`, async () => {
      await assert.rejects(requestFromDaemon(upstream, { method: 'GET', path: f.path }, limits), (error) => {
        assert.ok(error instanceof DaemonRequestError);
        assert.match(error.message, f.problem);
        return true;
      });
    });
  }
});
