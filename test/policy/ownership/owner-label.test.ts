import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stampBuildLabels, stampOwnerLabel, type BodyStampKind } from '../../../src/policy/ownership/owner-label.js';

const KEY = 'com.sockguard.owner';
const decoder = new TextDecoder();

function stamp(kind: BodyStampKind, body: string): string {
  const result = stampOwnerLabel(kind, body, 'alice', KEY);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return decoder.decode(result.body);
}

function refusal(kind: BodyStampKind, body: string): [number, string] {
  const result = stampOwnerLabel(kind, body, 'alice', KEY);
  assert.ok(!result.ok, 'expected a refusal');
  return [result.status, result.reasonCode];
}

describe('stampOwnerLabel', () => {
  const cases: [string, BodyStampKind, string, string][] = [
    [
      'a container without labels',
      'container',
      '{"Image":"busybox"}',
      '{"Image":"busybox","Labels":{"com.sockguard.owner":"alice"}}',
    ],
    [
      'a container with labels',
      'container',
      '{"Labels":{"app":"web"},"Image":"x"}',
      '{"Labels":{"app":"web","com.sockguard.owner":"alice"},"Image":"x"}',
    ],
    ['null labels', 'network', '{"Name":"n","Labels":null}', '{"Name":"n","Labels":{"com.sockguard.owner":"alice"}}'],
    [
      'an owner label already right',
      'volume',
      '{"Labels":{"com.sockguard.owner":"alice"}}',
      '{"Labels":{"com.sockguard.owner":"alice"}}',
    ],
    [
      'a null owner label (Go reads it as "")',
      'secret',
      '{"Labels":{"com.sockguard.owner":null}}',
      '{"Labels":{"com.sockguard.owner":"alice"}}',
    ],
    [
      'a lowercase labels key (the same field to dockerd)',
      'config',
      '{"labels":{"a":"1"}}',
      '{"labels":{"a":"1","com.sockguard.owner":"alice"}}',
    ],
    ['a Go-folded key with a long s', 'node', '{"Labelſ":{}}', '{"Labelſ":{"com.sockguard.owner":"alice"}}'],
    [
      'label keys are exact: another casing is another label',
      'container',
      '{"Labels":{"COM.SOCKGUARD.OWNER":"bob"}}',
      '{"Labels":{"COM.SOCKGUARD.OWNER":"bob","com.sockguard.owner":"alice"}}',
    ],
    ['an empty body (dockerd reads it as empty)', 'volume', '', '{"Labels":{"com.sockguard.owner":"alice"}}'],
    ['a null body', 'volume', 'null', '{"Labels":{"com.sockguard.owner":"alice"}}'],
    [
      'a service: its labels and its task template container labels',
      'service',
      '{"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x"}}}',
      '{"Name":"s","TaskTemplate":{"ContainerSpec":{"Image":"x","Labels":{"com.sockguard.owner":"alice"}}},"Labels":{"com.sockguard.owner":"alice"}}',
    ],
    [
      'a service without a task template',
      'service',
      '{"Name":"s"}',
      '{"Name":"s","Labels":{"com.sockguard.owner":"alice"},"TaskTemplate":{"ContainerSpec":{"Labels":{"com.sockguard.owner":"alice"}}}}',
    ],
    [
      'a service with folded keys on the way',
      'service',
      '{"tasktemplate":{"containerspec":{"labels":null}}}',
      '{"tasktemplate":{"containerspec":{"labels":{"com.sockguard.owner":"alice"}}},"Labels":{"com.sockguard.owner":"alice"}}',
    ],
  ];
  for (const [name, kind, body, expected] of cases) {
    it(name, () => assert.equal(stamp(kind, body), expected));
  }

  it('keeps big numbers, key order and every other field exactly (untouched parts byte for byte)', () => {
    const body =
      '{"HostConfig":{"Memory":9223372036854775807,"NanoCpus":1.5e9},"2":"x","Image":"b","Env":["A=\\u00e9"]}';
    assert.equal(
      stamp('container', body),
      '{"HostConfig":{"Memory":9223372036854775807,"NanoCpus":1.5e9},"2":"x","Image":"b","Env":["A=\\u00e9"],"Labels":{"com.sockguard.owner":"alice"}}',
    );
  });

  const refused: [string, BodyStampKind, string, number, string][] = [
    [
      'another owner chosen by the client',
      'container',
      '{"Labels":{"com.sockguard.owner":"bob"}}',
      403,
      'owner_policy_denied_access',
    ],
    [
      'another owner in the service task template',
      'service',
      '{"TaskTemplate":{"ContainerSpec":{"Labels":{"com.sockguard.owner":"bob"}}}}',
      403,
      'owner_policy_denied_access',
    ],
    [
      'two spellings of Labels (Go would merge them)',
      'container',
      '{"Labels":{},"labels":{"com.sockguard.owner":"bob"}}',
      400,
      'owner_request_invalid',
    ],
    ['two spellings of TaskTemplate', 'service', '{"TaskTemplate":{},"TASKTEMPLATE":{}}', 400, 'owner_request_invalid'],
    [
      'a duplicate label key',
      'container',
      '{"Labels":{"com.sockguard.owner":"alice","com.sockguard.owner":"bob"}}',
      400,
      'owner_request_invalid',
    ],
    ['labels that are not an object', 'container', '{"Labels":["a"]}', 400, 'owner_request_invalid'],
    [
      'an owner label that is not a string',
      'container',
      '{"Labels":{"com.sockguard.owner":1}}',
      400,
      'owner_request_invalid',
    ],
    ['a body that is not an object', 'network', '[]', 400, 'owner_request_invalid'],
    ['invalid JSON', 'network', '{"Name":', 400, 'owner_request_invalid'],
    ['trailing data', 'network', '{"Name":"a"}{"Labels":{}}', 400, 'owner_request_invalid'],
    ['a lone surrogate', 'network', '{"Name":"\\ud800"}', 400, 'owner_request_invalid'],
  ];
  for (const [name, kind, body, status, code] of refused) {
    it(`refuses ${name}`, () => assert.deepEqual(refusal(kind, body), [status, code]));
  }

  it('accepts bytes and refuses invalid UTF-8', () => {
    const ok = stampOwnerLabel('volume', new TextEncoder().encode('{"Name":"v"}'), 'alice', KEY);
    assert.ok(ok.ok);
    const bad = stampOwnerLabel('volume', Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d), 'alice', KEY);
    assert.equal(bad.ok, false);
  });
});

describe('stampBuildLabels', () => {
  const readLabels = (raw: string) => JSON.parse(new URLSearchParams(raw).get('labels')!) as unknown;

  it('adds the labels parameter, keeping the others', () => {
    const result = stampBuildLabels('t=app%3A1&q=1', 'alice', KEY);
    assert.ok(result.ok);
    assert.ok(result.rawQuery.startsWith('t=app%3A1&q=1&labels='));
    assert.deepEqual(readLabels(result.rawQuery), { [KEY]: 'alice' });
  });

  it('adds to the client labels in place', () => {
    const result = stampBuildLabels(`labels=${encodeURIComponent('{"app":"web"}')}&t=x`, 'alice', KEY);
    assert.ok(result.ok);
    assert.ok(result.rawQuery.endsWith('&t=x'));
    assert.deepEqual(readLabels(result.rawQuery), { app: 'web', [KEY]: 'alice' });
  });

  const refused: [string, string, number][] = [
    ['another owner', `labels=${encodeURIComponent('{"com.sockguard.owner":"bob"}')}`, 403],
    ['a repeated labels parameter', `labels=${encodeURIComponent('{}')}&labels=${encodeURIComponent('{}')}`, 400],
    ['labels that are not an object of strings', `labels=${encodeURIComponent('{"a":1}')}`, 400],
    ['labels that are not JSON', 'labels=x', 400],
    ['a query Go refuses', 'labels=%zz', 400],
  ];
  for (const [name, query, status] of refused) {
    it(`refuses ${name}`, () => {
      const result = stampBuildLabels(query, 'alice', KEY);
      assert.ok(!result.ok);
      assert.equal(result.status, status);
    });
  }
});
