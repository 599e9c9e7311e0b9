import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { rewriteProxyService, type ServiceChange } from '../../src/compose/rewrite-service.js';

const MOUNT = { source: './sockguard.yaml', target: '/etc/sockguard/sockguard.yaml', readOnly: true };
const env = (...names: string[]): ServiceChange => ({ removeEnvironment: new Set(names) });

interface Case {
  name: string;
  input: string;
  change: ServiceChange;
  expected: string;
  service?: string;
}

const CASES: Case[] = [
  {
    name: 'plain image replaced, nothing else touched (comments, trailing spaces, other services)',
    input:
      'services:\n  proxy:\n    image: tecnativa/docker-socket-proxy # old\n    restart: always   \n  web:\n    image: nginx\n',
    change: { image: 'codeswhat/sockguard:1.7' },
    expected:
      'services:\n  proxy:\n    image: codeswhat/sockguard:1.7 # old\n    restart: always   \n  web:\n    image: nginx\n',
  },
  {
    name: 'double-quoted image stays double-quoted',
    input: 'services:\n  proxy:\n    image: "11notes/socket-proxy:2"\n',
    change: { image: 'codeswhat/sockguard:1.7' },
    expected: 'services:\n  proxy:\n    image: "codeswhat/sockguard:1.7"\n',
  },
  {
    name: 'single-quoted image stays single-quoted',
    input: "services:\n  proxy:\n    image: 'tecnativa/docker-socket-proxy'\n",
    change: { image: 'codeswhat/sockguard:1.7' },
    expected: "services:\n  proxy:\n    image: 'codeswhat/sockguard:1.7'\n",
  },
  {
    name: 'list entries go with their trailing comment and the comment lines directly above them',
    input:
      'services:\n  proxy:\n    environment:\n      - CONTAINERS=1 # read containers\n      # Dozzle needs /info\n      - INFO=1\n      - TZ=UTC\n    restart: always\n',
    change: env('CONTAINERS', 'INFO'),
    expected: 'services:\n  proxy:\n    environment:\n      - TZ=UTC\n    restart: always\n',
  },
  {
    name: 'a map whose entries all go takes its key and the comments indented under it',
    input:
      'services:\n  proxy:\n    environment:\n      POST: 1\n      CONTAINERS: "1"\n      # more later\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
    change: env('POST', 'CONTAINERS'),
    expected: 'services:\n  proxy:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
  },
  {
    name: 'the last key of the file goes without leaving a stray line',
    input: 'services:\n  proxy:\n    image: x\n    environment:\n      - CONTAINERS=1',
    change: env('CONTAINERS'),
    expected: 'services:\n  proxy:\n    image: x\n',
  },
  {
    name: 'a flow list keeps the entries that stay',
    input: 'services:\n  proxy:\n    environment: [CONTAINERS=1, TZ=UTC] # flow\n',
    change: env('CONTAINERS'),
    expected: 'services:\n  proxy:\n    environment: [TZ=UTC] # flow\n',
  },
  {
    name: 'an aliased environment is replaced, never the shared anchor',
    input:
      'x-env: &env\n  CONTAINERS: 1\n  TZ: UTC\nservices:\n  proxy:\n    environment: *env\n  other:\n    environment: *env\n',
    change: env('CONTAINERS'),
    expected:
      'x-env: &env\n  CONTAINERS: 1\n  TZ: UTC\nservices:\n  proxy:\n    environment: { TZ: UTC }\n  other:\n    environment: *env\n',
  },
  {
    name: 'a merge key bringing in removed entries goes; the anchor stays for others',
    input:
      'x-env: &env\n  CONTAINERS: 1\n  EVENTS: 1\nservices:\n  proxy:\n    environment:\n      <<: *env\n      TZ: UTC\n',
    change: env('CONTAINERS', 'EVENTS'),
    expected: 'x-env: &env\n  CONTAINERS: 1\n  EVENTS: 1\nservices:\n  proxy:\n    environment:\n      TZ: UTC\n',
  },
  {
    name: 'merged entries that stay are written out when their merge key goes',
    input:
      'x-env: &env\n  CONTAINERS: 1\n  TZ: UTC\nservices:\n  proxy:\n    environment:\n      <<: *env\n      POST: 0\n    restart: always\n',
    change: env('CONTAINERS', 'POST'),
    expected:
      'x-env: &env\n  CONTAINERS: 1\n  TZ: UTC\nservices:\n  proxy:\n    environment:\n      TZ: UTC\n    restart: always\n',
  },
  {
    name: 'a merge key bringing in nothing to remove stays',
    input: 'x-env: &env\n  TZ: UTC\nservices:\n  proxy:\n    environment:\n      <<: *env\n      POST: 0\n',
    change: env('POST'),
    expected: 'x-env: &env\n  TZ: UTC\nservices:\n  proxy:\n    environment:\n      <<: *env\n',
  },
  {
    name: 'an environment reaching the service through a service-level merge key is overridden',
    input:
      'x-common: &common\n  environment:\n    - CONTAINERS=1\n  restart: always\nservices:\n  proxy:\n    <<: *common\n    image: x\n',
    change: env('CONTAINERS'),
    expected:
      'x-common: &common\n  environment:\n    - CONTAINERS=1\n  restart: always\nservices:\n  proxy:\n    <<: *common\n    image: x\n    environment: []\n',
  },
  {
    name: 'command in list form is removed with its items',
    input:
      "services:\n  proxy:\n    command:\n      - '-allowGET=/version'\n      - '-listenip=0.0.0.0'\n    restart: always\n",
    change: { removeKeys: ['command'] },
    expected: 'services:\n  proxy:\n    restart: always\n',
  },
  {
    name: 'command in string form is removed',
    input: 'services:\n  proxy:\n    command: -rules-file=/rules.list\n    restart: always\n',
    change: { removeKeys: ['command', 'entrypoint'] },
    expected: 'services:\n  proxy:\n    restart: always\n',
  },
  {
    name: 'volumes are removed by target, in short and long syntax',
    input:
      'services:\n  proxy:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - ./rules.list:/etc/cetusguard/rules.list:ro # rules\n      - type: bind\n        source: ./more.list\n        target: /etc/more.list\n',
    change: { removeVolumeTargets: new Set(['/etc/cetusguard/rules.list', '/etc/more.list']) },
    expected: 'services:\n  proxy:\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
  },
  {
    name: 'a volume joins a block list in the style of its last item',
    input:
      'services:\n  proxy:\n    image: x\n    volumes:\n      - "/var/run/docker.sock:/var/run/docker.sock:ro" # ro\n    restart: always\n',
    change: { addVolume: MOUNT },
    expected:
      'services:\n  proxy:\n    image: x\n    volumes:\n      - "/var/run/docker.sock:/var/run/docker.sock:ro" # ro\n      - "./sockguard.yaml:/etc/sockguard/sockguard.yaml:ro"\n    restart: always\n',
  },
  {
    name: 'a volume joins a long-syntax list in long syntax',
    input:
      'services:\n  proxy:\n    image: x\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n',
    change: { addVolume: MOUNT },
    expected:
      'services:\n  proxy:\n    image: x\n    volumes:\n      - type: bind\n        source: /var/run/docker.sock\n        target: /var/run/docker.sock\n      - type: bind\n        source: ./sockguard.yaml\n        target: /etc/sockguard/sockguard.yaml\n        read_only: true\n',
  },
  {
    name: 'a volume joins a flow list',
    input: 'services:\n  proxy:\n    image: x\n    volumes: [/var/run/docker.sock:/var/run/docker.sock]\n',
    change: { addVolume: MOUNT },
    expected:
      'services:\n  proxy:\n    image: x\n    volumes: [/var/run/docker.sock:/var/run/docker.sock, "./sockguard.yaml:/etc/sockguard/sockguard.yaml:ro"]\n',
  },
  {
    name: 'a service without volumes gets the key after its last entry',
    input: 'services:\n  proxy:\n    image: x\n    restart: always\n\n  web:\n    image: nginx\n',
    change: { addVolume: MOUNT },
    expected:
      'services:\n  proxy:\n    image: x\n    restart: always\n    volumes:\n      - ./sockguard.yaml:/etc/sockguard/sockguard.yaml:ro\n\n  web:\n    image: nginx\n',
  },
  {
    name: 'the volume is added only in the file that sets the image',
    input: 'services:\n  proxy:\n    environment:\n      - CONTAINERS=1\n',
    change: { addVolume: MOUNT, image: 'codeswhat/sockguard:1.7' },
    expected: 'services:\n  proxy:\n    environment:\n      - CONTAINERS=1\n',
  },
  {
    name: 'a fragment without services: is edited at the top level',
    input:
      'dockerproxy:\n  image: tecnativa/docker-socket-proxy\n  environment:\n    - CONTAINERS=1\nhomepage:\n  image: h\n',
    service: 'dockerproxy',
    change: { image: 'codeswhat/sockguard:1.7', ...env('CONTAINERS') },
    expected: 'dockerproxy:\n  image: codeswhat/sockguard:1.7\nhomepage:\n  image: h\n',
  },
  {
    name: 'a service of the same name in another document of the file is edited too; others are not',
    input: 'services:\n  proxy:\n    image: a\n---\nservices:\n  proxy:\n    image: b\n  web:\n    image: a\n',
    change: { image: 'codeswhat/sockguard:1.7' },
    expected:
      'services:\n  proxy:\n    image: codeswhat/sockguard:1.7\n---\nservices:\n  proxy:\n    image: codeswhat/sockguard:1.7\n  web:\n    image: a\n',
  },
  {
    name: 'the same variables on other services are left alone',
    input:
      'services:\n  proxy:\n    environment:\n      - CONTAINERS=1\n      - TZ=UTC\n  app:\n    environment:\n      - CONTAINERS=1\n',
    change: env('CONTAINERS'),
    expected: 'services:\n  proxy:\n    environment:\n      - TZ=UTC\n  app:\n    environment:\n      - CONTAINERS=1\n',
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const result = rewriteProxyService(c.input, c.service ?? 'proxy', c.change);
    assert.ok(result.ok, result.ok ? '' : result.error);
    assert.equal(result.text, c.expected);
    assert.equal(result.changed, c.expected !== c.input);
    // Whatever the edit, the result must still be YAML.
    assert.doesNotThrow(() => parse(result.text.split('\n---\n')[0]!));
  });
}

test('a file that does not define the service is returned unchanged and says so', () => {
  const input = 'services:\n  web:\n    image: nginx\n';
  const result = rewriteProxyService(input, 'proxy', { image: 'x' });
  assert.deepEqual(result, { ok: true, text: input, changed: false, found: false });
});

test('a file that is not valid YAML is refused with the parser message', () => {
  const result = rewriteProxyService('services:\n  proxy:\n    image: a\n    image: b\n', 'proxy', { image: 'x' });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.error, /unique/i);
});
