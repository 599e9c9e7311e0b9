/**
 * Differential check of the decoder against a real dockerd (security-notes.md D11, D12): each body is
 * sent to POST /containers/create and the container's inspect shows how dockerd read it. The decoder
 * must read the inspected fields the same way, and where dockerd merges duplicates (the reason the
 * decoder refuses them) the merge is shown to happen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { containerCreateShape } from '../../../src/policy/body/body-shapes.js';
import { decodeDockerJson } from '../../../src/policy/body/decode-docker-json.js';
import {
  dockerAvailable,
  startDockerDaemon,
  TEST_IMAGE,
  TEST_LABEL,
  type DockerDaemon,
} from '../../helpers/docker-daemon.js';

const availability = dockerAvailable();
const skip = availability.ok ? false : `no real dockerd: ${availability.reason}`;

interface Inspected {
  Config: { User: string; Labels: Record<string, string> };
  HostConfig: { Privileged: boolean; NetworkMode: string; CapAdd: string[] | null };
}

/** A create body as text, so that keys can be spelled (and repeated) exactly; the daemon has no bridge. */
const body = (fields: string) =>
  `{"Image":${JSON.stringify(TEST_IMAGE)},"Labels":{"${TEST_LABEL}":"decoding"},${fields}}`;

describe('the decoder reads create bodies the way dockerd does', { skip }, () => {
  let daemon: DockerDaemon;
  before(async () => {
    daemon = await startDockerDaemon();
  });
  after(async () => {
    await daemon?.stop();
  });

  async function created(text: string): Promise<Inspected> {
    const response = await daemon.request('POST', '/v1.41/containers/create', {
      body: text,
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(response.status, 201, response.body);
    const { Id } = JSON.parse(response.body) as { Id: string };
    const inspect = await daemon.request('GET', `/v1.41/containers/${Id}/json`);
    return JSON.parse(inspect.body) as Inspected;
  }

  const SAME_READING: [string, string][] = [
    ['lower-case keys', '"hostconfig":{"privileged":true,"networkmode":"none"}'],
    ['upper-case keys', '"HOSTCONFIG":{"PRIVILEGED":true,"NETWORKMODE":"none"}'],
    ['long s U+017F', '"Ho\u017ftConfig":{"Privileged":true,"NetworkMode":"none"}'],
    ['Kelvin sign U+212A', '"HostConfig":{"Privileged":true,"Networ\u212aMode":"none"}'],
    ['dotted capital I is not i', '"HostConfig":{"Pr\u0130vileged":true,"NetworkMode":"none"}'],
    ['CapAdd as a string', '"HostConfig":{"CapAdd":"NET_ADMIN","NetworkMode":"none"}'],
    ['decoy Config object', '"Config":{"User":"1000"},"User":"2000","HostConfig":{"NetworkMode":"none"}'],
  ];
  for (const [name, fields] of SAME_READING) {
    test(name, async () => {
      const text = body(fields);
      const ours = decodeDockerJson(text, containerCreateShape);
      assert.ok(ours.ok, ours.ok ? '' : ours.error.message);
      const theirs = await created(text);
      assert.equal(ours.value.HostConfig?.Privileged ?? false, theirs.HostConfig.Privileged);
      assert.deepEqual(ours.value.HostConfig?.CapAdd ?? null, theirs.HostConfig.CapAdd);
      assert.equal(ours.value.User ?? '', theirs.Config.User);
    });
  }

  test('map keys stay case-sensitive in dockerd too', async () => {
    const text = `{"Image":${JSON.stringify(TEST_IMAGE)},"Labels":{"${TEST_LABEL}":"x","a":"1","A":"2"},"HostConfig":{"NetworkMode":"none"}}`;
    const ours = decodeDockerJson(text, containerCreateShape);
    assert.ok(ours.ok);
    const theirs = await created(text);
    assert.equal(theirs.Config.Labels['a'], '1');
    assert.equal(theirs.Config.Labels['A'], '2');
    assert.deepEqual({ ...ours.value.Labels }, theirs.Config.Labels);
  });

  test('dockerd merges case-variant duplicates, which is why the decoder refuses them', async () => {
    const text = body('"HostConfig":{"NetworkMode":"none","CapAdd":["NET_ADMIN"]},"hostconfig":{"Privileged":true}');
    assert.equal(decodeDockerJson(text, containerCreateShape).ok, false);
    const theirs = await created(text);
    assert.equal(theirs.HostConfig.Privileged, true);
    assert.deepEqual(theirs.HostConfig.CapAdd, ['NET_ADMIN']);
  });

  test('dockerd keeps the last of repeated scalar keys, which a first-wins filter would misread', async () => {
    const text = body('"User":"1000","User":"0","HostConfig":{"NetworkMode":"none"}');
    assert.equal(decodeDockerJson(text, containerCreateShape).ok, false);
    assert.equal((await created(text)).Config.User, '0');
  });
});
