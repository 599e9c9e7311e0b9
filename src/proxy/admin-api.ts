/**
 * The admin API (sockguard-config.md §16): `POST <admin.path>` dry-runs a candidate YAML
 * (no environment overlay, compat expansion with the server's environment, validation, startup
 * probes, settings this proxy cannot enforce) and never changes the running policy;
 * `GET <admin.policy_version_path>` describes the policy in force. Empty fields are omitted.
 */
import { compilePolicy } from '../policy/compile.js';
import { loadPolicy, defaultPolicy } from '../policy/load.js';
import type { Policy } from '../policy/schema.js';
import type { Env } from './config-source.js';
import { findUnenforcedSettings } from './enforcement.js';
import type { ActivePolicy } from './policy-store.js';
import { dockerError, type Reply } from './reply.js';

/** Drops the optional fields that are empty, zero or false (Go `omitempty`); `ok` always stays. */
function omitEmpty(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(
      ([key, v]) =>
        key === 'ok' ||
        !(v === undefined || v === 0 || v === false || v === '' || (Array.isArray(v) && v.length === 0)),
    ),
  );
}

/** The dry run of `POST /admin/validate`: 200 `{ok, rules, profiles, compat_active}` or 422 `{ok:false, errors}`. */
export function validateCandidate(text: string, env: Env): Reply {
  let policy: Policy;
  if (text.trim() === '') policy = defaultPolicy();
  else {
    const loaded = loadPolicy(text);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (!loaded.policy) {
      const parse = errors.filter((d) => d.code.startsWith('yaml/'));
      const list =
        parse.length > 0 ? [`parse: ${parse.map((d) => d.message).join('; ')}`] : errors.map((d) => d.message);
      return { status: 422, body: omitEmpty({ ok: false, errors: list }), reasonCode: 'admin_validation_failed' };
    }
    policy = loaded.policy;
  }
  const compiled = compilePolicy(policy, { env });
  const errors = [
    ...compiled.startupProblems.map((p) => p.message),
    ...findUnenforcedSettings(compiled).map((s) => `this proxy does not enforce ${s}`),
  ];
  const counts = {
    rules: compiled.root.rules.length,
    profiles: policy.clients.profiles?.length ?? 0,
    compat_active: compiled.compat.active,
  };
  if (errors.length > 0) {
    return {
      status: 422,
      body: omitEmpty({ ok: false, errors, compat_active: counts.compat_active }),
      reasonCode: 'admin_validation_failed',
    };
  }
  return { status: 200, body: omitEmpty({ ok: true, ...counts }) };
}

export function describePolicyVersion(active: ActivePolicy): Reply {
  return {
    status: 200,
    body: omitEmpty({
      version: active.version,
      loaded_at: active.loadedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      rules: active.compiled.root.rules.length,
      profiles: active.policy.clients.profiles?.length ?? 0,
      compat_active: active.compiled.compat.active,
      source: active.source,
      config_sha256: active.configSha256,
    }),
  };
}

export function methodNotAllowed(allow: string): Reply {
  return { ...dockerError(405, 'method not allowed', 'admin_method_not_allowed'), headers: { Allow: allow } };
}
