import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnenforcedSettings } from '../../src/proxy/enforcement.js';
import type { AddonLoad } from '../../src/proxy/peer-credentials.js';
import { compileYaml } from './fixture.js';

const RULES = 'rules:\n  - match: { method: GET, path: /_ping }\n    action: allow\n';
const PROFILE = '  profiles:\n    - name: ci\n      rules: [{ match: { method: GET, path: /_ping }, action: allow }]\n';
const WITH_ADDON: AddonLoad = { addon: { peerCredentials: () => ({ uid: 0, gid: 0, pid: 1 }) } };
const WITHOUT_ADDON: AddonLoad = { error: 'cannot load the SO_PEERCRED addon' };

test('findUnenforcedSettings: clients, allowed_profiles, ownership and visibility are enforced; unix peers need the addon', () => {
  const cases: [string, string, AddonLoad, RegExp[]][] = [
    [
      'every clients gate',
      `clients:\n  allowed_cidrs: [10.0.0.0/8]\n  container_labels: { enabled: true }\n  default_profile: ci\n  source_ip_profiles: [{ profile: ci, cidrs: [10.0.0.0/8] }]\n  global_concurrency: { max_inflight: 4 }\n${PROFILE}`,
      WITHOUT_ADDON,
      [],
    ],
    [
      'a concrete allowed_profiles list',
      `listeners:\n  - { name: a, socket: /tmp/a.sock, allowed_profiles: [ci] }\nclients:\n${PROFILE}`,
      WITHOUT_ADDON,
      [],
    ],
    [
      'unix_peer_profiles with the addon',
      `clients:\n  unix_peer_profiles: [{ profile: ci, uids: [1000] }]\n${PROFILE}`,
      WITH_ADDON,
      [],
    ],
    [
      'unix_peer_profiles without the addon',
      `clients:\n  unix_peer_profiles: [{ profile: ci, uids: [1000] }]\n${PROFILE}`,
      WITHOUT_ADDON,
      [/^clients\.unix_peer_profiles \(unix peer credentials are unavailable: cannot load the SO_PEERCRED addon\)$/],
    ],
    [
      'ownership and visibility are enforced',
      'ownership: { owner: team-a }\nresponse: { name_patterns: [web-*] }\n',
      WITH_ADDON,
      [],
    ],
    ['signed policy bundles are still refused', 'policy_bundle: { enabled: true }\n', WITH_ADDON, [/^policy_bundle/]],
  ];
  for (const [name, yaml, addon, expected] of cases) {
    const problems = findUnenforcedSettings(compileYaml(RULES + yaml), addon);
    assert.equal(problems.length, expected.length, `${name}: ${problems.join('; ')}`);
    expected.forEach((pattern, i) => assert.match(problems[i]!, pattern, name));
  }
});
