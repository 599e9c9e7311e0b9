/**
 * request_body.image_pull — POST /images/create (sockguard-config.md §8.2, security-notes.md §12,
 * §15.5). Judged from the query (first value wins, as dockerd reads it) and X-Registry-Auth:
 * `fromSrc` is an import (a URL download or a body tarball) and needs allow_imports; `fromImage`
 * must come from an allowed registry or be an allowed official image. The body is never read.
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { GoQuery } from './go-query.js';
import { compileRegistryAllowlist, type RegistryAllowlist } from './image-reference.js';
import { inspectRegistryAuth } from './registry-auth.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['image_pull']>;

export interface CompiledImagePull {
  key: PolicyKey;
  allowImports: boolean;
  registries: RegistryAllowlist;
}

export function compileImagePull(group: Group | undefined, prefix: string): CompiledImagePull {
  const key = policyKeys(prefix, 'image_pull');
  return { key, allowImports: group?.allow_imports ?? false, registries: compileRegistryAllowlist(group, key) };
}

export function inspectImagePull(query: GoQuery, registryAuth: string | undefined, p: CompiledImagePull): BodyVerdict {
  const auth = inspectRegistryAuth(registryAuth, p.registries, p.key('allowed_registries'));
  if (!auth.ok) return auth;
  const fromSrc = (query.get('fromSrc') ?? '').trim();
  if (fromSrc !== '') {
    return p.allowImports
      ? ALLOW
      : denied(`query fromSrc ${JSON.stringify(fromSrc)} imports an image; ${p.key('allow_imports')} is false`);
  }
  const fromImage = (query.get('fromImage') ?? '').trim();
  if (fromImage === '') return ALLOW;
  const reason = p.registries.check(fromImage, 'query fromImage');
  return reason === undefined ? ALLOW : denied(reason);
}
