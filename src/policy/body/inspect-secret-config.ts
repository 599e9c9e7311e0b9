/**
 * request_body.secret and request_body.config — POST /secrets/create and POST /configs/create
 * (sockguard-config.md §8.2, security-notes.md §15.8). A Driver names a secret-store plugin
 * (allow_custom_drivers); Templating (API 1.37) lets a task's secret or config pull in other secrets
 * (allow_template_drivers).
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { secretCreateShape } from './body-shapes.js';
import type { Decoded } from './json-shape.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['secret']>;

export interface CompiledSecretConfig {
  key: PolicyKey;
  allowCustomDrivers: boolean;
  allowTemplateDrivers: boolean;
}

export function compileSecretConfig(
  group: Group | undefined,
  name: 'secret' | 'config',
  prefix: string,
): CompiledSecretConfig {
  return {
    key: policyKeys(prefix, name),
    allowCustomDrivers: group?.allow_custom_drivers ?? false,
    allowTemplateDrivers: group?.allow_template_drivers ?? false,
  };
}

export function inspectSecretConfigCreate(
  body: Decoded<typeof secretCreateShape>,
  p: CompiledSecretConfig,
): BodyVerdict {
  if (!p.allowCustomDrivers && body.Driver !== undefined && (body.Driver.Name ?? '').trim() !== '') {
    return denied(`Driver.Name is ${JSON.stringify(body.Driver.Name)}; ${p.key('allow_custom_drivers')} is false`);
  }
  if (!p.allowTemplateDrivers && body.Templating !== undefined) {
    return denied(
      `Templating is set (template driver ${JSON.stringify(body.Templating.Name ?? '')}); ${p.key('allow_template_drivers')} is false`,
    );
  }
  return ALLOW;
}
