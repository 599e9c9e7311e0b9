import { test } from 'node:test';
import { parseExecInspection } from '../../../src/policy/body/inspect-request-body.js';
import { assertAllowed, assertDenied, judge, rootPolicy, type RequestBodyDocument } from './body-request.js';

const key = (field: string) => `request_body.exec.${field}`;
const execPolicy = (exec: NonNullable<RequestBodyDocument['exec']>, blind = false) =>
  rootPolicy({ exec }, { insecureAllowBodyBlindWrites: blind });
const create = (policy: ReturnType<typeof rootPolicy>, body: object | string) =>
  judge(policy, 'POST', '/v1.45/containers/web/exec', body);
/** What the docker CLI sends for `docker exec -u 1000 web ls -l /tmp`. */
const cli = (cmd: unknown, user = '1000', extra: object = {}) => ({
  User: user,
  Privileged: false,
  Tty: false,
  AttachStdin: false,
  AttachStderr: true,
  AttachStdout: true,
  Detach: false,
  DetachKeys: '',
  Env: null,
  WorkingDir: '',
  Cmd: cmd,
  ...extra,
});

test('an empty allowed_commands denies every exec unless blind writes are acknowledged', () => {
  assertDenied(
    create(rootPolicy(), cli(['ls'])),
    403,
    `${key('allowed_commands')} is empty`,
    'insecure_allow_body_blind_writes',
  );
  assertDenied(
    judge(rootPolicy(), 'POST', '/exec/abc/start', '{"Detach":false}'),
    403,
    'exec start',
    key('allowed_commands'),
  );
  const blind = execPolicy({}, true);
  assertAllowed(create(blind, cli(['anything', 'at', 'all'])));
  assertAllowed(judge(blind, 'POST', '/exec/abc/start', '{}'));
  assertDenied(create(blind, cli(['ls'], 'root')), 403, key('allow_root_user'));
});

test('argv templates: equal token counts, each token a glob', () => {
  const policy = execPolicy({
    allowed_commands: [
      ['ls', '-l', '/tmp/*'],
      ['cat', '/var/log/**'],
      ['sh', '-c', 'echo ok'],
    ],
  });
  assertAllowed(create(policy, cli(['ls', '-l', '/tmp/x'])));
  assertAllowed(create(policy, cli(['cat', '/var/log/app/today.log'])));
  assertAllowed(create(policy, cli(['sh', '-c', 'echo ok'])));
  for (const cmd of [
    ['ls', '-l', '/tmp/a/b'],
    ['ls', '-l'],
    ['ls', '-l', '/tmp/x', '/etc'],
    ['cat', '/etc/shadow'],
    ['sh', '-c', 'echo ok; rm -rf /'],
    ['LS', '-l', '/tmp/x'],
    [],
  ]) {
    assertDenied(create(policy, cli(cmd)), 403, 'matches no template', key('allowed_commands'));
  }
  assertDenied(create(policy, cli(null)), 403, 'Cmd []');
});

test('a string Cmd is whitespace-split without shell parsing', () => {
  const policy = execPolicy({ allowed_commands: [['ls', '-l', '/tmp']] });
  assertAllowed(create(policy, cli('ls  -l\t/tmp')));
  assertDenied(create(policy, cli('ls -l /tmp; id')), 403, 'matches no template');
  assertDenied(create(policy, cli('ls "-l /tmp"')), 403);
});

test('privileged and root execs (security-notes.md §9 root spellings)', () => {
  const policy = execPolicy({ allowed_commands: [['id']] });
  assertDenied(
    create(policy, cli(['id'], '1000', { Privileged: true })),
    403,
    'Privileged is true',
    key('allow_privileged'),
  );
  for (const user of ['', 'root', '0', '00', '+0', '-0', '0:0', 'root:x', '0:1000']) {
    assertDenied(create(policy, cli(['id'], user)), 403, 'runs as root', key('allow_root_user'));
  }
  assertDenied(create(policy, { Cmd: ['id'] }), 403, 'User "" runs as root');
  assertAllowed(create(policy, cli(['id'], 'nobody')));
  const lenient = execPolicy({ allowed_commands: [['id']], allow_root_user: true, allow_privileged: true });
  assertAllowed(create(lenient, cli(['id'], '0:0', { Privileged: true })));
});

test('case-folded exec keys are judged like canonical ones', () => {
  const policy = execPolicy({ allowed_commands: [['id']] });
  assertDenied(create(policy, '{"cmd":["id"],"user":"1000","PRIVILEGED":true}'), 403, 'Privileged is true');
  assertDenied(create(policy, '{"Cmd":["id"],"User":"1000","us\u0065r":"0"}'), 400, 'duplicate key');
});

test('environment: denied names win, allowed names and exact values admit', () => {
  const policy = execPolicy({
    allowed_commands: [['env']],
    allowed_env_vars: ['TERM'],
    denied_env_vars: ['LD_PRELOAD', 'TERM_DENIED'],
    allowed_env_values: ['MODE=safe'],
  });
  assertAllowed(create(policy, cli(['env'], '1000', { Env: ['TERM=xterm', 'MODE=safe'] })));
  assertDenied(
    create(policy, cli(['env'], '1000', { Env: ['LD_PRELOAD=/x.so'] })),
    403,
    'Env[0] sets LD_PRELOAD',
    key('denied_env_vars'),
  );
  assertDenied(create(policy, cli(['env'], '1000', { Env: ['MODE=unsafe'] })), 403, key('allowed_env_values'));
  assertDenied(create(policy, cli(['env'], '1000', { Env: ['term=x'] })), 403, 'sets term');
  const denyOnly = execPolicy({ allowed_commands: [['env']], denied_env_vars: ['LD_PRELOAD'] });
  assertAllowed(create(denyOnly, cli(['env'], '1000', { Env: ['ANYTHING=1'] })));
  assertDenied(create(denyOnly, cli(['env'], '1000', { Env: ['LD_PRELOAD'] })), 403);
});

test('exec start is re-checked against the daemon exec inspect', () => {
  const policy = execPolicy({ allowed_commands: [['ls', '-l']] });
  const start = (inspect?: string) =>
    judge(
      policy,
      'POST',
      '/exec/abc/start',
      '{"Detach":false,"Tty":false}',
      {},
      inspect === undefined ? {} : { execInspection: parseExecInspection(inspect)! },
    );
  assertDenied(start(), 403, "daemon's exec inspect");
  assertAllowed(
    start('{"ID":"abc","ProcessConfig":{"entrypoint":"ls","arguments":["-l"],"privileged":false,"user":"1000"}}'),
  );
  assertDenied(
    start('{"ProcessConfig":{"entrypoint":"sh","arguments":["-c","id"],"privileged":false,"user":"1000"}}'),
    403,
    'exec start',
    'matches no template',
  );
  assertDenied(
    start('{"ProcessConfig":{"entrypoint":"ls","arguments":["-l"],"privileged":true,"user":"1000"}}'),
    403,
    'Privileged',
  );
  assertDenied(start('{"ProcessConfig":{"entrypoint":"ls","arguments":["-l"],"user":""}}'), 403, 'root');
  assertDenied(judge(policy, 'POST', '/exec/abc/start', '{"Detach":"no"}'), 400, 'Detach');
});
