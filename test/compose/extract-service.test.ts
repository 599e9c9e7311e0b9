import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseComposeFiles } from '../../src/compose/parse-compose-files.js';
import type { ComposeDiagnostic, ComposeService } from '../../src/compose/model.js';

/** Parses `services: { p: <body> }` and returns service p with the diagnostics. */
function service(
  body: string,
  env: Record<string, string> = {},
): { p: ComposeService; diagnostics: ComposeDiagnostic[] } {
  const text = 'services:\n  p:\n' + body.replace(/^/gm, '    ') + '\n';
  const result = parseComposeFiles([{ path: '/proj/c.yml', text }], { env });
  const p = result.project?.services[0];
  assert.ok(p, text);
  return { p, diagnostics: result.diagnostics };
}

const envOf = (p: ComposeService): Record<string, string | undefined> =>
  Object.fromEntries([...p.environment.values()].map((e) => [e.name, e.value]));

test('environment: list and map forms, typed YAML values, empty values', () => {
  const cases: [string, Record<string, string | undefined>][] = [
    ['environment:\n  - A=1\n  - B=x=y\n  - C=\n  - "D=q"', { A: '1', B: 'x=y', C: '', D: 'q' }],
    [
      'environment:\n  A: 1\n  B: "1"\n  C: true\n  D: yes\n  E: ""\n  F: 1.0\n  G: 0x1',
      { A: '1', B: '1', C: 'true', D: 'yes', E: '', F: '1', G: '1' },
    ],
    ['environment: {A: 1, B: off}', { A: '1', B: 'off' }],
    ['environment:', {}],
    ['environment: []', {}],
  ];
  for (const [body, expected] of cases) assert.deepEqual(envOf(service(body).p), expected, body);
});

test('environment: the written text and YAML kind are kept next to the container string', () => {
  const { p } = service('environment:\n  POST: 1\n  CONTAINERS: "1"\n  EXEC: True\n  INFO: ~\n  LIST_FORM: x');
  const rows = [...p.environment.values()].map((e) => [e.name, e.value, e.written, e.yamlKind, e.from]);
  assert.deepEqual(rows, [
    ['POST', '1', '1', 'int', 'environment'],
    ['CONTAINERS', '1', '"1"', 'string', 'environment'],
    ['EXEC', 'true', 'True', 'bool', 'environment'],
    ['INFO', undefined, '~', 'null', 'inherited'],
    ['LIST_FORM', 'x', 'x', 'string', 'environment'],
  ]);
});

test('environment: map entries span key to value; list entries the list item', () => {
  const { p } = service('environment:\n  POST: 1\nlabels:\n  - a=b');
  assert.deepEqual(p.environment.get('POST')?.range, { start: { line: 4, col: 7 }, end: { line: 4, col: 14 } });
  assert.deepEqual(p.labels.get('a')?.range, { start: { line: 6, col: 9 }, end: { line: 6, col: 12 } });
});

test('environment: values compose versions stringify differently are flagged with a suggestion to quote', () => {
  const { diagnostics } = service('environment:\n  A: 1\n  B: true\n  C: 010\n  D: True\n  E: 1.0');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.pointer, d.suggestion]),
    [
      ['compose/ambiguous-scalar', '/services/p/environment/C', '"010"'],
      ['compose/ambiguous-scalar', '/services/p/environment/D', '"True"'],
      ['compose/ambiguous-scalar', '/services/p/environment/E', '"1.0"'],
    ],
  );
  assert.match(diagnostics[0]?.message ?? '', /docker compose v2 passes "8"/);
});

test('environment: a key listed twice keeps the later value and is reported at the later line', () => {
  const { p, diagnostics } = service('environment:\n  - POST=0\n  - EVENTS=1\n  - POST=1');
  assert.deepEqual(envOf(p), { POST: '1', EVENTS: '1' });
  assert.equal(p.environment.get('POST')?.range.start.line, 6);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.range?.start.line]),
    [['compose/duplicate-entry', 'warning', 6]],
  );
});

test('environment: merge keys inside the environment map and at service level', () => {
  const text = [
    'x-env: &env',
    '  EVENTS: 1',
    '  POST: 0',
    'x-common: &common',
    '  restart: always',
    '  environment:',
    '    FROM_COMMON: 1',
    'services:',
    '  p:',
    '    <<: *common',
    '    image: x',
    '  q:',
    '    environment:',
    '      <<: *env',
    '      POST: 1',
  ].join('\n');
  const services = parseComposeFiles([{ path: 'c.yml', text }]).project?.services ?? [];
  assert.deepEqual(envOf(services[0] as ComposeService), { FROM_COMMON: '1' });
  assert.equal(services[0]?.environment.get('FROM_COMMON')?.range.start.line, 7);
  assert.deepEqual(envOf(services[1] as ComposeService), { EVENTS: '1', POST: '1' });
  assert.equal(services[1]?.environment.get('EVENTS')?.range.start.line, 2);
  assert.equal(services[1]?.environment.get('POST')?.range.start.line, 15);
});

test('environment: wrong shapes are errors and ignored', () => {
  const cases: [string, string][] = [
    ['environment: 5', '/services/p/environment'],
    ['environment:\n  A: [1]', '/services/p/environment/A'],
    ['environment:\n  - [A]', '/services/p/environment/0'],
  ];
  for (const [body, pointer] of cases) {
    const { diagnostics } = service(body);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.pointer]),
      [['compose/invalid-value', 'error', pointer]],
      body,
    );
  }
});

test('environment: a list name with trailing space is flagged', () => {
  assert.deepEqual(
    service('environment:\n  - "POST =1"').diagnostics.map((d) => d.code),
    ['compose/invalid-value'],
  );
});

test('labels: list or map, bare keys are empty strings, values are interpolated', () => {
  const cases: [string, Record<string, string>][] = [
    ['labels:\n  - a=1\n  - b\n  - c=x=y', { a: '1', b: '', c: 'x=y' }],
    ['labels:\n  a: 1\n  b:\n  c: "${V}"', { a: '1', b: '', c: 'v' }],
  ];
  for (const [body, expected] of cases) {
    const { p } = service(body, { V: 'v' });
    assert.deepEqual(Object.fromEntries([...p.labels].map(([k, v]) => [k, v.value])), expected, body);
  }
});

test('command and entrypoint: list as written, strings split like compose', () => {
  const cases: [string, string[], 'list' | 'string'][] = [
    ['command: ["-allowGET=/v1\\\\..*", "-loglevel=debug"]', ['-allowGET=/v1\\..*', '-loglevel=debug'], 'list'],
    ['command:\n  - -a\n  - 1\n  -', ['-a', '1', ''], 'list'],
    [
      "command: -allowfrom=traefik '-allowGET=/(version|events)'",
      ['-allowfrom=traefik', '-allowGET=/(version|events)'],
      'string',
    ],
    ['entrypoint: /bin/sh -c "exec proxy"', ['/bin/sh', '-c', 'exec proxy'], 'string'],
    ['command: ""', [], 'string'],
  ];
  for (const [body, args, form] of cases) {
    const { p } = service(body);
    const command = p.command ?? p.entrypoint;
    assert.deepEqual(command?.value, args, body);
    assert.equal(command?.form, form, body);
    assert.deepEqual(
      command?.args.map((a) => a.value),
      args,
    );
  }
});

test('command: list arguments keep their own positions, string arguments point at the string', () => {
  const list = service('command:\n  - -a\n  - -b').p.command;
  assert.deepEqual(
    list?.args.map((a) => [a.pointer, a.range.start.line]),
    [
      ['/services/p/command/0', 4],
      ['/services/p/command/1', 5],
    ],
  );
  const text = service('command: -a -b').p.command;
  assert.deepEqual(
    text?.args.map((a) => [a.pointer, a.range.start.line, a.range.start.col]),
    [
      ['/services/p/command', 3, 14],
      ['/services/p/command', 3, 14],
    ],
  );
});

test('command: a string compose truncates at && is reported at the operator', () => {
  const { p, diagnostics } = service('command: sh -c echo hi && rm -rf /');
  assert.deepEqual(p.command?.value, ['sh', '-c', 'echo', 'hi']);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity, d.range?.start.line, d.range?.start.col]),
    [['compose/command-truncated', 'warning', 3, 28]],
  );
});

test('command: a string compose cannot split is an error', () => {
  const { diagnostics } = service('command: -allowGET=/v1\\..{1,2}/(version|containers/.*)');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.severity]),
    [['compose/command-syntax', 'error']],
  );
});

test('volumes: short and long syntax', () => {
  const body = [
    'volumes:',
    '  - /var/run/docker.sock:/var/run/docker.sock:ro',
    '  - data:/data',
    '  - type: bind',
    '    source: /run/docker.sock',
    '    target: /docker.sock',
    '    read_only: true',
    '  - type: tmpfs',
    '    target: /run',
    '  - source: ./rules',
    '    target: /etc/rules',
    '  - {type: volume, source: shared, target: /shared, read_only: false}',
  ].join('\n');
  const { p, diagnostics } = service(body);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    p.volumes.map((v) => [v.type, v.source, v.target, v.readOnly, v.form, v.range.start.line]),
    [
      ['bind', '/var/run/docker.sock', '/var/run/docker.sock', true, 'short', 4],
      ['volume', 'data', '/data', false, 'short', 5],
      ['bind', '/run/docker.sock', '/docker.sock', true, 'long', 6],
      ['tmpfs', undefined, '/run', false, 'long', 10],
      ['bind', './rules', '/etc/rules', false, 'long', 12],
      ['volume', 'shared', '/shared', false, 'long', 14],
    ],
  );
});

test('volumes: the same target twice in one file keeps the later mount', () => {
  const { p } = service('volumes:\n  - /a:/t:ro\n  - /b:/t');
  assert.deepEqual(
    p.volumes.map((v) => [v.source, v.readOnly]),
    [['/b', false]],
  );
});

test('volumes and ports: invalid entries are errors and skipped', () => {
  const { p, diagnostics } = service(
    'volumes:\n  - /a::/b\n  - {source: /x}\nports:\n  - "x:80"\n  - {published: 80}\n  - [1]',
  );
  assert.equal(p.volumes.length, 0);
  assert.equal(p.ports.length, 0);
  assert.deepEqual(
    diagnostics.map((d) => d.pointer),
    [
      '/services/p/volumes/0',
      '/services/p/volumes/1',
      '/services/p/ports/0',
      '/services/p/ports/1',
      '/services/p/ports/2',
    ],
  );
});

test('ports: short syntax as string or number, long syntax', () => {
  const body = [
    'ports:',
    '  - 2375',
    '  - "127.0.0.1:2375:2375"',
    '  - 8080:80/udp',
    '  - target: 2375',
    '    published: "2376"',
    '    host_ip: 10.0.0.1',
    '    protocol: TCP',
    '  - {target: 9000, published: 9000}',
  ].join('\n');
  const { p } = service(body);
  assert.deepEqual(
    p.ports.map((port) => [port.hostIp, port.published, port.target, port.protocol, port.form]),
    [
      [undefined, undefined, 2375, 'tcp', 'short'],
      ['127.0.0.1', '2375', 2375, 'tcp', 'short'],
      [undefined, '8080', 80, 'udp', 'short'],
      ['10.0.0.1', '2376', 2375, 'tcp', 'long'],
      [undefined, '9000', 9000, 'tcp', 'long'],
    ],
  );
});

test('networks: list or map with aliases and addresses', () => {
  assert.deepEqual([...service('networks: [a, b]').p.networks.keys()], ['a', 'b']);
  const { p } = service('networks:\n  socket:\n    aliases: [docker]\n    ipv4_address: 172.20.0.2\n  other:');
  assert.deepEqual(
    [...p.networks.values()].map((n) => [n.name, n.aliases, n.ipv4Address, n.range.start.line]),
    [
      ['socket', ['docker'], '172.20.0.2', 4],
      ['other', [], undefined, 7],
    ],
  );
});

test('image, container_name, user: strings; numbers are stringified; lists are errors', () => {
  const { p, diagnostics } = service('image: tecnativa/docker-socket-proxy\ncontainer_name: proxy\nuser: 1000\n');
  assert.equal(p.image?.value, 'tecnativa/docker-socket-proxy');
  assert.equal(p.containerName?.value, 'proxy');
  assert.equal(p.user?.value, '1000');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(
    service('image: [a]').diagnostics.map((d) => [d.code, d.pointer]),
    [['compose/invalid-value', '/services/p/image']],
  );
});

test('env_file: string, list and long form resolve against the project directory', () => {
  const { p } = service('env_file:\n  - a.env\n  - /abs/b.env\n  - path: ./c.env\n    required: false\n');
  assert.deepEqual(
    p.envFiles.map((ref) => [ref.path, ref.resolvedPath, ref.required]),
    [
      ['a.env', '/proj/a.env', true],
      ['/abs/b.env', '/abs/b.env', true],
      ['./c.env', '/proj/c.env', false],
    ],
  );
  assert.deepEqual(
    service('env_file: x.env').p.envFiles.map((ref) => ref.resolvedPath),
    ['/proj/x.env'],
  );
});

test('extends is reported as not followed', () => {
  assert.deepEqual(
    service('extends:\n  service: base').diagnostics.map((d) => [d.code, d.pointer]),
    [['compose/unsupported-key', '/services/p/extends']],
  );
});

test('a service that is not a mapping is an error; an empty one is a service without settings', () => {
  const bad = parseComposeFiles([{ path: 'c.yml', text: 'services:\n  p: image-name\n  q:\n' }]);
  assert.deepEqual(
    bad.diagnostics.map((d) => [d.code, d.pointer]),
    [['compose/invalid-value', '/services/p']],
  );
  assert.deepEqual(
    bad.project?.services.map((s) => s.name),
    ['p', 'q'],
  );
});

test('keys named like Object.prototype members are ordinary keys', () => {
  const { p, diagnostics } = service('constructor: x\ntoString: y\nenvironment:\n  __proto__: 1\n  hasOwnProperty: 2');
  assert.deepEqual(
    [...p.environment.values()].map((e) => [e.name, e.value]),
    [
      ['__proto__', '1'],
      ['hasOwnProperty', '2'],
    ],
  );
  assert.deepEqual(diagnostics, []);
});

test('command: after a substitution the truncation is reported at the whole string', () => {
  const { p, diagnostics } = service('command: ${X} && rest', { X: 'run now' });
  assert.deepEqual(p.command?.value, ['run', 'now']);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range?.start.col, d.range?.end.col]),
    [['compose/command-truncated', 14, 26]],
  );
});
