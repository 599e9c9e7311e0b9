/**
 * request_body.swarm — POST /swarm/init, /swarm/join, /swarm/update, /swarm/unlock
 * (sockguard-config.md §8.2, security-notes.md §12). Joining an attacker's manager hands it this
 * host, so join addresses must be listed (an empty list denies every join unless
 * insecure_allow_body_blind_writes acknowledges it); CA, auto-lock and token/key rotation changes
 * need their flags. Rotation query flags are read with dockerd's permissive boolean rules.
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { swarmInitShape, swarmJoinShape, swarmSpecShape } from './body-shapes.js';
import { isGoTrue, type GoQuery } from './go-query.js';
import type { Decoded } from './json-shape.js';
import { ALLOW, denied, firstDenial, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['swarm']>;
type SwarmSpec = Decoded<typeof swarmSpecShape>;

export interface CompiledSwarm {
  key: PolicyKey;
  flags: Required<Omit<Group, 'allowed_join_remote_addrs'>>;
  joinAddrs: ReadonlySet<string>;
  /** Every join is denied: no addresses listed and no blind-writes acknowledgement. */
  denyAllJoins: boolean;
  /** No addresses listed but acknowledged: joins pass unjudged. */
  blindJoins: boolean;
}

const normalizeAddr = (addr: string) => addr.trim().toLowerCase();

export function compileSwarm(
  group: Group | undefined,
  prefix: string,
  blindWritesAcknowledged: boolean,
): CompiledSwarm {
  const g = group ?? {};
  const joinAddrs = new Set((g.allowed_join_remote_addrs ?? []).map(normalizeAddr).filter((a) => a !== ''));
  return {
    key: policyKeys(prefix, 'swarm'),
    flags: {
      allow_force_new_cluster: g.allow_force_new_cluster ?? false,
      allow_external_ca: g.allow_external_ca ?? false,
      allow_token_rotation: g.allow_token_rotation ?? false,
      allow_manager_unlock_key_rotation: g.allow_manager_unlock_key_rotation ?? false,
      allow_auto_lock_managers: g.allow_auto_lock_managers ?? false,
      allow_signing_ca_update: g.allow_signing_ca_update ?? false,
      allow_unlock: g.allow_unlock ?? false,
    },
    joinAddrs,
    denyAllJoins: joinAddrs.size === 0 && !blindWritesAcknowledged,
    blindJoins: joinAddrs.size === 0 && blindWritesAcknowledged,
  };
}

function inspectSpec(spec: SwarmSpec | undefined, field: string, p: CompiledSwarm): BodyVerdict {
  const { flags, key } = p;
  const ca = spec?.CAConfig;
  if (!flags.allow_external_ca && (ca?.ExternalCAs?.length ?? 0) > 0) {
    return denied(`${field}CAConfig.ExternalCAs is set; ${key('allow_external_ca')} is false`);
  }
  const signing =
    (ca?.SigningCACert ?? '').trim() !== '' || (ca?.SigningCAKey ?? '').trim() !== '' || (ca?.ForceRotate ?? 0) > 0;
  if (!flags.allow_signing_ca_update && signing) {
    return denied(`${field}CAConfig changes or rotates the signing CA; ${key('allow_signing_ca_update')} is false`);
  }
  if (!flags.allow_auto_lock_managers && spec?.EncryptionConfig?.AutoLockManagers === true) {
    return denied(`${field}EncryptionConfig.AutoLockManagers is true; ${key('allow_auto_lock_managers')} is false`);
  }
  return ALLOW;
}

export function inspectSwarmInit(body: Decoded<typeof swarmInitShape>, p: CompiledSwarm): BodyVerdict {
  const { flags, key } = p;
  return firstDenial(
    () =>
      !flags.allow_force_new_cluster && body.ForceNewCluster === true
        ? denied(`ForceNewCluster is true; ${key('allow_force_new_cluster')} is false`)
        : ALLOW,
    () =>
      !flags.allow_auto_lock_managers && body.AutoLockManagers === true
        ? denied(`AutoLockManagers is true; ${key('allow_auto_lock_managers')} is false`)
        : ALLOW,
    () => inspectSpec(body.Spec, 'Spec.', p),
  );
}

export function inspectSwarmJoin(body: Decoded<typeof swarmJoinShape>, p: CompiledSwarm): BodyVerdict {
  if (p.denyAllJoins) {
    return denied(
      `every swarm join is denied because ${p.key('allowed_join_remote_addrs')} is empty (set it, or acknowledge with insecure_allow_body_blind_writes)`,
    );
  }
  if (p.blindJoins) return ALLOW;
  const outside = (body.RemoteAddrs ?? []).find((addr) => !p.joinAddrs.has(normalizeAddr(addr)));
  return outside === undefined
    ? ALLOW
    : denied(`RemoteAddrs includes ${JSON.stringify(outside)}; it is not in ${p.key('allowed_join_remote_addrs')}`);
}

export function inspectSwarmUpdate(body: SwarmSpec, query: GoQuery, p: CompiledSwarm): BodyVerdict {
  const { flags, key } = p;
  const rotation = (param: string, flag: 'allow_token_rotation' | 'allow_manager_unlock_key_rotation') =>
    !flags[flag] && isGoTrue(query.get(param)) ? denied(`query ${param} is true; ${key(flag)} is false`) : ALLOW;
  return firstDenial(
    () => inspectSpec(body, '', p),
    () => rotation('rotateWorkerToken', 'allow_token_rotation'),
    () => rotation('rotateManagerToken', 'allow_token_rotation'),
    () => rotation('rotateManagerUnlockKey', 'allow_manager_unlock_key_rotation'),
  );
}

export function inspectSwarmUnlock(p: CompiledSwarm): BodyVerdict {
  return p.flags.allow_unlock ? ALLOW : denied(`unlocking the swarm is not allowed; ${p.key('allow_unlock')} is false`);
}
