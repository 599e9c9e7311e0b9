import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MigrateError } from '../../src/migrate/migrate-error.js';
import { ARGS_FILE, buildStandaloneSubject } from '../../src/migrate/standalone-subject.js';

const where = (
  at: { file: string; range: { start: { line: number; col: number }; end: { col: number } } } | undefined,
) => at && `${at.file}:${at.range.start.line}:${at.range.start.col}-${at.range.end.col}`;

test('--env-file: the proxy environment with each variable at its line', () => {
  const subject = buildStandaloneSubject({
    source: 'tecnativa',
    envFile: { path: 'proxy.env', text: '# read-only\nCONTAINERS=1\nexport POST="0"\n' },
    image: 'tecnativa/docker-socket-proxy:0.1.1',
  });
  assert.equal(subject.name, 'tecnativa');
  assert.deepEqual(subject.detection, {
    source: 'tecnativa',
    image: 'tecnativa/docker-socket-proxy:0.1.1',
    repository: 'tecnativa/docker-socket-proxy',
    forced: true,
  });
  assert.deepEqual(subject.input.environment, { CONTAINERS: '1', POST: '0' });
  assert.equal(subject.input.imageTag, '0.1.1');
  assert.equal(where(subject.input.locate('env:CONTAINERS')), 'proxy.env:2:1-13');
  assert.equal(subject.input.locate('env:EVENTS'), undefined);
  assert.equal(subject.input.locate('image'), undefined);
});

test('--args: split like a compose command string, each argument at its columns inside --args', () => {
  const args = `-allowGET=/version  -allowfrom=traefik '-allowHEAD=/_ping'`;
  const subject = buildStandaloneSubject({ source: 'wollomatic', args });
  assert.deepEqual(subject.input.argv, ['-allowGET=/version', '-allowfrom=traefik', '-allowHEAD=/_ping']);
  assert.equal(where(subject.input.locate('arg:0')), `${ARGS_FILE}:1:1-19`);
  assert.equal(where(subject.input.locate('arg:1')), `${ARGS_FILE}:1:21-39`);
  // Found verbatim inside its quotes.
  assert.equal(where(subject.input.locate('arg:2')), `${ARGS_FILE}:1:41-58`);
  assert.equal(subject.input.locate('arg:3'), undefined);
  assert.equal(subject.input.imageTag, undefined);
});

test('a CetusGuard rules file is read as if passed with -rules-file, origins at its lines', () => {
  const subject = buildStandaloneSubject({
    source: 'cetusguard',
    rulesFile: { path: 'conf/rules.list', text: 'GET %API_PREFIX_PING%\n' },
  });
  assert.deepEqual(subject.input.argv, ['-rules-file=conf/rules.list']);
  assert.deepEqual(subject.input.readMounted('conf/rules.list'), {
    hostPath: 'conf/rules.list',
    text: 'GET %API_PREFIX_PING%\n',
  });
  assert.equal(subject.input.readMounted('other.list'), undefined);
  assert.equal(where(subject.input.locate('rules-file:conf/rules.list:1')), 'conf/rules.list:1:1-1');
  assert.equal(subject.input.locate('rules-file:other.list:1'), undefined);
});

test('unreadable input is refused with its position', () => {
  assert.throws(
    () => buildStandaloneSubject({ source: 'tecnativa', envFile: { path: 'p.env', text: 'A=1\nB="open\n' } }),
    (error: unknown) =>
      error instanceof MigrateError && error.code === 'migrate/bad-input' && /^p\.env:2:\d+: /.test(error.message),
  );
  assert.throws(
    () => buildStandaloneSubject({ source: 'wollomatic', args: `-allowGET='/version` }),
    (error: unknown) => error instanceof MigrateError && /^--args: /.test(error.message),
  );
});
