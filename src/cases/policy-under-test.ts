/**
 * A policy prepared for offline decisions: the compiled rules plus what is needed to say where each
 * rule came from (the file and its source map, the built-in defaults, or compat variables).
 */
import { compilePolicy, type CompiledPolicy } from '../policy/compile.js';
import type { Policy, PolicyDocument } from '../policy/schema.js';
import type { SourceMap } from '../policy/source-map.js';

export interface PolicyUnderTest {
  /** The policy file as given, undefined for the built-in default policy. */
  readonly file?: string;
  readonly document: PolicyDocument;
  /** Absent for the built-in policy (type-only import: no YAML parser needed then). */
  readonly sourceMap?: SourceMap;
  readonly compiled: CompiledPolicy;
  /** Compat environment the policy was compiled with (empty: compat off). */
  readonly env: Readonly<Record<string, string>>;
}

export interface PrepareOptions {
  file?: string;
  document?: PolicyDocument;
  sourceMap?: SourceMap;
  env?: Readonly<Record<string, string>>;
}

export function preparePolicy(policy: Policy, options: PrepareOptions = {}): PolicyUnderTest {
  const env = options.env ?? {};
  return {
    ...(options.file !== undefined ? { file: options.file } : {}),
    document: options.document ?? {},
    ...(options.sourceMap ? { sourceMap: options.sourceMap } : {}),
    compiled: compilePolicy(policy, { env }),
    env,
  };
}

/** The policy's profile names for messages: "a, b", or "none". */
export function listProfiles(put: PolicyUnderTest): string {
  const names = [...put.compiled.profiles.keys()];
  return names.length > 0 ? names.join(', ') : 'none';
}
