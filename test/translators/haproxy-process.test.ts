import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseTecnativaSettings } from '../../src/peers/tecnativa.js';
import { parseLinuxServerSettings } from '../../src/peers/linuxserver.js';
import { translateHaproxyProcess } from '../../src/translators/haproxy-process.js';

const tecnativa = (environment: Record<string, string>) =>
  translateHaproxyProcess({ imageLabel: 'Tecnativa', ...parseTecnativaSettings({ environment, imageTag: '0.4.1' }) });

describe('HAProxy image process settings → listen, upstream, log (peers.md §1.2, §2.2)', () => {
  it('keeps the plaintext listener on every interface, acknowledged and warned about', () => {
    const { settings, warnings } = tecnativa({});
    assert.deepEqual(settings, {
      listen: { address: ':2375', insecure_allow_plain_tcp: true, insecure_allow_unauthenticated_clients: true },
    });
    assert.deepEqual(
      warnings.map((w) => [w.code, w.origin]),
      [['migrate/plaintext-tcp-listener', 'image']],
    );
  });

  const ipv6: [string, Record<string, string>, string][] = [
    ['Tecnativa DISABLE_IPV6=true (shell case, §1.2)', { DISABLE_IPV6: 'true' }, '0.0.0.0:2375'],
    ['Tecnativa DISABLE_IPV6=0', { DISABLE_IPV6: '0' }, ':2375'],
  ];
  for (const [name, environment, address] of ipv6) {
    it(name, () => assert.equal(tecnativa(environment).settings.listen?.address, address));
  }

  it('LinuxServer disables IPv6 only for the exact string 1 (§2.1)', () => {
    const address = (value: string) =>
      translateHaproxyProcess({
        imageLabel: 'LinuxServer',
        ...parseLinuxServerSettings({ environment: { DISABLE_IPV6: value }, imageTag: undefined }),
      }).settings.listen?.address;
    assert.equal(address('1'), '0.0.0.0:2375');
    assert.equal(address('true'), ':2375');
  });

  const levels: [string, string | undefined][] = [
    ['debug', 'debug'],
    ['notice', 'info'],
    ['warning', 'warn'],
    ['err', 'error'],
    ['emerg', 'error'],
    ['verbose', undefined],
  ];
  for (const [value, level] of levels) {
    it(`LOG_LEVEL=${value} → ${level ?? 'not translated, warned'}`, () => {
      const { settings, warnings } = tecnativa({ LOG_LEVEL: value });
      assert.equal(settings.log?.level, level);
      assert.equal(
        warnings.some((w) => w.code === 'migrate/unmapped-value' && w.origin === 'env:LOG_LEVEL'),
        level === undefined,
      );
    });
  }

  it('moves an explicit SOCKET_PATH to upstream.socket, trimmed; an unset or empty one stays default', () => {
    assert.deepEqual(tecnativa({ SOCKET_PATH: ' /run/user/1000/docker.sock ' }).settings.upstream, {
      socket: '/run/user/1000/docker.sock',
    });
    assert.equal(tecnativa({}).settings.upstream, undefined);
    assert.equal(tecnativa({ SOCKET_PATH: '' }).settings.upstream, undefined);
  });

  it('ignores SOCKET_PATH on releases that do not read it (v0.1.1)', () => {
    const settings = parseTecnativaSettings({ environment: { SOCKET_PATH: '/x.sock' }, imageTag: '0.1.1' });
    assert.equal(translateHaproxyProcess({ imageLabel: 'T', ...settings }).settings.upstream, undefined);
  });
});
